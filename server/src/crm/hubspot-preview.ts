import type { FieldCatalog } from '@lead-router/shared';
import type { CrmFieldMap } from '@lead-router/db/crm-schema';
import { resealIfRotated, type ConnectionRow, type CrmDeps } from './connections.service';
import type { CrmFieldInfo } from './field-mapping';
import { describeHubSpotError, type HubSpotApi } from './hubspot-client';
import { contactProperties, HUBSPOT_NOT_SIGNED_IN, hubspotApiFor, hubspotContactFields, hubspotSignedIn } from './hubspot-connections';
import { recordToLead } from './field-mapping';
import { requireSecretBox } from './secret-box';

// The field-mapping editor's reads for a HubSpot connection (preview.service picks them by provider): the
// contact properties (GET /crm/v3/properties/contacts: label, internal name, type) and a mapping on the 5
// latest contacts (one search, newest createdate first). Reads only: nothing is stored.

type CrmError = { code: string; message: string };

/** The connection's client, or why there is none (never throws for HubSpot's answer). */
export async function hubspotReader(deps: CrmDeps, row: ConnectionRow): Promise<{ api: HubSpotApi } | { error: CrmError }> {
  try {
    const box = requireSecretBox(deps.config);
    const ready = await resealIfRotated(deps.db, box, row);
    if (!hubspotSignedIn(ready)) return { error: { code: 'not_signed_in', message: HUBSPOT_NOT_SIGNED_IN } };
    return { api: hubspotApiFor(deps, box, ready, { max429Retries: 1, maxWaitMs: 2_000 }) };
  } catch (e) {
    const d = describeHubSpotError(e);
    return { error: { code: d.code, message: d.message } };
  }
}

/** The contact properties, or HubSpot's error (the caller shows the standard ones then). */
export async function readContactFields(api: HubSpotApi): Promise<{ fields: CrmFieldInfo[] } | { error: CrmError }> {
  try {
    return { fields: await hubspotContactFields(api) };
  } catch (e) {
    const d = describeHubSpotError(e);
    return { error: { code: d.code, message: d.message } };
  }
}

/** The API documents a sort as `{ propertyName, direction }`; the library types `sorts` as strings and sends it as given. */
const NEWEST_FIRST = { propertyName: 'createdate', direction: 'DESCENDING' } as unknown as string;

/**
 * A checked mapping on the `limit` latest contacts: each with its mapped properties' values (and
 * hs_object_id) and the lead it makes. Only property names HubSpot (or the standard list) knows reach the
 * search: checkMapping rewrote each row to one.
 */
export async function previewContacts(api: HubSpotApi, mapping: readonly CrmFieldMap[], catalog: FieldCatalog, limit: number) {
  try {
    const page = await api.call((c) => c.crm.contacts.searchApi.doSearch({ filterGroups: [], sorts: [NEWEST_FIRST], properties: contactProperties(mapping), limit }));
    const cols = [...new Set(['hs_object_id', ...mapping.map((m) => m.crmField)])];
    const records = page.results.slice(0, limit).map((x) => {
      const values: Record<string, unknown> = {};
      for (const c of cols) values[c] = x.properties[c] ?? null;
      const { lead, dropped } = recordToLead({ ...x.properties, Id: x.id }, mapping, catalog);
      return { crmId: x.id, values, lead: lead as Record<string, unknown>, dropped };
    });
    return { records, error: null };
  } catch (e) {
    const d = describeHubSpotError(e);
    return { records: [], error: { code: d.code, message: d.message } };
  }
}
