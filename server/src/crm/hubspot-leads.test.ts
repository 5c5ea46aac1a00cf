// The app first: it loads @hono/zod-openapi before any shared zod schema is built.
import { setupTestApp, type TestWorkspace } from '../test/harness';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { crmConnections, crmRecords } from '@lead-router/db/crm-schema';
import { leads, outbox, routingRuns } from '@lead-router/db/schema';
import { deliverWebhook, HubSpotContract, signV3, webhookEvent } from '@lead-router/testkit/crm/hubspot-contract';
import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app';
import { createTestWorkflow } from '../routes/leads/leads.fixtures';
import type { CrmDeps } from './connections.service';
import { capturingLogger, TEST_SECRET_KEY } from './crm-test-kit';
import { HubSpotPoller, type HubSpotPollerOptions } from './hubspot-poller';
import { hubspotProviderClient } from './hubspot-provider';
import { signedUri, verifyHubSpotSignature } from './hubspot-webhook';

const t = setupTestApp();
const db = t.database.db;
const log = capturingLogger();
const config = { ...t.deps.config, SECRET_KEY: TEST_SECRET_KEY, PUBLIC_URL: undefined };
const call = t.callWith({ config, log });
const deps: CrmDeps = { db, config, log, now: () => new Date() };
const FAST: Partial<HubSpotPollerOptions> = { settleMs: 0, tickMs: 50, minBackoffMs: 5_000, maxBackoffMs: 60_000, limitBackoffMs: 600_000, retry: { max429Retries: 3, maxWaitMs: 5_000 } };
const CLIENT_SECRET = 'hs-client-secret-7f3a';

let ws: TestWorkspace;
let base = '';
let server: ReturnType<typeof serve>;
const servers: HubSpotContract[] = [];
const pollers: HubSpotPoller[] = [];

beforeAll(async () => {
  ws = await t.workspace();
  // A real HTTP server: HubSpot signs the full URI it calls, so deliveries go over the wire.
  const app = createApp({ ...t.deps, config, log });
  await new Promise<void>((resolve) => {
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => {
      base = `http://127.0.0.1:${info.port}`;
      resolve();
    });
  });
});
afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
});
afterEach(async () => {
  for (const p of pollers.splice(0)) await p.stop();
  for (const s of servers.splice(0)) await s.close();
});

/** A contract account of the test's own, a published workflow, and a HubSpot connection posting to it. */
async function setup(o: { auth?: 'private' | 'oauth' } = {}) {
  const hs = await HubSpotContract.start();
  servers.push(hs);
  hs.registerApp({ clientId: 'hs-app', clientSecret: CLIENT_SECRET });
  const wf = await createTestWorkflow(db, ws.id);
  const secrets = o.auth === 'oauth' ? { authKind: 'hubspot_oauth', clientId: 'hs-app', clientSecret: CLIENT_SECRET, refreshToken: hs.install('hs-app').refreshToken } : { authKind: 'hubspot_private_app', accessToken: hs.privateAppToken(), clientSecret: CLIENT_SECRET };
  const created = await call('POST', '/api/crm/connections', { key: ws.keys.admin, body: { provider: 'hubspot', name: 'Acme HubSpot', loginUrl: hs.url, workflowId: wf.id, pollIntervalSeconds: 10, ...secrets } });
  expect(created.status, created.text).toBe(201);
  const id = created.body.id as string;
  return { hs, wf, id, hook: `${base}/api/crm/hubspot/webhook/${id}` };
}

function poller(options: Partial<HubSpotPollerOptions> = {}) {
  const p = new HubSpotPoller(deps, { ...FAST, ...options });
  pollers.push(p);
  return p;
}

async function leadsOf(workflowId: string) {
  return db.select({ id: leads.id, key: leads.idempotencyKey, data: leads.data }).from(leads).where(eq(leads.workflowId, workflowId)).orderBy(leads.receivedAt);
}
async function runsOf(workflowId: string) {
  return db.select().from(routingRuns).where(eq(routingRuns.workflowId, workflowId));
}
async function connection(id: string) {
  const [row] = await db.select().from(crmConnections).where(eq(crmConnections.id, id));
  return row!;
}

