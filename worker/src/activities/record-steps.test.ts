import type { TraceStep } from '@lead-router/shared';
import { hybridRoutingGraph, demoDirectory } from '@lead-router/shared/fixtures';
import { ApplicationFailure } from '@temporalio/activity';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { asc, eq, sql } from 'drizzle-orm';
import { connectPostgres } from '@lead-router/db/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leads, reps, routingRuns, traceSteps, versions } from '@lead-router/db/schema';
import { pathCounts, runAssignments, runPassedOver, runWaits } from '@lead-router/db/analytics-schema';
import { isPermanentSqlState } from './failures';
import { createActivities } from './index';
import { applicationFailureOf, failureOf, createTestDatabase, createWorkspace, insertLeads, insertVersion, type TestDatabase } from '../test/test-db';
import type { RoutingActivities } from './types';

const T0 = Date.UTC(2026, 2, 10, 15, 0, 0);
const FINISHED_AT = new Date(Date.UTC(2026, 2, 10, 16, 0, 0));

let t: TestDatabase;
let acts: RoutingActivities;
let workspaceId: string;
let workflowId: string;

beforeAll(async () => {
  t = await createTestDatabase({ max: 3 });
  acts = createActivities({ db: t.db, now: () => FINISHED_AT });
  ({ workspaceId, workflowId } = await createWorkspace(t.db));
}, 60_000);

afterAll(async () => {
  await t?.drop();
});

function step(seq: number, over: Partial<TraceStep> = {}): TraceStep {
  return {
    seq,
    nodeId: `n${seq}`,
    nodeType: 'branch',
    label: `Step ${seq}`,
    at: T0 + seq * 1000,
    durationMs: 0,
    input: { country: 'DE' },
    decision: 'Else',
    explanation: ['No case matched: else'],
    output: { case: 'else' },
    outcome: 'else',
    next: `n${seq + 1}`,
    ...over,
  };
}

async function runOf(leadId: string) {
  const [run] = await t.db.select().from(routingRuns).where(eq(routingRuns.leadId, leadId));
  if (!run) throw new Error('no run');
  return run;
}

const ref = (leadId: string) => ({ workspaceId, workflowId: `lead-${leadId}`, leadId });

