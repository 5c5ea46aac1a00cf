import { normalizeLead, type FieldCatalog, type FieldType, type Lead } from '@lead-router/shared';
import type { CrmFieldMap } from '@lead-router/db/crm-schema';
import type { ErrorDetail } from '../errors/domain-error';

// Field mapping: which CRM field fills which lead field, per object. Each connection keeps its own; an
// object without one uses the default below (Salesforce's standard Lead and Contact fields). A mapping is
// checked against the CRM field's type (from describe, else the standard types below) and the lead field's
// type in the workspace's catalog: text into a number field is refused, naming the field.

/** The Salesforce objects polled for leads. */
export const SALESFORCE_LEAD_OBJECTS = ['Lead', 'Contact'] as const;
export type SalesforceLeadObject = (typeof SALESFORCE_LEAD_OBJECTS)[number];

const m = (crmField: string, leadField: string): CrmFieldMap => ({ crmField, leadField });

/** The default mapping of the standard objects. */
export const DEFAULT_MAPPINGS: Record<SalesforceLeadObject, CrmFieldMap[]> = {
  Lead: [
    m('FirstName', 'firstName'),
    m('LastName', 'lastName'),
    m('Email', 'email'),
    m('Phone', 'phone'),
    m('Title', 'title'),
    m('Company', 'company'),
    m('Website', 'website'),
    m('City', 'city'),
    m('State', 'state'),
    m('PostalCode', 'postalCode'),
    m('Country', 'country'),
    m('Industry', 'industry'),
    m('LeadSource', 'leadSource'),
    m('NumberOfEmployees', 'employees'),
    m('AnnualRevenue', 'annualRevenue'),
    m('CreatedDate', 'createdAt'),
  ],
  Contact: [
    m('FirstName', 'firstName'),
    m('LastName', 'lastName'),
    m('Email', 'email'),
    m('Phone', 'phone'),
    m('Title', 'title'),
    m('MailingCity', 'city'),
    m('MailingState', 'state'),
    m('MailingPostalCode', 'postalCode'),
    m('MailingCountry', 'country'),
    m('LeadSource', 'leadSource'),
    m('CreatedDate', 'createdAt'),
  ],
};

/** A CRM field as the mapping checks it: its API name, label and Salesforce type (describe's `type`). */
export interface CrmFieldInfo {
  name: string;
  label: string;
  type: string;
}

const std = (name: string, label: string, type: string): CrmFieldInfo => ({ name, label, type });
const COMMON = [std('Id', 'Record ID', 'id'), std('OwnerId', 'Owner ID', 'reference'), std('CreatedDate', 'Created Date', 'datetime'), std('LastModifiedDate', 'Last Modified Date', 'datetime'), std('SystemModstamp', 'System Modstamp', 'datetime')];

/** The types of the standard fields (Salesforce's object reference), used when describe cannot be called. */
export const STANDARD_SALESFORCE_FIELDS: Record<SalesforceLeadObject, CrmFieldInfo[]> = {
  Lead: [
    ...COMMON,
    std('FirstName', 'First Name', 'string'),
    std('LastName', 'Last Name', 'string'),
    std('Email', 'Email', 'email'),
    std('Phone', 'Phone', 'phone'),
    std('MobilePhone', 'Mobile Phone', 'phone'),
    std('Title', 'Title', 'string'),
    std('Company', 'Company', 'string'),
    std('Website', 'Website', 'url'),
    std('Street', 'Street', 'textarea'),
    std('City', 'City', 'string'),
    std('State', 'State/Province', 'string'),
    std('PostalCode', 'Zip/Postal Code', 'string'),
    std('Country', 'Country', 'string'),
    std('Industry', 'Industry', 'picklist'),
    std('LeadSource', 'Lead Source', 'picklist'),
    std('Status', 'Lead Status', 'picklist'),
    std('Rating', 'Rating', 'picklist'),
    std('NumberOfEmployees', 'No. of Employees', 'int'),
    std('AnnualRevenue', 'Annual Revenue', 'currency'),
    std('Description', 'Description', 'textarea'),
  ],
  Contact: [
    ...COMMON,
    std('FirstName', 'First Name', 'string'),
    std('LastName', 'Last Name', 'string'),
    std('Email', 'Email', 'email'),
    std('Phone', 'Business Phone', 'phone'),
    std('MobilePhone', 'Mobile Phone', 'phone'),
    std('Title', 'Title', 'string'),
    std('Department', 'Department', 'string'),
    std('AccountId', 'Account ID', 'reference'),
    std('MailingCity', 'Mailing City', 'string'),
    std('MailingState', 'Mailing State/Province', 'string'),
    std('MailingPostalCode', 'Mailing Zip/Postal Code', 'string'),
    std('MailingCountry', 'Mailing Country', 'string'),
    std('LeadSource', 'Lead Source', 'picklist'),
  ],
};

// Salesforce's describe types, and HubSpot's property types (number, enumeration, phone_number, bool).
const NUMERIC = new Set(['int', 'double', 'currency', 'percent', 'long', 'number']);
const TEXTUAL = new Set(['string', 'email', 'phone', 'url', 'picklist', 'textarea', 'id', 'reference', 'combobox', 'multipicklist', 'encryptedstring', 'enumeration', 'phone_number']);
const BOOLEAN = new Set(['boolean', 'bool']);
const a = (type: string) => (/^[aeiou]/i.test(type) ? `an ${type}` : `a ${type}`);

