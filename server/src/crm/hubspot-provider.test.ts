// The app first: it loads @hono/zod-openapi before any shared zod schema is built.
import { setupTestApp, type TestWorkspace } from '../test/harness';
import { crmConnections } from '@lead-router/db/crm-schema';
import { HubSpotContract } from '@lead-router/testkit/crm/hubspot-contract';
import { eq } from 'drizzle-orm';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CrmDeps } from './connections.service';
import { capturingLogger, TEST_SECRET_KEY } from './crm-test-kit';
import { retryAfterMs, TokenBucket } from './hubspot-client';
import { hubspotProviderClient } from './hubspot-provider';
import type { OwnerWrite } from './provider';

const t = setupTestApp();
const db = t.database.db;
const log = capturingLogger();
const config = { ...t.deps.config, SECRET_KEY: TEST_SECRET_KEY };
const call = t.callWith({ config, log });
const deps: CrmDeps = { db, config, log, now: () => new Date() };

let ws: TestWorkspace;
const servers: HubSpotContract[] = [];
beforeAll(async () => {
  ws = await t.workspace();
});
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

async function setup() {
  const hs = await HubSpotContract.start();
  servers.push(hs);
  const token = hs.privateAppToken();
  const created = await call('POST', '/api/crm/connections', { key: ws.keys.admin, body: { provider: 'hubspot', authKind: 'hubspot_private_app', name: 'HS', loginUrl: hs.url, accessToken: token, clientSecret: 's' } });
  expect(created.status, created.text).toBe(201);
  // Secrets never come back.
  expect(created.text).not.toContain(token);
  const [row] = await db.select().from(crmConnections).where(eq(crmConnections.id, created.body.id as string));
  return { hs, row: row!, token, id: created.body.id as string };
}

const write = (i: number, recordId: string, ownerCrmId: string, extra: Partial<OwnerWrite> = {}): OwnerWrite => ({ key: `run-${i}:assign`, object: 'contacts', recordId, ownerCrmId, fields: {}, ...extra });

