// The app first: it loads @hono/zod-openapi before any shared zod schema is built.
import { setupTestApp, type TestWorkspace } from '../../test/harness';
import { crmConnections } from '@lead-router/db/crm-schema';
import { SalesforceContract } from '@lead-router/testkit/crm/salesforce-contract';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oauthCallbackUrl } from '../../crm/connections.service';
import { capturingLogger, TEST_PRIVATE_KEY, TEST_PUBLIC_KEY, TEST_SECRET_KEY } from '../../crm/crm-test-kit';
import { SecretBox } from '../../crm/secret-box';

const t = setupTestApp();
const db = t.database.db;
const log = capturingLogger();
const config = { ...t.deps.config, SECRET_KEY: TEST_SECRET_KEY };
const call = t.callWith({ config, log });
const callWithoutKey = t.callWith({ log });
const CLIENT_SECRET = 'consumer-secret-do-not-leak-9f8e7d';

let sf: SalesforceContract;
let ws: TestWorkspace;

beforeAll(async () => {
  sf = await SalesforceContract.start();
  sf.registerApp({ clientId: 'app-web', clientSecret: CLIENT_SECRET, redirectUris: [oauthCallbackUrl(config)], certificate: TEST_PUBLIC_KEY });
  sf.registerUser('admin@acme.example');
  ws = await t.workspace();
});
afterAll(async () => {
  await sf.close();
});

const webBody = () => ({ provider: 'salesforce', authKind: 'oauth_web_server', name: 'Acme org', loginUrl: sf.url, clientId: 'app-web', clientSecret: CLIENT_SECRET });
const jwtBody = () => ({ provider: 'salesforce', authKind: 'jwt_bearer', name: 'Acme org (JWT)', loginUrl: sf.url, clientId: 'app-web', username: 'admin@acme.example', privateKey: TEST_PRIVATE_KEY });

/** Every secret the CRM or the admin gave: none may appear in an answer or a log line. */
const secrets = () => [CLIENT_SECRET, ...sf.issuedTokens, TEST_PRIVATE_KEY.split('\n')[1]!];
function expectNoSecret(text: string) {
  for (const s of secrets()) expect(text.includes(s), `leaked ${s.slice(0, 12)}...`).toBe(false);
}

async function rowOf(id: string) {
  const [row] = await db.select().from(crmConnections).where(eq(crmConnections.id, id));
  return row!;
}

/** Runs the OAuth web-server flow through the app and the contract server, as a browser would. */
async function signIn(id: string) {
  const start = await call('GET', `/api/crm/connections/${id}/oauth/start?returnTo=/settings/crm`, { key: ws.keys.admin });
  expect(start.status).toBe(302);
  const authorize = new URL(start.headers.get('location')!);
  expect(authorize.origin + authorize.pathname).toBe(`${sf.url}/services/oauth2/authorize`);
  expect(authorize.searchParams.get('code_challenge')).toBeTruthy();
  expect(authorize.searchParams.get('scope')).toBe('api refresh_token');
  const approved = await fetch(authorize, { redirect: 'manual' });
  const back = new URL(approved.headers.get('location')!);
  expect(back.origin + back.pathname).toBe(oauthCallbackUrl(config));
  // Without the admin's session (or key) the callback is refused; another workspace's admin finds no such state.
  expect((await call('GET', back.pathname + back.search)).status).toBe(401);
  const stranger = await t.workspace();
  expect((await call('GET', back.pathname + back.search, { key: stranger.keys.admin })).headers.get('location')).toMatch(/crm_error=/);
  const done = await call('GET', back.pathname + back.search, { key: ws.keys.admin });
  expect(done.status).toBe(302);
  return { done, callbackPath: back.pathname + back.search };
}

