// The API's zod extension first: shared's schemas get `.openapi()` only if it is loaded before them.
import '@hono/zod-openapi';
import { randomUUID } from 'node:crypto';
import type { DirectoryInput, Graph } from '@lead-router/shared';
import { crmRecords, crmUsers, crmWrites } from '@lead-router/db/crm-schema';
import { traceSteps, workflows } from '@lead-router/db/schema';
import { SalesforceContract } from '@lead-router/testkit/crm/salesforce-contract';
import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_PRIVATE_KEY, TEST_PUBLIC_KEY, TEST_SECRET_KEY } from '../../../server/src/crm/crm-test-kit';
import { CrmSync } from '../../../server/src/crm/crm-sync';
import { CrmWriter } from '../../../server/src/crm/crm-writer';
import { SalesforcePoller } from '../../../server/src/crm/salesforce-poller';
import { createApiKey, createWorkspace } from '../../../server/src/services/workspaces.service';
import { createActivities } from '../activities/index';
import { insertVersion, seedDirectory } from '../test/test-db';
import { startApiStack, type ApiStack } from './api-stack';

// Owners out, nothing mocked: a Lead created in the Salesforce contract server is polled (jsforce), routed by
// a published workflow with a crm_update step on Temporal (a real worker and its activities), and the
// server's CRM writer writes the rep's Salesforce user as its OwnerId through sObject Collections.

const taskQueue = `crm-update-e2e-${randomUUID().slice(0, 8)}`;
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
        config: { connectionId: null, writeOwner: true, fields: [{ source: 'constant', crmField: 'Status', value: 'Working - Contacted' }, { source: 'lead', crmField: 'Title', leadField: 'title' }], task: { subject: 'Call the new lead', dueInDays: 1 } },
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
const servers: SalesforceContract[] = [];
let stopped = false;
let writer: CrmWriter;
let draining: NodeJS.Timeout | undefined;
let wsId: string;
let admin: string;