describe('the HubSpot provider client', () => {
  it('writeOwners sends 150 writes in 2 batch updates (100 + 50) and answers each; an id HubSpot does not have is a refusal', async () => {
    const { hs, row } = await setup();
    const owner = hs.addOwner({ email: 'bo@acme.example' });
    const ids = Array.from({ length: 149 }, (_, i) => hs.create('contacts', { email: `c${i}@acme.example` }).id);
    const writes = [...ids.map((id, i) => write(i, id, owner.id, { fields: { hs_lead_status: 'NEW' } })), write(999, '999999', owner.id)];
    const client = hubspotProviderClient(deps, row);
    expect(client.maxBatch).toBe(100);
    const answers = await client.writeOwners(writes);

    const batches = hs.requests.filter((r) => r.path === '/crm/v3/objects/contacts/batch/update');
    expect(batches.map((b) => (b.body as { inputs: unknown[] }).inputs.length)).toEqual([100, 50]);
    expect(batches.map((b) => b.status)).toEqual([200, 207]);
    expect(answers).toHaveLength(150);
    expect(answers.filter((a) => a.ok)).toHaveLength(149);
    expect(answers.find((a) => a.key === 'run-0:assign')).toEqual({ key: 'run-0:assign', ok: true, answer: { recordId: ids[0] }, retryable: false });
    expect(answers.find((a) => a.key === 'run-999:assign')).toMatchObject({ ok: false, retryable: false, answer: { errorCode: 'OBJECT_NOT_FOUND' } });
    expect(ids.every((id) => hs.get('contacts', id)!.properties.hubspot_owner_id === owner.id)).toBe(true);
  });

  it('a batch HubSpot refuses as a whole (an owner that does not exist) is retried record by record: each write gets its own answer', async () => {
    const { hs, row } = await setup();
    const owner = hs.addOwner({ email: 'bo@acme.example' });
    const [a, b] = [hs.create('contacts', { email: 'a@x.example' }), hs.create('contacts', { email: 'b@x.example' })];
    const answers = await hubspotProviderClient(deps, row).writeOwners([write(1, a.id, owner.id), write(2, b.id, '424242')]);
    expect(answers[0]).toMatchObject({ key: 'run-1:assign', ok: true });
    expect(answers[1]).toMatchObject({ key: 'run-2:assign', ok: false, retryable: false, answer: { errorCode: 'VALIDATION_ERROR', message: expect.stringMatching(/424242 is not a valid owner id/) } });
    expect(hs.get('contacts', a.id)!.properties.hubspot_owner_id).toBe(owner.id);
    expect(hs.get('contacts', b.id)!.properties.hubspot_owner_id).toBeUndefined();
  });

  it('429 on a write waits for Retry-After and succeeds; HubSpot down is a retryable answer', async () => {
    const { hs, row } = await setup();
    const owner = hs.addOwner({ email: 'bo@acme.example' });
    const c = hs.create('contacts', { email: 'a@x.example' });
    hs.throttle(1);
    const started = Date.now();
    const [ok] = await hubspotProviderClient(deps, row).writeOwners([write(1, c.id, owner.id)]);
    expect(ok).toMatchObject({ ok: true });
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    await hs.down('refuse');
    const [down] = await hubspotProviderClient(deps, row).writeOwners([write(2, c.id, owner.id)]);
    expect(down).toMatchObject({ ok: false, retryable: true, answer: { message: expect.stringMatching(/could not be reached/) } });
  });

  it('listUsers answers the owners (archived ones inactive); listAccounts the companies with domain, owner and last activity', async () => {
    const { hs, row } = await setup();
    const bo = hs.addOwner({ email: 'Bo@Acme.example', firstName: 'Bo', lastName: 'Chen' });
    const gone = hs.addOwner({ email: 'gone@acme.example', archived: true });
    const client = hubspotProviderClient(deps, row);
    expect(await client.listUsers()).toEqual([
      { crmId: bo.id, email: 'bo@acme.example', name: 'Bo Chen', active: true },
      { crmId: gone.id, email: 'gone@acme.example', name: 'gone@acme.example', active: false },
    ]);
    const old = hs.create('companies', { name: 'Old Co', domain: 'old.example' });
    await new Promise((r) => setTimeout(r, 20));
    const since = new Date().toISOString();
    const globex = hs.create('companies', { name: 'Globex', domain: 'globex.example', website: 'https://www.globex.example', hubspot_owner_id: bo.id });
    const all = await client.listAccounts(null);
    expect(all.map((a) => a.name)).toEqual(['Old Co', 'Globex']);
    expect(await client.listAccounts(since)).toEqual([{ crmId: globex.id, name: 'Globex', domains: ['globex.example', 'https://www.globex.example'], ownerCrmId: bo.id, lastActivityAt: globex.properties.hs_lastmodifieddate }]);
    expect(all.find((a) => a.crmId === old.id)!.ownerCrmId).toBeNull();
  });

  it('test connection: ok with the portal id; a wrong token is HubSpot’s error in plain words', async () => {
    const { hs, id } = await setup();
    const ok = await call('POST', `/api/crm/connections/${id}/test`, { key: ws.keys.admin });
    expect(ok.body).toMatchObject({ ok: true, orgId: String(hs.portalId), error: null });
    const wrongObject = await call('PATCH', `/api/crm/connections/${id}`, { key: ws.keys.admin, body: { objects: ['Lead'], username: 'x@y.example' } });
    expect(wrongObject.status).toBe(400);
    expect(wrongObject.body.error.details.map((d: { path: string }) => d.path)).toEqual(['objects', 'username']);
    const patched = await call('PATCH', `/api/crm/connections/${id}`, { key: ws.keys.admin, body: { accessToken: 'pat-na1-wrong' } });
    expect(patched.status).toBe(200);
    const bad = await call('POST', `/api/crm/connections/${id}/test`, { key: ws.keys.admin });
    expect(bad.body).toMatchObject({ ok: false, error: { code: 'INVALID_AUTHENTICATION', message: expect.stringMatching(/HubSpot refused the credentials/) } });
    const view = await call('GET', `/api/crm/connections/${id}`, { key: ws.keys.admin });
    expect(view.body).toMatchObject({ provider: 'hubspot', status: 'error', signedIn: true, objects: ['Contact'], fieldMapping: { Contact: expect.arrayContaining([{ crmField: 'jobtitle', leadField: 'title' }]) } });
    expect(log.lines.join('\n')).not.toContain('pat-na1-wrong');
  });
});

