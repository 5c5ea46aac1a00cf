import { crmConnections, type CrmFieldMap } from '@lead-router/db/crm-schema';
import { eq } from 'drizzle-orm';
import type { TestResult } from './connection-inputs';
import { openSecret, sealFor, type ConnectionRow } from './connection-secrets';
import type { CrmDeps } from './connections.service';
import type { CrmFieldInfo } from './field-mapping';
import { Client } from '@hubspot/api-client';
import { bucketFor, describeHubSpotError, HUBSPOT_API_BASE, HubSpotApi, refreshHubSpotToken, type HubSpotRetryPolicy } from './hubspot-client';
import type { SecretBox } from './secret-box';

// HubSpot connections: what a row holds (loginUrl is the API base; a private app's token, or an OAuth
// app's client id, secret and refresh token; the client secret also verifies webhooks; orgId is the
// account's portal id), the client built from it, the contact fields and their types, "test connection".
// HubSpot's contacts are the one object read as leads; the API and the row name it `Contact`, the CRM
// object type is `contacts` (crm_records.object, OwnerWrite.object).

/** The CRM object type leads are read from. */
export const HUBSPOT_LEAD_OBJECT = 'contacts';

const m = (crmField: string, leadField: string): CrmFieldMap => ({ crmField, leadField });

/**
 * The default mapping of HubSpot contacts. Contacts' `numemployees` (a dropdown of ranges) and
 * `annualrevenue` (single-line text) are not numbers in HubSpot, so they fill no number field by default.
 */
export const DEFAULT_HUBSPOT_CONTACT_MAPPING: CrmFieldMap[] = [
  m('firstname', 'firstName'),
  m('lastname', 'lastName'),
  m('email', 'email'),
  m('phone', 'phone'),
  m('jobtitle', 'title'),
  m('company', 'company'),
  m('website', 'website'),
  m('city', 'city'),
  m('state', 'state'),
  m('zip', 'postalCode'),
  m('country', 'country'),
  m('industry', 'industry'),
  m('createdate', 'createdAt'),
];

/** A HubSpot property type as the mapping check names it (HubSpot's own `type`; phone fields `phone_number`). */
export function hubspotFieldType(p: { type: string; fieldType?: string }): string {
  if (p.type === 'string' && p.fieldType === 'phonenumber') return 'phone_number';
  return p.type;
}

const f = (name: string, label: string, type: string): CrmFieldInfo => ({ name, label, type });

/** The standard contact properties' types (HubSpot's defaults), used when the properties API cannot be called. */
export const STANDARD_HUBSPOT_CONTACT_FIELDS: CrmFieldInfo[] = [
  f('hs_object_id', 'Record ID', 'number'),
  f('createdate', 'Create Date', 'datetime'),
  f('lastmodifieddate', 'Last Modified Date', 'datetime'),
  f('hubspot_owner_id', 'Contact owner', 'enumeration'),
  f('email', 'Email', 'string'),
  f('firstname', 'First Name', 'string'),
  f('lastname', 'Last Name', 'string'),
  f('phone', 'Phone Number', 'phone_number'),
  f('mobilephone', 'Mobile Phone Number', 'phone_number'),
  f('company', 'Company Name', 'string'),
  f('website', 'Website URL', 'string'),
  f('jobtitle', 'Job Title', 'string'),
  f('city', 'City', 'string'),
  f('state', 'State/Region', 'string'),
  f('zip', 'Postal Code', 'string'),
  f('country', 'Country/Region', 'string'),
  f('industry', 'Industry', 'string'),
  f('numemployees', 'Number of Employees', 'enumeration'),
  f('annualrevenue', 'Annual Revenue', 'string'),
  f('hs_analytics_source', 'Original Traffic Source', 'enumeration'),
  f('lifecyclestage', 'Lifecycle Stage', 'enumeration'),
  f('hs_lead_status', 'Lead Status', 'enumeration'),
];

