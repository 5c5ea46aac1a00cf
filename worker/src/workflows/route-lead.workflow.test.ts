import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { temporal } from '@temporalio/proto';
import type { DirectoryInput, Graph, Lead } from '@lead-router/shared';
import { demoDirectory, hybridRoutingGraph } from '@lead-router/shared/fixtures';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routingRuns, traceSteps, versions, workflows } from '@lead-router/db/schema';
import { createActivities } from '../activities/index';
import { createTestDatabase, createWorkspace, insertLeads, insertVersion, seedDirectory, type TestDatabase } from '../test/test-db';
import { timeSkippingEnv } from '../test/temporal-env';
import { WORKFLOW_BUNDLE } from '../workflows-path';
import type { RouteLeadResult, RouteState } from '@lead-router/shared/workflow-contract';

// routeLead on Temporal's time-skipping test server, with the real activities over a real database:
// 15-minute SLAs pass in well under a second of real time.

// Every rep available at any hour, so results do not depend on when the suite runs; Eli stays out of office.
const directory: DirectoryInput = { ...demoDirectory, reps: demoDirectory.reps.map((r) => ({ ...r, workingHours: null })) };
const ENTERPRISE = ['rep-ana', 'rep-bo', 'rep-cara'];
const WAYNE: Lead = { id: 'L-2', firstName: 'Bruce', lastName: 'Wayne', email: 'bruce@wayne.com', title: 'CEO', company: 'Wayne Enterprises', country: 'US', state: 'NJ', leadSource: 'Contact Sales' };

let env: TestWorkflowEnvironment;
let database: TestDatabase;
let worker: Worker;
let running: Promise<void>;
const taskQueue = `route-lead-test-${randomUUID().slice(0, 8)}`;

beforeAll(async () => {
  [env, database] = await Promise.all([timeSkippingEnv(), createTestDatabase({ max: 10 })]);
  worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    ...WORKFLOW_BUNDLE,
    activities: createActivities({ db: database.db }),
  });
  running = worker.run();
}, 120_000);

afterAll(async () => {
  worker?.shutdown();
  await running?.catch(() => {});
  await env?.teardown();
  await database?.drop();
}, 60_000);

async function setup(dir: DirectoryInput = directory, graph: Graph = hybridRoutingGraph) {
  const { workspaceId, workflowId } = await createWorkspace(database.db);
  await seedDirectory(database.db, workspaceId, dir);
  const { versionId } = await insertVersion(database.db, workflowId, graph, dir);
  await database.db.update(workflows).set({ activeVersionId: versionId }).where(eq(workflows.id, workflowId));
  return { workspaceId, workflowId, versionId };
}

async function start(target: { workspaceId: string; workflowId: string; versionId: string }, lead: Lead, extra: { continueAfterEvents?: number } = {}) {
  const [leadId] = await insertLeads(database.db, target, [lead]);
  const handle = await env.client.workflow.start('routeLead', {
    taskQueue,
    workflowId: `lead-${leadId}`,
    args: [{ leadId: leadId as string, workspaceId: target.workspaceId, versionId: target.versionId, ...extra }],
  });
  return { leadId: leadId as string, handle };
}

/**
 * With RECORD_HISTORIES=1, saves a finished run's history for the replay test (histories/), which then
 * fails CI if a change to the workflow code no longer replays the runs it made.
 */
async function record(name: string, handle: { workflowId: string; fetchHistory: () => Promise<temporal.api.history.v1.IHistory> }) {
  if (process.env.RECORD_HISTORIES !== '1') return;
  const dir = new URL('./histories/', import.meta.url);
  mkdirSync(dir, { recursive: true });
  // Encoded protobuf: exact, and independent of the JSON mapping's versions.
  const bytes = temporal.api.history.v1.History.encode(await handle.fetchHistory()).finish();
  writeFileSync(new URL(`${name}.json`, dir), `${JSON.stringify({ workflowId: handle.workflowId, history: Buffer.from(bytes).toString('base64') })}\n`);
}