const contact = (i: number) => ({ firstname: `Ana${i}`, lastname: `Lee${i}`, email: `ana${i}@acme.example`, company: 'Acme', jobtitle: 'CTO', country: 'US', state: 'CA', phone: '+1 555 0100' });
const reads = (hs: HubSpotContract) => hs.requests.filter((r) => r.path === '/crm/v3/objects/contacts/batch/read').length;

describe('HubSpot leads in', () => {
  it('a contact via a signed webhook is a routed lead, and its owner is written back, within 5 s', async () => {
    const { hs, wf, id, hook } = await setup();
    const owner = hs.addOwner({ email: 'bo@acme.example', firstName: 'Bo', lastName: 'Chen' });
    const started = Date.now();
    const rec = hs.create('contacts', contact(1));
    const r = await deliverWebhook(hook, [webhookEvent('contact.creation', rec.id, { portalId: hs.portalId })], { clientSecret: CLIENT_SECRET });
    expect(r).toMatchObject({ status: 200, body: { events: 1, contacts: 1, created: 1, updated: 0, unchanged: 0 } });

    const [l] = await leadsOf(wf.id);
    expect(l!.key).toBe(`hubspot:contacts:${rec.id}`);
    expect(l!.data).toMatchObject({ id: rec.id, firstName: 'Ana1', lastName: 'Lee1', email: 'ana1@acme.example', company: 'Acme', title: 'CTO', country: 'US', state: 'CA', phone: '+1 555 0100' });
    expect(await runsOf(wf.id)).toHaveLength(1);
    expect(await db.select().from(outbox).where(eq(outbox.leadId, l!.id))).toHaveLength(1);
    const [link] = await db.select().from(crmRecords).where(eq(crmRecords.connectionId, id));
    expect(link).toMatchObject({ crmId: rec.id, object: 'contacts', leadId: l!.id, updates: 0, modstamp: rec.properties.lastmodifieddate });

    // The owner the routing chose goes back through the provider client (the crm_update writer's path).
    const client = hubspotProviderClient(deps, await connection(id));
    const [answer] = await client.writeOwners([{ key: 'run-1:assign', object: link!.object, recordId: link!.crmId, ownerCrmId: owner.id, fields: { hs_lead_status: 'OPEN' }, task: { subject: 'Call Ana1', dueInDays: 1 } }]);
    expect(answer).toMatchObject({ key: 'run-1:assign', ok: true, answer: { recordId: rec.id, taskId: expect.any(String) } });
    expect(hs.get('contacts', rec.id)!.properties).toMatchObject({ hubspot_owner_id: owner.id, hs_lead_status: 'OPEN' });
    const task = hs.get('tasks', answer!.answer.taskId!)!;
    expect(task.properties).toMatchObject({ hs_task_subject: 'Call Ana1', hubspot_owner_id: owner.id, hs_task_status: 'NOT_STARTED' });
    expect(task.associations).toEqual([{ toObjectId: rec.id, associationTypeId: 204 }]);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('an unsigned, mis-signed, tampered or stale delivery is refused with 401 naming the problem, and HubSpot is not read', async () => {
    const { hs, wf, hook } = await setup();
    const rec = hs.create('contacts', contact(2));
    const events = [webhookEvent('contact.creation', rec.id)];
    const unsigned = await deliverWebhook(hook, events);
    expect(unsigned).toMatchObject({ status: 401, body: { error: { code: 'invalid_signature', message: expect.stringMatching(/X-HubSpot-Signature-v3 is missing/) } } });
    const wrongKey = await deliverWebhook(hook, events, { clientSecret: 'not-the-secret' });
    expect(wrongKey).toMatchObject({ status: 401, body: { error: { message: expect.stringMatching(/X-HubSpot-Signature-v3 does not match/) } } });
    const tampered = await deliverWebhook(hook, events, { clientSecret: CLIENT_SECRET, signBody: JSON.stringify([webhookEvent('contact.creation', '1')]) });
    expect(tampered).toMatchObject({ status: 401, body: { error: { message: expect.stringMatching(/does not match/) } } });
    const stale = await deliverWebhook(hook, events, { clientSecret: CLIENT_SECRET, timestamp: Date.now() - 6 * 60_000 });
    expect(stale).toMatchObject({ status: 401, body: { error: { message: expect.stringMatching(/X-HubSpot-Request-Timestamp is 36\d s from now; more than 5 minutes is refused/), details: [{ path: 'X-HubSpot-Request-Timestamp' }] } } });
    const unknown = await deliverWebhook(`${base}/api/crm/hubspot/webhook/00000000-0000-4000-8000-000000000000`, events, { clientSecret: CLIENT_SECRET });
    expect(unknown.status).toBe(401);
    // Too large: refused before it is read or verified (in process: a refused upload closes the socket).
    const big = await call('POST', new URL(hook).pathname, { rawBody: JSON.stringify(Array.from({ length: 2_000 }, (_, i) => webhookEvent('contact.creation', i))) });
    expect(big).toMatchObject({ status: 413, body: { error: { code: 'payload_too_large' } } });
    expect(await leadsOf(wf.id)).toHaveLength(0);
    expect(reads(hs)).toBe(0);
  });

  it('a delivery received twice, and a later propertyChange, make one lead and one run', async () => {
    const { hs, wf, id, hook } = await setup();
    const rec = hs.create('contacts', contact(3));
    const events = [webhookEvent('contact.creation', rec.id), webhookEvent('contact.propertyChange', rec.id, { propertyName: 'email', propertyValue: 'ana3@acme.example' })];
    expect((await deliverWebhook(hook, events, { clientSecret: CLIENT_SECRET })).body).toMatchObject({ events: 2, contacts: 1, created: 1 });
    expect((await deliverWebhook(hook, events, { clientSecret: CLIENT_SECRET })).body).toMatchObject({ created: 0, updated: 0, unchanged: 1 });
    hs.update('contacts', rec.id, { jobtitle: 'CEO' });
    const change = [webhookEvent('contact.propertyChange', rec.id, { propertyName: 'jobtitle', propertyValue: 'CEO' })];
    expect((await deliverWebhook(hook, change, { clientSecret: CLIENT_SECRET })).body).toMatchObject({ created: 0, updated: 1, unchanged: 0 });
    expect(await leadsOf(wf.id)).toHaveLength(1);
    expect(await runsOf(wf.id)).toHaveLength(1);
    expect((await db.select().from(crmRecords).where(eq(crmRecords.connectionId, id)))[0]!.updates).toBe(1);
  });

  it('the polling fallback reads a contact created while webhooks were down; the late delivery and the next poll double nothing', async () => {
    const { hs, wf, id, hook } = await setup();
    const seen = hs.create('contacts', contact(4));
    await deliverWebhook(hook, [webhookEvent('contact.creation', seen.id)], { clientSecret: CLIENT_SECRET });
    // Webhooks off: these two are never delivered.
    const missed = [hs.create('contacts', contact(5)), hs.create('contacts', contact(6))];
    const p = poller({ pageSize: 1 });
    expect(await p.pollConnection(id)).toMatchObject({ status: 'ok', created: 2, updated: 0 });
    expect((await leadsOf(wf.id)).map((l) => l.key).sort()).toEqual([seen, ...missed].map((c) => `hubspot:contacts:${c.id}`).sort());
    // Paged one contact at a time, with lastmodifieddate and the sort HubSpot documents.
    const search = hs.requests.find((r) => r.path === '/crm/v3/objects/contacts/search')!;
    expect(search.body).toMatchObject({ filterGroups: [{ filters: [{ propertyName: 'lastmodifieddate', operator: 'GTE' }] }], sorts: [{ propertyName: 'lastmodifieddate', direction: 'ASCENDING' }], limit: 1 });
    expect(hs.requests.filter((r) => r.path === '/crm/v3/objects/contacts/search').length).toBe(3);

    // The delivery comes late: already read as it is.
    expect((await deliverWebhook(hook, [webhookEvent('contact.creation', missed[0]!.id)], { clientSecret: CLIENT_SECRET })).body).toMatchObject({ created: 0, unchanged: 1 });
    expect(await p.pollConnection(id)).toMatchObject({ status: 'ok', created: 0, updated: 0 });
    expect(await runsOf(wf.id)).toHaveLength(3);
    expect(await connection(id)).toMatchObject({ status: 'connected', failures: 0 });
  });

  it('HubSpot down when a delivery comes: 503 (HubSpot delivers again), nothing lost: the poller reads it when HubSpot is back', async () => {
    const { hs, wf, id, hook } = await setup();
    const rec = hs.create('contacts', contact(7));
    await hs.down('503');
    const r = await deliverWebhook(hook, [webhookEvent('contact.creation', rec.id)], { clientSecret: CLIENT_SECRET });
    expect(r).toMatchObject({ status: 503, body: { error: { code: 'unavailable', message: expect.stringMatching(/HubSpot answered 503.*HubSpot will deliver again/) } } });
    expect(await poller().pollConnection(id)).toMatchObject({ status: 'failed', error: { kind: 'unreachable' } });
    expect(await connection(id)).toMatchObject({ status: 'error', failures: 1 });
    await hs.up();
    expect(await poller().pollConnection(id)).toMatchObject({ status: 'ok', created: 1 });
    expect(await leadsOf(wf.id)).toHaveLength(1);
  });

  it('429 backs off after Retry-After and the poll succeeds', async () => {
    const { hs, wf, id } = await setup();
    hs.create('contacts', contact(8));
    hs.throttle(2);
    const started = Date.now();
    expect(await poller().pollConnection(id)).toMatchObject({ status: 'ok', created: 1 });
    const searches = hs.requests.filter((r) => r.path === '/crm/v3/objects/contacts/search');
    expect(searches.map((s) => s.status)).toEqual([429, 429, 200]);
    expect(searches[1]!.at - searches[0]!.at).toBeGreaterThanOrEqual(950);
    expect(searches[2]!.at - searches[1]!.at).toBeGreaterThanOrEqual(950);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_900);
    expect(await leadsOf(wf.id)).toHaveLength(1);

    // Still limited after the retries: reported as a limit, and the next poll waits the limit back-off.
    hs.throttle(10);
    hs.create('contacts', contact(9));
    expect(await poller({ retry: { max429Retries: 1, maxWaitMs: 5_000 } }).pollConnection(id)).toMatchObject({ status: 'failed', error: { kind: 'limit', code: 'RATE_LIMIT' } });
    expect((await connection(id)).nextPollAt.getTime()).toBeGreaterThan(Date.now() + 500_000);
  });

  it('an expired OAuth token is refreshed (stored sealed, never logged) and the call repeated', async () => {
    const { hs, wf, id, hook } = await setup({ auth: 'oauth' });
    const rec = hs.create('contacts', contact(10));
    // The first call has no access token yet: one is fetched with the refresh token.
    expect((await deliverWebhook(hook, [webhookEvent('contact.creation', rec.id)], { clientSecret: CLIENT_SECRET })).body).toMatchObject({ created: 1 });
    const first = (await connection(id)).accessTokenEnc;
    expect(first).toMatch(/^v1\./);
    hs.expireAccessTokens();
    hs.create('contacts', contact(11));
    expect(await poller().pollConnection(id)).toMatchObject({ status: 'ok', created: 1 });
    const statuses = hs.requests.map((r) => `${r.path} ${r.status}`);
    expect(statuses).toContain('/crm/v3/objects/contacts/search 401');
    expect(statuses.filter((s) => s === '/oauth/v1/token 200')).toHaveLength(2);
    expect((await connection(id)).accessTokenEnc).not.toBe(first);
    expect(await leadsOf(wf.id)).toHaveLength(2);
    expect(log.lines.join('\n')).not.toContain(CLIENT_SECRET);

    // A revoked installation: the refresh fails in plain words, the connection shows it.
    hs.expireAccessTokens();
    for (const [rt] of (hs as unknown as { refreshTokens: Map<string, unknown> }).refreshTokens) hs.revokeRefreshToken(rt);
    const failed = await poller().pollConnection(id);
    expect(failed).toMatchObject({ status: 'failed', error: { kind: 'auth', message: expect.stringMatching(/refresh/) } });
  });

  it('a field mapping whose types do not fit is refused naming the field; labels are understood', async () => {
    const { id } = await setup();
    const bad = await call('PATCH', `/api/crm/connections/${id}`, { key: ws.keys.admin, body: { fieldMapping: { Contact: [{ crmField: 'Number of Employees', leadField: 'employees' }, { crmField: 'annualrevenue', leadField: 'annualRevenue' }] } } });
    expect(bad.status).toBe(422);
    expect(bad.body.error.details).toEqual([
      { path: 'fieldMapping.Contact.0.crmField', message: expect.stringMatching(/Contact\.numemployees is an enumeration field in the CRM and cannot fill a number field/) },
      { path: 'fieldMapping.Contact.1.crmField', message: expect.stringMatching(/Contact\.annualrevenue is a string field in the CRM and cannot fill a number field/) },
    ]);
    const good = await call('PATCH', `/api/crm/connections/${id}`, { key: ws.keys.admin, body: { fieldMapping: { Contact: [{ crmField: 'Job Title', leadField: 'title' }, { crmField: 'email', leadField: 'email' }, { crmField: 'Lead score', leadField: 'favouriteColour' }] } } });
    expect(good.status, good.text).toBe(422);
    expect(good.body.error.details).toEqual([{ path: 'fieldMapping.Contact.2.leadField', message: expect.stringMatching(/"favouriteColour" is not a lead field/) }]);
    const ok = await call('PATCH', `/api/crm/connections/${id}`, { key: ws.keys.admin, body: { fieldMapping: { Contact: [{ crmField: 'Job Title', leadField: 'title' }, { crmField: 'email', leadField: 'email' }] } } });
    expect(ok.status).toBe(200);
    expect(ok.body.fieldMapping).toEqual({ Contact: [{ crmField: 'jobtitle', leadField: 'title' }, { crmField: 'email', leadField: 'email' }] });
  });
});

describe('the v3 signature', () => {
  it('covers the URL HubSpot called: PUBLIC_URL behind a proxy, with the characters HubSpot decodes decoded', () => {
    expect(signedUri('http://10.0.0.5:3000/api/crm/hubspot/webhook/abc?x=a%3Ab', 'https://routing.example.com/')).toBe('https://routing.example.com/api/crm/hubspot/webhook/abc?x=a:b');
    expect(signedUri('http://127.0.0.1:3000/api/crm/hubspot/webhook/abc', undefined)).toBe('http://127.0.0.1:3000/api/crm/hubspot/webhook/abc');
    const now = Date.now();
    const body = '[{"objectId":1}]';
    const uri = 'https://routing.example.com/api/crm/hubspot/webhook/abc';
    const signature = signV3('secret', 'POST', uri, body, now);
    expect(() => verifyHubSpotSignature({ clientSecret: 'secret', method: 'POST', uri, body, signature, timestamp: String(now), now })).not.toThrow();
    // Signed for another URL (another connection's, or the proxy's inside address): refused.
    expect(() => verifyHubSpotSignature({ clientSecret: 'secret', method: 'POST', uri: `${uri}x`, body, signature, timestamp: String(now), now })).toThrow(/does not match/);
    expect(() => verifyHubSpotSignature({ clientSecret: 'secret', method: 'POST', uri, body, signature, timestamp: String(now + 6 * 60_000), now })).toThrow(/more than 5 minutes/);
    expect(() => verifyHubSpotSignature({ clientSecret: 'secret', method: 'POST', uri, body, signature, timestamp: 'yesterday', now })).toThrow(/not a millisecond timestamp/);
  });
});
