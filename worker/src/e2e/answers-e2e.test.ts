// The API's zod extension first: shared's schemas get `.openapi()` only if it is loaded before them.
import '@hono/zod-openapi';
import { randomUUID } from 'node:crypto';
import type { DirectoryInput, Lead } from '@lead-router/shared';
import { demoDirectory, hybridRoutingGraph } from '@lead-router/shared/fixtures';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repLoads, sessions, workflows } from '@lead-router/db/schema';
import { repSignals, stateQuery, workflowIdOf, type RouteLeadResult, type RouteState } from '@lead-router/shared/workflow-contract';
import { SESSION_COOKIE } from '../../../server/src/auth/authenticate';
import { newSessionToken, sha256 } from '../../../server/src/auth/secrets';
import { createApiKey, createUser, createWorkspace } from '../../../server/src/services/workspaces.service';
import { insertVersion, seedDirectory, type TestDatabase } from '../test/test-db';
import { startApiStack, type ApiStack } from './api-stack';

// A rep's answer from the API to the workflow and back, nothing mocked: the API app (in process) over a
// scratch database, its Temporal client and outbox dispatcher, a worker with the real activities, on
// Temporal's time-skipping test server (SLA timers do not fire while nobody awaits a result).
// Issue 14: an answer whose reason cannot be stored is refused before it is signalled; a run an activity
// fails for good ends failed where an operator sees it, and the operator's retry routes the lead again.

const directory: DirectoryInput = { ...demoDirectory, reps: demoDirectory.reps.map((r) => ({ ...r, workingHours: null })) };
const WAYNE: Lead = { firstName: 'Bruce', lastName: 'Wayne', email: 'bruce@wayne.com', title: 'CEO', company: 'Wayne Enterprises', country: 'US', state: 'NJ', leadSource: 'Contact Sales' };
const taskQueue = `answers-e2e-${randomUUID().slice(0, 8)}`;

let stack: ApiStack | undefined;
let env: TestWorkflowEnvironment;
let database: TestDatabase;
let app: ApiStack['app'];
let dispatcher: ApiStack['dispatcher'];

beforeAll(async () => {
  // Directories cached for a minute: a change to one reaches the next lead only through its version.
  stack = await startApiStack(taskQueue, {}, { directoryCacheMs: 60_000 });
  ({ env, database, app, dispatcher } = stack);
}, 120_000);

afterAll(async () => {
  await stack?.close();
}, 60_000);

async function call(method: string, path: string, key: string, rawBody?: string) {
  const res = await app.request(path, { method, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, ...(rawBody !== undefined ? { body: rawBody } : {}) });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as any }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** A workspace with the hybrid graph published, and an ingest and an editor key. */
async function setup() {
  const ws = await createWorkspace(database.db, `answers-${randomUUID().slice(0, 8)}`);
  const ingest = (await createApiKey(database.db, { workspaceId: ws.id, name: 'site', role: 'ingest' })).key;
  const editor = (await createApiKey(database.db, { workspaceId: ws.id, name: 'ops', role: 'editor' })).key;
  const [wf] = await database.db.insert(workflows).values({ workspaceId: ws.id, name: 'Inbound', webhookSecret: randomUUID() }).returning({ id: workflows.id });
  if (!wf) throw new Error('no workflow');
  await seedDirectory(database.db, ws.id, directory);
  const { versionId } = await insertVersion(database.db, wf.id, hybridRoutingGraph, directory);
  await database.db.update(workflows).set({ activeVersionId: versionId }).where(eq(workflows.id, wf.id));
  return { workspaceId: ws.id, workflowId: wf.id, versionId, ingest, editor };
}

