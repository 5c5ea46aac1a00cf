// The HubSpot contract server's data: CRM v3 objects (contacts, companies, tasks) with HubSpot's property
// types, the owners, and the search evaluation (filterGroups, one sort, `after` paging). Shapes follow the
// CRM v3 reference: a record is `{ id, properties, createdAt, updatedAt, archived }` with every property
// value a string (numbers too), `null` when unset.

/** A property as GET /crm/v3/properties/{objectType} lists it (the fields the product reads). */
export interface HubSpotProperty {
  name: string;
  label: string;
  /** HubSpot's data type: string, number, date, datetime, enumeration, bool, phone_number. */
  type: string;
  fieldType: string;
  groupName: string;
  options?: Array<{ label: string; value: string; displayOrder: number; hidden: boolean }>;
  modificationMetadata?: { readOnlyValue: boolean; archivable: boolean; readOnlyDefinition: boolean };
}

const p = (name: string, label: string, type: string, fieldType: string, readOnly = false, options?: string[]): HubSpotProperty => ({
  name,
  label,
  type,
  fieldType,
  groupName: name.startsWith('hs_') ? 'system' : 'contactinformation',
  ...(options ? { options: options.map((o, i) => ({ label: o, value: o, displayOrder: i, hidden: false })) } : {}),
  modificationMetadata: { readOnlyValue: readOnly, archivable: !readOnly, readOnlyDefinition: true },
});

const SYSTEM = [
  p('hs_object_id', 'Record ID', 'number', 'number', true),
  p('createdate', 'Create Date', 'datetime', 'date', true),
  p('hubspot_owner_id', 'Contact owner', 'enumeration', 'select'),
];

/** The standard properties of each object the contract server knows (HubSpot's default property sets). */
export const HUBSPOT_PROPERTIES: Record<string, HubSpotProperty[]> = {
  contacts: [
    ...SYSTEM,
    p('lastmodifieddate', 'Last Modified Date', 'datetime', 'date', true),
    p('email', 'Email', 'string', 'text'),
    p('firstname', 'First Name', 'string', 'text'),
    p('lastname', 'Last Name', 'string', 'text'),
    p('phone', 'Phone Number', 'string', 'phonenumber'),
    p('mobilephone', 'Mobile Phone Number', 'string', 'phonenumber'),
    p('company', 'Company Name', 'string', 'text'),
    p('website', 'Website URL', 'string', 'text'),
    p('jobtitle', 'Job Title', 'string', 'text'),
    p('city', 'City', 'string', 'text'),
    p('state', 'State/Region', 'string', 'text'),
    p('zip', 'Postal Code', 'string', 'text'),
    p('country', 'Country/Region', 'string', 'text'),
    p('industry', 'Industry', 'string', 'text'),
    // On contacts these two are not numbers: a dropdown of ranges and a single-line text.
    p('numemployees', 'Number of Employees', 'enumeration', 'select', false, ['1-5', '5-25', '25-50', '50-100', '100-500', '500-1000', '1000+']),
    p('annualrevenue', 'Annual Revenue', 'string', 'text'),
    p('hs_analytics_source', 'Original Traffic Source', 'enumeration', 'select', true, ['ORGANIC_SEARCH', 'PAID_SEARCH', 'EMAIL_MARKETING', 'SOCIAL_MEDIA', 'REFERRALS', 'OTHER_CAMPAIGNS', 'DIRECT_TRAFFIC', 'OFFLINE', 'PAID_SOCIAL']),
    p('lifecyclestage', 'Lifecycle Stage', 'enumeration', 'radio', false, ['subscriber', 'lead', 'marketingqualifiedlead', 'salesqualifiedlead', 'opportunity', 'customer', 'evangelist', 'other']),
    p('hs_lead_status', 'Lead Status', 'enumeration', 'radio', false, ['NEW', 'OPEN', 'IN_PROGRESS', 'OPEN_DEAL', 'UNQUALIFIED', 'ATTEMPTED_TO_CONTACT', 'CONNECTED', 'BAD_TIMING']),
    p('hs_email_optout', 'Unsubscribed from all email', 'bool', 'booleancheckbox', true),
    p('num_contacted_notes', 'Number of Sales Activities', 'number', 'number', true),
    p('hs_lead_score', 'Lead score', 'number', 'number'),
    p('lead_routed_at', 'Lead routed at', 'datetime', 'date'),
  ],
  companies: [
    ...SYSTEM,
    p('hs_lastmodifieddate', 'Last Modified Date', 'datetime', 'date', true),
    p('name', 'Company name', 'string', 'text'),
    p('domain', 'Company Domain Name', 'string', 'text'),
    p('website', 'Website URL', 'string', 'text'),
    p('numberofemployees', 'Number of Employees', 'number', 'number'),
    p('annualrevenue', 'Annual Revenue', 'number', 'number'),
    p('notes_last_updated', 'Last Activity Date', 'datetime', 'date', true),
  ],
  tasks: [
    p('hs_object_id', 'Record ID', 'number', 'number', true),
    p('hs_lastmodifieddate', 'Last Modified Date', 'datetime', 'date', true),
    p('hs_timestamp', 'Due date', 'datetime', 'date'),
    p('hs_task_subject', 'Task Title', 'string', 'text'),
    p('hs_task_body', 'Notes', 'string', 'html'),
    p('hs_task_status', 'Task Status', 'enumeration', 'select', false, ['NOT_STARTED', 'IN_PROGRESS', 'WAITING', 'COMPLETED', 'DEFERRED']),
    p('hs_task_priority', 'Priority', 'enumeration', 'select', false, ['NONE', 'LOW', 'MEDIUM', 'HIGH']),
    p('hs_task_type', 'Task Type', 'enumeration', 'select', false, ['CALL', 'EMAIL', 'TODO']),
    p('hubspot_owner_id', 'Assigned to', 'enumeration', 'select'),
  ],
};