/** The mapping a HubSpot connection reads contacts with. */
export function hubspotMappingOf(configured: Partial<Record<string, CrmFieldMap[]>>): CrmFieldMap[] {
  return configured.Contact ?? DEFAULT_HUBSPOT_CONTACT_MAPPING;
}

/** The contact properties to ask for: the mapped ones and what the poller and links need. */
export function contactProperties(mapping: readonly CrmFieldMap[]): string[] {
  return [...new Set(['hs_object_id', 'createdate', 'lastmodifieddate', ...mapping.map((x) => x.crmField)])];
}

/** Whether a HubSpot row can call the API (a private app token, or an OAuth refresh token). */
export function hubspotSignedIn(row: ConnectionRow): boolean {
  return row.authKind === 'hubspot_private_app' ? row.accessTokenEnc !== null : row.refreshTokenEnc !== null;
}

export const HUBSPOT_NOT_SIGNED_IN = 'The connection has no HubSpot credentials yet: give the private app token, or the OAuth app’s refresh token.';

/**
 * The HubSpot client of a row. An OAuth connection refreshes its access token when HubSpot says it expired
 * (or when it has none yet) and stores the new one sealed; a private app token is used as it is.
 */
export function hubspotApiFor(deps: CrmDeps, box: SecretBox, row: ConnectionRow, retry?: HubSpotRetryPolicy): HubSpotApi {
  const oauth = row.authKind === 'hubspot_oauth';
  const refresh = oauth
    ? async () => {
        const refreshToken = openSecret(box, row, 'refreshTokenEnc');
        const clientSecret = openSecret(box, row, 'clientSecretEnc');
        if (!refreshToken || !clientSecret || !row.clientId) throw Object.assign(new Error(HUBSPOT_NOT_SIGNED_IN), { code: 'not_signed_in' });
        const r = await refreshHubSpotToken(row.loginUrl, { clientId: row.clientId, clientSecret, refreshToken });
        const now = deps.now();
        await deps.db
          .update(crmConnections)
          .set({
            accessTokenEnc: sealFor(box, row.id, 'accessTokenEnc', r.accessToken),
            ...(r.refreshToken !== refreshToken ? { refreshTokenEnc: sealFor(box, row.id, 'refreshTokenEnc', r.refreshToken) } : {}),
            updatedAt: now,
          })
          .where(eq(crmConnections.id, row.id));
        deps.log.info('hubspot access token refreshed', { connectionId: row.id, expiresInSeconds: r.expiresIn });
        return r.accessToken;
      }
    : undefined;
  return new HubSpotApi({ basePath: row.loginUrl, accessToken: openSecret(box, row, 'accessTokenEnc') ?? null, bucket: bucketFor(row.id), ...(retry ? { retry } : {}), ...(refresh ? { refresh } : {}) });
}

/** A library call that answers a fetch Response (apiRequest), made to throw like the generated APIs do. */
export async function checked<T>(res: { ok: boolean; status: number; json(): Promise<unknown>; headers: { forEach(cb: (v: string, k: string) => void): void } }): Promise<T> {
  if (res.ok) return (await res.json()) as T;
  const headers: Record<string, string> = {};
  res.headers.forEach((v, k) => (headers[k] = v));
  const body = await res.json().catch(() => null);
  throw Object.assign(new Error(`HubSpot answered ${res.status}`), { code: res.status, body, headers });
}

/** The contact properties with their types (GET /crm/v3/properties/contacts). */
export async function hubspotContactFields(api: HubSpotApi): Promise<CrmFieldInfo[]> {
  const r = await api.call((c) => c.crm.properties.coreApi.getAll(HUBSPOT_LEAD_OBJECT));
  return r.results.map((p) => ({ name: p.name, label: p.label, type: hubspotFieldType(p) }));
}