describe('HubSpot OAuth install', () => {
  it('oauth/start sends the browser to the install page with the scopes; the callback exchanges the code once and stores the tokens sealed', async () => {
    const hs = await HubSpotContract.start();
    servers.push(hs);
    hs.registerApp({ clientId: 'pub-app', clientSecret: 'pub-secret' });
    const created = await call('POST', '/api/crm/connections', { key: ws.keys.admin, body: { provider: 'hubspot', authKind: 'hubspot_oauth', name: 'HS OAuth', loginUrl: hs.url, clientId: 'pub-app', clientSecret: 'pub-secret' } });
    expect(created.body).toMatchObject({ signedIn: false, hasClientSecret: true });
    const id = created.body.id as string;
    const start = await call('GET', `/api/crm/connections/${id}/oauth/start?returnTo=/settings/crm`, { key: ws.keys.admin });
    expect(start.status).toBe(302);
    const authorize = new URL(start.headers.get('location')!);
    expect(authorize.origin + authorize.pathname).toBe(`${hs.url}/oauth/authorize`);
    const approved = await fetch(authorize, { redirect: 'manual' });
    expect(hs.lastScopes).toEqual(expect.arrayContaining(['crm.objects.contacts.write', 'crm.objects.owners.read', 'crm.objects.companies.read']));
    const back = new URL(approved.headers.get('location')!);
    const done = await call('GET', back.pathname + back.search, { key: ws.keys.admin });
    expect(done.headers.get('location')).toBe(`/settings/crm?crm=connected&connection=${id}`);
    const [row] = await db.select().from(crmConnections).where(eq(crmConnections.id, id));
    expect(row).toMatchObject({ status: 'connected', accessTokenEnc: expect.stringMatching(/^v1\./), refreshTokenEnc: expect.stringMatching(/^v1\./) });
    expect((await call('POST', `/api/crm/connections/${id}/test`, { key: ws.keys.admin })).body).toMatchObject({ ok: true, orgId: String(hs.portalId) });
    // The same callback again: the state was used.
    const again = await call('GET', back.pathname + back.search, { key: ws.keys.admin });
    expect(again.headers.get('location')).toMatch(/crm_error=/);
    // A private app connection has nothing to install.
    const pat = await setup();
    expect((await call('GET', `/api/crm/connections/${pat.id}/oauth/start`, { key: ws.keys.admin })).status).toBe(400);
  });
});

describe('the token bucket and the 429 hint', () => {
  it('lets `capacity` calls through at once, then one per interval/capacity', async () => {
    const bucket = new TokenBucket(5, 500);
    const started = Date.now();
    for (let i = 0; i < 5; i++) await bucket.take();
    expect(Date.now() - started).toBeLessThan(50);
    for (let i = 0; i < 5; i++) await bucket.take();
    expect(Date.now() - started).toBeGreaterThanOrEqual(450);
  });

  it('waits Retry-After, else the secondly window, else the burst interval', () => {
    expect(retryAfterMs({ 'retry-after': '2' })).toBe(2_000);
    expect(retryAfterMs({ 'x-hubspot-ratelimit-secondly-remaining': '0' })).toBe(1_000);
    expect(retryAfterMs({ 'x-hubspot-ratelimit-interval-milliseconds': '10000' })).toBe(10_000);
    expect(retryAfterMs(undefined)).toBe(1_000);
  });
});
