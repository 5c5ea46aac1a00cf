// The app first: it loads @hono/zod-openapi before any shared zod schema is built.
import { setupTestApp, type TestWorkspace } from '../test/harness';
import { crmConnections, crmPollMarks, crmRecords } from '@lead-router/db/crm-schema';
import { leads, outbox, routingRuns } from '@lead-router/db/schema';
import { SalesforceContract } from '@lead-router/testkit/crm/salesforce-contract';
import { and, eq, inArray } from 'drizzle-orm';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestWorkflow } from '../routes/leads/leads.fixtures';
import type { CrmDeps } from './connections.service';
import { capturingLogger, TEST_PRIVATE_KEY, TEST_PUBLIC_KEY, TEST_SECRET_KEY } from './crm-test-kit';
import { pollSoql, SalesforcePoller, type PollerOptions } from './salesforce-poller';

const t = setupTestApp();
const db = t.database.db;
const log = capturingLogger();
const config = { ...t.deps.config, SECRET_KEY: TEST_SECRET_KEY };
const call = t.callWith({ config, log });
const deps: CrmDeps = { db, config, log, now: () => new Date() };
/** Waits short enough for a test; jsforce's own retries off, so a failure is seen at once. */
const FAST: Partial<PollerOptions> = { settleMs: 0, tickMs: 50, leaseMs: 60_000, minBackoffMs: 5_000, maxBackoffMs: 60_000, limitBackoffMs: 600_000, retry: { maxRetries: 0, minTimeout: 10 } };

let ws: TestWorkspace;
const servers: SalesforceContract[] = [];
const pollers: SalesforcePoller[] = [];

beforeAll(async () => {
  ws = await t.workspace();
});
afterEach(async () => {
  for (const p of pollers.splice(0)) await p.stop();
  for (const s of servers.splice(0)) await s.close();
});

/** A contract org of the test's own, a published workflow, and a JWT connection to the org posting to it. */
async function setup(options: { batchSize?: number; objects?: string[]; ceiling?: number } = {}) {
  const sf = await SalesforceContract.start({ queryBatchSize: options.batchSize ?? 2000 });
  servers.push(sf);
  sf.registerApp({ clientId: 'poller-app', clientSecret: 'x', certificate: TEST_PUBLIC_KEY });
  sf.registerUser('integration@acme.example');
  const wf = await createTestWorkflow(db, ws.id);
  const created = await call('POST', '/api/crm/connections', {
    key: ws.keys.admin,
    body: { provider: 'salesforce', authKind: 'jwt_bearer', name: 'Acme', loginUrl: sf.url, clientId: 'poller-app', username: 'integration@acme.example', privateKey: TEST_PRIVATE_KEY, workflowId: wf.id, pollIntervalSeconds: 10, ...(options.objects ? { objects: options.objects } : {}), ...(options.ceiling ? { apiUsageCeilingPercent: options.ceiling } : {}) },
  });
  expect(created.status).toBe(201);
  return { sf, wf, id: created.body.id as string };
}

function poller(options: Partial<PollerOptions> = {}) {
  const p = new SalesforcePoller(deps, { ...FAST, ...options });
  pollers.push(p);
  return p;
}

/** The leads of a workflow with the CRM id each came from, oldest first. */
async function leadsOf(workflowId: string) {
  return db
    .select({ id: leads.id, key: leads.idempotencyKey, data: leads.data })
    .from(leads)
    .where(eq(leads.workflowId, workflowId))
    .orderBy(leads.receivedAt, leads.idempotencyKey);
}

async function connection(id: string) {
  const [row] = await db.select().from(crmConnections).where(eq(crmConnections.id, id));
  return row!;
}

const lead = (i: number) => ({ FirstName: `Ana${i}`, LastName: `Lee${i}`, Email: `ana${i}@acme.example`, Company: 'Acme', NumberOfEmployees: 100 + i, Country: 'US', LeadSource: 'Web' });