describe('recordSteps, one step at a time', () => {
  it('writes the step once and moves the run to the next node', async () => {
    const [leadId] = (await insertLeads(t.db, { workspaceId, workflowId }, [{}])) as [string];
    await acts.recordSteps({ ...ref(leadId), steps: [step(1)] });
    await acts.recordSteps({ ...ref(leadId), steps: [{ ...step(1), decision: 'a retry with another text' }] });
    const rows = await t.db.select().from(traceSteps).where(eq(traceSteps.leadId, leadId));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ seq: 1, nodeId: 'n1', nodeType: 'branch', decision: 'Else', at: new Date(T0 + 1000), input: { country: 'DE' }, candidates: null, next: 'n2' });
    expect(await runOf(leadId)).toMatchObject({ status: 'running', currentNodeId: 'n2', startedAt: new Date(T0 + 1000) });
  });

  it('records assignments, acceptance and candidates; a late step never moves the run back', async () => {
    const [leadId] = (await insertLeads(t.db, { workspaceId, workflowId }, [{}])) as [string];
    const candidates = [{ repId: 'ana', name: 'Ana', verdict: 'chosen', reason: 'first in rotation' }];
    const assignee = { type: 'rep', id: 'ana', name: 'Ana' };
    await acts.recordSteps({ ...ref(leadId), steps: [step(2, { nodeType: 'assign', output: { assignee, candidates, poolKey: 'team:t' }, outcome: 'assigned', next: 'wait' })] });
    let run = await runOf(leadId);
    expect(run).toMatchObject({ assigneeType: 'rep', assigneeId: 'ana', assignedAt: new Date(T0 + 2000), currentNodeId: 'wait' });
    const [row] = await t.db.select().from(traceSteps).where(eq(traceSteps.leadId, leadId));
    expect(row?.candidates).toEqual(candidates);

    await acts.markWaiting({ ...ref(leadId), nodeId: 'wait', deadline: T0 + 900_000, assignee: assignee as never });
    expect(await runOf(leadId)).toMatchObject({ status: 'waiting', deadlineAt: new Date(T0 + 900_000), currentNodeId: 'wait' });

    await acts.recordSteps({ ...ref(leadId), steps: [step(4, { nodeId: 'wait', nodeType: 'wait', at: T0 + 3000, durationMs: 60_000, outcome: 'accepted', next: 'end' })] });
    run = await runOf(leadId);
    expect(run).toMatchObject({ status: 'running', deadlineAt: null, acceptedAt: new Date(T0 + 63_000), currentNodeId: 'end' });

    // Step 3 arrives after step 4: it is written to the trace, but the run stays where step 4 left it.
    await acts.recordSteps({ ...ref(leadId), steps: [step(3, { next: 'elsewhere' })] });
    expect((await runOf(leadId)).currentNodeId).toBe('end');
    const seqs = await t.db.select({ seq: traceSteps.seq }).from(traceSteps).where(eq(traceSteps.leadId, leadId)).orderBy(asc(traceSteps.seq));
    expect(seqs.map((s) => s.seq)).toEqual([2, 3, 4]);
  });

  it('keeps the first assignment apart: a later re-assignment or escalation moves assignedAt, never firstAssignedAt (issue 13, item 10)', async () => {
    const [leadId] = (await insertLeads(t.db, { workspaceId, workflowId }, [{}])) as [string];
    const ana = { type: 'rep', id: 'ana', name: 'Ana' };
    const mia = { type: 'rep', id: 'mia', name: 'Mia' };
    // Assigned 2 s after T0, then, in one batch, re-assigned and escalated 15 minutes later.
    await acts.recordSteps({ ...ref(leadId), steps: [step(2, { nodeType: 'assign', output: { assignee: ana, candidates: [] }, outcome: 'assigned', next: 'sla' })] });
    expect(await runOf(leadId)).toMatchObject({ firstAssignedAt: new Date(T0 + 2000), assignedAt: new Date(T0 + 2000) });
    const later = T0 + 15 * 60_000;
    await acts.recordSteps({
      ...ref(leadId),
      steps: [
        step(3, { nodeType: 'assign', at: later, output: { assignee: { type: 'rep', id: 'bo', name: 'Bo' }, candidates: [] }, outcome: 'assigned', next: 'esc' }),
        step(4, { nodeType: 'escalate', at: later + 8000, output: { assignee: mia }, outcome: 'escalated', next: 'end' }),
      ],
    });
    expect(await runOf(leadId)).toMatchObject({ firstAssignedAt: new Date(T0 + 2000), assignedAt: new Date(later + 8000), assigneeId: 'mia' });
  });

  it('a lead assigned once has one assignment time: the decision stored at the activity clock does not read as a re-assignment', async () => {
    const [leadId] = (await insertLeads(t.db, { workspaceId, workflowId }, [{}])) as [string];
    // The assign activity stores its decision at its own clock, 1.1 s after the step's workflow time...
    await t.db.update(routingRuns).set({ assigneeType: 'rep', assigneeId: 'ana', assignedAt: new Date(T0 + 3100), firstAssignedAt: new Date(T0 + 3100) }).where(eq(routingRuns.leadId, leadId));
    // ...then the step is recorded at the workflow's time.
    const ana = { type: 'rep', id: 'ana', name: 'Ana' };
    await acts.recordSteps({ ...ref(leadId), steps: [step(2, { nodeType: 'assign', output: { assignee: ana, candidates: [] }, outcome: 'assigned', next: 'sla' })] });
    expect(await runOf(leadId)).toMatchObject({ firstAssignedAt: new Date(T0 + 2000), assignedAt: new Date(T0 + 2000) });
  });

  it('recordSteps writes a batch in order in one go, idempotently; the run follows the newest step and keeps the batch’s assignment', async () => {
    const [leadId] = (await insertLeads(t.db, { workspaceId, workflowId }, [{}])) as [string];
    const assignee = { type: 'rep', id: 'bo', name: 'Bo' };
    const batch = [step(3, { next: 'n4' }), step(1), step(2, { nodeType: 'assign', output: { assignee, candidates: [] }, outcome: 'assigned', next: 'n3' })];
    await acts.recordSteps({ ...ref(leadId), steps: batch });
    // A retry of the same batch (and an overlapping one) writes nothing twice.
    await acts.recordSteps({ ...ref(leadId), steps: batch });
    await acts.recordSteps({ ...ref(leadId), steps: [step(3, { decision: 'other' }), step(4, { next: 'end' })] });
    const rows = await t.db.select({ seq: traceSteps.seq, decision: traceSteps.decision }).from(traceSteps).where(eq(traceSteps.leadId, leadId)).orderBy(asc(traceSteps.seq));
    expect(rows).toEqual([1, 2, 3, 4].map((seq) => ({ seq, decision: 'Else' })));
    expect(await runOf(leadId)).toMatchObject({ currentNodeId: 'end', startedAt: new Date(T0 + 1000), assigneeId: 'bo', assignedAt: new Date(T0 + 2000) });
    // An empty batch is a no-op.
    await acts.recordSteps({ ...ref(leadId), steps: [] });
  });

  it('an effect carrying the steps computed before it records them first, then acts', async () => {
    const [leadId] = (await insertLeads(t.db, { workspaceId, workflowId }, [{}])) as [string];
    await acts.markWaiting({ ...ref(leadId), steps: [step(1), step(2, { next: 'wait' })], nodeId: 'wait', deadline: T0 + 60_000, assignee: null });
    const rows = await t.db.select({ seq: traceSteps.seq }).from(traceSteps).where(eq(traceSteps.leadId, leadId)).orderBy(asc(traceSteps.seq));
    expect(rows.map((r) => r.seq)).toEqual([1, 2]);
    expect(await runOf(leadId)).toMatchObject({ status: 'waiting', currentNodeId: 'wait', deadlineAt: new Date(T0 + 60_000) });
    await acts.finishRun({ ...ref(leadId), steps: [step(3, { nodeType: 'end', next: null })], status: 'completed', outcome: 'routed', assignee: null });
    expect(await runOf(leadId)).toMatchObject({ status: 'completed', currentNodeId: 'n3' });
  });

  it('markWaiting with steps writes them and marks the run waiting on the holder with its deadline; a closed run stays closed', async () => {
    const [leadId, closed] = (await insertLeads(t.db, { workspaceId, workflowId }, [{}, {}])) as [string, string];
    const ana = { type: 'rep' as const, id: 'ana', name: 'Ana' };
    const assigned = step(2, { nodeType: 'assign', output: { assignee: ana, candidates: [] }, outcome: 'assigned', next: 'notify' });
    await acts.markWaiting({ ...ref(leadId), steps: [step(1), assigned, step(3, { nodeType: 'notify', next: 'wait' })], nodeId: 'wait', deadline: T0 + 900_000, assignee: ana });
    expect(await runOf(leadId)).toMatchObject({ status: 'waiting', currentNodeId: 'wait', deadlineAt: new Date(T0 + 900_000), assigneeType: 'rep', assigneeId: 'ana', firstAssigneeId: 'ana' });
    const rows = await t.db.select({ seq: traceSteps.seq }).from(traceSteps).where(eq(traceSteps.leadId, leadId)).orderBy(asc(traceSteps.seq));
    expect(rows.map((r) => r.seq)).toEqual([1, 2, 3]);

    await acts.finishRun({ ...ref(closed), status: 'completed', outcome: 'routed', assignee: null });
    await acts.markWaiting({ ...ref(closed), steps: [step(1, { next: 'wait' })], nodeId: 'wait', deadline: T0, assignee: ana });
    expect((await runOf(closed)).status).toBe('completed');
  });

  it('finishRun closes the run; late status writes leave it closed', async () => {
    const [leadId, other] = (await insertLeads(t.db, { workspaceId, workflowId }, [{}, {}])) as [string, string];
    await acts.finishRun({ ...ref(leadId), status: 'completed', outcome: 'routed', assignee: { type: 'queue', id: 'q', name: 'Q' } });
    expect(await runOf(leadId)).toMatchObject({ status: 'completed', outcome: 'routed', completedAt: FINISHED_AT, assigneeType: 'queue', assigneeId: 'q' });
    await acts.markWaiting({ ...ref(leadId), nodeId: 'wait', deadline: T0, assignee: null });
    await acts.recordSteps({ ...ref(leadId), steps: [step(9)] });
    expect((await runOf(leadId)).status).toBe('completed');

    await acts.finishRun({ ...ref(other), status: 'step_limit', outcome: 'step_limit', assignee: null, error: 'Stopped after 1000 steps' });
    expect(await runOf(other)).toMatchObject({ status: 'completed', outcome: 'step_limit' });
    await acts.finishRun({ ...ref(other), status: 'failed', outcome: 'failed', assignee: null });
    expect((await runOf(other)).status).toBe('failed');
  });

  it('an unknown lead is not found, not retried', async () => {
    const f = await applicationFailureOf(acts.recordSteps({ ...ref('00000000-0000-4000-8000-00000000abcd'), steps: [step(1)] }));
    expect(f.type).toBe('NotFound');
    expect(f.nonRetryable).toBe(true);
  });
});