describe('CRM connections: CRUD, roles, secrets encrypted at rest and never shown', () => {
  it('without SECRET_KEY a connection cannot be created: 503 saying what to set', async () => {
    const r = await callWithoutKey('POST', '/api/crm/connections', { key: ws.keys.admin, body: webBody() });
    expect(r.status).toBe(503);
    expect(r.body.error.message).toMatch(/SECRET_KEY is not set/);
  });

  it('admins create, list, read, change and delete; the secret is ciphertext in the row and absent from answers', async () => {
    const created = await call('POST', '/api/crm/connections', { key: ws.keys.admin, body: webBody() });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ provider: 'salesforce', name: 'Acme org', hasClientSecret: true, signedIn: false, status: 'new', objects: ['Lead'] });
    expect(created.body.fieldMapping.Lead).toContainEqual({ crmField: 'NumberOfEmployees', leadField: 'employees' });
    expectNoSecret(created.text);
    const id = created.body.id as string;

    const row = await rowOf(id);
    expect(row.clientSecretEnc).toMatch(/^v1\.[0-9a-f]{8}\./);
    expect(row.clientSecretEnc).not.toContain(CLIENT_SECRET);
    expect(JSON.stringify(row)).not.toContain(CLIENT_SECRET);
    // It is the secret, sealed for this row and column only.
    const box = new SecretBox(TEST_SECRET_KEY);
    expect(box.open(row.clientSecretEnc!, `crm_connections:${id}:clientSecretEnc`)).toBe(CLIENT_SECRET);
    expect(() => box.open(row.clientSecretEnc!, `crm_connections:${id}:accessTokenEnc`)).toThrow(/does not decrypt/);
    expect(() => new SecretBox('another-secret-key-0123456789abcdefghijkl').open(row.clientSecretEnc!, `crm_connections:${id}:clientSecretEnc`)).toThrow(/another SECRET_KEY/);

    const list = await call('GET', '/api/crm/connections', { key: ws.keys.admin });
    expect(list.body.connections.map((c: { id: string }) => c.id)).toContain(id);
    expectNoSecret(list.text);
    const patched = await call('PATCH', `/api/crm/connections/${id}`, { key: ws.keys.admin, body: { name: 'Acme production', pollIntervalSeconds: 30 } });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ name: 'Acme production', pollIntervalSeconds: 30, hasClientSecret: true });
    expect((await rowOf(id)).clientSecretEnc).toBe(row.clientSecretEnc);

    expect((await call('DELETE', `/api/crm/connections/${id}`, { key: ws.keys.admin })).status).toBe(204);
    expect((await call('GET', `/api/crm/connections/${id}`, { key: ws.keys.admin })).status).toBe(404);
    expectNoSecret(log.lines.join('\n'));
  });

  it('only admins: viewers, editors and publishers are 403; another workspace sees 404', async () => {
    const created = await call('POST', '/api/crm/connections', { key: ws.keys.admin, body: webBody() });
    for (const role of ['viewer', 'editor', 'publisher'] as const) {
      expect((await call('GET', '/api/crm/connections', { key: ws.keys[role] })).status).toBe(403);
      expect((await call('POST', '/api/crm/connections', { key: ws.keys[role], body: webBody() })).status).toBe(403);
      expect((await call('POST', `/api/crm/connections/${created.body.id}/test`, { key: ws.keys[role] })).status).toBe(403);
    }
    const other = await t.workspace();
    expect((await call('GET', `/api/crm/connections/${created.body.id}`, { key: other.keys.admin })).status).toBe(404);
    expect((await call('GET', '/api/crm/connections', { key: other.keys.admin })).body.connections).toEqual([]);
  });

  it('bad input names the field: JWT without a key, HubSpot without its token or with a Salesforce sign-in, a bad login URL, an unknown workflow', async () => {
    const { privateKey: _p, ...noKey } = jwtBody();
    const a = await call('POST', '/api/crm/connections', { key: ws.keys.admin, body: noKey });
    expect(a.status).toBe(400);
    expect(a.body.error.details.map((d: { path: string }) => d.path)).toContain('privateKey');
    const b = await call('POST', '/api/crm/connections', { key: ws.keys.admin, body: { ...webBody(), provider: 'hubspot', authKind: 'hubspot_private_app' } });
    expect(b.status).toBe(400);
    expect(b.body.error.details).toContainEqual(expect.objectContaining({ path: 'accessToken', message: expect.stringMatching(/private app’s access token/) }));
    const b2 = await call('POST', '/api/crm/connections', { key: ws.keys.admin, body: { name: 'HS', provider: 'hubspot', authKind: 'jwt_bearer', objects: ['Lead'] } });
    expect(b2.status).toBe(400);
    expect(b2.body.error.details.map((d: { path: string }) => d.path)).toEqual(expect.arrayContaining(['authKind', 'objects']));
    const b3 = await call('POST', '/api/crm/connections', { key: ws.keys.admin, body: { name: 'HS', provider: 'hubspot', authKind: 'hubspot_oauth', clientId: 'app' } });
    expect(b3.body.error.details.map((d: { path: string }) => d.path)).toEqual(['clientSecret']);
    const b4 = await call('POST', '/api/crm/connections', { key: ws.keys.admin, body: { ...webBody(), loginUrl: undefined } });
    expect(b4.body.error.details.map((d: { path: string }) => d.path)).toContain('loginUrl');
    const b5 = await call('POST', '/api/crm/connections', { key: ws.keys.admin, body: { ...webBody(), accessToken: 'pat-na1-x' } });
    expect(b5.body.error.details).toContainEqual(expect.objectContaining({ path: 'accessToken', message: expect.stringMatching(/HubSpot setting/) }));
    const c = await call('POST', '/api/crm/connections', { key: ws.keys.admin, body: { ...webBody(), loginUrl: 'login.salesforce.com' } });
    expect(c.status).toBe(400);
    expect(c.body.error.details.map((d: { path: string }) => d.path)).toContain('loginUrl');
    const d = await call('POST', '/api/crm/connections', { key: ws.keys.admin, body: { ...webBody(), workflowId: '00000000-0000-4000-8000-000000000000' } });
    expect(d.status).toBe(422);
    expect(d.body.error.details[0].path).toBe('workflowId');
  });

  it('a field mapping that puts a text field into a number field is refused, naming the field; labels are understood', async () => {
    const created = await call('POST', '/api/crm/connections', { key: ws.keys.admin, body: webBody() });
    const bad = await call('PATCH', `/api/crm/connections/${created.body.id}`, { key: ws.keys.admin, body: { fieldMapping: { Lead: [{ crmField: 'Company', leadField: 'employees' }, { crmField: 'Email', leadField: 'email' }] } } });
    expect(bad.status).toBe(422);
    expect(bad.body.error.details).toEqual([{ path: 'fieldMapping.Lead.0.crmField', message: expect.stringMatching(/Lead\.Company is a string field .* cannot fill a number field \("Employees", employees\)/) }]);
    expect(bad.body.error.message).toMatch(/Lead\.Company/);
    const unknown = await call('PATCH', `/api/crm/connections/${created.body.id}`, { key: ws.keys.admin, body: { fieldMapping: { Lead: [{ crmField: 'Nope__c', leadField: 'nothing' }] } } });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.details.map((d: { path: string }) => d.path)).toEqual(['fieldMapping.Lead.0.crmField', 'fieldMapping.Lead.0.leadField']);
    const byLabel = await call('PATCH', `/api/crm/connections/${created.body.id}`, { key: ws.keys.admin, body: { fieldMapping: { Lead: [{ crmField: 'No. of Employees', leadField: 'employees' }, { crmField: 'Last Name', leadField: 'lastName' }] } } });
    expect(byLabel.status).toBe(200);
    expect(byLabel.body.fieldMapping.Lead).toEqual([{ crmField: 'NumberOfEmployees', leadField: 'employees' }, { crmField: 'LastName', leadField: 'lastName' }]);
  });
});

