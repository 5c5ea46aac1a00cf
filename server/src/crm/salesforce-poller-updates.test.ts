// The app first: it loads @hono/zod-openapi before any shared zod schema is built.
import { setupTestApp, type TestWorkspace } from '../test/harness';
import { leads, outbox, routingRuns } from '@lead-router/db/schema';
import { runHistory } from '@lead-router/db/history-schema';
import { SalesforceContract } from '@lead-router/testkit/crm/salesforce-contract';
import { eq } from 'drizzle-orm';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestWorkflow } from '../routes/leads/leads.fixtures';
import { capturingLogger, TEST_PRIVATE_KEY, TEST_PUBLIC_KEY, TEST_SECRET_KEY } from './crm-test-kit';
import { SalesforcePoller } from './salesforce-poller';

// `onUpdate` of a connection: a record already routed that changes in Salesforce is ignored, or its lead is
// routed again when a mapped field changed (and only then: an owner written back changes no mapped field).

const t = setupTestApp();
const db = t.database.db;
const log = capturingLogger();
const config = { ...t.deps.config, SECRET_KEY: TEST_SECRET_KEY };
const call = t.callWith({ config, log });

let ws: TestWorkspace;
const servers: SalesforceContract[] = [];
beforeAll(async () => {
  ws = await t.workspace();
});
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

async function setup(onUpdate?: 'ignore' | 'reroute') {
  const sf = await SalesforceContract.start();
  servers.push(sf);
  sf.registerApp({ clientId: 'upd-app', clientSecret: 'x', certificate: TEST_PUBLIC_KEY });
  const owner = sf.registerUser('integration@acme.example');
  const wf = await createTestWorkflow(db, ws.id);
  const created = await call('POST', '/api/crm/connections', {
    key: ws.keys.admin,
    body: { provider: 'salesforce', authKind: 'jwt_bearer', name: 'Acme', loginUrl: sf.url, clientId: 'upd-app', username: 'integration@acme.example', privateKey: TEST_PRIVATE_KEY, workflowId: wf.id, ...(onUpdate ? { onUpdate } : {}) },
  });
  expect(created.status).toBe(201);
  const poller = new SalesforcePoller({ db, config, log, now: () => new Date(), engine: t.deps.engine }, { settleMs: 0, retry: { maxRetries: 0, minTimeout: 10 } });
  return { sf, wf, id: created.body.id as string, owner, poller };
}

/** Reads the record once as a new lead, and ends its run (as a finished route would). */
async function routedLead(s: Awaited<ReturnType<typeof setup>>) {
  const rec = s.sf.create('Lead', { FirstName: 'Ana', LastName: 'Lee', Email: 'ana@acme.example', Company: 'Acme', NumberOfEmployees: 40 });
  expect(await s.poller.pollConnection(s.id)).toMatchObject({ status: 'ok', created: 1 });
  const [l] = await db.select().from(leads).where(eq(leads.workflowId, s.wf.id));
  await db.update(routingRuns).set({ status: 'completed', completedAt: new Date() }).where(eq(routingRuns.leadId, l!.id));
  await new Promise((r) => setTimeout(r, 1_100)); // SystemModstamp is to the second
  return { rec, leadId: l!.id };
}

const runOf = async (leadId: string) => (await db.select().from(routingRuns).where(eq(routingRuns.leadId, leadId)))[0]!;
const dataOf = async (leadId: string) => (await db.select().from(leads).where(eq(leads.id, leadId)))[0]!.data;

describe('a changed record, by the connection’s onUpdate', () => {
  it('ignore (the default): counted as an update; the lead and its run stay as they were', async () => {
    const s = await setup();
    const { rec, leadId } = await routedLead(s);
    s.sf.update('Lead', rec.Id, { NumberOfEmployees: 900 });
    expect(await s.poller.pollConnection(s.id)).toMatchObject({ status: 'ok', created: 0, updated: 1 });
    expect(await runOf(leadId)).toMatchObject({ status: 'completed', runNumber: 1 });
    expect(await dataOf(leadId)).toMatchObject({ employees: 40 });
  });

  it('reroute: a mapped field changed: the lead takes the new values and is routed again (run 2 queued, run 1 kept)', async () => {
    const s = await setup('reroute');
    const { rec, leadId } = await routedLead(s);
    const outboxBefore = (await db.select().from(outbox).where(eq(outbox.leadId, leadId))).length;
    s.sf.update('Lead', rec.Id, { NumberOfEmployees: 900, Title: 'CTO' });
    expect(await s.poller.pollConnection(s.id)).toMatchObject({ status: 'ok', created: 0, updated: 1 });
    expect(await dataOf(leadId)).toMatchObject({ employees: 900, title: 'CTO', firstName: 'Ana' });
    expect(await runOf(leadId)).toMatchObject({ status: 'queued', runNumber: 2 });
    expect(await db.select().from(runHistory).where(eq(runHistory.leadId, leadId))).toHaveLength(1);
    expect((await db.select().from(outbox).where(eq(outbox.leadId, leadId))).length).toBe(outboxBefore + 1);
    expect(log.lines.some((l) => l.includes('crm lead re-routed after an update'))).toBe(true);
  });

  it('reroute: only the owner changed (a write-back): no second route', async () => {
    const s = await setup('reroute');
    const { rec, leadId } = await routedLead(s);
    s.sf.update('Lead', rec.Id, { OwnerId: s.owner });
    expect(await s.poller.pollConnection(s.id)).toMatchObject({ status: 'ok', updated: 1 });
    expect(await runOf(leadId)).toMatchObject({ status: 'completed', runNumber: 1 });
  });

  it('onUpdate is a setting of the connection: shown, changed, and refused when unknown (naming the field)', async () => {
    const s = await setup();
    expect((await call('GET', `/api/crm/connections/${s.id}`, { key: ws.keys.admin })).body.onUpdate).toBe('ignore');
    expect((await call('PATCH', `/api/crm/connections/${s.id}`, { key: ws.keys.admin, body: { onUpdate: 'reroute' } })).body.onUpdate).toBe('reroute');
    const bad = await call('PATCH', `/api/crm/connections/${s.id}`, { key: ws.keys.admin, body: { onUpdate: 'merge' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].path).toBe('onUpdate');
  });
});
