// The app first: it loads @hono/zod-openapi before any shared zod schema is built.
import { setupTestApp, type TestWorkspace } from '../test/harness';
import { crmRecords, crmWrites } from '@lead-router/db/crm-schema';
import { SalesforceContract } from '@lead-router/testkit/crm/salesforce-contract';
import { asc, eq } from 'drizzle-orm';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestWorkflow } from '../routes/leads/leads.fixtures';
import type { CrmDeps } from './connections.service';
import { capturingLogger, TEST_PRIVATE_KEY, TEST_PUBLIC_KEY, TEST_SECRET_KEY } from './crm-test-kit';
import { CrmWriter } from './crm-writer';
import { SalesforcePoller } from './salesforce-poller';

// The CRM writer against the Salesforce contract server through the real jsforce: batches of 200 in one
// sObject Collections call, a CRM that is down loses nothing, a refusal ends the write as failed.

const t = setupTestApp();
const db = t.database.db;
const log = capturingLogger();
const config = { ...t.deps.config, SECRET_KEY: TEST_SECRET_KEY };
const call = t.callWith({ config, log });
const deps: CrmDeps = { db, config, log, now: () => new Date() };

let ws: TestWorkspace;
const servers: SalesforceContract[] = [];
const writers: CrmWriter[] = [];

beforeAll(async () => {
  ws = await t.workspace();
});
afterEach(async () => {
  for (const w of writers.splice(0)) await w.stop();
  for (const s of servers.splice(0)) await s.close();
});

/** A contract org with `n` Leads polled into leads (so each has its crm_records link) and a sales user. */
async function setup(n: number) {
  const sf = await SalesforceContract.start();
  servers.push(sf);
  sf.registerApp({ clientId: 'writer-app', clientSecret: 'x', certificate: TEST_PUBLIC_KEY });
  sf.registerUser('integration@acme.example');
  const ana = sf.registerUser('ana@acme.example', { FirstName: 'Ana', LastName: 'Diaz' });
  const wf = await createTestWorkflow(db, ws.id);
  const created = await call('POST', '/api/crm/connections', {
    key: ws.keys.admin,
    body: { provider: 'salesforce', authKind: 'jwt_bearer', name: 'Acme', loginUrl: sf.url, clientId: 'writer-app', username: 'integration@acme.example', privateKey: TEST_PRIVATE_KEY, workflowId: wf.id },
  });
  expect(created.status).toBe(201);
  const id = created.body.id as string;
  for (let i = 0; i < n; i++) sf.create('Lead', { FirstName: `W${i}`, LastName: `Lead${i}`, Company: 'Acme', Email: `w${i}@acme.example` });
  const polled = await new SalesforcePoller(deps, { settleMs: 0, retry: { maxRetries: 0, minTimeout: 10 } }).pollConnection(id);
  expect(polled).toMatchObject({ status: 'ok', created: n });
  const links = await db.select().from(crmRecords).where(eq(crmRecords.connectionId, id)).orderBy(asc(crmRecords.crmId));
  return { sf, id, ana, links };
}

/** Queues a write as the crmUpdate activity does. */
async function queue(id: string, link: { crmId: string; leadId: string }, key: string, values: Partial<typeof crmWrites.$inferInsert> = {}) {
  await db.insert(crmWrites).values({ key, workspaceId: ws.id, connectionId: id, leadId: link.leadId, object: 'Lead', recordId: link.crmId, ...values });
}

function writer(options: Partial<CrmWriter['options']> = {}) {
  const w = new CrmWriter(deps, { tickMs: 50, minBackoffMs: 100, maxBackoffMs: 400, ...options });
  writers.push(w);
  return w;
}

const collectionCalls = (sf: SalesforceContract, method = 'PATCH') => sf.requests.filter((r) => r.method === method && r.path.endsWith('/composite/sobjects'));

async function rowsOf(id: string) {
  return db.select().from(crmWrites).where(eq(crmWrites.connectionId, id)).orderBy(asc(crmWrites.key));
}

