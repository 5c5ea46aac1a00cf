// The API's zod extension first: shared's schemas get `.openapi()` only if it is loaded before them.
import '@hono/zod-openapi';
import { randomUUID } from 'node:crypto';
import type { DirectoryInput, Graph } from '@lead-router/shared';
import { crmRecords, crmWrites } from '@lead-router/db/crm-schema';
import { leads, traceSteps, workflows } from '@lead-router/db/schema';
import { HubSpotContract, signV3, webhookEvent, type HubSpotWebhookEvent } from '@lead-router/testkit/crm/hubspot-contract';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_SECRET_KEY } from '../../../server/src/crm/crm-test-kit';
import { CrmSync } from '../../../server/src/crm/crm-sync';
import { CrmWriter } from '../../../server/src/crm/crm-writer';
import { createApiKey, createWorkspace } from '../../../server/src/services/workspaces.service';
import { insertVersion, seedDirectory } from '../test/test-db';
import { startApiStack, type ApiStack } from './api-stack';

// Owners out to HubSpot, nothing mocked: a contact created in the HubSpot contract server is delivered by a
// v3-signed webhook (contact.creation) to the API, routed by a published workflow with a crm_update step on
// Temporal (a real worker and its activities), and the server's CRM writer sets its hubspot_owner_id to the
// linked rep's owner (owners synced by email) through the real @hubspot/api-client's batch update.

const taskQueue = `crm-update-hs-e2e-${randomUUID().slice(0, 8)}`;
const CLIENT_SECRET = 'hs-e2e-secret-41c9';
const directory: DirectoryInput = {
  reps: [
    { id: 'ana', name: 'Ana Diaz', email: 'Ana@Acme.example', timeZone: 'UTC', workingHours: null },
    { id: 'ben', name: 'Ben Okafor', email: 'ben@acme.example', timeZone: 'UTC', workingHours: null },
  ],
};

/** trigger -> assign (a named rep) -> crm_update (owner, a constant and a lead field, a task) -> written / failed ends. */
function graph(repId: string): Graph {
  return {
    schemaVersion: 1,
    nodes: [
      { id: 'trigger', type: 'trigger', position: { x: 0, y: 0 }, config: { source: 'crm' } },
      { id: 'assign', type: 'assign', position: { x: 0, y: 100 }, config: { strategy: { type: 'specific_rep', repId }, eligibility: { skills: [], respectCapacity: false, respectWorkingHours: false, respectOutOfOffice: false }, excludePreviousAssignees: false } },
      { id: 'nobody', type: 'end', position: { x: 200, y: 100 }, config: { outcome: 'unassigned' } },
      {
        id: 'crm',
        type: 'crm_update',
        position: { x: 0, y: 200 },
        config: { connectionId: null, writeOwner: true, fields: [{ source: 'constant', crmField: 'hs_lead_status', value: 'OPEN' }, { source: 'lead', crmField: 'jobtitle', leadField: 'title' }], task: { subject: 'Call the new contact', dueInDays: 1 } },
      },
      { id: 'done', type: 'end', position: { x: 0, y: 300 }, config: { outcome: 'completed' } },
      { id: 'crm_failed', type: 'end', position: { x: 200, y: 300 }, config: { outcome: 'crm_failed' } },
    ],
    edges: [
      { id: 'e1', source: 'trigger', sourceHandle: 'next', target: 'assign' },
      { id: 'e2', source: 'assign', sourceHandle: 'assigned', target: 'crm' },
      { id: 'e3', source: 'assign', sourceHandle: 'no_eligible_rep', target: 'nobody' },
      { id: 'e4', source: 'crm', sourceHandle: 'written', target: 'done' },
      { id: 'e5', source: 'crm', sourceHandle: 'failed', target: 'crm_failed' },
    ],
  } as Graph;
}

let stack: ApiStack | undefined;
const servers: HubSpotContract[] = [];
let stopped = false;
let writer: CrmWriter;
let draining: NodeJS.Timeout | undefined;
let wsId: string;
let admin: string;

