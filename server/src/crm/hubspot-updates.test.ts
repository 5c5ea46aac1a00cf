// The app first: it loads @hono/zod-openapi before any shared zod schema is built.
import { setupTestApp, type TestWorkspace } from '../test/harness';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { leads, outbox, routingRuns } from '@lead-router/db/schema';
import { runHistory } from '@lead-router/db/history-schema';
import { deliverWebhook, HubSpotContract, webhookEvent } from '@lead-router/testkit/crm/hubspot-contract';
import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app';
import { createTestWorkflow } from '../routes/leads/leads.fixtures';
import { capturingLogger, TEST_SECRET_KEY } from './crm-test-kit';
import { HubSpotPoller } from './hubspot-poller';

// `onUpdate` of a HubSpot connection: a contact already routed that changes in HubSpot is ignored, or its
// lead is routed again when a mapped property changed (and only then: an owner written back changes no
// mapped property), whether the poller or a webhook propertyChange brings the change.

const t = setupTestApp();
const db = t.database.db;
const log = capturingLogger();
const config = { ...t.deps.config, SECRET_KEY: TEST_SECRET_KEY, PUBLIC_URL: undefined };
const call = t.callWith({ config, log });
const CLIENT_SECRET = 'hs-updates-secret';

let ws: TestWorkspace;
let base = '';
let server: ReturnType<typeof serve>;
const servers: HubSpotContract[] = [];
beforeAll(async () => {
  ws = await t.workspace();
  // A real HTTP server: HubSpot signs the full URI it calls. The app's deps carry the routing engine.
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
  for (const s of servers.splice(0)) await s.close();
});

async function setup(onUpdate?: 'ignore' | 'reroute') {
  const hs = await HubSpotContract.start();
  servers.push(hs);
  hs.registerApp({ clientId: 'hs-upd', clientSecret: CLIENT_SECRET });
  const wf = await createTestWorkflow(db, ws.id);
  const created = await call('POST', '/api/crm/connections', {
    key: ws.keys.admin,
    body: { provider: 'hubspot', authKind: 'hubspot_private_app', name: 'Acme HubSpot', loginUrl: hs.url, accessToken: hs.privateAppToken(), clientSecret: CLIENT_SECRET, workflowId: wf.id, ...(onUpdate ? { onUpdate } : {}) },
  });
  expect(created.status, created.text).toBe(201);
  const id = created.body.id as string;
  const poller = new HubSpotPoller({ db, config, log, now: () => new Date(), engine: t.deps.engine }, { settleMs: 0, retry: { max429Retries: 0, maxWaitMs: 10 } });
  return { hs, wf, id, poller, hook: `${base}/api/crm/hubspot/webhook/${id}` };
}

/** Reads the contact once as a new lead, and ends its run (as a finished route would). */
async function routedLead(s: Awaited<ReturnType<typeof setup>>) {
  const rec = s.hs.create('contacts', { firstname: 'Ana', lastname: 'Lee', email: 'ana@acme.example', company: 'Acme', jobtitle: 'VP Sales' });
  expect(await s.poller.pollConnection(s.id)).toMatchObject({ status: 'ok', created: 1 });
  const [l] = await db.select().from(leads).where(eq(leads.workflowId, s.wf.id));
  await db.update(routingRuns).set({ status: 'completed', completedAt: new Date() }).where(eq(routingRuns.leadId, l!.id));
  return { rec, leadId: l!.id };
}

const runOf = async (leadId: string) => (await db.select().from(routingRuns).where(eq(routingRuns.leadId, leadId)))[0]!;
const dataOf = async (leadId: string) => (await db.select().from(leads).where(eq(leads.id, leadId)))[0]!.data;
const outboxOf = async (leadId: string) => (await db.select().from(outbox).where(eq(outbox.leadId, leadId))).length;

describe('a changed HubSpot contact, by the connection’s onUpdate', () => {
  it('ignore (the default): counted as an update; the lead and its run stay as they were', async () => {
    const s = await setup();
    const { rec, leadId } = await routedLead(s);
    s.hs.update('contacts', rec.id, { jobtitle: 'CTO' });
    expect(await s.poller.pollConnection(s.id)).toMatchObject({ status: 'ok', created: 0, updated: 1 });
    expect(await runOf(leadId)).toMatchObject({ status: 'completed', runNumber: 1 });
    expect(await dataOf(leadId)).toMatchObject({ title: 'VP Sales' });
  });

  it('reroute, by the poller: a mapped property changed: the lead takes the new values and is routed again (run 2, run 1 kept)', async () => {
    const s = await setup('reroute');
    const { rec, leadId } = await routedLead(s);
    const before = await outboxOf(leadId);
    s.hs.update('contacts', rec.id, { jobtitle: 'CTO', company: 'Acme Corp' });
    expect(await s.poller.pollConnection(s.id)).toMatchObject({ status: 'ok', created: 0, updated: 1 });
    expect(await dataOf(leadId)).toMatchObject({ title: 'CTO', company: 'Acme Corp', firstName: 'Ana' });
    expect(await runOf(leadId)).toMatchObject({ status: 'queued', runNumber: 2 });
    expect(await db.select().from(runHistory).where(eq(runHistory.leadId, leadId))).toHaveLength(1);
    expect(await outboxOf(leadId)).toBe(before + 1);
    expect(log.lines.some((l) => l.includes('crm lead re-routed after an update') && l.includes(leadId))).toBe(true);
  });

  it('reroute, by a webhook propertyChange: the same (the app’s deps carry the engine); a redelivery re-routes nothing more', async () => {
    const s = await setup('reroute');
    const { rec, leadId } = await routedLead(s);
    s.hs.update('contacts', rec.id, { jobtitle: 'CFO' });
    const events = [webhookEvent('contact.propertyChange', rec.id, { portalId: s.hs.portalId, propertyName: 'jobtitle', propertyValue: 'CFO' })];
    expect(await deliverWebhook(s.hook, events, { clientSecret: CLIENT_SECRET })).toMatchObject({ status: 200, body: { created: 0, updated: 1 } });
    expect(await dataOf(leadId)).toMatchObject({ title: 'CFO' });
    expect(await runOf(leadId)).toMatchObject({ status: 'queued', runNumber: 2 });
    expect(await db.select().from(runHistory).where(eq(runHistory.leadId, leadId))).toHaveLength(1);
    expect(await deliverWebhook(s.hook, events, { clientSecret: CLIENT_SECRET })).toMatchObject({ status: 200, body: { updated: 0, unchanged: 1 } });
    expect(await runOf(leadId)).toMatchObject({ runNumber: 2 });
  });

  it('reroute: only the owner changed (a write-back): no second route', async () => {
    const s = await setup('reroute');
    const { rec, leadId } = await routedLead(s);
    const owner = s.hs.addOwner({ email: 'bo@acme.example' });
    s.hs.update('contacts', rec.id, { hubspot_owner_id: owner.id });
    expect(await s.poller.pollConnection(s.id)).toMatchObject({ status: 'ok', updated: 1 });
    expect(await runOf(leadId)).toMatchObject({ status: 'completed', runNumber: 1 });
    expect(await dataOf(leadId)).toMatchObject({ title: 'VP Sales' });
  });
});
