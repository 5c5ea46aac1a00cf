import type { FieldCatalog } from '@lead-router/shared';
import type { CrmFieldMap } from '@lead-router/db/crm-schema';
import type { Principal } from '../auth/principal';
import { DomainError } from '../errors/domain-error';
import { catalogOf, connectionFor, ensureSession, findRow, isSignedIn, NOT_SIGNED_IN_MESSAGE, resealIfRotated, type ConnectionRow, type CrmDeps } from './connections.service';
import { checkMapping, mappingFor, recordToLead, STANDARD_SALESFORCE_FIELDS, type CrmFieldInfo, type SalesforceLeadObject } from './field-mapping';
import { hubspotMappingOf, STANDARD_HUBSPOT_CONTACT_FIELDS } from './hubspot-connections';
import { hubspotReader, previewContacts, readContactFields } from './hubspot-preview';
import { describeSalesforceError } from './salesforce-client';
import { requireSecretBox } from './secret-box';

// What the field-mapping editor needs of the CRM: the fields an object has (label and API name, from
// describe when signed in, else the standard ones) with the lead fields they may fill, and a preview of a
// mapping on a few real records (describe, then one SOQL query with LIMIT 5). A HubSpot connection reads
// its contact properties and its 5 latest contacts instead (hubspot-preview.ts). Reads only: nothing is stored.

/** A lead field a CRM field may fill. */
export interface MappableLeadField {
  key: string;
  label: string;
  type: string;
}

/** The fields of one object, and where their list came from. */
export interface ObjectFields {
  object: SalesforceLeadObject;
  source: 'describe' | 'standard';
  crmFields: CrmFieldInfo[];
  leadFields: MappableLeadField[];
  /** Why describe could not be called (the standard fields are shown instead), or null. */
  error: { code: string; message: string } | null;
}

/** A mapping's preview on real records. */
export interface MappingPreview {
  object: SalesforceLeadObject;
  mapping: CrmFieldMap[];
  records: Array<{ crmId: string; values: Record<string, unknown>; lead: Record<string, unknown>; dropped: string[] }>;
  error: { code: string; message: string } | null;
}

const PREVIEW_RECORDS = 5;

function writable(catalog: FieldCatalog): MappableLeadField[] {
  return [...catalog.fields.values()].filter((f) => f.system !== true && f.type !== 'location' && f.key !== 'id').map((f) => ({ key: f.key, label: f.label, type: f.type }));
}

/** The connection's row; a HubSpot connection reads contacts only (its object is `Contact`). */
async function previewRow(deps: CrmDeps, p: Principal, id: string, object: SalesforceLeadObject | ((row: ConnectionRow) => SalesforceLeadObject)): Promise<{ row: ConnectionRow; object: SalesforceLeadObject }> {
  const row = await findRow(deps.db, p.workspaceId, id);
  if (typeof object === 'function') object = object(row);
  if (row.provider === 'hubspot' && object !== 'Contact') throw new DomainError('invalid_request', 'HubSpot leads are read from contacts: ask for the Contact object.', [{ path: 'object', message: `is ${object}; a HubSpot connection has Contact only` }]);
  return { row, object };
}

/** A jsforce connection with a session, or the reason there is none (never throws for the CRM's answer). */
async function signedIn(deps: CrmDeps, row: ConnectionRow) {
  const box = requireSecretBox(deps.config);
  try {
    const ready = await ensureSession(deps, box, await resealIfRotated(deps.db, box, row));
    if (!isSignedIn(ready)) return { error: { code: 'not_signed_in', message: NOT_SIGNED_IN_MESSAGE } };
    return { conn: connectionFor(deps, box, ready) };
  } catch (e) {
    const d = describeSalesforceError(e);
    return { error: { code: d.code, message: d.message } };
  }
}

async function describe(conn: ReturnType<typeof connectionFor>, object: SalesforceLeadObject): Promise<CrmFieldInfo[]> {
  const d = await conn.sobject(object).describe();
  return d.fields.map((f) => ({ name: f.name, label: f.label, type: String(f.type) }));
}