beforeAll(async () => {
  stack = await startApiStack(taskQueue, { SECRET_KEY: TEST_SECRET_KEY });
  const db = stack.database.db;
  const ws = await createWorkspace(db, `crm-hs-${randomUUID().slice(0, 8)}`);
  wsId = ws.id;
  admin = (await createApiKey(db, { workspaceId: ws.id, name: 'admin', role: 'admin' })).key;
  await seedDirectory(db, ws.id, directory);
  writer = new CrmWriter(stack.deps, { tickMs: 50 });
  writer.start();
  const dispatcher = stack.dispatcher;
  const drain = () => {
    if (!stopped) draining = setTimeout(() => void dispatcher.drainOnce().catch(() => {}).finally(drain), 50);
  };
  drain();
}, 120_000);

afterAll(async () => {
  stopped = true;
  if (draining) clearTimeout(draining);
  await writer?.stop();
  for (const s of servers) await s.close();
  await stack?.close();
}, 60_000);

/** An account of its own with owners, a published workflow assigning to `repId`, a HubSpot connection posting into it; owners synced. */
async function connect(repId: string) {
  const db = stack!.database.db;
  const hs = await HubSpotContract.start();
  servers.push(hs);
  hs.registerApp({ clientId: 'hs-e2e-app', clientSecret: CLIENT_SECRET });
  const anaOwner = hs.addOwner({ email: 'ana@acme.example', firstName: 'Ana', lastName: 'Diaz' });
  hs.addOwner({ email: 'someone.else@acme.example', firstName: 'Someone', lastName: 'Else' });
  const [wf] = await db.insert(workflows).values({ workspaceId: wsId, name: `HubSpot ${repId} ${randomUUID().slice(0, 6)}`, webhookSecret: randomUUID() }).returning({ id: workflows.id });
  const { versionId } = await insertVersion(db, wf!.id, graph(repId), directory);
  await db.update(workflows).set({ activeVersionId: versionId }).where(eq(workflows.id, wf!.id));
  const res = await stack!.app.request('/api/crm/connections', {
    method: 'POST',
    headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
    body: JSON.stringify({ provider: 'hubspot', authKind: 'hubspot_private_app', name: `Acme HubSpot ${repId}`, loginUrl: hs.url, accessToken: hs.privateAppToken(), clientSecret: CLIENT_SECRET, workflowId: wf!.id }),
  });
  expect(res.status, await res.clone().text()).toBe(201);
  const id = ((await res.json()) as { id: string }).id;
  expect(await new CrmSync(stack!.deps).syncConnection(id)).toMatchObject({ linkedReps: 1 });
  return { hs, anaOwner, id, workflowId: wf!.id };
}

/** A delivery as HubSpot sends it: the app in process, so the signed URI is the one it is asked with. */
async function deliver(connectionId: string, events: HubSpotWebhookEvent[], clientSecret: string) {
  const uri = `http://localhost/api/crm/hubspot/webhook/${connectionId}`;
  const body = JSON.stringify(events);
  const timestamp = Date.now();
  const res = await stack!.app.request(uri, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'X-HubSpot-Signature-v3': signV3(clientSecret, 'POST', uri, body, timestamp), 'X-HubSpot-Request-Timestamp': String(timestamp), 'X-HubSpot-Signature-Version': 'v3' },
    body,
  });
  return { status: res.status, body: (await res.json()) as unknown };
}