/** Drains the outbox until the lead's run waits on its SLA; returns the workflow's state. */
async function untilWaiting(leadId: string, nodeId = 'sla'): Promise<RouteState> {
  const handle = env.client.workflow.getHandle(workflowIdOf(leadId));
  for (let i = 0; i < 300; i++) {
    await dispatcher.drainOnce();
    const s = await handle.query(stateQuery).catch(() => null);
    if (s?.status === 'waiting' && s.nodeId === nodeId) return s;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the run never started waiting');
}

describe('answers from the API to the workflow', () => {
  it('a rep who switches offline through the API gets no lead posted the moment after', async () => {
    const t = await setup();
    const admin = (await createApiKey(database.db, { workspaceId: t.workspaceId, name: 'manager', role: 'admin' })).key;
    const post = async (email: string): Promise<RouteState> => {
      const posted = await call('POST', `/api/workflows/${t.workflowId}/leads`, t.ingest, JSON.stringify({ ...WAYNE, company: 'Acme Corp', email }));
      expect(posted.status).toBe(202);
      return untilWaiting(posted.body.leadId);
    };
    // Acme Corp is a known account: its leads go to the account's owner, Ana Diaz.
    const owner = (await post('wile@acme.com')).assignee;
    expect(owner).toMatchObject({ type: 'rep', id: 'rep-ana' });
    const off = await call('PUT', `/api/reps/${owner?.id}/availability`, admin, JSON.stringify({ online: false }));
    expect(off).toMatchObject({ status: 200, body: { online: false } });
    const next = (await post('road@acme.com')).assignee;
    expect(next).not.toBeNull();
    expect(next?.id).not.toBe(owner?.id);
    // Back online, the account's leads are theirs again.
    expect((await call('PUT', `/api/reps/${owner?.id}/availability`, admin, JSON.stringify({ online: true }))).status).toBe(200);
    expect((await post('coyote@acme.com')).assignee?.id).toBe(owner?.id);
  });

  it('refuses a reason the trace cannot store before signalling: the lead still waits and can be accepted', async () => {
    const t = await setup();
    const posted = await call('POST', `/api/workflows/${t.workflowId}/leads`, t.ingest, JSON.stringify(WAYNE));
    expect(posted.status).toBe(202);
    const leadId: string = posted.body.leadId;
    const waiting = await untilWaiting(leadId);

    const refused = await call('POST', `/api/leads/${leadId}/accept`, t.editor, '{"reason":"\\ud800"}');
    expect(refused.status).toBe(400);
    expect(refused.body.error.details).toMatchObject([{ path: 'reason' }]);
    // Nothing reached the workflow: same wait, same deadline, same holder.
    const handle = env.client.workflow.getHandle(workflowIdOf(leadId));
    expect(await handle.query(stateQuery)).toEqual(waiting);
    expect((await call('GET', `/api/leads/${leadId}`, t.editor, undefined)).body.status).toBe('waiting');

    const accepted = await call('POST', `/api/leads/${leadId}/accept`, t.editor, '{"reason":"Calling now \\ud83d\\udcde"}');
    expect(accepted.status).toBe(202);
    expect(await handle.result()).toMatchObject({ status: 'completed', outcome: 'routed' });
    const trace = await call('GET', `/api/leads/${leadId}/trace`, t.editor);
    expect(trace.body.steps.find((s: { nodeId: string }) => s.nodeId === 'sla').explanation.join(' ')).toContain('Calling now \ud83d\udcde');
  });

  it('names who answered in the trace: a user rejecting on the rep’s behalf by name, not user:<id> (issue 13)', async () => {
    const t = await setup();
    const { workspaceId } = (await database.db.select({ workspaceId: workflows.workspaceId }).from(workflows).where(eq(workflows.id, t.workflowId)))[0]!;
    const u = await createUser(database.db, { workspaceId, email: `grace-${randomUUID().slice(0, 8)}@example.com`, name: 'Grace Hopper', role: 'editor', password: 'correct horse battery staple', repId: null });
    const token = newSessionToken();
    await database.db.insert(sessions).values({ tokenHash: sha256(token), userId: u.id, expiresAt: new Date(Date.now() + 3_600_000) });
    const posted = await call('POST', `/api/workflows/${t.workflowId}/leads`, t.ingest, JSON.stringify(WAYNE));
    const leadId: string = posted.body.leadId;
    await untilWaiting(leadId);

    const res = await app.request(`/api/leads/${leadId}/reject`, { method: 'POST', headers: { cookie: `${SESSION_COOKIE}=${token}`, 'content-type': 'application/json' }, body: '{"reason":"Not our region"}' });
    expect(res.status).toBe(202);
    await untilWaiting(leadId, 'sla-2');
    const trace = await call('GET', `/api/leads/${leadId}/trace`, t.editor);
    const sla = trace.body.steps.find((s: { nodeId: string }) => s.nodeId === 'sla');
    expect(sla.outcome).toBe('rejected');
    expect(sla.explanation).toContain('Rejected by Grace Hopper: Not our region');
    expect(sla.explanation.join(' ')).not.toContain(u.id);
    // The in-app notification to the rep who held it names them too.
    const notify = trace.body.steps.find((s: { nodeId: string }) => s.nodeId === 'notify-rep');
    const holder = trace.body.steps.find((s: { nodeId: string }) => s.nodeId === 'assign-enterprise').output.assignee;
    expect(notify.explanation).toEqual([`In-app notification for ${holder.name}`]);
  });

  it('a run an activity fails for good ends failed, visibly; the operator retry routes the lead again', async () => {
    const t = await setup();
    const posted = await call('POST', `/api/workflows/${t.workflowId}/leads`, t.ingest, JSON.stringify(WAYNE));
    const leadId: string = posted.body.leadId;
    const waiting = await untilWaiting(leadId);
    const handle = env.client.workflow.getHandle(workflowIdOf(leadId));

    // An answer that did not come through this API (an older server, a script on the Temporal client):
    // the trace cannot store its reason, and that write fails the same way on every try.
    await handle.signal(repSignals.accepted, { by: waiting.assignee?.id ?? '', at: new Date().toISOString(), reason: '\ud800' });
    expect((await handle.result()) as RouteLeadResult).toMatchObject({ status: 'failed' });
    const failed = await call('GET', `/api/leads/${leadId}`, t.editor);
    expect(failed.body).toMatchObject({ status: 'failed', outcome: 'failed', deadlineAt: null });
    expect(failed.body.error).toMatch(/PostgreSQL error 22P02/);
    const failedList = await call('GET', `/api/leads?status=failed&workflow=${t.workflowId}`, t.editor);
    expect(failedList.body.items.map((i: { leadId: string }) => i.leadId)).toEqual([leadId]);

    const retried = await call('POST', `/api/leads/${leadId}/retry`, t.editor);
    expect(retried.status).toBe(202);
    expect(retried.body).toEqual({ leadId, status: 'queued', versionId: t.versionId });
    const again = await untilWaiting(leadId);
    expect(again.steps).toBeGreaterThan(waiting.steps);
    const accepted = await call('POST', `/api/leads/${leadId}/accept`, t.editor, '{"reason":"Got it"}');
    expect(accepted.status).toBe(202);
    expect(await env.client.workflow.getHandle(workflowIdOf(leadId)).result()).toMatchObject({ status: 'completed', outcome: 'routed' });
    const done = await call('GET', `/api/leads/${leadId}`, t.editor);
    expect(done.body).toMatchObject({ status: 'completed', outcome: 'routed', error: null, versionId: t.versionId });
    const trace = await call('GET', `/api/leads/${leadId}/trace`, t.editor);
    const seqs = trace.body.steps.map((s: { seq: number }) => s.seq);
    expect(seqs).toEqual(seqs.map((_: number, i: number) => i + 1));
    expect(trace.body.steps.filter((s: { nodeId: string }) => s.nodeId === 'trigger')).toHaveLength(2);
  });

  it('a waiting lead re-routed through another version: its run ends, a new run routes it on that version after the earlier steps, and its first rep is released when the new run assigns', async () => {
    const t = await setup();
    const posted = await call('POST', `/api/workflows/${t.workflowId}/leads`, t.ingest, JSON.stringify(WAYNE));
    const leadId: string = posted.body.leadId;
    const waiting = await untilWaiting(leadId);
    const first = waiting.assignee;
    expect(first?.type).toBe('rep');
    const [{ workspaceId }] = (await database.db.select({ workspaceId: workflows.workspaceId }).from(workflows).where(eq(workflows.id, t.workflowId))) as [{ workspaceId: string }];
    const openLeads = async () => (await database.db.select().from(repLoads).where(eq(repLoads.workspaceId, workspaceId))).reduce((n, l) => n + l.openLeads, 0);
    expect(await openLeads()).toBe(1);
    const { versionId: v2 } = await insertVersion(database.db, t.workflowId, hybridRoutingGraph, directory, 2);

    const rerouted = await call('POST', `/api/leads/${leadId}/reroute`, t.editor, JSON.stringify({ version: 2, note: 'Territories redrawn' }));
    expect(rerouted.status, JSON.stringify(rerouted.body)).toBe(202);
    expect(rerouted.body).toEqual({ leadId, status: 'queued', versionId: v2, version: 2, runNumber: 2 });
    const again = await untilWaiting(leadId);
    expect(again.steps).toBeGreaterThan(waiting.steps);
    // One lead, one open lead: whoever the new run chose holds it, and the first rep was released.
    expect(await openLeads()).toBe(1);

    const lead = await call('GET', `/api/leads/${leadId}`, t.editor);
    expect(lead.body).toMatchObject({ status: 'waiting', versionId: v2, version: 2, runNumber: 2 });
    expect(lead.body.earlierRuns).toEqual([expect.objectContaining({ runNumber: 1, versionId: t.versionId, version: 1, status: 'waiting', outcome: 'rerouted', assignee: expect.objectContaining({ id: first?.id }), note: 'Territories redrawn' })]);
    const trace = await call('GET', `/api/leads/${leadId}/trace`, t.editor);
    const seqs = trace.body.steps.map((s: { seq: number }) => s.seq);
    expect(seqs).toEqual(seqs.map((_: number, i: number) => i + 1));
    expect(trace.body.steps.filter((s: { nodeId: string }) => s.nodeId === 'trigger')).toHaveLength(2);
    expect(lead.body.earlierRuns[0].lastSeq).toBe(trace.body.steps.findLast((s: { nodeId: string }) => s.nodeId === 'trigger').seq - 1);

    const accepted = await call('POST', `/api/leads/${leadId}/accept`, t.editor, '{}');
    expect(accepted.status).toBe(202);
    expect(await env.client.workflow.getHandle(workflowIdOf(leadId)).result()).toMatchObject({ status: 'completed', outcome: 'routed' });
  });
});
