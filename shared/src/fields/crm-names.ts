// The column names Salesforce and HubSpot exports use, and the lead field each fills: the one table that
// CRM imports (crm-columns.ts) and the plain CSV reader (formats/leads-file.ts) both read. No imports, so
// both may import it.

/** Who writes a column name; `both` ones do not tell the vendors apart. */
export type Vendor = 'salesforce' | 'hubspot' | 'both';
/** A field key, or why a column the vendor writes is not imported. */
export type Target = string | { ignore: string };

/** Why an owner column is left out. */
export const OWNER = { ignore: 'owners are set by routing, not imported' };
/** Why a column the vendors write, and no lead field holds, is left out. */
export const NO_FIELD = { ignore: 'no lead field holds it; define a custom field of this name to keep it' };

/**
 * [vendor, header exactly as the vendor writes it, target]. `both` headers (also any name a plain CSV may
 * well use: Company, Country, Website) do not tell the vendors apart. Matched ignoring case, spaces and
 * punctuation (Data Loader writes FIRSTNAME).
 */
export const CRM_COLUMN_NAMES: ReadonlyArray<readonly [Vendor, string, Target]> = [
  // Salesforce report exports (UI labels of the Lead object).
  ['salesforce', 'Lead ID', 'id'],
  ['both', 'First Name', 'firstName'],
  ['both', 'Last Name', 'lastName'],
  ['both', 'Company', 'company'],
  ['salesforce', 'Company / Account', 'company'],
  ['both', 'Email', 'email'],
  ['both', 'Phone', 'phone'],
  ['both', 'Title', 'title'],
  ['salesforce', 'Lead Source', 'leadSource'],
  ['both', 'Lead Status', NO_FIELD],
  ['salesforce', 'No. of Employees', 'employees'],
  ['both', 'Annual Revenue', 'annualRevenue'],
  ['both', 'Industry', 'industry'],
  ['both', 'Street', NO_FIELD],
  ['both', 'City', 'city'],
  ['salesforce', 'State/Province', 'state'],
  ['salesforce', 'Zip/Postal Code', 'postalCode'],
  ['both', 'Country', 'country'],
  ['both', 'Website', 'website'],
  ['salesforce', 'Rating', NO_FIELD],
  ['salesforce', 'Lead Owner', OWNER],
  ['salesforce', 'Created Date', 'createdAt'],
  ['salesforce', 'Salutation', NO_FIELD],
  // Salesforce API names (Data Loader, Workbench, SOQL exports).
  ['both', 'Id', 'id'],
  ['salesforce', 'FirstName', 'firstName'],
  ['salesforce', 'LastName', 'lastName'],
  ['salesforce', 'LeadSource', 'leadSource'],
  ['both', 'Status', NO_FIELD],
  ['salesforce', 'NumberOfEmployees', 'employees'],
  ['salesforce', 'AnnualRevenue', 'annualRevenue'],
  ['salesforce', 'PostalCode', 'postalCode'],
  ['salesforce', 'OwnerId', OWNER],
  ['salesforce', 'CreatedDate', 'createdAt'],
  ['salesforce', 'IsConverted', NO_FIELD],
  // HubSpot contacts exports (property labels).
  ['hubspot', 'Record ID', 'id'],
  ['hubspot', 'Phone Number', 'phone'],
  ['hubspot', 'Company Name', 'company'],
  ['hubspot', 'Job Title', 'title'],
  ['hubspot', 'Number of Employees', 'employees'],
  ['hubspot', 'State/Region', 'state'],
  ['hubspot', 'Country/Region', 'country'],
  ['hubspot', 'Postal Code', 'postalCode'],
  ['hubspot', 'Website URL', 'website'],
  ['hubspot', 'Lifecycle Stage', NO_FIELD],
  ['hubspot', 'Contact owner', OWNER],
  ['hubspot', 'Create Date', 'createdAt'],
  ['hubspot', 'Street Address', NO_FIELD],
  ['hubspot', 'Original Source', 'leadSource'],
  // HubSpot internal property names.
  ['hubspot', 'hs_object_id', 'id'],
  ['hubspot', 'firstname', 'firstName'],
  ['hubspot', 'lastname', 'lastName'],
  ['hubspot', 'jobtitle', 'title'],
  ['hubspot', 'numemployees', 'employees'],
  ['hubspot', 'annualrevenue', 'annualRevenue'],
  ['hubspot', 'zip', 'postalCode'],
  ['hubspot', 'hs_lead_status', NO_FIELD],
  ['hubspot', 'lifecyclestage', NO_FIELD],
  ['hubspot', 'hubspot_owner_id', OWNER],
  ['hubspot', 'createdate', 'createdAt'],
  ['hubspot', 'hs_analytics_source', 'leadSource'],
  ['hubspot', 'address', NO_FIELD],
];

/** Squashed (lower case, letters and digits only) CRM column name -> the standard field it fills. */
export const CRM_FIELD_NAMES: ReadonlyMap<string, string> = new Map(
  CRM_COLUMN_NAMES.flatMap(([, header, target]) => (typeof target === 'string' ? [[header.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ''), target] as const] : [])),
);