async function until<T>(what: string, get: () => Promise<T | null | undefined> | T | null | undefined, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await get();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function stepOf(leadId: string, nodeId: string) {
  const [s] = await stack!.database.db.select().from(traceSteps).where(and(eq(traceSteps.leadId, leadId), eq(traceSteps.nodeId, nodeId)));
  return s;
}

const contact = (n: string) => ({ firstname: n, lastname: 'Coyote', email: `${n.toLowerCase()}@acme.example`, company: 'Acme', jobtitle: 'Chief Engineer' });

describe('crm_update end to end, HubSpot', () => {
  it('a contact delivered by a signed webhook is routed and its hubspot_owner_id written within 5 s of the delivery; the trace shows HubSpot’s answer', async () => {
    const { hs, anaOwner, id } = await connect('ana');
    const rec = hs.create('contacts', contact('Wile'));
    const deliveredAt = Date.now();
    const r = await deliver(id, [webhookEvent('contact.creation', rec.id, { portalId: hs.portalId })], CLIENT_SECRET);
    expect(r).toMatchObject({ status: 200, body: { created: 1 } });
    await until('the owner in HubSpot', () => hs.get('contacts', rec.id)?.properties.hubspot_owner_id === anaOwner.id || null, 5_000);
    const elapsed = Date.now() - deliveredAt;
    expect(elapsed).toBeLessThan(5_000);
    console.log(`crm_update HubSpot e2e: hubspot_owner_id written ${elapsed} ms after the delivery`);

    expect(hs.get('contacts', rec.id)!.properties).toMatchObject({ hubspot_owner_id: anaOwner.id, hs_lead_status: 'OPEN', jobtitle: 'Chief Engineer' });
    const [link] = await stack!.database.db.select().from(crmRecords).where(and(eq(crmRecords.connectionId, id), eq(crmRecords.crmId, rec.id)));
    expect(link).toMatchObject({ object: 'contacts' });
    const step = await until('the crm step in the trace', () => stepOf(link!.leadId, 'crm'));
    expect(step).toMatchObject({ nodeType: 'crm_update', outcome: 'written', next: 'done', decision: 'Written to the CRM' });
    const taskId = (step.output as { taskId: string }).taskId;
    expect(step.output).toMatchObject({ written: true, object: 'contacts', recordId: rec.id, ownerCrmId: anaOwner.id, fields: { hs_lead_status: 'OPEN', jobtitle: 'Chief Engineer' } });
    expect(step.explanation.join('\n')).toContain(`HubSpot saved contacts ${rec.id} and task ${taskId}`);
    expect(hs.get('tasks', taskId)).toMatchObject({ properties: { hs_task_subject: 'Call the new contact', hubspot_owner_id: anaOwner.id }, associations: [{ toObjectId: rec.id, associationTypeId: 204 }] });
    // One batch update call carried the owner.
    const updates = hs.requests.filter((q) => q.path === '/crm/v3/objects/contacts/batch/update');
    expect(updates).toHaveLength(1);
    expect(updates[0]).toMatchObject({ status: 200 });
    const [row] = await stack!.database.db.select().from(crmWrites).where(eq(crmWrites.leadId, link!.leadId));
    expect(row).toMatchObject({ status: 'written', attempts: 1, object: 'contacts', ownerCrmId: anaOwner.id });
  }, 60_000);

  it('a mis-signed delivery creates nothing: 401, no lead, no run, HubSpot not read nor written', async () => {
    const { hs, id, workflowId } = await connect('ana');
    const rec = hs.create('contacts', contact('Marvin'));
    const r = await deliver(id, [webhookEvent('contact.creation', rec.id, { portalId: hs.portalId })], 'not-the-client-secret');
    expect(r).toMatchObject({ status: 401, body: { error: { code: 'invalid_signature', message: expect.stringMatching(/X-HubSpot-Signature-v3 does not match/) } } });
    await new Promise((res) => setTimeout(res, 500));
    expect(await stack!.database.db.select().from(leads).where(eq(leads.workflowId, workflowId))).toHaveLength(0);
    expect(await stack!.database.db.select().from(crmRecords).where(eq(crmRecords.connectionId, id))).toHaveLength(0);
    expect(hs.requests.filter((q) => q.path.startsWith('/crm/v3/objects/contacts'))).toHaveLength(0);
    expect(hs.get('contacts', rec.id)!.properties.hubspot_owner_id ?? null).toBeNull();
  }, 60_000);
});
