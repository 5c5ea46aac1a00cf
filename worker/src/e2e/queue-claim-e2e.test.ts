// The API's zod extension first: shared's schemas get `.openapi()` only if it is loaded before them.
import '@hono/zod-openapi';
import { randomUUID } from 'node:crypto';
import type { DirectoryInput, Graph, GraphNode, Lead } from '@lead-router/shared';
import { demoDirectory } from '@lead-router/shared/fixtures';
import { edgeId, GRAPH_SCHEMA_VERSION } from '@lead-router/shared';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, notifications, repLoads, sessions, workflows } from '@lead-router/db/schema';
import { stateQuery, workflowIdOf, type RouteLeadResult, type RouteState } from '@lead-router/shared/workflow-contract';
import { sha256 } from '../../../server/src/auth/secrets';
import { createApiKey, createUser, createWorkspace } from '../../../server/src/services/workspaces.service';
import { insertVersion, seedDirectory, type TestDatabase } from '../test/test-db';
import { startApiStack, type ApiStack } from './api-stack';

// Issue 15: a claim from the API reaches a workflow still waiting on a queued lead, and the route goes on
// from the claim. Nothing mocked: the API app in process over a scratch database, its Temporal client and
// outbox dispatcher, a worker with the real activities, on Temporal's time-skipping test server.

const directory: DirectoryInput = {
  ...demoDirectory,
  reps: demoDirectory.reps.map((r) => ({ ...r, workingHours: null })),
  queues: [{ id: 'q-enterprise', name: 'Enterprise queue' }],
};
const LEAD: Lead = { firstName: 'Selina', lastName: 'Kyle', email: 'selina@kyle.com', company: 'Kyle Holdings', leadSource: 'Demo Request' };
const taskQueue = `queue-claim-e2e-${randomUUID().slice(0, 8)}`;

const at = (x: number, y: number) => ({ x: x * 280, y: y * 140 });
const edge = (source: string, sourceHandle: string, target: string) => ({ id: edgeId(source, sourceHandle, target), source, sourceHandle, target });

/** Trigger -> the Enterprise queue -> wait an hour for someone to take it -> tell the taker -> end. */
const waitingQueueGraph: Graph = {
  schemaVersion: GRAPH_SCHEMA_VERSION,
  nodes: [
    { id: 'trigger', type: 'trigger', position: at(0, 0), label: 'Inbound', config: { source: 'webhook' } },
    { id: 'to-queue', type: 'assign', position: at(0, 1), label: 'Enterprise queue', config: { strategy: { type: 'queue', queueId: 'q-enterprise' } } },
    { id: 'pickup', type: 'wait', position: at(0, 2), label: 'Picked up within an hour', config: { until: 'accepted', timeout: { amount: 1, unit: 'hours' } } },
    { id: 'tell', type: 'notify', position: at(0, 3), label: 'Tell the taker', config: { channel: 'in_app', recipient: { type: 'assignee' }, message: 'Yours now: {{firstName}} {{lastName}}' } },
    { id: 'end-taken', type: 'end', position: at(0, 4), label: 'Taken', config: { outcome: 'taken' } },
    { id: 'end-stale', type: 'end', position: at(1, 3), label: 'Stale', config: { outcome: 'stale' } },
  ] as GraphNode[],
  edges: [
    edge('trigger', 'next', 'to-queue'),
    edge('to-queue', 'assigned', 'pickup'),
    edge('to-queue', 'no_eligible_rep', 'end-stale'),
    edge('pickup', 'accepted', 'tell'),
    edge('pickup', 'rejected', 'end-stale'),
    edge('pickup', 'timed_out', 'end-stale'),
    edge('tell', 'next', 'end-taken'),
  ],
};

/** Trigger -> the Enterprise queue -> end: the claim comes after the run has ended. */
const parkingGraph: Graph = {
  ...waitingQueueGraph,
  nodes: waitingQueueGraph.nodes.filter((n) => ['trigger', 'to-queue', 'end-taken', 'end-stale'].includes(n.id)),
  edges: [edge('trigger', 'next', 'to-queue'), edge('to-queue', 'assigned', 'end-taken'), edge('to-queue', 'no_eligible_rep', 'end-stale')],
};

let stack: ApiStack | undefined;
let env: TestWorkflowEnvironment;
let database: TestDatabase;
let app: ApiStack['app'];
let dispatcher: ApiStack['dispatcher'];