describe('the Salesforce poller', () => {
  it('a Lead created in Salesforce becomes one lead with its run and outbox row; an update makes no second lead or run', async () => {
    const { sf, wf, id } = await setup();
    const rec = sf.create('Lead', { ...lead(1), Title: 'CTO', AnnualRevenue: 5_000_000, Industry: 'Software' });
    const first = await poller().pollConnection(id);
    expect(first).toMatchObject({ status: 'ok', created: 1, updated: 0 });

    const [l] = await leadsOf(wf.id);
    expect(l!.key).toBe(`salesforce:Lead:${rec.Id}`);
    expect(l!.data).toMatchObject({ id: rec.Id, firstName: 'Ana1', lastName: 'Lee1', email: 'ana1@acme.example', company: 'Acme', employees: 101, annualRevenue: 5_000_000, title: 'CTO', country: 'US', industry: 'Software', leadSource: 'Web' });
    expect(typeof (l!.data as { createdAt?: unknown }).createdAt).toBe('string');
    expect(await db.select().from(outbox).where(eq(outbox.leadId, l!.id))).toHaveLength(1);
    expect(await db.select().from(routingRuns).where(eq(routingRuns.leadId, l!.id))).toHaveLength(1);
    const [link] = await db.select().from(crmRecords).where(eq(crmRecords.connectionId, id));
    expect(link).toMatchObject({ crmId: rec.Id, object: 'Lead', leadId: l!.id, updates: 0 });

    // Updated in Salesforce (SystemModstamp advances): read again, counted, no second lead or run.
    await new Promise((r) => setTimeout(r, 1_100));
    sf.update('Lead', rec.Id, { Title: 'CEO' });
    expect(await poller().pollConnection(id)).toMatchObject({ status: 'ok', created: 0, updated: 1 });
    expect(await leadsOf(wf.id)).toHaveLength(1);
    expect(await db.select().from(routingRuns).where(eq(routingRuns.workflowId, wf.id))).toHaveLength(1);
    expect((await db.select().from(crmRecords).where(eq(crmRecords.connectionId, id)))[0]!.updates).toBe(1);
    // Nothing new: the next poll reads nothing.
    expect(await poller().pollConnection(id)).toMatchObject({ status: 'ok', created: 0, updated: 0 });
    expect((await connection(id)).status).toBe('connected');
    expect((await connection(id)).apiUsed).toBeGreaterThan(0);
  });

  it('the SOQL is a high-water mark: after (SystemModstamp, Id), ordered by both', () => {
    expect(pollSoql('Lead', ['Email', 'Id'], { modstamp: '2026-01-02T03:04:05.000Z', lastId: '00Q000000000001AAA' }, 500)).toBe(
      "SELECT Id, SystemModstamp, Email FROM Lead WHERE SystemModstamp > 2026-01-02T03:04:05.000Z OR (SystemModstamp = 2026-01-02T03:04:05.000Z AND Id > '00Q000000000001AAA') ORDER BY SystemModstamp, Id LIMIT 500",
    );
    expect(pollSoql('Lead', [], { modstamp: '2026-01-02T03:04:05.000Z', lastId: '' }, 10, new Date('2026-01-02T03:05:00.000Z'))).toBe(
      "SELECT Id, SystemModstamp FROM Lead WHERE (SystemModstamp > 2026-01-02T03:04:05.000Z OR (SystemModstamp = 2026-01-02T03:04:05.000Z AND Id > '')) AND SystemModstamp < 2026-01-02T03:05:00.000Z ORDER BY SystemModstamp, Id LIMIT 10",
    );
    expect(() => pollSoql('Lead', [], { modstamp: '2026-01-02T03:04:05.000Z', lastId: "x' OR Id != '" }, 1)).toThrow();
  });

  it('records are read once their second is over: a same-second save with a lower Id never falls behind the mark', async () => {
    const { sf, wf, id } = await setup();
    const p = poller({ settleMs: 300 });
    const a = sf.create('Lead', lead(1));
    const b = sf.create('Lead', lead(2));
    // Without the settle window the poll would read a and b now, put the mark at (this second, b), and an
    // update of a later in this same second (stamp equal, Id lower) would never be read.
    const early = await p.pollConnection(id);
    const stampSecond = Date.parse(a.SystemModstamp.replace('+0000', 'Z'));
    if (Date.now() - 300 < stampSecond + 1000) {
      expect(early).toMatchObject({ status: 'ok', created: 0 });
      sf.update('Lead', a.Id, { Title: 'same second' });
    }
    await new Promise((r) => setTimeout(r, Math.max(0, stampSecond + 1_400 - Date.now())));
    expect(await p.pollConnection(id)).toMatchObject({ status: 'ok' });
    expect((await leadsOf(wf.id)).map((l) => l.key).sort()).toEqual([a.Id, b.Id].map((x) => `salesforce:Lead:${x}`).sort());
    expect(sf.requests.filter((r) => r.path.endsWith('/query')).length).toBe(2);
  });

  it('a poller stopped after the first page of a 3-page result: the next one misses no record and doubles none', async () => {
    const { sf, wf, id } = await setup({ batchSize: 2 });
    const ids = [1, 2, 3, 4, 5, 6].map((i) => sf.create('Lead', lead(i)).Id);
    let pages = 0;
    const crashing = poller({
      afterPage: () => {
        pages++;
        throw new Error('killed after the first page');
      },
    });
    expect(await crashing.pollConnection(id)).toMatchObject({ status: 'failed' });
    expect(pages).toBe(1);
    expect((await leadsOf(wf.id)).map((l) => l.key)).toEqual(ids.slice(0, 2).map((x) => `salesforce:Lead:${x}`));
    const [mark] = await db.select().from(crmPollMarks).where(eq(crmPollMarks.connectionId, id));
    expect(mark!.lastId).toBe(ids[1]);

    // Records change while the poller is down (a later second): one already read, one not yet.
    await new Promise((r) => setTimeout(r, 1_100));
    sf.update('Lead', ids[0]!, { Title: 'VP' });
    sf.update('Lead', ids[4]!, { Title: 'VP' });
    const queriesBefore = sf.requests.filter((r) => r.path.endsWith('/query')).length;
    const restarted = poller();
    expect(await restarted.pollConnection(id)).toMatchObject({ status: 'ok', created: 4, updated: 1 });
    // The restart asked from the mark on: one query, then its pages.
    expect(sf.requests.filter((r) => r.path.endsWith('/query')).length).toBe(queriesBefore + 1);
    const all = await leadsOf(wf.id);
    expect(all.map((l) => l.key).sort()).toEqual(ids.map((x) => `salesforce:Lead:${x}`).sort());
    expect(await db.select().from(routingRuns).where(eq(routingRuns.workflowId, wf.id))).toHaveLength(6);
    expect(await db.select().from(outbox).where(inArray(outbox.leadId, all.map((l) => l.id)))).toHaveLength(6);
  });

  it('the CRM down (refusing connections, mid-paging too): nothing lost, the poll backs off and resumes from the mark', async () => {
    const { sf, wf, id } = await setup({ batchSize: 2 });
    const ids = [1, 2, 3, 4].map((i) => sf.create('Lead', lead(i)).Id);
    const p = poller({ afterPage: () => void (sf.requests.length > 0 && sf.down('refuse')) });
    const before = Date.now();
    const down = await p.pollConnection(id);
    expect(down).toMatchObject({ status: 'failed', error: { kind: 'unreachable', message: expect.stringMatching(/could not be reached/) } });
    expect(await leadsOf(wf.id)).toHaveLength(2);
    const row = await connection(id);
    expect(row).toMatchObject({ status: 'error', failures: 1, leaseUntil: null, lastError: expect.stringMatching(/resumes from where it stopped/) });
    expect(row.nextPollAt.getTime()).toBeGreaterThanOrEqual(before + 5_000);

    // Still down at the next attempt: the wait doubles.
    expect(await poller().pollConnection(id)).toMatchObject({ status: 'failed' });
    expect((await connection(id)).failures).toBe(2);
    expect((await connection(id)).nextPollAt.getTime()).toBeGreaterThanOrEqual(Date.now() + 9_000);

    await sf.up();
    sf.create('Lead', lead(5));
    expect(await poller().pollConnection(id)).toMatchObject({ status: 'ok', created: 3 });
    expect((await leadsOf(wf.id)).map((l) => l.key).sort()).toEqual([...ids, sf.all('Lead').at(-1)!.Id].map((x) => `salesforce:Lead:${x}`).sort());
    expect(await connection(id)).toMatchObject({ status: 'connected', failures: 0, lastError: null });
  });

  it('503 SERVER_UNAVAILABLE is the same: nothing stored, resumed later', async () => {
    const { sf, wf, id } = await setup();
    sf.create('Lead', lead(1));
    await sf.down('503', 60_000);
    expect(await poller().pollConnection(id)).toMatchObject({ status: 'failed', error: { kind: 'unreachable' } });
    expect(await leadsOf(wf.id)).toHaveLength(0);
    await sf.up();
    expect(await poller().pollConnection(id)).toMatchObject({ status: 'ok', created: 1 });
  });

  it('REQUEST_LIMIT_EXCEEDED backs off for the limit wait; at the usage ceiling polling pauses without querying', async () => {
    const { sf, wf, id } = await setup({ ceiling: 50 });
    sf.create('Lead', lead(1));
    sf.setApiUsage(15_000, 15_000);
    const before = Date.now();
    expect(await poller().pollConnection(id)).toMatchObject({ status: 'failed', error: { kind: 'limit', code: 'REQUEST_LIMIT_EXCEEDED' } });
    const row = await connection(id);
    expect(row.nextPollAt.getTime()).toBeGreaterThanOrEqual(before + 600_000);
    expect(row.lastError).toMatch(/daily API allocation/);
    expect(await leadsOf(wf.id)).toHaveLength(0);

    // Usage known to be at 60% of the allocation with a 50% ceiling: one /limits call, no query.
    sf.setApiUsage(9_000, 15_000);
    await db.update(crmConnections).set({ apiUsed: 9_000, apiLimit: 15_000 }).where(eq(crmConnections.id, id));
    const queries = sf.requests.filter((r) => r.path.includes('/query')).length;
    expect(await poller().pollConnection(id)).toMatchObject({ status: 'at_ceiling', error: { code: 'API_USAGE_CEILING' } });
    expect(sf.requests.filter((r) => r.path.includes('/query')).length).toBe(queries);
    expect((await connection(id)).lastError).toMatch(/used 9001 of its 15000 daily API requests, at this connection's ceiling of 50%/);

    // Usage came down: polling resumes and reads what it missed.
    sf.setApiUsage(100, 15_000);
    expect(await poller().pollConnection(id)).toMatchObject({ status: 'ok', created: 1 });
  });

  it('running in the background: a Lead created in Salesforce is a lead within a poll; Contacts too when chosen', async () => {
    const { sf, wf, id } = await setup({ objects: ['Lead', 'Contact'] });
    const p = poller();
    p.start();
    const l = sf.create('Lead', lead(7));
    const c = sf.create('Contact', { FirstName: 'Bo', LastName: 'Chen', Email: 'bo@globex.example', MailingCountry: 'DE' });
    await expect.poll(async () => (await leadsOf(wf.id)).map((x) => x.key).sort(), { timeout: 5_000 }).toEqual([`salesforce:Contact:${c.Id}`, `salesforce:Lead:${l.Id}`].sort());
    const contact = (await leadsOf(wf.id)).find((x) => x.key === `salesforce:Contact:${c.Id}`)!;
    expect(contact.data).toMatchObject({ firstName: 'Bo', lastName: 'Chen', email: 'bo@globex.example', country: 'DE' });
    // The next poll waits for the interval (10 s), not the tick.
    expect((await connection(id)).nextPollAt.getTime()).toBeGreaterThan(Date.now() + 5_000);
    await p.stop();
    const rows = await db.select().from(crmRecords).where(and(eq(crmRecords.connectionId, id)));
    expect(rows).toHaveLength(2);
  });

  it('a web-server connection is not polled before its OAuth flow (no failing polls, no back-off)', async () => {
    const { sf, wf } = await setup();
    const web = await call('POST', '/api/crm/connections', { key: ws.keys.admin, body: { provider: 'salesforce', authKind: 'oauth_web_server', name: 'Not yet', loginUrl: sf.url, clientId: 'poller-app', clientSecret: 'x', workflowId: wf.id } });
    const seen = sf.requests.length;
    await poller().pollDue();
    expect(await connection(web.body.id)).toMatchObject({ status: 'new', failures: 0, lastPolledAt: null });
    expect(sf.requests.slice(seen).some((r) => r.path === '/services/oauth2/token' && r.status !== 200)).toBe(false);
  });

  it('a connection whose workflow is not published, or a server without SECRET_KEY, fails in plain words and keeps its mark', async () => {
    const { sf, id } = await setup();
    sf.create('Lead', lead(1));
    const draft = await createTestWorkflow(db, ws.id, { published: false });
    await db.update(crmConnections).set({ workflowId: draft.id }).where(eq(crmConnections.id, id));
    expect(await poller().pollConnection(id)).toMatchObject({ status: 'failed', error: { code: 'not_published' } });
    const noKey = new SalesforcePoller({ ...deps, config: { ...config, SECRET_KEY: undefined } }, FAST);
    expect(await noKey.pollConnection(id)).toMatchObject({ status: 'failed', error: { code: 'secret_key_missing', message: expect.stringMatching(/SECRET_KEY is not set/) } });
    expect(await db.select().from(crmPollMarks).where(eq(crmPollMarks.connectionId, id))).toHaveLength(0);
    expect(log.lines.join('\n')).not.toContain(TEST_PRIVATE_KEY.split('\n')[1]!);
    for (const token of servers.flatMap((s) => s.issuedTokens)) expect(log.lines.join('\n')).not.toContain(token);
  });
});