/** The CRM fields of an object (describe, else the standard ones) and the workspace's writable lead fields. */
export async function objectFields(deps: CrmDeps, p: Principal, id: string, asked: SalesforceLeadObject | undefined): Promise<ObjectFields> {
  const { row, object } = await previewRow(deps, p, id, (r) => asked ?? (r.provider === 'hubspot' ? 'Contact' : 'Lead'));
  const leadFields = writable(await catalogOf(deps.db, p.workspaceId));
  if (row.provider === 'hubspot') {
    const r = await hubspotReader(deps, row);
    const read = 'api' in r ? await readContactFields(r.api) : r;
    if ('fields' in read) return { object, source: 'describe', crmFields: read.fields, leadFields, error: null };
    return { object, source: 'standard', crmFields: STANDARD_HUBSPOT_CONTACT_FIELDS, leadFields, error: read.error };
  }
  const s = await signedIn(deps, row);
  let error = 'error' in s ? s.error! : null;
  if ('conn' in s && s.conn) {
    try {
      return { object, source: 'describe', crmFields: await describe(s.conn, object), leadFields, error: null };
    } catch (e) {
      const d = describeSalesforceError(e);
      error = { code: d.code, message: d.message };
    }
  }
  return { object, source: 'standard', crmFields: STANDARD_SALESFORCE_FIELDS[object], leadFields, error };
}

/**
 * Previews a mapping (the connection's own when none is given) on the object's latest records: checked
 * against describe first (422 naming each field that does not fit, as saving it would be), then one SOQL
 * query, LIMIT 5, each record shown with its CRM values and the lead they make.
 */
export async function previewMapping(deps: CrmDeps, p: Principal, id: string, input: { object: SalesforceLeadObject; mapping?: CrmFieldMap[] | undefined }): Promise<MappingPreview> {
  const { row } = await previewRow(deps, p, id, input.object);
  const catalog = await catalogOf(deps.db, p.workspaceId);
  if (row.provider === 'hubspot') return previewHubSpot(deps, row, catalog, input.mapping);
  const wanted = input.mapping ?? mappingFor(input.object, row.fieldMapping);
  const s = await signedIn(deps, row);
  const conn = 'conn' in s ? s.conn : undefined;
  let fields: CrmFieldInfo[] = STANDARD_SALESFORCE_FIELDS[input.object];
  let error = 'error' in s ? s.error! : null;
  if (conn) {
    try {
      fields = await describe(conn, input.object);
    } catch (e) {
      const d = describeSalesforceError(e);
      error = { code: d.code, message: d.message };
    }
  }
  const mapping = checkedMapping(input.object, wanted, fields, catalog);
  if (!conn || error) return { object: input.object, mapping, records: [], error };
  // Only field names describe (or the standard list) knows reach the query: checkMapping rewrote each to one.
  const cols = [...new Set(['Id', ...mapping.map((m) => m.crmField)])];
  try {
    const res = await conn.query<Record<string, unknown> & { Id: string }>(`SELECT ${cols.join(', ')} FROM ${input.object} ORDER BY CreatedDate DESC, Id DESC LIMIT ${PREVIEW_RECORDS}`);
    const records = res.records.map((r) => {
      const values: Record<string, unknown> = {};
      for (const c of cols) values[c] = r[c] ?? null;
      const { lead, dropped } = recordToLead(r, mapping, catalog);
      return { crmId: String(r.Id), values, lead: lead as Record<string, unknown>, dropped };
    });
    return { object: input.object, mapping, records, error: null };
  } catch (e) {
    const d = describeSalesforceError(e);
    return { object: input.object, mapping, records: [], error: { code: d.code, message: d.message } };
  }
}

/** The mapping with API names, or 422 naming each row that does not fit (as saving it would be). */
function checkedMapping(object: SalesforceLeadObject, wanted: readonly CrmFieldMap[], fields: readonly CrmFieldInfo[], catalog: FieldCatalog): CrmFieldMap[] {
  const checked = checkMapping(object, wanted, fields, catalog);
  if ('problems' in checked) {
    const ps = checked.problems;
    throw new DomainError('invalid_reference', `The field mapping does not fit: ${ps.slice(0, 3).map((x) => x.message).join('; ')}${ps.length > 3 ? ` (and ${ps.length - 3} more)` : ''}`, ps);
  }
  return checked.mapping;
}

/** A HubSpot connection's preview: checked against the contact properties (else the standard ones), then the 5 latest contacts. */
async function previewHubSpot(deps: CrmDeps, row: ConnectionRow, catalog: FieldCatalog, given: CrmFieldMap[] | undefined): Promise<MappingPreview> {
  const wanted = given ?? hubspotMappingOf(row.fieldMapping);
  const r = await hubspotReader(deps, row);
  const read = 'api' in r ? await readContactFields(r.api) : r;
  const mapping = checkedMapping('Contact', wanted, 'fields' in read ? read.fields : STANDARD_HUBSPOT_CONTACT_FIELDS, catalog);
  if (!('api' in r) || 'error' in read) return { object: 'Contact', mapping, records: [], error: 'error' in read ? read.error : null };
  return { object: 'Contact', mapping, ...(await previewContacts(r.api, mapping, catalog, PREVIEW_RECORDS)) };
}