describe('recordSteps keeps the analytics columns and tables (issue 15, item 3)', () => {
  const TUE_WED = { tue: [{ start: '09:00', end: '17:00' }], wed: [{ start: '09:00', end: '17:00' }] };
  // Wednesday 11:00Z = 12:00 in Berlin: 20 hours after T0 (Tuesday 16:00 in Berlin).
  const WED_NOON_BERLIN = Date.UTC(2026, 2, 11, 11, 0, 0);

  async function scene() {
    const w = await createWorkspace(t.db);
    await t.db.insert(reps).values([
      { workspaceId: w.workspaceId, id: 'ana', name: 'Ana', email: 'ana@example.com', timeZone: 'Europe/Berlin', workingHours: { ...TUE_WED, mon: [{ start: '09:00', end: '17:00' }] } },
      { workspaceId: w.workspaceId, id: 'mia', name: 'Mia', email: 'mia@example.com', timeZone: 'Europe/Berlin', workingHours: TUE_WED },
    ]);
    const [leadId] = (await insertLeads(t.db, w, [{}], new Date(T0))) as [string];
    const r = { workspaceId: w.workspaceId, workflowId: `lead-${leadId}`, leadId };
    const ana = { type: 'rep', id: 'ana', name: 'Ana' } as const;
    const mia = { type: 'rep', id: 'mia', name: 'Mia' } as const;
    const candidates = [
      { repId: 'ana', name: 'Ana', verdict: 'chosen', reason: 'next in rotation' },
      { repId: 'bo', name: 'Bo', verdict: 'out_of_office', reason: 'away' },
      { repId: 'cy', name: 'Cy', verdict: 'not_this_turn', reason: 'had a turn' },
      { repId: 'dee', name: 'Dee', verdict: 'over_daily_cap', reason: '20 of 20' },
    ];
    const batches: TraceStep[][] = [
      [step(2, { nodeId: 'assign', nodeType: 'assign', output: { assignee: ana, candidates, poolKey: 'team:sales' }, outcome: 'assigned', next: 'sla' })],
      [step(3, { nodeId: 'sla', nodeType: 'wait', at: T0 + 3000, durationMs: 900_000, decision: 'Timed out after 15m', outcome: 'timed_out', next: 'esc' })],
      [step(4, { nodeId: 'esc', nodeType: 'escalate', at: T0 + 905_000, output: { assignee: mia, candidates: [], released: 'ana' }, outcome: 'escalated', next: 'sla2' })],
      [
        step(5, { nodeId: 'sla2', nodeType: 'wait', at: T0 + 906_000, durationMs: WED_NOON_BERLIN - (T0 + 906_000), decision: 'Contacted after 19h 45m', outcome: 'accepted', next: 'end' }),
        step(6, { nodeId: 'end', nodeType: 'end', outcome: null, next: null, at: WED_NOON_BERLIN }),
      ],
    ];
    return { w, leadId, r, ana, mia, batches };
  }

  it('first assignee, re-assignments, escalations, SLA met and breached, first contact and working-hours durations; a retry counts nothing twice', async () => {
    const { w, leadId, r, ana, mia, batches } = await scene();
    const [assigned, breached, escalated, contacted] = batches as [TraceStep[], TraceStep[], TraceStep[], TraceStep[]];
    await acts.recordSteps({ ...r, steps: assigned });
    await acts.markWaiting({ ...r, nodeId: 'sla', deadline: T0 + 903_000, assignee: ana });
    await acts.recordSteps({ ...r, steps: breached });
    await acts.recordSteps({ ...r, steps: escalated });
    await acts.markWaiting({ ...r, nodeId: 'sla2', deadline: T0 + 1_806_000, assignee: mia });
    await acts.recordSteps({ ...r, steps: contacted });
    // Temporal retries every batch: nothing is counted twice.
    for (const batch of batches) await acts.recordSteps({ ...r, steps: batch });

    expect(await runOf(leadId)).toMatchObject({
      firstAssigneeType: 'rep',
      firstAssigneeId: 'ana',
      firstAssignedAt: new Date(T0 + 2000),
      // Received Tuesday 16:00 in Berlin, inside Ana's hours: the 2 s are working time.
      firstAssignedWorkMs: 2000,
      assigneeId: 'mia',
      reassignments: 1,
      escalations: 1,
      slaMet: 1,
      slaBreached: 1,
      rejections: 0,
      acceptedAt: new Date(WED_NOON_BERLIN),
      firstContactAt: new Date(WED_NOON_BERLIN),
      // Mia works 09:00-17:00 in Berlin: Tuesday 16:00-17:00 and Wednesday 09:00-12:00, 4 hours.
      acceptedWorkMs: 4 * 3_600_000,
      firstContactWorkMs: 4 * 3_600_000,
    });
    const waits = await t.db.select().from(runWaits).where(eq(runWaits.leadId, leadId)).orderBy(asc(runWaits.seq));
    expect(waits.map((x) => [x.seq, x.nodeId, x.assigneeId, x.outcome, x.elapsedMs, x.receivedAt.getTime()])).toEqual([
      [3, 'sla', 'ana', 'timed_out', 900_000, T0],
      [5, 'sla2', 'mia', 'accepted', WED_NOON_BERLIN - (T0 + 906_000), T0],
    ]);
    const assignments = await t.db.select().from(runAssignments).where(eq(runAssignments.leadId, leadId)).orderBy(asc(runAssignments.seq));
    expect(assignments.map((x) => [x.seq, x.nodeId, x.nodeType, x.poolKey, x.assigneeId, x.workflowId])).toEqual([
      [2, 'assign', 'assign', 'team:sales', 'ana', w.workflowId],
      [4, 'esc', 'escalate', null, 'mia', w.workflowId],
    ]);
    const passed = await t.db.select().from(runPassedOver).where(eq(runPassedOver.leadId, leadId)).orderBy(asc(runPassedOver.repId));
    expect(passed.map((x) => [x.seq, x.repId, x.verdict, x.nodeId])).toEqual([
      [2, 'bo', 'out_of_office', 'assign'],
      [2, 'dee', 'over_daily_cap', 'assign'],
    ]);
    const paths = await t.db.select().from(pathCounts).where(eq(pathCounts.workflowId, w.workflowId)).orderBy(asc(pathCounts.nodeId));
    expect(paths.map((x) => [x.day, x.nodeId, x.outcome, x.next, x.count])).toEqual([
      ['2026-03-10', 'assign', 'assigned', 'sla', 1],
      ['2026-03-10', 'end', '', '', 1],
      ['2026-03-10', 'esc', 'escalated', 'sla2', 1],
      ['2026-03-10', 'sla', 'timed_out', 'esc', 1],
      ['2026-03-10', 'sla2', 'accepted', 'end', 1],
    ]);
  });

  it('the migration backfills from the trace what recordSteps keeps (runs recorded before it)', async () => {
    const { w, leadId, r, ana, mia, batches } = await scene();
    const [assigned, breached, escalated, contacted] = batches as [TraceStep[], TraceStep[], TraceStep[], TraceStep[]];
    await acts.recordSteps({ ...r, steps: assigned });
    await acts.markWaiting({ ...r, nodeId: 'sla', deadline: T0 + 903_000, assignee: ana });
    await acts.recordSteps({ ...r, steps: [...breached, ...escalated] });
    await acts.markWaiting({ ...r, nodeId: 'sla2', deadline: T0 + 1_806_000, assignee: mia });
    await acts.recordSteps({ ...r, steps: contacted });
    const snapshot = async () => ({
      run: await runOf(leadId),
      waits: await t.db.select().from(runWaits).where(eq(runWaits.leadId, leadId)).orderBy(asc(runWaits.seq)),
      assignments: await t.db.select().from(runAssignments).where(eq(runAssignments.leadId, leadId)).orderBy(asc(runAssignments.seq)),
      passed: await t.db.select().from(runPassedOver).where(eq(runPassedOver.leadId, leadId)).orderBy(asc(runPassedOver.repId)),
      paths: await t.db.select().from(pathCounts).where(eq(pathCounts.workflowId, w.workflowId)).orderBy(asc(pathCounts.nodeId), asc(pathCounts.outcome)),
    });
    const kept = await snapshot();
    // A database migrated up to 0004 has none of it: the tables are empty and the columns at their defaults.
    await t.db.execute(sql`truncate run_waits, run_assignments, run_passed_over, path_counts`);
    await t.db.execute(sql`update routing_runs set first_assignee_type = null, first_assignee_id = null, first_contact_at = null, first_assigned_work_ms = null, accepted_work_ms = null, first_contact_work_ms = null, reassignments = 0, escalations = 0, sla_met = 0, sla_breached = 0, rejections = 0`);
    const migration = readFileSync(fileURLToPath(new URL('../../../migrations/0006_analytics.sql', import.meta.url)), 'utf8').split('--> statement-breakpoint');
    for (const statement of migration.slice(migration.findIndex((x) => x.includes('-- Backfill')))) await t.db.execute(sql.raw(statement));
    const backfilled = await snapshot();
    expect(backfilled).toEqual(kept);
    expect(kept.run).toMatchObject({ firstAssignedWorkMs: 2000, acceptedWorkMs: 4 * 3_600_000, firstContactWorkMs: 4 * 3_600_000, slaBreached: 1, reassignments: 1 });
  });

  it('a batch recorded late still counts, though the run stays where the newest step left it', async () => {
    const { leadId, r, batches } = await scene();
    const [assigned, , , contacted] = batches as [TraceStep[], TraceStep[], TraceStep[], TraceStep[]];
    await acts.recordSteps({ ...r, steps: assigned });
    await acts.recordSteps({ ...r, steps: contacted });
    // The breached wait (seq 3) overtaken by seq 5 and 6: counted, but the run does not go back to 'esc'.
    await acts.recordSteps({ ...r, steps: batches[1]! });
    expect(await runOf(leadId)).toMatchObject({ currentNodeId: 'end', slaBreached: 1, slaMet: 1, reassignments: 0, escalations: 0, firstAssigneeId: 'ana' });
    // The waits were waited on the holder the run had: Ana (no markWaiting moved it).
    const waits = await t.db.select({ seq: runWaits.seq, rep: runWaits.assigneeId }).from(runWaits).where(eq(runWaits.leadId, leadId)).orderBy(asc(runWaits.seq));
    expect(waits).toEqual([{ seq: 3, rep: 'ana' }, { seq: 5, rep: 'ana' }]);
  });

  it('a run received outside the rep’s hours waits for them: working time counts from their next span', async () => {
    const w = await createWorkspace(t.db);
    await t.db.insert(reps).values({ workspaceId: w.workspaceId, id: 'ana', name: 'Ana', email: 'a@example.com', timeZone: 'America/New_York', workingHours: { mon: [{ start: '09:00', end: '17:00' }] } });
    // Friday 2026-03-06 22:00Z; assigned Monday 2026-03-09 13:30Z = 09:30 in New York (EDT since Sunday).
    const received = Date.UTC(2026, 2, 6, 22, 0, 0);
    const [leadId] = (await insertLeads(t.db, w, [{}], new Date(received))) as [string];
    const assignedAt = Date.UTC(2026, 2, 9, 13, 30, 0);
    await acts.recordSteps({ workspaceId: w.workspaceId, workflowId: `lead-${leadId}`, leadId, steps: [step(1, { nodeType: 'assign', at: assignedAt, output: { assignee: { type: 'rep', id: 'ana', name: 'Ana' }, candidates: [] }, outcome: 'assigned', next: 'x' })] });
    expect(await runOf(leadId)).toMatchObject({ firstAssignedAt: new Date(assignedAt), firstAssignedWorkMs: 30 * 60_000 });
  });
});

