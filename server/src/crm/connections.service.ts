import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { buildCatalog, type CustomField } from '@lead-router/shared';
import { crmConnections, type CrmFieldMap } from '@lead-router/db/crm-schema';
import { customFields, workflows } from '@lead-router/db/schema';
import type { Db } from '@lead-router/db/client';
import { and, asc, eq, gt } from 'drizzle-orm';
import type { Principal } from '../auth/principal';
import { DomainError, notFound, type ErrorDetail } from '../errors/domain-error';
import type { Logger } from '../http/context';
import type { ConnectionView, CreateConnectionInput, TestResult, UpdateConnectionInput } from './connection-inputs';
import { checkMapping, mappingFor, SALESFORCE_LEAD_OBJECTS, STANDARD_SALESFORCE_FIELDS, type CrmFieldInfo, type SalesforceLeadObject } from './field-mapping';
import { apiUsageOf, describeSalesforceError, jwtBearerToken, oauth2Of, salesforceConnection, type SalesforceCredentials } from './salesforce-client';
import { requireSecretBox, type SecretBox, type SecretKeyConfig } from './secret-box';
import { openSecret, sealFor, secretContext, type ConnectionRow, type SecretColumn } from './connection-secrets';
import { describeHubSpotError, HUBSPOT_API_BASE } from './hubspot-client';
import { completeHubSpotInstall, hubspotApiFor, hubspotAuthorizeUrl, hubspotContactFields, hubspotMappingOf, hubspotSignedIn, STANDARD_HUBSPOT_CONTACT_FIELDS, testHubSpotConnection } from './hubspot-connections';

// CRM connections: settings, encrypted credentials, the OAuth web-server flow, "test connection". Secrets
// are sealed with the row's id and column as context (secret-box.ts) and opened only to call the CRM.

/** What the connection services need of the app. */
export interface CrmDeps {
  db: Db;
  config: SecretKeyConfig & { PUBLIC_URL?: string | undefined; HOST: string; PORT: number };
  log: Logger;
  now: () => Date;
}

/** How long an OAuth `state` stays valid: 10 minutes. */
export const OAUTH_STATE_TTL_MS = 10 * 60_000;

const context = secretContext;
const open = openSecret;
export { openSecret, sealFor, type ConnectionRow };

/** The callback URL to register in the connected app. */
export function oauthCallbackUrl(config: CrmDeps['config']): string {
  const base = (config.PUBLIC_URL ?? `http://${config.HOST}:${config.PORT}`).replace(/\/$/, '');
  return `${base}/api/crm/oauth/callback`;
}

/** A row's credentials, decrypted, for jsforce. */
export function credentialsOf(box: SecretBox, row: ConnectionRow, config: CrmDeps['config']): SalesforceCredentials {
  return {
    loginUrl: row.loginUrl,
    authKind: row.authKind === 'jwt_bearer' ? 'jwt_bearer' : 'oauth_web_server',
    clientId: row.clientId ?? '',
    clientSecret: open(box, row, 'clientSecretEnc'),
    username: row.username ?? undefined,
    privateKey: open(box, row, 'privateKeyEnc'),
    redirectUri: oauthCallbackUrl(config),
    instanceUrl: row.instanceUrl ?? undefined,
    accessToken: open(box, row, 'accessTokenEnc'),
    refreshToken: open(box, row, 'refreshTokenEnc'),
  };
}

/** Stores a session jsforce refreshed: the new access token (sealed) and instance URL. */
export async function saveRefreshedSession(db: Db, box: SecretBox, id: string, s: { accessToken: string; instanceUrl: string }, now: Date): Promise<void> {
  await db
    .update(crmConnections)
    .set({ accessTokenEnc: sealFor(box, id, 'accessTokenEnc', s.accessToken), instanceUrl: s.instanceUrl, updatedAt: now })
    .where(eq(crmConnections.id, id));
}

const SECRET_COLUMNS: readonly SecretColumn[] = ['clientSecretEnc', 'privateKeyEnc', 'accessTokenEnc', 'refreshTokenEnc'];

