import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { temporal } from '@temporalio/proto';
import { addWorkingTime, DirectorySchema, interpretSync, isPaused, SimulationEffects, workCalendarFor } from '@lead-router/shared';
import { businessSlaDirectory, businessSlaGraph } from '@lead-router/shared/fixtures';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notifications, routingRuns, traceSteps, workflows } from '@lead-router/db/schema';
import { createActivities } from '../activities/index';
import { createTestDatabase, createWorkspace, insertLeads, insertVersion, seedDirectory, type TestDatabase } from '../test/test-db';
import { timeSkippingEnv } from '../test/temporal-env';
import { WORKFLOW_BUNDLE } from '../workflows-path';
import type { RouteLeadResult } from '@lead-router/shared/workflow-contract';

// Issue #16, item 4 on real Temporal (time-skipping test server) with the real activities and database: a
// wait of 3 working hours on two-hours-on, two-off shifts times out at the instant the shared arithmetic
// computes from the wait's start (never 3 calendar hours: every 3-hour stretch crosses a break), reminders
// go out as in-app notifications at 50% and 80%, and a test run started at the same instant agrees step by step.

let env: TestWorkflowEnvironment;
let database: TestDatabase;
let worker: Worker;
let running: Promise<void>;
const taskQueue = `business-sla-test-${randomUUID().slice(0, 8)}`;
const directory = DirectorySchema.parse(businessSlaDirectory);
const HOUR = 3_600_000;

beforeAll(async () => {
  [env, database] = await Promise.all([timeSkippingEnv(), createTestDatabase({ max: 10 })]);
  worker = await Worker.create({ connection: env.nativeConnection, taskQueue, ...WORKFLOW_BUNDLE, activities: createActivities({ db: database.db }) });
  running = worker.run();
}, 120_000);

afterAll(async () => {
  worker?.shutdown();
  await running?.catch(() => {});
  await env?.teardown();
  await database?.drop();
}, 60_000);