describe('loadRun and loadPlan', () => {
  it('loads the version’s plan and the stored lead, and caches plans', async () => {
    const { versionId, plan } = await insertVersion(t.db, workflowId, hybridRoutingGraph, demoDirectory, 7);
    const receivedAt = new Date(T0);
    const [leadId] = (await insertLeads(t.db, { workspaceId, workflowId, versionId }, [{ email: 'a@acme.com', country: 'US' }], receivedAt)) as [string];
    const run = await acts.loadRun({ leadId, workspaceId, versionId });
    expect(run).toEqual({ plan, lead: { email: 'a@acme.com', country: 'US' }, receivedAt: T0 });

    // Versions are immutable: once loaded, a plan is served from memory.
    await t.db.delete(versions).where(eq(versions.id, versionId));
    expect(await acts.loadPlan({ versionId })).toEqual(plan);
    const fresh = createActivities({ db: t.db });
    expect((await applicationFailureOf(fresh.loadPlan({ versionId }))).type).toBe('NotFound');
  });

  it('unknown or foreign ids are not found', async () => {
    const { versionId } = await insertVersion(t.db, workflowId, hybridRoutingGraph, demoDirectory, 8);
    const [leadId] = (await insertLeads(t.db, { workspaceId, workflowId }, [{}])) as [string];
    const other = await createWorkspace(t.db);
    for (const input of [
      { leadId, workspaceId, versionId: '00000000-0000-4000-8000-000000000000' },
      { leadId: '00000000-0000-4000-8000-000000000000', workspaceId, versionId },
      { leadId, workspaceId: other.workspaceId, versionId },
      { leadId: 'not-a-uuid', workspaceId, versionId },
    ]) {
      const f = await applicationFailureOf(acts.loadRun(input));
      expect(f.type).toBe('NotFound');
      expect(f.nonRetryable).toBe(true);
    }
  });
});