/** Polls the `state` query until the run waits on an SLA (queries do not move time). */
async function untilWaiting(handle: { query: (name: string) => Promise<unknown> }): Promise<RouteState> {
  for (let i = 0; i < 200; i++) {
    const s = (await handle.query('state')) as RouteState;
    if (s.status === 'waiting') return s;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the run never started waiting');
}

const stepsOf = (leadId: string) => database.db.select().from(traceSteps).where(eq(traceSteps.leadId, leadId)).orderBy(asc(traceSteps.seq));
const runOf = async (leadId: string) => (await database.db.select().from(routingRuns).where(eq(routingRuns.leadId, leadId)))[0];

describe('routeLead', () => {
  it('assigns, waits, and completes when the rep accepts within the SLA', async () => {
    const target = await setup();
    const { leadId, handle } = await start(target, WAYNE);
    const waiting = await untilWaiting(handle);
    expect(ENTERPRISE).toContain(waiting.assignee?.id);
    expect(waiting.nodeId).toBe('sla');
    expect(waiting.deadline).toBeGreaterThan(0);
    expect((await runOf(leadId))?.status).toBe('waiting');

    await handle.signal('accepted', { by: waiting.assignee?.id ?? '', at: new Date().toISOString() });
    const result = (await handle.result()) as RouteLeadResult;
    expect(result).toMatchObject({ status: 'completed', outcome: 'routed', assignee: { id: waiting.assignee?.id } });
    expect(result.path).toEqual(['trigger', 'enrich', 'score', 'match', 'fast-lane', 'assign-enterprise', 'notify-rep', 'sla', 'end-routed']);
    await record('accepted', handle);

    const steps = await stepsOf(leadId);
    expect(steps.map((s) => s.nodeId)).toEqual(result.path);
    expect(steps.find((s) => s.nodeId === 'sla')?.outcome).toBe('accepted');
    const run = await runOf(leadId);
    expect(run).toMatchObject({ status: 'completed', outcome: 'routed', assigneeId: waiting.assignee?.id });
    expect(run?.acceptedAt).toBeInstanceOf(Date);
    expect(run?.assignedAt).toBeInstanceOf(Date);
  });

  it('re-assigns to the next eligible rep after the SLA, then escalates to the manager', async () => {
    const target = await setup();
    const wallStart = Date.now();
    const { leadId, handle } = await start(target, WAYNE);
    const result = (await handle.result()) as RouteLeadResult;
    // Three SLAs (15 + 15 + 60 minutes of workflow time) pass in seconds of real time.
    expect(Date.now() - wallStart).toBeLessThan(20_000);
    await record('sla-ladder', handle);
    expect(result.path).toEqual([
      'trigger', 'enrich', 'score', 'match', 'fast-lane', 'assign-enterprise', 'notify-rep', 'sla',
      'reassign', 'notify-reassigned', 'sla-2', 'to-manager', 'notify-manager', 'sla-manager', 'to-queue', 'end-queued',
    ]);
    const steps = await stepsOf(leadId);
    const first = (steps.find((s) => s.nodeId === 'assign-enterprise')?.output as { assignee: { id: string } }).assignee.id;
    const second = (steps.find((s) => s.nodeId === 'reassign')?.output as { assignee: { id: string } }).assignee.id;
    expect(ENTERPRISE).toContain(second);
    expect(second).not.toBe(first);
    expect((steps.find((s) => s.nodeId === 'to-manager')?.output as { assignee: { id: string } }).assignee.id).toBe('rep-mia');
    expect(steps.find((s) => s.nodeId === 'sla')?.decision).toBe('Timed out after 15 minutes');
    expect(result.assignee).toMatchObject({ type: 'queue', id: 'q-unassigned' });
    // SLA time is workflow time: the second step's instant is 15 minutes after the first wait began.
    const sla = steps.find((s) => s.nodeId === 'sla');
    const reassign = steps.find((s) => s.nodeId === 'reassign');
    expect((reassign?.at.getTime() ?? 0) - (sla?.at.getTime() ?? 0)).toBeGreaterThanOrEqual(15 * 60_000);
  });

  it('follows the re-assignment at once when the rep rejects', async () => {
    const target = await setup();
    const { leadId, handle } = await start(target, WAYNE);
    const first = await untilWaiting(handle);
    await handle.signal('rejected', { by: first.assignee?.id ?? '', at: new Date().toISOString(), reason: 'On holiday' });
    // Wait for the second SLA, then accept there.
    let second: RouteState;
    for (;;) {
      second = await untilWaiting(handle);
      if (second.nodeId === 'sla-2') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(second.assignee?.id).not.toBe(first.assignee?.id);
    // The first rep's late accept is about a lead they no longer hold: the second wait goes on.
    await handle.signal('accepted', { by: first.assignee?.id ?? '', at: new Date().toISOString() });
    const still = await handle.query<RouteState>('state');
    expect(still).toMatchObject({ status: 'waiting', nodeId: 'sla-2', assignee: { id: second.assignee?.id } });
    await handle.signal('accepted', { by: second.assignee?.id ?? '', at: new Date().toISOString() });
    const result = (await handle.result()) as RouteLeadResult;
    expect(result.outcome).toBe('routed');
    await record('rejected', handle);
    const sla = (await stepsOf(leadId)).find((s) => s.nodeId === 'sla');
    expect(sla?.outcome).toBe('rejected');
    expect(sla?.next).toBe('reassign');
    expect(sla?.durationMs).toBeLessThan(60_000);
    expect(sla?.explanation.join(' ')).toContain('On holiday');
    // Named, not by id (issue 13): the rep who rejected is the one who held the lead.
    expect(sla?.explanation).toContain(`Rejected by ${first.assignee?.name}: On holiday`);
    expect(sla?.explanation.join(' ')).not.toContain(`${first.assignee?.id}`);
  });

  it('sends the lead to the fallback queue when nobody is eligible', async () => {
    const nobody: DirectoryInput = { ...directory, reps: directory.reps?.map((r) => ({ ...r, active: false })) ?? [] };
    const target = await setup(nobody);
    const { leadId, handle } = await start(target, WAYNE);
    const result = (await handle.result()) as RouteLeadResult;
    expect(result).toMatchObject({ outcome: 'queued', assignee: { type: 'queue', id: 'q-unassigned' } });
    await record('nobody-eligible', handle);
    expect(result.path).toEqual(['trigger', 'enrich', 'score', 'match', 'fast-lane', 'assign-enterprise', 'assign-territory', 'assign-pool', 'assign-queue', 'end-queued']);
    const steps = await stepsOf(leadId);
    expect(steps.find((s) => s.nodeId === 'assign-enterprise')?.outcome).toBe('no_eligible_rep');
    expect(steps.find((s) => s.nodeId === 'assign-enterprise')?.explanation.join('\n')).toMatch(/inactive/i);
  });

  it('finishes on the version it started with, whatever is published meanwhile', async () => {
    const target = await setup();
    const { leadId, handle } = await start(target, WAYNE);
    await untilWaiting(handle);
    // Publish version 2 (everything straight to the queue) and make it active while the lead waits.
    const v2: Graph = {
      schemaVersion: 1,
      nodes: [
        { id: 'trigger', type: 'trigger', position: { x: 0, y: 0 }, config: { source: 'webhook' } },
        { id: 'q', type: 'assign', position: { x: 0, y: 100 }, config: { strategy: { type: 'queue', queueId: 'q-enterprise' }, eligibility: { skills: [], respectCapacity: true, respectWorkingHours: true, respectOutOfOffice: true }, excludePreviousAssignees: true } },
        { id: 'done', type: 'end', position: { x: 0, y: 200 }, config: { outcome: 'v2' } },
      ],
      edges: [
        { id: 'a', source: 'trigger', sourceHandle: 'next', target: 'q' },
        { id: 'b', source: 'q', sourceHandle: 'assigned', target: 'done' },
        { id: 'c', source: 'q', sourceHandle: 'no_eligible_rep', target: 'done' },
      ],
    };
    const { versionId: v2Id } = await insertVersion(database.db, target.workflowId, v2, directory, 2);
    await database.db.update(workflows).set({ activeVersionId: v2Id }).where(eq(workflows.id, target.workflowId));
    expect((await database.db.select().from(versions).where(eq(versions.workflowId, target.workflowId))).length).toBe(2);

    const state = (await handle.query('state')) as RouteState;
    await handle.signal('accepted', { by: state.assignee?.id ?? '', at: new Date().toISOString() });
    const result = (await handle.result()) as RouteLeadResult;
    expect(result.outcome).toBe('routed');
    expect(result.path).toContain('sla');
    await record('version-pinned', handle);
    expect((await runOf(leadId))?.versionId).toBe(target.versionId);
  });

  it('bounds an escalation ladder: continues as new on long histories and stops at the wait limit', async () => {
    // A ladder that loops through a wait: assign to a queue, wait 1 minute, on time-out move the lead to the
    // other queue and wait again, forever. The interpreter's wait limit (50) ends it; long histories
    // continue as new from the interpreter's checkpoint along the way.
    const wait = { until: 'accepted', timeout: { amount: 1, unit: 'minutes' } } as const;
    const eligibility = { skills: [], respectCapacity: true, respectWorkingHours: true, respectOutOfOffice: true };
    const ladder: Graph = {
      schemaVersion: 1,
      nodes: [
        { id: 'trigger', type: 'trigger', position: { x: 0, y: 0 }, config: { source: 'webhook' } },
        { id: 'q1', type: 'assign', position: { x: 0, y: 100 }, config: { strategy: { type: 'queue', queueId: 'q-unassigned' }, eligibility, excludePreviousAssignees: true } },
        { id: 'w', type: 'wait', position: { x: 0, y: 200 }, config: wait },
        { id: 'move', type: 'escalate', position: { x: 0, y: 300 }, config: { to: 'queue', queueId: 'q-enterprise' } },
        { id: 'done', type: 'end', position: { x: 0, y: 400 }, config: { outcome: 'done' } },
      ],
      edges: [
        { id: '1', source: 'trigger', sourceHandle: 'next', target: 'q1' },
        { id: '2', source: 'q1', sourceHandle: 'assigned', target: 'w' },
        { id: '3', source: 'q1', sourceHandle: 'no_eligible_rep', target: 'done' },
        { id: '4', source: 'w', sourceHandle: 'accepted', target: 'done' },
        { id: '5', source: 'w', sourceHandle: 'timed_out', target: 'move' },
        { id: '6', source: 'move', sourceHandle: 'escalated', target: 'w' },
        { id: '7', source: 'move', sourceHandle: 'no_target', target: 'done' },
      ],
    };
    const target = await setup(directory, ladder);
    const { leadId, handle } = await start(target, WAYNE, { continueAfterEvents: 150 });
    const result = (await handle.result()) as RouteLeadResult;
    expect(result).toMatchObject({ status: 'step_limit', outcome: 'step_limit' });

    // One continuous trace across every run: seq 1..N without gaps, exactly 50 waits.
    const steps = await stepsOf(leadId);
    expect(steps.map((s) => s.seq)).toEqual(steps.map((_, i) => i + 1));
    expect(steps.filter((s) => s.nodeType === 'wait')).toHaveLength(50);
    expect((await runOf(leadId))?.status).toBe('completed');

    // The first run's history was cut short by a continue-as-new, far below where 50 waits would take it.
    const firstRun = await env.client.workflow.getHandle(handle.workflowId, handle.firstExecutionRunId).fetchHistory();
    const events = firstRun.events ?? [];
    expect(events[events.length - 1]?.workflowExecutionContinuedAsNewEventAttributes).toBeTruthy();
    expect(events.length).toBeLessThan(300);
  });
});

describe('a run whose activity fails for good', () => {
  it('ends failed with the reason recorded (no retries), and a retry routes the lead again after the steps it left', async () => {
    const target = await setup();
    const { leadId, handle } = await start(target, WAYNE);
    const waiting = await untilWaiting(handle);
    const holder = waiting.assignee?.id ?? '';

    // An answer no server validated: its reason (a lone surrogate) is in the wait's trace step, which
    // PostgreSQL refuses (22P02) on every try. The run records the failure at once instead of retrying.
    const wall = Date.now();
    await handle.signal('accepted', { by: holder, at: new Date().toISOString(), reason: '\ud800' });
    const failed = (await handle.result()) as RouteLeadResult;
    expect(Date.now() - wall).toBeLessThan(8_000);
    expect(failed).toMatchObject({ leadId, status: 'failed', outcome: 'failed', assignee: { id: holder } });
    await record('run-failed', handle);
    expect(await handle.query<RouteState>('state')).toMatchObject({ status: 'failed', deadline: null });
    const run = await runOf(leadId);
    expect(run).toMatchObject({ status: 'failed', outcome: 'failed', assigneeId: holder, deadlineAt: null });
    expect(run?.completedAt).toBeInstanceOf(Date);
    expect(run?.error).toBe(`recordSteps failed for lead ${leadId}, run lead-${leadId}: PostgreSQL error 22P02 invalid_text_representation`);
    const before = await stepsOf(leadId);
    expect(before.map((s) => s.nodeId)).toEqual(['trigger', 'enrich', 'score', 'match', 'fast-lane', 'assign-enterprise', 'notify-rep']);

    // The operator's retry, as the server starts it: the run queued again, the same workflow id, `retry`.
    await database.db.update(routingRuns).set({ status: 'queued', error: null, outcome: null, completedAt: null }).where(eq(routingRuns.leadId, leadId));
    const args = { leadId, workspaceId: target.workspaceId, versionId: target.versionId, retry: true };
    const again = await env.client.workflow.start('routeLead', { taskQueue, workflowId: `lead-${leadId}`, args: [args], workflowIdReusePolicy: 'ALLOW_DUPLICATE' });
    const second = await untilWaiting(again);
    await again.signal('accepted', { by: second.assignee?.id ?? '', at: new Date().toISOString(), reason: 'Calling now' });
    const routed = (await again.result()) as RouteLeadResult;
    expect(routed).toMatchObject({ status: 'completed', outcome: 'routed', assignee: { id: second.assignee?.id } });
    expect(await runOf(leadId)).toMatchObject({ status: 'completed', outcome: 'routed', error: null });

    // One trace: the failed run's steps, then the retry's from the trigger, numbered after them.
    const steps = await stepsOf(leadId);
    expect(steps.map((s) => s.seq)).toEqual(steps.map((_, i) => i + 1));
    expect(steps.slice(7).map((s) => s.nodeId)).toEqual(routed.path);
    expect(steps.find((s) => s.nodeId === 'sla')?.explanation.join(' ')).toContain('Calling now');

    // The same retry started again once it has ended does nothing.
    const dup = await env.client.workflow.start('routeLead', { taskQueue, workflowId: `lead-${leadId}`, args: [args], workflowIdReusePolicy: 'ALLOW_DUPLICATE' });
    expect(await dup.result()).toMatchObject({ outcome: 'already_ended', path: [] });
    expect(await stepsOf(leadId)).toHaveLength(steps.length);
    expect((await runOf(leadId))?.status).toBe('completed');
  });
});
