import { randomUUID } from 'node:crypto';
import { DirectorySchema, fairnessWindow, interpretSync, isPaused, SimulationEffects, type DirectoryInput, type Graph, type Lead, type RunResult } from '@lead-router/shared';
import { Context } from '@temporalio/activity';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { and, asc, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { traceSteps, workflows, workspaces } from '@lead-router/db/schema';
import { loadDirectory, loadRoutingState } from '@lead-router/db/directory-snapshot';
import type { RouteLeadResult } from '@lead-router/shared/workflow-contract';
import { createActivities } from '../activities/index';
import { createTestDatabase, createWorkspace, insertLeads, insertVersion, seedDirectory, type TestDatabase } from '../test/test-db';
import { timeSkippingEnv } from '../test/temporal-env';
import { WORKFLOW_BUNDLE } from '../workflows-path';

// Parity of the fairness modes (issue #16 item 1) between a test run (SimulationEffects) and production
// (the routeLead workflow on a time-skipping Temporal server, its activities over PostgreSQL): 500 leads over
// five weeks in Europe/Berlin (DST and a month end included) through a balanced weighted pool with a weekly
// window and credit-back (every lead of that arm times out and is escalated to the next rep, so the first
// rep is credited back), a balanced round-robin with a daily window and at most one in a row, and a strict
// round-robin with a monthly window, and a balanced weighted pool never reset where a rep back from four
// days of leave catches up two in a row at most. Same path, assignee, assign/escalate steps
// and final fairness state.

const TZ = 'Europe/Berlin';
const LEADS = 500;
const START = Date.parse('2026-03-26T08:00:00Z');
const SPACING = 97 * 60_000;
const SLA_MS = 30 * 60_000;

const rep = (id: string, name: string, outOfOffice: { from: string; until: string }[] = []) => ({
  id,
  name,
  email: `${id}@example.com`,
  timeZone: TZ,
  workingHours: null,
  caps: {},
  outOfOffice,
});

const directory: DirectoryInput = {
  reps: [
    rep('r-ana', 'Ana Diaz', [{ from: '2026-03-30T00:00:00Z', until: '2026-04-03T00:00:00Z' }]),
    rep('r-ben', 'Ben Li', [{ from: '2026-04-10T06:00:00Z', until: '2026-04-10T20:00:00Z' }]),
    rep('r-cy', 'Cy Oh'),
    rep('r-dee', 'Dee Roy', [{ from: '2026-04-20T00:00:00Z', until: '2026-04-21T00:00:00Z' }]),
    // Away every morning (midnight to 14:00 in Berlin, 13:00 in winter time): behind each afternoon.
    rep('r-eve', 'Eve Ng', Array.from({ length: 36 }, (_, d) => ({ from: new Date(Date.UTC(2026, 2, 25 + d, 22)).toISOString(), until: new Date(Date.UTC(2026, 2, 26 + d, 12)).toISOString() }))),
  ],
  teams: [
    { id: 'team-bal', name: 'Balanced', members: [{ repId: 'r-ana', weight: 2 }, { repId: 'r-ben' }, { repId: 'r-cy' }, { repId: 'r-dee' }] },
    { id: 'team-rr', name: 'Balanced RR', members: [{ repId: 'r-eve' }, { repId: 'r-ben' }, { repId: 'r-cy' }] },
    { id: 'team-catch', name: 'Catch-up', members: [{ repId: 'r-ana', weight: 2 }, { repId: 'r-ben' }, { repId: 'r-cy' }] },
    { id: 'team-strict', name: 'Strict', members: [{ repId: 'r-ben' }, { repId: 'r-cy' }, { repId: 'r-dee' }, { repId: 'r-ana' }] },
  ],
  territories: [],
  accounts: [],
  queues: [],
};

const LEAVE_EDGES = (directory.reps ?? []).flatMap((r) => (r.outOfOffice ?? []).flatMap((o) => [Date.parse(o.from), Date.parse(o.until)]));

const ELIGIBILITY = { skills: [], respectCapacity: true, respectWorkingHours: false, respectOutOfOffice: true };
const node = (id: string, type: string, config: unknown) => ({ id, type, position: { x: 0, y: 0 }, config });

const graph = {
  schemaVersion: 1,
  nodes: [
    node('trigger', 'trigger', { source: 'webhook' }),
    // The arm is the lead's title (armOf), not a hash of its random id: the same arms on every run.
    node('split', 'branch', {
      cases: ['a', 'b', 'c'].map((id) => ({ id, label: id.toUpperCase(), condition: { match: 'all', conditions: [{ field: 'title', operator: 'equals', value: id }] } })),
      elseLabel: 'D',
    }),
    node('bal', 'assign', {
      strategy: { type: 'weighted_round_robin', teamId: 'team-bal' },
      eligibility: ELIGIBILITY,
      excludePreviousAssignees: true,
      fairness: { mode: 'balanced', maxInARow: 2, resetWindow: 'weekly', creditBack: true },
    }),
    node('sla', 'wait', { until: 'accepted', timeout: { amount: 30, unit: 'minutes' } }),
    node('next', 'escalate', { to: 'next_rep' }),
    node('rr', 'assign', {
      strategy: { type: 'round_robin', teamId: 'team-rr' },
      eligibility: ELIGIBILITY,
      excludePreviousAssignees: true,
      fairness: { mode: 'balanced', maxInARow: 1, resetWindow: 'daily', creditBack: false },
    }),
    node('strict', 'assign', {
      strategy: { type: 'round_robin', teamId: 'team-strict' },
      eligibility: ELIGIBILITY,
      excludePreviousAssignees: true,
      fairness: { mode: 'strict', maxInARow: 2, resetWindow: 'monthly', creditBack: false },
    }),
    node('catch', 'assign', {
      strategy: { type: 'weighted_round_robin', teamId: 'team-catch' },
      eligibility: ELIGIBILITY,
      excludePreviousAssignees: true,
      fairness: { mode: 'balanced', maxInARow: 2, resetWindow: 'never', creditBack: false },
    }),
    node('end', 'end', { outcome: 'routed' }),
  ],
  edges: [
    ['trigger', 'next', 'split'],
    ['split', 'a', 'bal'],
    ['split', 'b', 'rr'],
    ['split', 'c', 'strict'],
    ['split', 'else', 'catch'],
    ['catch', 'assigned', 'end'],
    ['catch', 'no_eligible_rep', 'end'],
    ['bal', 'assigned', 'sla'],
    ['bal', 'no_eligible_rep', 'end'],
    ['sla', 'accepted', 'end'],
    ['sla', 'timed_out', 'next'],
    ['next', 'escalated', 'end'],
    ['next', 'no_target', 'end'],
    ['rr', 'assigned', 'end'],
    ['rr', 'no_eligible_rep', 'end'],
    ['strict', 'assigned', 'end'],
    ['strict', 'no_eligible_rep', 'end'],
  ].map(([source, sourceHandle, target], i) => ({ id: `e${i}`, source, sourceHandle, target })),
} as Graph;

/**
 * Arrival instants: every SPACING, moved on where the SLA would straddle a local midnight or a leave's edge
 * (production's escalation reads the arrival's clock here, the test run's the SLA's end).
 */
/**
 * The arm of the i-th lead, in the shares of a 30/25/20/25 split, drawn from a fixed seed (mulberry32): as
 * mixed as a split on the lead's random id, but the same on every run, so each mode below fires every time.
 */
function armOf(i: number): string {
  let t = (0x9e3779b9 + i * 0x6d2b79f5) | 0;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  const u = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  return u < 0.3 ? 'a' : u < 0.55 ? 'b' : u < 0.75 ? 'c' : 'd';
}

function arrivals(): number[] {
  const out: number[] = [];
  let t = START;
  for (let i = 0; i < LEADS; i++) {
    while (fairnessWindow('daily', t, TZ).id !== fairnessWindow('daily', t + SLA_MS, TZ).id || LEAVE_EDGES.some((e) => e > t && e <= t + SLA_MS)) t += SLA_MS;
    out.push(t);
    t += SPACING;
  }
  return out;
}

let env: TestWorkflowEnvironment;
let database: TestDatabase;
let worker: Worker;
let running: Promise<void>;
/** The activities' clock: the arrival of the lead whose workflow runs the activity. */
const arrivalOf = new Map<string, number>();
const activityNow = () => new Date(arrivalOf.get(Context.current().info.workflowExecution?.workflowId ?? '') ?? START);
const taskQueue = `fairness-parity-${randomUUID().slice(0, 8)}`;

beforeAll(async () => {
  [env, database] = await Promise.all([timeSkippingEnv(), createTestDatabase({ max: 10 })]);
  worker = await Worker.create({ connection: env.nativeConnection, taskQueue, ...WORKFLOW_BUNDLE, activities: createActivities({ db: database.db, now: activityNow }) });
  running = worker.run();
}, 120_000);

afterAll(async () => {
  worker?.shutdown();
  await running?.catch(() => {});
  await env?.teardown();
  await database?.drop();
}, 60_000);

describe('fairness parity: simulate vs the routeLead workflow on Temporal', () => {
  it('500 leads through strict, balanced, reset windows and credit-back: same path, assignee, steps and fairness state', async () => {
    const db = database.db;
    const { workspaceId, workflowId } = await createWorkspace(db);
    await seedDirectory(db, workspaceId, DirectorySchema.parse(directory));
    await db.update(workspaces).set({ settings: { timeZone: TZ, holidayCalendar: null, daysOff: [] } }).where(eq(workspaces.id, workspaceId));
    const { versionId, plan } = await insertVersion(db, workflowId, graph, directory);
    await db.update(workflows).set({ activeVersionId: versionId }).where(eq(workflows.id, workflowId));
    const times = arrivals();
    const leads: Lead[] = times.map((_, i) => ({ email: `lead${i}@fair.example`, company: `Fair ${i}`, title: armOf(i) }));
    const ids = await insertLeads(db, { workspaceId, workflowId, versionId }, leads, new Date(START));

    // The test run: production's directory (with the workspace's time zone), every SLA timing out.
    const loaded = await loadDirectory(db, workspaceId);
    expect(loaded.settings?.timeZone).toBe(TZ);
    const sim = new SimulationEffects({ directory: loaded, startTime: START, waits: { default: { outcome: 'timed_out' } } });
    const expected: RunResult[] = ids.map((id, i) => {
      sim.beginLead(id, times[i]);
      const r = interpretSync(plan, leads[i] as Lead, sim, { leadId: id });
      if (isPaused(r)) throw new Error('paused');
      return r;
    });

    // Production: one lead after the other, as they arrived (the time-skipping server skips time for all
    // workflows at once, so they are not run side by side).
    for (const [i, id] of ids.entries()) {
      arrivalOf.set(`lead-${id}`, times[i] as number);
      const result = (await env.client.workflow.execute('routeLead', { taskQueue, workflowId: `lead-${id}`, args: [{ leadId: id, workspaceId, versionId }] })) as RouteLeadResult;
      const want = expected[i] as RunResult;
      expect(result.path, `lead ${i} path`).toEqual(want.steps.map((s) => s.nodeId));
      expect(result.assignee?.id ?? null, `lead ${i} assignee`).toBe(want.assignee?.id ?? null);
    }
    expect(new Set(expected.map((r) => r.steps[2]?.nodeId))).toEqual(new Set(['bal', 'catch', 'rr', 'strict']));

    // The assign and escalate steps, sentence for sentence.
    const recorded = await db
      .select({ leadId: traceSteps.leadId, nodeId: traceSteps.nodeId, outcome: traceSteps.outcome, output: traceSteps.output, explanation: traceSteps.explanation })
      .from(traceSteps)
      .where(and(inArray(traceSteps.leadId, ids), inArray(traceSteps.nodeId, ['bal', 'next', 'rr', 'strict', 'catch'])))
      .orderBy(asc(traceSteps.seq));
    const byLead = new Map<string, typeof recorded>();
    for (const s of recorded) byLead.set(s.leadId, [...(byLead.get(s.leadId) ?? []), s]);
    for (const [i, id] of ids.entries()) {
      const want = (expected[i] as RunResult).steps.filter((s) => ['bal', 'next', 'rr', 'strict', 'catch'].includes(s.nodeId));
      const got = byLead.get(id) ?? [];
      expect(got.map((s) => ({ nodeId: s.nodeId, outcome: s.outcome, output: s.output, explanation: s.explanation })), `lead ${i} steps`).toEqual(
        want.map((s) => ({ nodeId: s.nodeId, outcome: s.outcome, output: s.output, explanation: s.explanation })),
      );
    }
    expect((await loadRoutingState(db, workspaceId)).fairness).toEqual(sim.state.snapshot().fairness);

    // The batch exercised every mode, as the test run says.
    const lines = expected.flatMap((r) => r.steps.flatMap((s) => s.explanation));
    expect(lines.some((l) => /took 2 in a row \(at most 2\), so .* this turn/.test(l)), 'balanced cap of 2').toBe(true);
    expect(lines.some((l) => /took 1 in a row \(at most 1\), so .* this turn/.test(l)), 'balanced cap of 1').toBe(true);
    expect(lines.some((l) => l.startsWith('Fairness: balanced, daily window 2026-03-29 (Europe/Berlin); a new window began')), 'daily reset on the DST day').toBe(true);
    expect(lines.some((l) => l.startsWith('Fairness: balanced, weekly window from Monday 2026-03-30 (Europe/Berlin); a new window began')), 'weekly reset').toBe(true);
    expect(lines.some((l) => l.startsWith('Fairness: strict rotation, monthly window 2026-04 (Europe/Berlin): a new window began')), 'monthly reset').toBe(true);
    const assigned = expected.map((r) => r.assignee?.id ?? null);
    expect(assigned.filter((a) => a === null)).toHaveLength(0);
    // Credit-back: each escalated lead counts once in its window, for the rep who holds it.
    const lastWeek = fairnessWindow('weekly', times[LEADS - 1] as number, TZ).id;
    const inLastWeek = expected.filter((r, i) => fairnessWindow('weekly', times[i] as number, TZ).id === lastWeek && r.steps.some((s) => s.nodeId === 'bal'));
    const counts = sim.state.snapshot().fairness?.['team:team-bal'];
    expect(counts?.window).toBe(lastWeek);
    expect(Object.values(counts?.counts ?? {}).reduce((a, b) => a + b, 0)).toBe(inLastWeek.length);
    expect(inLastWeek.every((r) => r.steps.some((s) => s.nodeId === 'next' && s.outcome === 'escalated'))).toBe(true);
  }, 180_000);
});