/** Whether a CRM field of `crmType` may fill a lead field of `leadType`; null when it may, else why not. */
export function typeMismatch(crmType: string, leadType: FieldType): string | null {
  switch (leadType) {
    case 'number':
      return NUMERIC.has(crmType) ? null : `is ${a(crmType)} field in the CRM and cannot fill a number field`;
    case 'boolean':
      return BOOLEAN.has(crmType) ? null : `is ${a(crmType)} field in the CRM and cannot fill a yes/no field`;
    case 'date':
      return crmType === 'date' || crmType === 'datetime' ? null : `is ${a(crmType)} field in the CRM and cannot fill a date field`;
    case 'text':
    case 'picklist':
      return TEXTUAL.has(crmType) || NUMERIC.has(crmType) || BOOLEAN.has(crmType) || crmType === 'date' || crmType === 'datetime' ? null : `is ${a(crmType)} field in the CRM and cannot fill a text field`;
    default:
      return `cannot be filled from the CRM`;
  }
}

/**
 * Checks one object's mapping: every CRM field known (by API name or label, which it is rewritten to the
 * API name of), every lead field in the catalog and writable, each lead field filled once, every type pair
 * compatible. Returns the mapping with API names, or every problem with its path (`fieldMapping.Lead.3.crmField`).
 */
export function checkMapping(object: string, mapping: readonly CrmFieldMap[], crmFields: readonly CrmFieldInfo[], catalog: FieldCatalog): { mapping: CrmFieldMap[] } | { problems: ErrorDetail[] } {
  const problems: ErrorDetail[] = [];
  const out: CrmFieldMap[] = [];
  const seen = new Map<string, number>();
  const byName = new Map(crmFields.map((f) => [f.name.toLowerCase(), f]));
  const byLabel = new Map(crmFields.map((f) => [f.label.toLowerCase(), f]));
  mapping.forEach((row, i) => {
    const path = `fieldMapping.${object}.${i}`;
    const crm = byName.get(row.crmField.toLowerCase()) ?? byLabel.get(row.crmField.toLowerCase());
    const lead = catalog.fields.get(row.leadField);
    if (!crm) problems.push({ path: `${path}.crmField`, message: `${object} has no field "${row.crmField}" (give its API name, e.g. NumberOfEmployees, or its label)` });
    if (!lead) problems.push({ path: `${path}.leadField`, message: `"${row.leadField}" is not a lead field of this workspace (declare it as a custom field first)` });
    else if (lead.system === true || lead.type === 'location' || lead.key === 'id') problems.push({ path: `${path}.leadField`, message: `"${row.leadField}" is set by the router, not from the CRM` });
    if (lead && seen.has(lead.key)) problems.push({ path: `${path}.leadField`, message: `"${row.leadField}" is already filled by row ${seen.get(lead.key)}` });
    if (crm && lead) {
      const why = typeMismatch(crm.type, lead.type);
      if (why) problems.push({ path: `${path}.crmField`, message: `${object}.${crm.name} ${why} ("${lead.label}", ${lead.key})` });
      seen.set(lead.key, i);
      out.push({ crmField: crm.name, leadField: lead.key });
    }
  });
  return problems.length > 0 ? { problems } : { mapping: out };
}

/** The mapping an object is read with: the connection's own, else the default. */
export function mappingFor(object: SalesforceLeadObject, configured: Partial<Record<string, CrmFieldMap[]>>): CrmFieldMap[] {
  return configured[object] ?? DEFAULT_MAPPINGS[object];
}

/**
 * A CRM record as a lead: the mapped fields (numbers as numbers, the rest as text), the CRM id as the lead's
 * `id`. A value the catalog refuses (a picklist option the workspace does not have, say) is left out rather
 * than losing the whole record; the fields left out are returned to be logged (names only).
 */
export function recordToLead(record: Record<string, unknown>, mapping: readonly CrmFieldMap[], catalog: FieldCatalog): { lead: Lead; dropped: string[] } {
  const raw: Record<string, unknown> = { id: String(record.Id) };
  for (const { crmField, leadField } of mapping) {
    const v = record[crmField];
    if (v === null || v === undefined || v === '') continue;
    const def = catalog.fields.get(leadField);
    if (!def) continue;
    if (def.type === 'number') raw[leadField] = typeof v === 'number' ? v : Number(v);
    else if (def.type === 'boolean') raw[leadField] = v === true || v === 'true';
    else if (def.type === 'date') raw[leadField] = String(v).replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
    else raw[leadField] = typeof v === 'string' ? v : String(v);
  }
  const first = normalizeLead(raw, catalog);
  if (first.ok) return { lead: first.lead, dropped: [] };
  const dropped = [...new Set(first.problems.map((p) => p.field).filter((f) => f !== '' && f !== 'id'))];
  for (const f of dropped) delete raw[f];
  const second = normalizeLead(raw, catalog);
  return second.ok ? { lead: second.lead, dropped } : { lead: { id: String(record.Id) }, dropped: Object.keys(raw).filter((k) => k !== 'id') };
}