describe('update', () => {
  it('merges the fields into the stored lead, idempotently', async () => {
    const [leadId] = (await insertLeads(t.db, { workspaceId, workflowId }, [{ email: 'a@acme.com', leadStatus: 'new' }])) as [string];
    const req = { ...ref(leadId), nodeId: 'update', seq: 5, lead: {}, set: { leadStatus: 'routed', tag: null } };
    expect(await acts.update(req)).toEqual({ ok: true, detail: 'Saved 2 field(s) on the lead' });
    await acts.update(req);
    const [row] = await t.db.select({ data: leads.data }).from(leads).where(eq(leads.id, leadId));
    expect(row?.data).toEqual({ email: 'a@acme.com', leadStatus: 'routed', tag: null });
    const f = await applicationFailureOf(acts.update({ ...req, workspaceId: (await createWorkspace(t.db)).workspaceId }));
    expect(f.type).toBe('NotFound');
  });
});

describe('the statement of a batch', () => {
  it('has one text whatever the batch holds, so a connection parses and plans it once (issue 18)', async () => {
    // One connection: its prepared statements are what pg_prepared_statements lists.
    const one = connectPostgres(t.url, { max: 1 });
    try {
      const a = createActivities({ db: one.db, now: () => FINISHED_AT });
      const ana = { type: 'rep', id: 'rep-ana', name: 'Ana Diaz' };
      const [first, second, third] = (await insertLeads(t.db, { workspaceId, workflowId }, [{}, {}, {}])) as [string, string, string];
      await a.recordSteps({ ...ref(first), steps: [step(1)] });
      await a.recordSteps({ ...ref(second), steps: [step(1), step(2), step(3, { nodeType: 'assign', output: { assignee: ana, candidates: [{ repId: 'rep-bo', verdict: 'at_capacity' }] }, outcome: 'assigned', next: 'w' })] });
      await a.markWaiting({ ...ref(third), steps: [step(1), step(2, { next: 'w' })], nodeId: 'w', deadline: T0 + 60_000, assignee: null });
      await a.recordSteps({ ...ref(third), steps: [step(3, { nodeId: 'w', nodeType: 'wait', decision: 'Accepted', durationMs: 5_000, outcome: 'accepted', next: 'end' })] });
      const prepared = await one.db.execute(sql`select count(*)::int as n from pg_prepared_statements where statement like '%insert into trace_steps%'`);
      expect((prepared as unknown as Array<{ n: number }>)[0]?.n).toBe(1);
      expect((await runOf(third)).slaMet).toBe(1);
      expect((await runOf(second)).assigneeId).toBe('rep-ana');
    } finally {
      await one.close();
    }
  });
});