/**
 * After a key rotation (SECRET_KEY new, the old one in SECRET_KEY_PREVIOUS): re-seals a row's secrets with
 * the current key when any was sealed with an old one, so the old key can be retired. Returns the row as stored.
 */
export async function resealIfRotated(db: Db, box: SecretBox, row: ConnectionRow): Promise<ConnectionRow> {
  const stale = SECRET_COLUMNS.filter((c) => row[c] !== null && box.needsRotation(row[c]!));
  if (stale.length === 0) return row;
  const set: Partial<Record<SecretColumn, string>> = {};
  for (const c of stale) set[c] = sealFor(box, row.id, c, open(box, row, c)!);
  const [updated] = await db.update(crmConnections).set(set).where(eq(crmConnections.id, row.id)).returning();
  return updated ?? row;
}

/** A jsforce connection for a row; a refreshed session is stored as it happens. */
export function connectionFor(deps: CrmDeps, box: SecretBox, row: ConnectionRow) {
  return salesforceConnection(credentialsOf(box, row, deps.config), (s) => saveRefreshedSession(deps.db, box, row.id, s, deps.now()));
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function view(row: ConnectionRow): ConnectionView {
  const mapping: Record<string, CrmFieldMap[]> = {};
  for (const o of row.objects) mapping[o] = row.provider === 'hubspot' ? hubspotMappingOf(row.fieldMapping) : mappingFor(o, row.fieldMapping);
  return {
    id: row.id,
    provider: row.provider,
    name: row.name,
    loginUrl: row.loginUrl,
    authKind: row.authKind,
    clientId: row.clientId,
    username: row.username,
    hasClientSecret: row.clientSecretEnc !== null,
    hasPrivateKey: row.privateKeyEnc !== null,
    signedIn: row.accessTokenEnc !== null || row.refreshTokenEnc !== null,
    instanceUrl: row.instanceUrl,
    orgId: row.orgId,
    workflowId: row.workflowId,
    objects: row.objects,
    fieldMapping: mapping,
    pollIntervalSeconds: row.pollIntervalSeconds,
    syncIntervalSeconds: row.syncIntervalSeconds,
    lastSyncedAt: iso(row.lastSyncedAt),
    lastSyncError: row.lastSyncError,
    apiUsageCeilingPercent: row.apiUsageCeilingPercent,
    enabled: row.enabled,
    onUpdate: row.onUpdate,
    status: row.status,
    lastError: row.lastError,
    lastErrorAt: iso(row.lastErrorAt),
    apiUsage: row.apiUsed !== null && row.apiLimit !== null ? { used: row.apiUsed, limit: row.apiLimit } : null,
    lastPolledAt: iso(row.lastPolledAt),
    nextPollAt: row.nextPollAt.toISOString(),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export async function findRow(db: Db, workspaceId: string, id: string): Promise<ConnectionRow> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) throw notFound(`CRM connection ${id}`);
  const [row] = await db
    .select()
    .from(crmConnections)
    .where(and(eq(crmConnections.id, id), eq(crmConnections.workspaceId, workspaceId)))
    .limit(1);
  if (!row) throw notFound(`CRM connection ${id}`);
  return row;
}

async function checkWorkflow(db: Db, workspaceId: string, workflowId: string | null | undefined): Promise<void> {
  if (!workflowId) return;
  const [wf] = await db
    .select({ id: workflows.id })
    .from(workflows)
    .where(and(eq(workflows.id, workflowId), eq(workflows.workspaceId, workspaceId)))
    .limit(1);
  if (!wf) throw new DomainError('unknown_reference', `Workflow ${workflowId} is not in this workspace.`, [{ path: 'workflowId', message: 'is not a workflow of this workspace' }]);
}

export async function catalogOf(db: Db, workspaceId: string) {
  const rows = await db.select().from(customFields).where(eq(customFields.workspaceId, workspaceId));
  return buildCatalog(rows.map((f) => ({ key: f.key, label: f.label, type: f.type, ...(f.options ? { options: f.options } : {}) }) as CustomField));
}

/**
 * Checks a mapping against the CRM's fields: describe's answer when the connection is signed in (custom
 * fields too), else the standard fields' types. 422 naming every field that does not fit.
 */
async function checkFieldMapping(deps: CrmDeps, workspaceId: string, provider: ConnectionRow['provider'], row: ConnectionRow | null, mapping: Partial<Record<string, CrmFieldMap[]>>): Promise<Partial<Record<string, CrmFieldMap[]>>> {
  const catalog = await catalogOf(deps.db, workspaceId);
  const problems: ErrorDetail[] = [];
  const out: Partial<Record<string, CrmFieldMap[]>> = {};
  // HubSpot: contacts only (named Contact), checked against GET /crm/v3/properties/contacts when signed in.
  if (provider === 'hubspot') {
    if (mapping.Lead) problems.push({ path: 'fieldMapping.Lead', message: 'HubSpot leads are read from contacts: map them under Contact' });
    if (mapping.Contact) {
      const fields = (row && (await hubspotFields(deps, row))) ?? STANDARD_HUBSPOT_CONTACT_FIELDS;
      const r = checkMapping('Contact', mapping.Contact, fields, catalog);
      if ('problems' in r) problems.push(...r.problems);
      else out.Contact = r.mapping;
    }
  }
  for (const object of provider === 'hubspot' ? [] : SALESFORCE_LEAD_OBJECTS) {
    const rows = mapping[object];
    if (!rows) continue;
    const fields = (row && (await describeFields(deps, row, object))) ?? STANDARD_SALESFORCE_FIELDS[object];
    const r = checkMapping(object, rows, fields, catalog);
    if ('problems' in r) problems.push(...r.problems);
    else out[object] = r.mapping;
  }
  if (problems.length > 0) {
    throw new DomainError('invalid_reference', `The field mapping does not fit: ${problems.slice(0, 3).map((p) => p.message).join('; ')}${problems.length > 3 ? ` (and ${problems.length - 3} more)` : ''}`, problems);
  }
  return out;
}

/** HubSpot's contact properties with their types, or null when the connection cannot call them now. */
async function hubspotFields(deps: CrmDeps, row: ConnectionRow): Promise<CrmFieldInfo[] | null> {
  if (!hubspotSignedIn(row)) return null;
  try {
    return await hubspotContactFields(hubspotApiFor(deps, requireSecretBox(deps.config), row, { max429Retries: 1, maxWaitMs: 2_000 }));
  } catch {
    return null;
  }
}

/** An object's fields from Salesforce's describe, or null when the connection cannot call it now. */
async function describeFields(deps: CrmDeps, row: ConnectionRow, object: SalesforceLeadObject): Promise<CrmFieldInfo[] | null> {
  if (!row.accessTokenEnc && !row.refreshTokenEnc && row.authKind !== 'jwt_bearer') return null;
  try {
    const box = requireSecretBox(deps.config);
    const conn = connectionFor(deps, box, row);
    const d = await conn.sobject(object).describe();
    return d.fields.map((f) => ({ name: f.name, label: f.label, type: String(f.type) }));
  } catch {
    return null;
  }
}

/** Every connection of the workspace. */
export async function listConnections(db: Db, p: Principal): Promise<ConnectionView[]> {
  const rows = await db.select().from(crmConnections).where(eq(crmConnections.workspaceId, p.workspaceId)).orderBy(asc(crmConnections.createdAt), asc(crmConnections.id));
  return rows.map(view);
}

/** One connection. */
export async function getConnection(db: Db, p: Principal, id: string): Promise<ConnectionView> {
  return view(await findRow(db, p.workspaceId, id));
}

/** Creates a connection; its secrets are sealed before they reach the database (SECRET_KEY required). */
export async function createConnection(deps: CrmDeps, p: Principal, input: CreateConnectionInput): Promise<ConnectionView> {
  const box = requireSecretBox(deps.config);
  await checkWorkflow(deps.db, p.workspaceId, input.workflowId);
  const fieldMapping = input.fieldMapping ? await checkFieldMapping(deps, p.workspaceId, input.provider, null, input.fieldMapping) : {};
  const id = randomUUID();
  const now = deps.now();
  const [row] = await deps.db
    .insert(crmConnections)
    .values({
      id,
      workspaceId: p.workspaceId,
      provider: input.provider,
      name: input.name,
      loginUrl: (input.loginUrl ?? HUBSPOT_API_BASE).replace(/\/$/, ''),
      authKind: input.authKind,
      clientId: input.clientId ?? null,
      username: input.username ?? null,
      clientSecretEnc: input.clientSecret ? sealFor(box, id, 'clientSecretEnc', input.clientSecret) : null,
      privateKeyEnc: input.privateKey ? sealFor(box, id, 'privateKeyEnc', input.privateKey) : null,
      // HubSpot: the private app token, or the OAuth installation's refresh token.
      accessTokenEnc: input.accessToken ? sealFor(box, id, 'accessTokenEnc', input.accessToken) : null,
      refreshTokenEnc: input.refreshToken ? sealFor(box, id, 'refreshTokenEnc', input.refreshToken) : null,
      workflowId: input.workflowId ?? null,
      objects: input.objects ?? (input.provider === 'hubspot' ? ['Contact'] : ['Lead']),
      fieldMapping,
      pollIntervalSeconds: input.pollIntervalSeconds ?? 60,
      syncIntervalSeconds: input.syncIntervalSeconds ?? 3600,
      apiUsageCeilingPercent: input.apiUsageCeilingPercent ?? 50,
      enabled: input.enabled ?? true,
      onUpdate: input.onUpdate ?? 'ignore',
      nextPollAt: now,
      createdBy: p.kind === 'user' ? p.id : null,
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  deps.log.info('crm connection created', { connectionId: id, workspaceId: p.workspaceId, provider: input.provider, authKind: input.authKind });
  return view(row!);
}

/** Changes a connection's settings; a secret given replaces the stored one. */
export async function updateConnection(deps: CrmDeps, p: Principal, id: string, input: UpdateConnectionInput): Promise<ConnectionView> {
  const row = await findRow(deps.db, p.workspaceId, id);
  checkProviderSettings(row, input);
  const needsBox = input.clientSecret !== undefined || input.privateKey !== undefined || input.accessToken !== undefined || input.refreshToken !== undefined;
  const box = needsBox ? requireSecretBox(deps.config) : null;
  await checkWorkflow(deps.db, p.workspaceId, input.workflowId);
  const fieldMapping = input.fieldMapping ? { ...row.fieldMapping, ...(await checkFieldMapping(deps, p.workspaceId, row.provider, row, input.fieldMapping)) } : undefined;
  const now = deps.now();
  const loginChanged = input.loginUrl !== undefined && input.loginUrl.replace(/\/$/, '') !== row.loginUrl;
  const [updated] = await deps.db
    .update(crmConnections)
    .set({
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.loginUrl !== undefined ? { loginUrl: input.loginUrl.replace(/\/$/, '') } : {}),
      ...(input.clientId !== undefined ? { clientId: input.clientId } : {}),
      ...(input.username !== undefined ? { username: input.username } : {}),
      ...(box && input.clientSecret !== undefined ? { clientSecretEnc: sealFor(box, id, 'clientSecretEnc', input.clientSecret) } : {}),
      ...(box && input.privateKey !== undefined ? { privateKeyEnc: sealFor(box, id, 'privateKeyEnc', input.privateKey) } : {}),
      // HubSpot: a new private app token, or a new installation's refresh token (its old access token goes).
      ...(box && input.accessToken !== undefined ? { accessTokenEnc: sealFor(box, id, 'accessTokenEnc', input.accessToken), status: 'new' as const } : {}),
      ...(box && input.refreshToken !== undefined ? { refreshTokenEnc: sealFor(box, id, 'refreshTokenEnc', input.refreshToken), accessTokenEnc: null, status: 'new' as const } : {}),
      // Another org: the tokens of the old one are no use.
      ...(loginChanged ? { accessTokenEnc: null, refreshTokenEnc: null, instanceUrl: null, orgId: null, status: 'new' as const } : {}),
      ...(input.workflowId !== undefined ? { workflowId: input.workflowId } : {}),
      ...(input.objects !== undefined ? { objects: input.objects } : {}),
      ...(fieldMapping !== undefined ? { fieldMapping } : {}),
      ...(input.pollIntervalSeconds !== undefined ? { pollIntervalSeconds: input.pollIntervalSeconds } : {}),
      ...(input.syncIntervalSeconds !== undefined ? { syncIntervalSeconds: input.syncIntervalSeconds } : {}),
      ...(input.apiUsageCeilingPercent !== undefined ? { apiUsageCeilingPercent: input.apiUsageCeilingPercent } : {}),
      ...(input.onUpdate !== undefined ? { onUpdate: input.onUpdate } : {}),
      ...(input.enabled !== undefined ? { enabled: input.enabled, ...(input.enabled ? { nextPollAt: now, failures: 0 } : {}) } : {}),
      updatedAt: now,
    })
    .where(eq(crmConnections.id, id))
    .returning();
  return view(updated!);
}

/** Settings that belong to the other CRM are refused, naming the field. */
function checkProviderSettings(row: ConnectionRow, input: UpdateConnectionInput): void {
  const problems: ErrorDetail[] = [];
  if (row.provider === 'hubspot') {
    if (input.objects && (input.objects.length !== 1 || input.objects[0] !== 'Contact')) problems.push({ path: 'objects', message: 'HubSpot leads are read from contacts: give ["Contact"]' });
    for (const k of ['username', 'privateKey'] as const) if (input[k] !== undefined) problems.push({ path: k, message: 'is a Salesforce JWT setting; HubSpot does not use it' });
  } else {
    for (const k of ['accessToken', 'refreshToken'] as const) if (input[k] !== undefined) problems.push({ path: k, message: 'is a HubSpot setting; a Salesforce connection gets its tokens by signing in' });
  }
  if (problems.length > 0) throw new DomainError('invalid_request', `These settings do not apply to a ${row.provider === 'hubspot' ? 'HubSpot' : 'Salesforce'} connection: ${problems.map((x) => x.path).join(', ')}.`, problems);
}

/** Deletes a connection, its marks and its record links (the leads stay). */
export async function deleteConnection(db: Db, p: Principal, id: string): Promise<void> {
  const row = await findRow(db, p.workspaceId, id);
  await db.delete(crmConnections).where(eq(crmConnections.id, row.id));
}

/** Records the outcome of a call on the connection (status, error, API usage). */
async function recordOutcome(db: Db, id: string, now: Date, outcome: { ok: true; usage: { used: number; limit: number } | null } | { ok: false; message: string }): Promise<void> {
  await db
    .update(crmConnections)
    .set(
      outcome.ok
        ? { status: 'connected', lastError: null, lastErrorAt: null, ...(outcome.usage ? { apiUsed: outcome.usage.used, apiLimit: outcome.usage.limit } : {}), updatedAt: now }
        : { status: 'error', lastError: outcome.message, lastErrorAt: now, updatedAt: now },
    )
    .where(eq(crmConnections.id, id));
}

/**
 * Calls the CRM (Salesforce `/limits`, through jsforce; a JWT connection gets its token first): ok with the
 * org, instance and API usage, or the CRM's error in plain words. Never throws for the CRM's answer.
 */
export async function testConnection(deps: CrmDeps, p: Principal, id: string): Promise<TestResult> {
  let row = await findRow(deps.db, p.workspaceId, id);
  const box = requireSecretBox(deps.config);
  if (row.provider === 'hubspot') return testHubSpotConnection(deps, box, await resealIfRotated(deps.db, box, row));
  try {
    row = await ensureSession(deps, box, await resealIfRotated(deps.db, box, row));
    if (!row.accessTokenEnc && !row.refreshTokenEnc) {
      return { ok: false, orgId: null, instanceUrl: null, apiUsage: null, error: { code: 'not_signed_in', message: NOT_SIGNED_IN } };
    }
    const conn = connectionFor(deps, box, row);
    await conn.limits();
    const usage = apiUsageOf(conn);
    await recordOutcome(deps.db, row.id, deps.now(), { ok: true, usage });
    return { ok: true, orgId: row.orgId, instanceUrl: conn.instanceUrl, apiUsage: usage, error: null };
  } catch (e) {
    const d = describeSalesforceError(e);
    await recordOutcome(deps.db, row.id, deps.now(), { ok: false, message: d.message });
    deps.log.warn('crm connection test failed', { connectionId: row.id, code: d.code });
    return { ok: false, orgId: row.orgId, instanceUrl: row.instanceUrl, apiUsage: null, error: { code: d.code, message: d.message } };
  }
}

const NOT_SIGNED_IN = 'Not signed in to Salesforce yet: use "Connect" (the OAuth flow) first.';

/**
 * A row with a session to call the CRM with: a JWT bearer connection without a token gets one (a fresh
 * assertion) and stores it; a web-server connection must have been through the OAuth flow.
 */
export async function ensureSession(deps: CrmDeps, box: SecretBox, row: ConnectionRow): Promise<ConnectionRow> {
  if (row.accessTokenEnc && row.instanceUrl) return row;
  if (row.authKind === 'jwt_bearer') return storeTokens(deps, box, row, await jwtBearerToken(credentialsOf(box, row, deps.config)));
  return row;
}

/** Whether a row can call the CRM (it has tokens). */
export function isSignedIn(row: ConnectionRow): boolean {
  return (row.accessTokenEnc !== null || row.refreshTokenEnc !== null) && row.instanceUrl !== null;
}

/** The message for a connection that has not been through the OAuth flow. */
export const NOT_SIGNED_IN_MESSAGE = NOT_SIGNED_IN;

/** Stores a token response (sealed) with the org and user its identity URL names. */
async function storeTokens(deps: CrmDeps, box: SecretBox, row: ConnectionRow, res: { access_token: string; refresh_token?: string; instance_url: string; id: string }): Promise<ConnectionRow> {
  const [orgId, userId] = res.id.split('/').slice(-2);
  const now = deps.now();
  const [updated] = await deps.db
    .update(crmConnections)
    .set({
      accessTokenEnc: sealFor(box, row.id, 'accessTokenEnc', res.access_token),
      ...(res.refresh_token ? { refreshTokenEnc: sealFor(box, row.id, 'refreshTokenEnc', res.refresh_token) } : {}),
      instanceUrl: res.instance_url,
      orgId: orgId ?? null,
      crmUserId: userId ?? null,
      status: 'connected',
      lastError: null,
      lastErrorAt: null,
      failures: 0,
      nextPollAt: now,
      updatedAt: now,
    })
    .where(eq(crmConnections.id, row.id))
    .returning();
  return updated!;
}

const stateHash = (state: string) => createHash('sha256').update(state).digest('hex');

/**
 * Starts the OAuth web-server flow: a fresh `state` (its hash stored) and a PKCE verifier (sealed), and
 * the authorize URL at the connection's login URL to send the browser to.
 */
export async function startOAuth(deps: CrmDeps, p: Principal, id: string, returnTo: string | undefined): Promise<string> {
  const row = await findRow(deps.db, p.workspaceId, id);
  if (row.authKind === 'hubspot_private_app') throw new DomainError('invalid_request', 'A HubSpot private app connection signs in with its token; use "Test connection".', [{ path: 'authKind', message: 'is not hubspot_oauth' }]);
  if (row.authKind === 'hubspot_oauth') {
    // HubSpot: the app's install page; no PKCE, the state alone (hashed, 10 minutes, once).
    const state = randomBytes(32).toString('base64url');
    await deps.db.update(crmConnections).set({ oauthStateHash: stateHash(state), oauthVerifierEnc: null, oauthStartedAt: deps.now(), oauthReturnTo: safeReturnTo(returnTo) }).where(eq(crmConnections.id, row.id));
    return hubspotAuthorizeUrl(row, oauthCallbackUrl(deps.config), state);
  }
  if (row.authKind !== 'oauth_web_server') throw new DomainError('invalid_request', 'This connection signs in with the JWT bearer flow; use "Test connection" instead.', [{ path: 'authKind', message: 'is not oauth_web_server' }]);
  const box = requireSecretBox(deps.config);
  const state = randomBytes(32).toString('base64url');
  const oauth2 = oauth2Of({ ...credentialsOf(box, row, deps.config) }, true);
  const url = oauth2.getAuthorizationUrl({ state, scope: 'api refresh_token' });
  await deps.db
    .update(crmConnections)
    .set({ oauthStateHash: stateHash(state), oauthVerifierEnc: sealFor(box, row.id, 'oauthVerifierEnc', oauth2.codeVerifier!), oauthStartedAt: deps.now(), oauthReturnTo: safeReturnTo(returnTo) })
    .where(eq(crmConnections.id, row.id));
  return url;
}

/** Only a path of this app may be returned to (no open redirect). */
function safeReturnTo(r: string | undefined): string | null {
  return r && /^\/(?!\/)[\w\-./?=&%]*$/.test(r) ? r : null;
}

/** Where the callback sends the browser afterwards, and what happened. */
export interface OAuthOutcome {
  connectionId: string | null;
  ok: boolean;
  message: string;
  returnTo: string;
}

/**
 * The OAuth callback: finds the flow by its `state` (single use, 10 minutes), exchanges the code (with the
 * PKCE verifier) for tokens through jsforce, stores them sealed. Never throws for the CRM's answer: the
 * outcome says what happened.
 */
export async function completeOAuth(deps: CrmDeps, p: Principal, query: { state?: string | undefined; code?: string | undefined; error?: string | undefined; error_description?: string | undefined }): Promise<OAuthOutcome> {
  const fallback = '/settings/crm';
  if (!query.state) return { connectionId: null, ok: false, message: 'The callback has no state: start the connection from the app again.', returnTo: fallback };
  const cutoff = new Date(deps.now().getTime() - OAUTH_STATE_TTL_MS);
  // Taking the state clears it (row locked meanwhile): a second use of the same callback finds nothing.
  const hash = stateHash(query.state);
  const row = await deps.db.transaction(async (tx) => {
    const [found] = await tx
      .select()
      .from(crmConnections)
      .where(and(eq(crmConnections.oauthStateHash, hash), eq(crmConnections.workspaceId, p.workspaceId), gt(crmConnections.oauthStartedAt, cutoff)))
      .limit(1)
      .for('update');
    if (found) await tx.update(crmConnections).set({ oauthStateHash: null, oauthVerifierEnc: null, oauthStartedAt: null }).where(eq(crmConnections.id, found.id));
    return found;
  });
  if (!row) return { connectionId: null, ok: false, message: 'This sign-in link is unknown, used or expired: start the connection from the app again.', returnTo: fallback };
  const returnTo = row.oauthReturnTo ?? fallback;
  const fail = async (message: string) => {
    await recordOutcome(deps.db, row.id, deps.now(), { ok: false, message });
    return { connectionId: row.id, ok: false, message, returnTo };
  };
  if (row.provider === 'hubspot') {
    if (query.error || !query.code) return fail(`HubSpot did not grant access (${query.error ?? 'no code'}${query.error_description ? `: ${query.error_description}` : ''}).`);
    try {
      await completeHubSpotInstall(deps, requireSecretBox(deps.config), row, query.code, oauthCallbackUrl(deps.config));
      return { connectionId: row.id, ok: true, message: 'Connected to HubSpot.', returnTo };
    } catch (e) {
      return fail(describeHubSpotError(e).message);
    }
  }
  if (query.error) return fail(`Salesforce did not grant access (${query.error}${query.error_description ? `: ${query.error_description}` : ''}).`);
  if (!query.code) return fail('Salesforce sent no authorization code.');
  try {
    const box = requireSecretBox(deps.config);
    const verifier = row.oauthVerifierEnc ? box.open(row.oauthVerifierEnc, context(row.id, 'oauthVerifierEnc')) : undefined;
    const oauth2 = oauth2Of(credentialsOf(box, row, deps.config));
    const res = await oauth2.requestToken(query.code, verifier ? { code_verifier: verifier } : {});
    await storeTokens(deps, box, row, res);
    deps.log.info('crm connection signed in', { connectionId: row.id, workspaceId: row.workspaceId });
    return { connectionId: row.id, ok: true, message: 'Connected to Salesforce.', returnTo };
  } catch (e) {
    return fail(describeSalesforceError(e).message);
  }
}