beforeAll(async () => {
  stack = await startApiStack(taskQueue, { SECRET_KEY: TEST_SECRET_KEY });
  const db = stack.database.db;
  const ws = await createWorkspace(db, `crm-${randomUUID().slice(0, 8)}`);
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

/** An org of its own, a published workflow assigning to `repId`, a Salesforce connection polling into it; users synced. */
async function connect(repId: string) {
  const db = stack!.database.db;
  const sf = await SalesforceContract.start();
  servers.push(sf);
  sf.registerApp({ clientId: 'e2e-app', clientSecret: 'x', certificate: TEST_PUBLIC_KEY });
  sf.registerUser('integration@acme.example');
  const anaUser = sf.registerUser('ana@acme.example', { Name: 'Ana Diaz' });
  const [wf] = await db.insert(workflows).values({ workspaceId: wsId, name: `CRM ${repId}`, webhookSecret: randomUUID() }).returning({ id: workflows.id });
  const { versionId } = await insertVersion(db, wf!.id, graph(repId), directory);
  await db.update(workflows).set({ activeVersionId: versionId }).where(eq(workflows.id, wf!.id));
  const res = await stack!.app.request('/api/crm/connections', {
    method: 'POST',
    headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
    body: JSON.stringify({ provider: 'salesforce', authKind: 'jwt_bearer', name: `Acme ${repId}`, loginUrl: sf.url, clientId: 'e2e-app', username: 'integration@acme.example', privateKey: TEST_PRIVATE_KEY, workflowId: wf!.id }),
  });
  expect(res.status).toBe(201);
  const id = ((await res.json()) as { id: string }).id;
  expect(await new CrmSync(stack!.deps).syncConnection(id)).toMatchObject({ linkedReps: 1 });
  return { sf, anaUser, id, poller: new SalesforcePoller(stack!.deps, { settleMs: 0, retry: { maxRetries: 0, minTimeout: 10 } }) };
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

async function leadOf(connectionId: string, crmId: string) {
  const [r] = await stack!.database.db.select().from(crmRecords).where(and(eq(crmRecords.connectionId, connectionId), eq(crmRecords.crmId, crmId)));
  return r?.leadId;
}

describe('crm_update end to end', () => {
  it('a Lead created in Salesforce is routed and its OwnerId written back within 5 s of the poll; the trace shows Salesforce’s answer', async () => {
    const { sf, anaUser, id, poller } = await connect('ana');
    const rec = sf.create('Lead', { FirstName: 'Wile', LastName: 'Coyote', Company: 'Acme', Email: 'wile@acme.example', Title: 'Chief Engineer' });
    const polledAt = Date.now();
    expect(await poller.pollConnection(id)).toMatchObject({ status: 'ok', created: 1 });
    await until('the owner in Salesforce', () => sf.get('Lead', rec.Id)?.OwnerId === anaUser || null, 5_000);
    const elapsed = Date.now() - polledAt;
    expect(elapsed).toBeLessThan(5_000);
    console.log(`crm_update e2e: OwnerId written ${elapsed} ms after the poll`);

    expect(sf.get('Lead', rec.Id)).toMatchObject({ OwnerId: anaUser, Status: 'Working - Contacted', Title: 'Chief Engineer' });
    const leadId = (await leadOf(id, rec.Id))!;
    const step = await until('the crm step in the trace', () => stepOf(leadId, 'crm'));
    expect(step).toMatchObject({ nodeType: 'crm_update', outcome: 'written', next: 'done', decision: 'Written to the CRM' });
    const taskId = (step.output as { taskId: string }).taskId;
    expect(step.output).toMatchObject({ written: true, object: 'Lead', recordId: rec.Id, ownerCrmId: anaUser, fields: { Status: 'Working - Contacted', Title: 'Chief Engineer' } });
    expect(sf.get('Task', taskId)).toMatchObject({ Subject: 'Call the new lead', WhoId: rec.Id, OwnerId: anaUser });
    expect(step.explanation).toContain(`Record: Lead ${rec.Id}`);

    // A retried activity (the same run and step) finds its write: nothing is written twice.
    const calls = sf.requests.filter((r) => r.path.endsWith('/composite/sobjects')).length;
    const [row] = await stack!.database.db.select().from(crmWrites).where(eq(crmWrites.leadId, leadId));
    const acts = createActivities({ db: stack!.database.db });
    const again = await acts.crmUpdate({ workspaceId: wsId, workflowId: row!.key.split(':')[0]!, leadId, nodeId: 'crm', seq: Number(row!.key.split(':')[1]), config: graph('ana').nodes[3]!.config as never, lead: {}, assignee: { type: 'rep', id: 'ana', name: 'Ana Diaz' } });
    expect(again).toMatchObject({ written: true, recordId: rec.Id, taskId });
    expect(await stack!.database.db.select().from(crmWrites).where(eq(crmWrites.leadId, leadId))).toHaveLength(1);
    expect(sf.requests.filter((r) => r.path.endsWith('/composite/sobjects')).length).toBe(calls);
  }, 60_000);

  it('Salesforce down (503) when the write is due: the write is retried and lands once it is back, nothing lost', async () => {
    const { sf, anaUser, id, poller } = await connect('ana');
    const rec = sf.create('Lead', { FirstName: 'Marvin', LastName: 'Martian', Company: 'Acme', Email: 'marvin@acme.example' });
    expect(await poller.pollConnection(id)).toMatchObject({ status: 'ok', created: 1 });
    // Down before the run reaches its crm_update step (it must be dispatched and routed first).
    await sf.down('503', 2_500);
    const leadId = (await until('the lead', () => leadOf(id, rec.Id)))!;
    await until('a failed attempt', async () => {
      const [w] = await stack!.database.db.select().from(crmWrites).where(eq(crmWrites.leadId, leadId));
      return w && w.attempts >= 1 && w.status === 'pending' ? w : null;
    });
    expect(sf.get('Lead', rec.Id)!.OwnerId ?? null).toBeNull();
    const step = await until('the crm step in the trace', () => stepOf(leadId, 'crm'), 20_000);
    expect(step).toMatchObject({ outcome: 'written' });
    expect(step.explanation.join('\n')).toMatch(/after \d+ attempts/);
    expect(sf.get('Lead', rec.Id)!.OwnerId).toBe(anaUser);
    expect(sf.requests.some((r) => r.status === 503 && r.path.endsWith('/composite/sobjects'))).toBe(true);
  }, 60_000);

  it('Salesforce refusing the owner (INVALID_CROSS_REFERENCE_KEY) takes the failed outcome with the error in the trace', async () => {
    const { sf, id, poller } = await connect('ben');
    // Ben's Salesforce user was deleted in the org after the sync: a well-formed id of no user.
    await stack!.database.db.insert(crmUsers).values({ connectionId: id, crmId: '005000000000999AAA', email: 'BEN@acme.example', name: 'Ben Okafor' });
    const rec = sf.create('Lead', { FirstName: 'Road', LastName: 'Runner', Company: 'Acme', Email: 'road@acme.example' });
    expect(await poller.pollConnection(id)).toMatchObject({ status: 'ok', created: 1 });
    const leadId = (await until('the lead', () => leadOf(id, rec.Id)))!;
    const step = await until('the crm step in the trace', () => stepOf(leadId, 'crm'));
    expect(step).toMatchObject({ outcome: 'failed', next: 'crm_failed', decision: 'Not written: INVALID_CROSS_REFERENCE_KEY' });
    expect(step.output).toMatchObject({ written: false, errorCode: 'INVALID_CROSS_REFERENCE_KEY', recordId: rec.Id });
    expect(step.explanation.join('\n')).toMatch(/INVALID_CROSS_REFERENCE_KEY: Owner ID: invalid cross reference id/);
    expect(sf.get('Lead', rec.Id)!.OwnerId ?? null).toBeNull();
    const rows = await stack!.database.db.select().from(crmWrites).where(eq(crmWrites.leadId, leadId)).orderBy(asc(crmWrites.key));
    expect(rows.map((r) => r.status)).toEqual(['failed']);
  }, 60_000);
});