/** "Test connection" for HubSpot: the account's details (portal id) and one page of owners (the owners scope). */
export async function testHubSpotConnection(deps: CrmDeps, box: SecretBox, row: ConnectionRow): Promise<TestResult> {
  if (!hubspotSignedIn(row)) return { ok: false, orgId: null, instanceUrl: row.loginUrl, apiUsage: null, error: { code: 'not_signed_in', message: HUBSPOT_NOT_SIGNED_IN } };
  const now = () => deps.now();
  try {
    const api = hubspotApiFor(deps, box, row);
    const details = await api.call(async (c) => checked<{ portalId: number }>(await c.apiRequest({ method: 'GET', path: '/account-info/v3/details' })));
    await api.call((c) => c.crm.owners.ownersApi.getPage(undefined, undefined, 1));
    const orgId = String(details.portalId);
    await deps.db.update(crmConnections).set({ orgId, status: 'connected', lastError: null, lastErrorAt: null, updatedAt: now() }).where(eq(crmConnections.id, row.id));
    return { ok: true, orgId, instanceUrl: row.loginUrl, apiUsage: null, error: null };
  } catch (e) {
    const d = describeHubSpotError(e);
    await deps.db.update(crmConnections).set({ status: 'error', lastError: d.message, lastErrorAt: now(), updatedAt: now() }).where(eq(crmConnections.id, row.id));
    deps.log.warn('crm connection test failed', { connectionId: row.id, code: d.code });
    return { ok: false, orgId: row.orgId, instanceUrl: row.loginUrl, apiUsage: null, error: { code: d.code, message: d.message } };
  }
}

// ---- The OAuth install flow (public apps): authorize in the browser, the code exchanged through the library. ----

/** The scopes the product asks for (docs/crm.md lists what each is for). */
export const HUBSPOT_SCOPES = ['oauth', 'crm.objects.contacts.read', 'crm.objects.contacts.write', 'crm.objects.companies.read', 'crm.objects.owners.read', 'crm.schemas.contacts.read'];

/** Where the browser goes to install the app: HubSpot's authorize page (app.hubspot.com), or the test server's. */
export function hubspotAuthorizeUrl(row: ConnectionRow, redirectUri: string, state: string): string {
  const scope = HUBSPOT_SCOPES.join(' ');
  if (row.loginUrl === HUBSPOT_API_BASE) return new Client().oauth.getAuthorizationUrl(row.clientId ?? '', redirectUri, scope, undefined, state);
  const q = new URLSearchParams({ client_id: row.clientId ?? '', redirect_uri: redirectUri, scope, state });
  return `${row.loginUrl}/oauth/authorize?${q.toString()}`;
}

/** The callback's code for tokens (authorization_code grant, through the library); stores them sealed. */
export async function completeHubSpotInstall(deps: CrmDeps, box: SecretBox, row: ConnectionRow, code: string, redirectUri: string): Promise<void> {
  const clientSecret = openSecret(box, row, 'clientSecretEnc');
  if (!row.clientId || !clientSecret) throw Object.assign(new Error('The connection needs the app’s client id and client secret before it can be installed.'), { code: 'not_configured' });
  const client = new Client({ basePath: row.loginUrl, numberOfApiCallRetries: 0 });
  const r = await client.oauth.tokensApi.create('authorization_code', code, redirectUri, row.clientId, clientSecret);
  const now = deps.now();
  await deps.db
    .update(crmConnections)
    .set({ accessTokenEnc: sealFor(box, row.id, 'accessTokenEnc', r.accessToken), refreshTokenEnc: sealFor(box, row.id, 'refreshTokenEnc', r.refreshToken), status: 'connected', lastError: null, lastErrorAt: null, failures: 0, nextPollAt: now, updatedAt: now })
    .where(eq(crmConnections.id, row.id));
  deps.log.info('crm connection signed in', { connectionId: row.id, workspaceId: row.workspaceId, provider: 'hubspot' });
}