describe('a write PostgreSQL refuses', () => {
  // A value an enrichment provider answered with a NUL character: PostgreSQL refuses it in JSON (22P05).
  const personal = { email: 'anastasia.quillfeather@acme-example.com', firstName: 'Anastasia', lastName: 'Quillfeather' };

  it('fails with the operation, the lead, the run and the error code, and nothing of the lead', async () => {
    const [leadId] = (await insertLeads(t.db, { workspaceId, workflowId }, [personal])) as [string];
    const bad = step(1, { nodeType: 'enrich', input: personal, output: { set: { company: 'Acme\u0000Corp' } } });
    // One call at a time: a second promise made up front would reject, unhandled, while the first is awaited.
    for (const attempt of [() => acts.recordSteps({ ...ref(leadId), steps: [bad] }), () => acts.finishRun({ ...ref(leadId), steps: [bad], status: 'completed', outcome: 'done', assignee: null })]) {
      const e = await failureOf(attempt());
      // No retry can store it: a non-retryable failure, without the query's parameters.
      expect(e).toBeInstanceOf(ApplicationFailure);
      const err = e as ApplicationFailure;
      expect(err.type).toBe('PermanentDatabaseError');
      expect(err.nonRetryable).toBe(true);
      expect(err.message).toBe(`recordSteps failed for lead ${leadId}, run lead-${leadId}: PostgreSQL error 22P05 untranslatable_character`);
      expect(err.details).toEqual([{ code: '22P05' }]);
      const everything = `${err.message} ${err.stack ?? ''} ${JSON.stringify(err)} ${String(err.cause ?? '')}`;
      for (const value of Object.values(personal)) expect(everything).not.toContain(value);
    }
  });

  it('a lone surrogate in a step (a reason no one validated) is refused for good: 22P02, not retried', async () => {
    const [leadId] = (await insertLeads(t.db, { workspaceId, workflowId }, [personal])) as [string];
    const bad = step(1, { nodeType: 'wait', decision: 'Accepted', explanation: ['Accepted by user:1: \ud800'] });
    const f = await applicationFailureOf(acts.finishRun({ ...ref(leadId), steps: [bad], status: 'completed', outcome: 'done', assignee: null }));
    expect(f).toMatchObject({ type: 'PermanentDatabaseError', nonRetryable: true, details: [{ code: '22P02' }] });
    expect((await runOf(leadId)).status).toBe('queued');
  });

  it('only data and integrity errors are permanent; a lost race (23505) and a lost connection are retried', () => {
    for (const code of ['22P02', '22P05', '22021', '22001', '23502', '23503', '23514']) expect(isPermanentSqlState(code), code).toBe(true);
    for (const code of ['23505', '40001', '40P01', '57P01', '08006', '53300', null]) expect(isPermanentSqlState(code), String(code)).toBe(false);
  });

  it('a database that cannot be reached names the driver’s code, not the query', async () => {
    // Nothing listens on port 1.
    const broken = connectPostgres('postgres://router@127.0.0.1:1/routing', { max: 1 });
    try {
      const a = createActivities({ db: broken.db });
      const leadId = '00000000-0000-4000-8000-000000000001';
      const e = (await failureOf(a.recordSteps({ ...ref(leadId), steps: [step(1, { input: personal })] }))) as Error;
      expect(e.message).toBe(`recordSteps failed for lead ${leadId}, run lead-${leadId}: the database call failed (ECONNREFUSED)`);
      expect(e.message).not.toContain(personal.email);
    } finally {
      await broken.close();
    }
  });
});