describe('CRM connections: signing in and testing', () => {
  it('the OAuth web-server flow stores the tokens encrypted; the callback works once', async () => {
    const created = await call('POST', '/api/crm/connections', { key: ws.keys.admin, body: webBody() });
    const id = created.body.id as string;
    const before = (await call('POST', `/api/crm/connections/${id}/test`, { key: ws.keys.admin })).body;
    expect(before).toMatchObject({ ok: false, error: { code: 'not_signed_in' } });

    const { done, callbackPath } = await signIn(id);
    expect(done.headers.get('location')).toBe(`/settings/crm?crm=connected&connection=${id}`);
    const row = await rowOf(id);
    expect(row.accessTokenEnc).toMatch(/^v1\./);
    expect(row.refreshTokenEnc).toMatch(/^v1\./);
    expect(row).toMatchObject({ instanceUrl: sf.url, orgId: sf.orgId, status: 'connected', oauthStateHash: null, oauthVerifierEnc: null });
    expectNoSecret(JSON.stringify(row));
    const box = new SecretBox(TEST_SECRET_KEY);
    expect(sf.issuedTokens).toContain(box.open(row.accessTokenEnc!, `crm_connections:${id}:accessTokenEnc`));

    const again = await call('GET', callbackPath, { key: ws.keys.admin });
    expect(again.headers.get('location')).toMatch(/crm_error=.*unknown%2C%20used%20or%20expired/);

    const shown = await call('GET', `/api/crm/connections/${id}`, { key: ws.keys.admin });
    expect(shown.body).toMatchObject({ signedIn: true, status: 'connected', orgId: sf.orgId });
    expectNoSecret(shown.text);
    expectNoSecret(log.lines.join('\n'));
  });

  it('test connection: ok with the org and API usage; an expired token is refreshed and stored; a revoked one is the CRM’s error in plain words', async () => {
    const created = await call('POST', '/api/crm/connections', { key: ws.keys.admin, body: webBody() });
    const id = created.body.id as string;
    await signIn(id);
    const ok = await call('POST', `/api/crm/connections/${id}/test`, { key: ws.keys.admin });
    expect(ok.body).toMatchObject({ ok: true, orgId: sf.orgId, instanceUrl: sf.url, apiUsage: { used: expect.any(Number), limit: 15000 }, error: null });
    expectNoSecret(ok.text);

    const oldToken = (await rowOf(id)).accessTokenEnc;
    sf.expireAccessTokens();
    const refreshed = await call('POST', `/api/crm/connections/${id}/test`, { key: ws.keys.admin });
    expect(refreshed.body.ok).toBe(true);
    // jsforce's refresh event: the new token is stored (sealed), so the next call starts with it.
    await expect.poll(async () => (await rowOf(id)).accessTokenEnc).not.toBe(oldToken);
    const box = new SecretBox(TEST_SECRET_KEY);
    const stored = box.open((await rowOf(id)).accessTokenEnc!, `crm_connections:${id}:accessTokenEnc`);
    expect(sf.issuedTokens.at(-1)).toBe(stored);

    sf.revokeRefreshTokens();
    sf.expireAccessTokens();
    const refused = await call('POST', `/api/crm/connections/${id}/test`, { key: ws.keys.admin });
    expect(refused.body).toMatchObject({ ok: false, error: { code: 'invalid_grant', message: expect.stringMatching(/Salesforce refused the sign-in \(expired access\/refresh token\)/) } });
    expect((await call('GET', `/api/crm/connections/${id}`, { key: ws.keys.admin })).body).toMatchObject({ status: 'error', lastError: expect.stringMatching(/refused the sign-in/) });
    expectNoSecret(log.lines.join('\n'));
  });

  it('the JWT bearer flow: test connection gets a token with the signed assertion; a wrong key is refused in plain words', async () => {
    const created = await call('POST', '/api/crm/connections', { key: ws.keys.admin, body: jwtBody() });
    expect(created.status).toBe(201);
    expectNoSecret(created.text);
    const id = created.body.id as string;
    const ok = await call('POST', `/api/crm/connections/${id}/test`, { key: ws.keys.admin });
    expect(ok.body).toMatchObject({ ok: true, orgId: sf.orgId });
    expect((await rowOf(id)).privateKeyEnc).not.toContain('PRIVATE KEY');

    const { generateKeyPairSync } = await import('node:crypto');
    const wrong = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const other = await call('POST', '/api/crm/connections', { key: ws.keys.admin, body: { ...jwtBody(), privateKey: wrong } });
    const refused = await call('POST', `/api/crm/connections/${other.body.id}/test`, { key: ws.keys.admin });
    expect(refused.body).toMatchObject({ ok: false, error: { code: 'invalid_grant', message: expect.stringMatching(/refused the sign-in/) } });
    expect(refused.text).not.toContain(wrong.split('\n')[1]!);
    expectNoSecret(log.lines.join('\n'));
  });

  it('a signed-in connection checks a mapping against Salesforce’s describe', async () => {
    const created = await call('POST', '/api/crm/connections', { key: ws.keys.admin, body: jwtBody() });
    const id = created.body.id as string;
    expect((await call('POST', `/api/crm/connections/${id}/test`, { key: ws.keys.admin })).body.ok).toBe(true);
    const describes = () => sf.requests.filter((r) => r.path.endsWith('/sobjects/Lead/describe')).length;
    const before = describes();
    const bad = await call('PATCH', `/api/crm/connections/${id}`, { key: ws.keys.admin, body: { fieldMapping: { Lead: [{ crmField: 'Rating', leadField: 'annualRevenue' }] } } });
    expect(bad.status).toBe(422);
    expect(bad.body.error.details).toEqual([{ path: 'fieldMapping.Lead.0.crmField', message: expect.stringMatching(/Lead\.Rating is a picklist field in the CRM and cannot fill a number field/) }]);
    expect(describes()).toBe(before + 1);
  });

  it('after a key rotation the connection still works, and its secrets are re-sealed with the new key', async () => {
    const created = await call('POST', '/api/crm/connections', { key: ws.keys.admin, body: jwtBody() });
    const id = created.body.id as string;
    const NEW_KEY = 'rotated-secret-key-abcdefghijklmnopqrstuvwxyz';
    const rotated = t.callWith({ config: { ...config, SECRET_KEY: NEW_KEY, SECRET_KEY_PREVIOUS: TEST_SECRET_KEY }, log });
    expect((await rotated('POST', `/api/crm/connections/${id}/test`, { key: ws.keys.admin })).body.ok).toBe(true);
    const row = await rowOf(id);
    const newBox = new SecretBox(NEW_KEY);
    for (const c of ['privateKeyEnc', 'clientSecretEnc', 'accessTokenEnc'] as const) {
      if (row[c] === null) continue;
      expect(row[c]!.split('.')[1], c).toBe(newBox.keyId);
    }
    expect(newBox.open(row.privateKeyEnc!, `crm_connections:${id}:privateKeyEnc`)).toBe(TEST_PRIVATE_KEY);
    // The old key alone no longer reads it.
    expect((await call('POST', `/api/crm/connections/${id}/test`, { key: ws.keys.admin })).body).toMatchObject({ ok: false, error: { code: 'secret_unreadable', message: expect.stringMatching(/another SECRET_KEY .*SECRET_KEY_PREVIOUS/) } });
  });

  it('an unreachable CRM is an answer, not a 500', async () => {
    const created = await call('POST', '/api/crm/connections', { key: ws.keys.admin, body: { ...jwtBody(), loginUrl: 'http://127.0.0.1:1' } });
    const r = await call('POST', `/api/crm/connections/${created.body.id}/test`, { key: ws.keys.admin });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ ok: false, error: { message: expect.stringMatching(/could not be reached/) } });
  }, 60_000);
});

describe('the start-up log about SECRET_KEY', () => {
  it('names the key id when set, and how many connections are unusable when not', async () => {
    const { reportSecretKey } = await import('../../crm/startup');
    const with_ = capturingLogger();
    await reportSecretKey(db, { SECRET_KEY: TEST_SECRET_KEY }, with_);
    expect(with_.lines[0]).toContain(`"keyId":"${new SecretBox(TEST_SECRET_KEY).keyId}"`);
    expect(with_.lines.join('')).not.toContain(TEST_SECRET_KEY);
    const without = capturingLogger();
    await reportSecretKey(db, {}, without);
    expect(JSON.parse(without.lines[0]!)).toMatchObject({ level: 'error', msg: expect.stringMatching(/^SECRET_KEY is not set: \d+ CRM connection\(s\) cannot be used/) });
  });
});