/** The property holding an object's last modification (contacts have their own name for it). */
export const MODIFIED_PROPERTY: Record<string, string> = { contacts: 'lastmodifieddate', companies: 'hs_lastmodifieddate', tasks: 'hs_lastmodifieddate' };

export interface HsRecord {
  id: string;
  properties: Record<string, string | null>;
  createdAt: string;
  updatedAt: string;
  archived: boolean;
  associations: Array<{ toObjectId: string; associationTypeId: number }>;
}

export interface HsOwner {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
  userId: number;
  createdAt: string;
  updatedAt: string;
  archived: boolean;
}

/** One property value problem, as HubSpot lists them inside a VALIDATION_ERROR message. */
export interface PropertyProblem {
  isValid: false;
  message: string;
  error: string;
  name: string;
}

/** Checks values written to an object: known, writable properties, numbers numeric, options and owners known. */
export function checkProperties(object: string, values: Record<string, unknown>, ownerIds: ReadonlySet<string>): PropertyProblem[] {
  const out: PropertyProblem[] = [];
  const props = new Map(HUBSPOT_PROPERTIES[object]!.map((x) => [x.name, x]));
  for (const [name, raw] of Object.entries(values)) {
    const prop = props.get(name);
    if (!prop) {
      out.push({ isValid: false, message: `Property "${name}" does not exist`, error: 'PROPERTY_DOESNT_EXIST', name });
      continue;
    }
    if (prop.modificationMetadata?.readOnlyValue) {
      out.push({ isValid: false, message: `"${name}" is a read only property; its value cannot be set.`, error: 'READ_ONLY_VALUE', name });
      continue;
    }
    if (raw === null || raw === '') continue;
    const v = String(raw);
    if (name === 'hubspot_owner_id') {
      if (!ownerIds.has(v)) out.push({ isValid: false, message: `${v} is not a valid owner id`, error: 'INVALID_OWNER_ID', name });
    } else if (prop.type === 'number' && !Number.isFinite(Number(v))) {
      out.push({ isValid: false, message: `${v} was not a valid number.`, error: 'INVALID_DOUBLE', name });
    } else if (prop.type === 'enumeration' && prop.options && !prop.options.some((o) => o.value === v)) {
      out.push({ isValid: false, message: `${v} was not one of the allowed options: [${prop.options.map((o) => o.value).join(', ')}]`, error: 'INVALID_OPTION', name });
    }
  }
  return out;
}

/** A search filter (POST /crm/v3/objects/{objectType}/search). */
export interface SearchFilter {
  propertyName: string;
  operator: 'EQ' | 'NEQ' | 'LT' | 'LTE' | 'GT' | 'GTE' | 'IN' | 'NOT_IN' | 'HAS_PROPERTY' | 'NOT_HAS_PROPERTY';
  value?: string;
  values?: string[];
}

/** Compares a property value with a filter value: numbers and datetimes (ISO or epoch ms) by value, the rest as text. */
function compare(object: string, name: string, a: string, b: string): number {
  const type = HUBSPOT_PROPERTIES[object]!.find((x) => x.name === name)?.type;
  const num = (s: string) => (type === 'datetime' || type === 'date' ? (/^\d+$/.test(s) ? Number(s) : Date.parse(s)) : Number(s));
  if (type === 'number' || type === 'datetime' || type === 'date') return num(a) - num(b);
  return a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : 0;
}

export function matches(object: string, rec: HsRecord, f: SearchFilter): boolean {
  const v = f.propertyName === 'hs_object_id' ? rec.id : rec.properties[f.propertyName];
  if (f.operator === 'HAS_PROPERTY') return v !== null && v !== undefined && v !== '';
  if (f.operator === 'NOT_HAS_PROPERTY') return v === null || v === undefined || v === '';
  if (v === null || v === undefined) return false;
  if (f.operator === 'IN') return (f.values ?? []).some((x) => compare(object, f.propertyName, v, x) === 0);
  if (f.operator === 'NOT_IN') return !(f.values ?? []).some((x) => compare(object, f.propertyName, v, x) === 0);
  const c = compare(object, f.propertyName, v, f.value ?? '');
  switch (f.operator) {
    case 'EQ':
      return c === 0;
    case 'NEQ':
      return c !== 0;
    case 'LT':
      return c < 0;
    case 'LTE':
      return c <= 0;
    case 'GT':
      return c > 0;
    case 'GTE':
      return c >= 0;
  }
}

/** Sorts records by one property (HubSpot search takes a single sort), ties by id, as the index returns them. */
export function sortRecords(object: string, rows: HsRecord[], sort: { propertyName: string; direction: 'ASCENDING' | 'DESCENDING' } | null): HsRecord[] {
  const value = (r: HsRecord, name: string) => (name === 'hs_object_id' ? r.id : (r.properties[name] ?? ''));
  return [...rows].sort((a, b) => {
    if (!sort) return Number(a.id) - Number(b.id);
    const c = compare(object, sort.propertyName, value(a, sort.propertyName), value(b, sort.propertyName));
    const d = c !== 0 ? c : Number(a.id) - Number(b.id);
    return sort.direction === 'DESCENDING' ? -d : d;
  });
}