describe('a business-hours SLA on Temporal', () => {
  it('times out at the computed working-time deadline, reminds at 50% and 80%, and simulation agrees', async () => {
    const { workspaceId, workflowId } = await createWorkspace(database.db);
    await seedDirectory(database.db, workspaceId, businessSlaDirectory);
    const { versionId, plan } = await insertVersion(database.db, workflowId, businessSlaGraph, businessSlaDirectory);
    await database.db.update(workflows).set({ activeVersionId: versionId }).where(eq(workflows.id, workflowId));
    const lead = { email: 'pat@acme.com', company: 'Acme' };
    const [leadId] = (await insertLeads(database.db, { workspaceId, workflowId, versionId }, [lead])) as [string];
    const handle = await env.client.workflow.start('routeLead', { taskQueue, workflowId: `lead-${leadId}`, args: [{ leadId, workspaceId, versionId }] });
    const result = (await handle.result()) as RouteLeadResult;
    expect(result).toMatchObject({ status: 'completed', outcome: 'late' });
    // With RECORD_HISTORIES=1 the run's history is kept for the replay test (as route-lead.workflow.test.ts does).
    if (process.env.RECORD_HISTORIES === '1') {
      const dir = new URL('./histories/', import.meta.url);
      mkdirSync(dir, { recursive: true });
      const bytes = temporal.api.history.v1.History.encode(await handle.fetchHistory()).finish();
      writeFileSync(new URL('business-sla.json', dir), `${JSON.stringify({ workflowId: handle.workflowId, history: Buffer.from(bytes).toString('base64') })}\n`);
    }

    const rows = await database.db.select().from(traceSteps).where(eq(traceSteps.leadId, leadId)).orderBy(asc(traceSteps.seq));
    expect(rows.map((s) => [s.seq, s.nodeId, s.nodeType, s.outcome])).toEqual([
      [1, 'trigger', 'trigger', 'next'],
      [2, 'assign', 'assign', 'assigned'],
      [3, 'sla', 'wait', 'timed_out'],
      [4, 'sla', 'notify', 'reminded'],
      [5, 'sla', 'notify', 'reminded'],
      [6, 'end-late', 'end', null],
    ]);
    const wait = rows[2] as (typeof rows)[number];
    const started = wait.at.getTime();
    const calendar = workCalendarFor({ type: 'rep', id: 'rep-shift', name: 'Sasha Shift' }, new Map(directory.reps.map((r) => [r.id, r])), directory);
    const deadline = addWorkingTime(started, 3 * HOUR, calendar) as number;
    expect(deadline - started).toBeGreaterThanOrEqual(5 * HOUR); // a break of 2 hours at least
    expect(wait.output).toMatchObject({ clock: 'business', deadline });
    expect(wait.durationMs).toBe(deadline - started);
    // The end step comes when the timer fired: at the deadline (workflow time), to the timer's precision.
    expect((rows[5]?.at.getTime() ?? 0) - deadline).toBeGreaterThanOrEqual(0);
    expect((rows[5]?.at.getTime() ?? 0) - deadline).toBeLessThan(5_000);
    expect(rows.slice(3, 5).map((s) => [s.at.getTime(), s.decision])).toEqual([
      [addWorkingTime(started, 1.5 * HOUR, calendar), 'Reminder sent in-app (50% of the SLA)'],
      [addWorkingTime(started, 2.4 * HOUR, calendar), 'Reminder sent in-app (80% of the SLA)'],
    ]);
    const sent = await database.db.select().from(notifications).where(eq(notifications.leadId, leadId));
    expect(sent.map((n) => [n.dedupeKey, n.repId, n.body, n.status]).sort()).toEqual([
      [`lead-${leadId}:4`, 'rep-shift', 'Reminder: Acme is waiting', 'delivered'],
      [`lead-${leadId}:5`, 'rep-shift', 'Reminder: Acme is waiting', 'delivered'],
    ]);

    // Simulation from the wait's start instant (the steps before it take no virtual time): the same steps.
    const effects = new SimulationEffects({ directory, startTime: started, waits: { default: { outcome: 'timed_out' } } });
    effects.beginLead(leadId);
    const sim = interpretSync(plan, lead, effects, { leadId });
    if (isPaused(sim)) throw new Error('paused');
    const view = (s: { seq: number; nodeId: string; nodeType: string; outcome: string | null; decision: string; durationMs: number }) => [s.seq, s.nodeId, s.nodeType, s.outcome, s.decision, s.durationMs];
    expect(sim.steps.map(view)).toEqual(rows.map(view));
    expect(sim.steps[2]?.output).toMatchObject({ clock: 'business', deadline });
    expect(sim.steps.slice(3, 5).map((s) => s.at)).toEqual(rows.slice(3, 5).map((s) => s.at.getTime()));
    expect(sim.steps[2]?.explanation[0]).toBe(wait.explanation[0]);
  }, 120_000);

  it('shows each reminder in the trace as it goes out, the run still waiting on its SLA', async () => {
    const { workspaceId, workflowId } = await createWorkspace(database.db);
    await seedDirectory(database.db, workspaceId, businessSlaDirectory);
    const { versionId } = await insertVersion(database.db, workflowId, businessSlaGraph, businessSlaDirectory);
    await database.db.update(workflows).set({ activeVersionId: versionId }).where(eq(workflows.id, workflowId));
    const [leadId] = (await insertLeads(database.db, { workspaceId, workflowId, versionId }, [{ email: 'sam@acme.com', company: 'Acme' }])) as [string];
    const handle = await env.client.workflow.start('routeLead', { taskQueue, workflowId: `lead-${leadId}`, args: [{ leadId, workspaceId, versionId }] });
    const stepsNow = async () => (await database.db.select().from(traceSteps).where(eq(traceSteps.leadId, leadId)).orderBy(asc(traceSteps.seq))).map((s) => [s.seq, s.nodeType, s.outcome]);
    // Time moves on (time-skipping) ten minutes at a time until the first reminder's step is in the trace.
    let steps: unknown[][] = [];
    for (let i = 0; i < 60 && !steps.some((s) => s[2] === 'reminded'); i++) {
      await env.sleep('10 minutes');
      steps = await stepsNow();
    }
    // The 50% reminder is in the trace while the wait (seq 3) has not ended: its own step comes at the end.
    expect(steps).toEqual([
      [1, 'trigger', 'next'],
      [2, 'assign', 'assigned'],
      [4, 'notify', 'reminded'],
    ]);
    const [run] = await database.db.select().from(routingRuns).where(eq(routingRuns.leadId, leadId));
    expect(run).toMatchObject({ status: 'waiting', currentNodeId: 'sla', assigneeId: 'rep-shift' });
    expect(run?.deadlineAt).not.toBeNull();
    const [reminder] = await database.db.select().from(traceSteps).where(eq(traceSteps.leadId, leadId)).orderBy(asc(traceSteps.seq)).offset(2);
    expect(reminder).toMatchObject({ nodeId: 'sla', decision: 'Reminder sent in-app (50% of the SLA)', output: { reminder: 50, channel: 'in-app', delivered: true } });
    // The wait ends as before: every step once, the reminders as they were first recorded.
    expect(await handle.result()).toMatchObject({ status: 'completed', outcome: 'late' });
    expect(await stepsNow()).toEqual([
      [1, 'trigger', 'next'],
      [2, 'assign', 'assigned'],
      [3, 'wait', 'timed_out'],
      [4, 'notify', 'reminded'],
      [5, 'notify', 'reminded'],
      [6, 'end', null],
    ]);
  }, 120_000);
});