beforeAll(async () => {
  stack = await startApiStack(taskQueue);
  ({ env, database, app, dispatcher } = stack);
}, 120_000);

afterAll(async () => {
  await stack?.close();
}, 60_000);

type Auth = { key: string } | { cookie: string };

async function call(method: string, path: string, auth: Auth, body?: unknown) {
  const headers: Record<string, string> = body !== undefined ? { 'content-type': 'application/json' } : {};
  if ('key' in auth) headers.authorization = `Bearer ${auth.key}`;
  else headers.cookie = `lr_session=${auth.cookie}`;
  const res = await app.request(path, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as any }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** A workspace with `graph` published, an ingest key and Ana Diaz signed in as a rep (role viewer). */
async function setup(graph: Graph) {
  const ws = await createWorkspace(database.db, `claims-${randomUUID().slice(0, 8)}`);
  const ingest = (await createApiKey(database.db, { workspaceId: ws.id, name: 'site', role: 'ingest' })).key;
  const viewer = (await createApiKey(database.db, { workspaceId: ws.id, name: 'wall', role: 'viewer' })).key;
  const [wf] = await database.db.insert(workflows).values({ workspaceId: ws.id, name: 'Enterprise inbound', webhookSecret: randomUUID() }).returning({ id: workflows.id });
  if (!wf) throw new Error('no workflow');
  await seedDirectory(database.db, ws.id, directory);
  const { versionId } = await insertVersion(database.db, wf.id, graph, directory);
  await database.db.update(workflows).set({ activeVersionId: versionId }).where(eq(workflows.id, wf.id));
  const ana = await createUser(database.db, { workspaceId: ws.id, email: `ana-${randomUUID().slice(0, 8)}@example.com`, name: 'Ana Diaz', role: 'viewer', password: 'correct horse battery staple', repId: 'rep-ana' });
  const token = randomUUID();
  await database.db.insert(sessions).values({ tokenHash: sha256(token), userId: ana.id, expiresAt: new Date(Date.now() + 3_600_000) });
  return { workspaceId: ws.id, workflowId: wf.id, ingest, viewer, ana: { cookie: token } };
}

/** Drains the outbox until the workflow's state satisfies `done`. */
async function until(leadId: string, done: (s: RouteState) => boolean): Promise<RouteState> {
  const handle = env.client.workflow.getHandle(workflowIdOf(leadId));
  for (let i = 0; i < 300; i++) {
    await dispatcher.drainOnce();
    const s = await handle.query(stateQuery).catch(() => null);
    if (s && done(s)) return s;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the run never got there');
}

const openLeads = async (workspaceId: string, repId: string) =>
  (await database.db.select({ n: repLoads.openLeads }).from(repLoads).where(and(eq(repLoads.workspaceId, workspaceId), eq(repLoads.repId, repId))))[0]?.n ?? 0;

describe('a claim reaches the routing workflow', () => {
  it('a claim on a lead whose workflow waits: the wait is accepted by the claimer and the route goes on from there', async () => {
    const t = await setup(waitingQueueGraph);
    const posted = await call('POST', `/api/workflows/${t.workflowId}/leads`, { key: t.ingest }, LEAD);
    expect(posted.status).toBe(202);
    const leadId: string = posted.body.leadId;
    const waiting = await until(leadId, (s) => s.status === 'waiting' && s.nodeId === 'pickup');
    expect(waiting.assignee).toMatchObject({ type: 'queue', id: 'q-enterprise' });

    const queued = await call('GET', '/api/queues/q-enterprise/leads', { key: t.viewer });
    expect(queued.body.items).toMatchObject([{ leadId, name: 'Selina Kyle', source: 'Demo Request', status: 'waiting', sla: { breached: false }, workflow: { name: 'Enterprise inbound' } }]);
    expect(queued.body.items[0].sla.deadlineAt).not.toBeNull();

    const loadBefore = await openLeads(t.workspaceId, 'rep-ana');
    const claimed = await call('POST', `/api/queues/q-enterprise/leads/${leadId}/claim`, t.ana);
    expect(claimed.status, JSON.stringify(claimed.body)).toBe(200);
    expect(claimed.body).toMatchObject({ leadId, result: 'assigned', rep: { id: 'rep-ana', name: 'Ana Diaz' }, signalled: true, override: null });

    const handle = env.client.workflow.getHandle(workflowIdOf(leadId));
    const result = (await handle.result()) as RouteLeadResult;
    expect(result).toMatchObject({ status: 'completed', outcome: 'taken', assignee: { type: 'rep', id: 'rep-ana' } });
    expect(result.path).toEqual(['trigger', 'to-queue', 'pickup', 'tell', 'end-taken']);

    // The trace says so: the wait was accepted by the claim, and the next step told Ana.
    const trace = await call('GET', `/api/leads/${leadId}/trace`, { key: t.viewer });
    const pickup = trace.body.steps.find((s: { nodeId: string }) => s.nodeId === 'pickup');
    expect(pickup).toMatchObject({ outcome: 'accepted', next: 'tell' });
    expect(pickup.decision).toMatch(/^Claimed by Ana Diaz from Enterprise queue after /);
    expect(pickup.output.claimedBy).toEqual({ type: 'rep', id: 'rep-ana', name: 'Ana Diaz' });
    const told = await database.db.select().from(notifications).where(eq(notifications.leadId, leadId));
    expect(told).toMatchObject([{ channel: 'in_app', repId: 'rep-ana', body: 'Yours now: Selina Kyle', status: 'delivered' }]);

    // The run state shows it, the queue no longer holds it, Ana's load took it once, the audit log has it.
    const lead = await call('GET', `/api/leads/${leadId}`, { key: t.viewer });
    expect(lead.body).toMatchObject({ status: 'completed', outcome: 'taken', assignee: { type: 'rep', id: 'rep-ana', name: 'Ana Diaz' }, deadlineAt: null });
    expect(lead.body.acceptedAt).not.toBeNull();
    expect((await call('GET', '/api/queues/q-enterprise/leads', { key: t.viewer })).body.items).toEqual([]);
    expect(await openLeads(t.workspaceId, 'rep-ana')).toBe(loadBefore + 1);
    const audits = await database.db.select().from(auditLog).where(and(eq(auditLog.workspaceId, t.workspaceId), eq(auditLog.action, 'lead.claimed')));
    expect(audits).toMatchObject([{ actorName: 'Ana Diaz', entityId: leadId, details: { queueId: 'q-enterprise', repId: 'rep-ana', by: 'rep-ana' } }]);

    // A second claim (Ana again, or anyone) finds it gone.
    const again = await call('POST', `/api/queues/q-enterprise/leads/${leadId}/claim`, t.ana);
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'not_in_queue', message: 'The lead is no longer in Enterprise queue: Ana Diaz has it.' });
  });

  it('a claim on a lead whose run has ended is a database move with a claim step on the timeline', async () => {
    const t = await setup(parkingGraph);
    const posted = await call('POST', `/api/workflows/${t.workflowId}/leads`, { key: t.ingest }, LEAD);
    const leadId: string = posted.body.leadId;
    await until(leadId, (s) => s.status === 'completed');
    const handle = env.client.workflow.getHandle(workflowIdOf(leadId));
    expect(await handle.result()).toMatchObject({ outcome: 'taken', assignee: { type: 'queue', id: 'q-enterprise' } });
    for (let i = 0; i < 100 && (await call('GET', `/api/leads/${leadId}`, { key: t.viewer })).body.status !== 'completed'; i++) await new Promise((r) => setTimeout(r, 50));

    const claimed = await call('POST', `/api/queues/q-enterprise/leads/${leadId}/claim`, t.ana);
    expect(claimed.status, JSON.stringify(claimed.body)).toBe(200);
    expect(claimed.body).toMatchObject({ result: 'assigned', signalled: false });
    const trace = await call('GET', `/api/leads/${leadId}/trace`, { key: t.viewer });
    const last = trace.body.steps[trace.body.steps.length - 1];
    expect(trace.body.steps.map((s: { nodeType: string }) => s.nodeType)).toEqual(['trigger', 'assign', 'end', 'claim']);
    expect(last).toMatchObject({ seq: 4, nodeType: 'claim', label: 'Claimed from queue', decision: 'Claimed by Ana Diaz from Enterprise queue', outcome: 'accepted' });
    expect(Date.parse(last.at)).toBeGreaterThan(0);
    const lead = await call('GET', `/api/leads/${leadId}`, { key: t.viewer });
    expect(lead.body).toMatchObject({ status: 'completed', assignee: { type: 'rep', id: 'rep-ana' } });
  });
});