describe('the CRM writer', () => {
  it('250 pending writes go to Salesforce in 2 sObject Collections calls, each owner and field written', async () => {
    const { sf, id, ana, links } = await setup(250);
    for (const [i, l] of links.entries()) await queue(id, l, `run-${String(i).padStart(3, '0')}:4`, { ownerCrmId: ana, fields: { Status: 'Working - Contacted' } });
    await writer().writeDue();
    expect(collectionCalls(sf)).toHaveLength(2);
    const rows = await rowsOf(id);
    expect(rows.every((r) => r.status === 'written' && r.attempts === 1 && r.answer?.recordId === r.recordId)).toBe(true);
    for (const l of links) expect(sf.get('Lead', l.crmId)).toMatchObject({ OwnerId: ana, Status: 'Working - Contacted' });
  }, 60_000);

  it('creates the task for the new owner on the record, and records its id', async () => {
    const { sf, id, ana, links } = await setup(1);
    await queue(id, links[0]!, 'task-run:3', { ownerCrmId: ana, task: { subject: 'Call within the hour', description: 'Inbound demo request', dueInDays: 1 } });
    await writer().writeDue();
    const [row] = await rowsOf(id);
    expect(row).toMatchObject({ status: 'written' });
    const task = sf.get('Task', row!.answer!.taskId!);
    expect(task).toMatchObject({ Subject: 'Call within the hour', WhoId: links[0]!.crmId, OwnerId: ana, Status: 'Not Started' });
    expect(task!.ActivityDate).toBe(new Date(Date.now() + 86_400_000).toISOString().slice(0, 10));
  });

  it('a Salesforce that is down (503, then refusing connections) loses nothing: the writes stay pending and go through once it is back', async () => {
    const { sf, id, ana, links } = await setup(3);
    for (const [i, l] of links.entries()) await queue(id, l, `down-${i}:2`, { ownerCrmId: ana });
    await sf.down('503');
    const w = writer();
    await w.writeDue();
    let rows = await rowsOf(id);
    expect(rows.map((r) => [r.status, r.attempts, r.answer?.errorCode])).toEqual(links.map(() => ['pending', 1, 'SERVER_UNAVAILABLE']));
    await sf.up();
    await sf.down('refuse');
    w.start();
    await new Promise((r) => setTimeout(r, 600));
    rows = await rowsOf(id);
    expect(rows.every((r) => r.status === 'pending' && r.attempts >= 2)).toBe(true);
    await sf.up();
    for (let i = 0; i < 100 && (await rowsOf(id)).some((r) => r.status === 'pending'); i++) await new Promise((r) => setTimeout(r, 50));
    rows = await rowsOf(id);
    expect(rows.map((r) => r.status)).toEqual(['written', 'written', 'written']);
    for (const l of links) expect(sf.get('Lead', l.crmId)!.OwnerId).toBe(ana);
  }, 30_000);

  it('a refusal (an owner id of no user) fails that write with Salesforce’s error; the others in the batch are written', async () => {
    const { sf, id, ana, links } = await setup(2);
    await queue(id, links[0]!, 'bad:5', { ownerCrmId: '005000000000999AAA' });
    await queue(id, links[1]!, 'good:5', { ownerCrmId: ana });
    await writer().writeDue();
    const [bad, good] = await rowsOf(id);
    expect(bad).toMatchObject({ status: 'failed', attempts: 1, answer: { errorCode: 'INVALID_CROSS_REFERENCE_KEY', recordId: links[0]!.crmId } });
    expect(bad!.answer!.message).toMatch(/invalid cross reference id/);
    expect(good).toMatchObject({ status: 'written' });
    expect(collectionCalls(sf)).toHaveLength(1);
    // Not sent again.
    await writer().writeDue();
    expect(collectionCalls(sf)).toHaveLength(1);
  });

  it('a row another writer holds (its lease) is left alone; one whose writer died (lease expired) is sent', async () => {
    const { sf, id, ana, links } = await setup(2);
    await queue(id, links[0]!, 'held:2', { ownerCrmId: ana, leaseUntil: new Date(Date.now() + 60_000) });
    await queue(id, links[1]!, 'orphan:2', { ownerCrmId: ana, leaseUntil: new Date(Date.now() - 1_000) });
    await writer().writeDue();
    const [held, orphan] = await rowsOf(id);
    expect(held).toMatchObject({ status: 'pending', attempts: 0 });
    expect(orphan).toMatchObject({ status: 'written', attempts: 1, leaseUntil: null });
    expect(sf.get('Lead', links[0]!.crmId)!.OwnerId ?? null).toBeNull();
  });

  it('gives up on a write still failing after giveUpAfterMs, with the last error', async () => {
    const { sf, id, ana, links } = await setup(1);
    await queue(id, links[0]!, 'late:2', { ownerCrmId: ana, createdAt: new Date(Date.now() - 10_000) });
    await sf.down('503');
    await writer({ giveUpAfterMs: 5_000 }).writeDue();
    const [row] = await rowsOf(id);
    expect(row).toMatchObject({ status: 'failed', answer: { errorCode: 'SERVER_UNAVAILABLE' } });
    expect(row!.answer!.message).toMatch(/^Gave up after 1 attempts/);
  });
});
