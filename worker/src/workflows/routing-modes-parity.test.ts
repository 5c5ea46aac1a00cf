import { randomUUID } from 'node:crypto';
import { interpretSync, isPaused, SimulationEffects, type DirectoryInput, type Graph, type Lead, type RoutingStateSnapshot, type RunResult, type WorkspaceSettings } from '@lead-router/shared';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reps, traceSteps, workflows, workspaces } from '@lead-router/db/schema';
import { loadDirectory, loadRoutingState } from '@lead-router/db/directory-snapshot';
import type { RouteLeadResult } from '@lead-router/shared/workflow-contract';
import { createActivities } from '../activities/index';
import { createTestDatabase, createWorkspace, insertLeads, insertVersion, seedDirectory, type TestDatabase } from '../test/test-db';
import { timeSkippingEnv } from '../test/temporal-env';
import { WORKFLOW_BUNDLE } from '../workflows-path';

// Parity of every routing mode of issue #16 between a test run (SimulationEffects) and production (the
// routeLead workflow on a time-skipping Temporal server, its activities over PostgreSQL): 500 leads over five
// weeks of March and April (both DST changes, Good Friday and Easter Monday in Germany, a company day
// off, weekends, a month end) through three arms: a balanced weighted pool with a weekly window and
// credit-back whose business-hours SLA (reminders at 50% and 80%) always times out and escalates, a strict
// rotation with a daily window in a team with a weekly team cap, and a balanced round-robin with a monthly
// window (reps behind catch up, one in a row at most). Reps have working hours with breaks, weekly, monthly
// and daily caps (one counting in the workspace's zone), holiday calendars; one rep goes offline half-way
// (production's directory changes, and the test run reads directory and state again). Production runs at
// the leads' arrival: the server's clock is skipped to each arrival (or stays later, while the lead before
// waits), the activities read the server's clock, and the test run of each lead starts when production's
// did (at its wait, for a lead with a wait). Same path, assignee, steps (outcome, output, explanation) and
// routing state; and every mode fired.

const TZ = 'Europe/Berlin';
const LEADS = 500;
const HALF = 250;
// The time-skipping server starts at today's date and only skips forward, so the schedule must lie in the
// future. March and April 2032 have 2027's calendar for this test (1 March a Monday, Easter on 28 March, so
// Good Friday on the 26th and Easter Monday on the 29th; Europe's DST change on 28 March, the US's on the
// 14th), and lie ahead until 2032: the schedule stays the same until then, every figure with it.
const YEAR = 2032;
// Monday 1 March, 08:00:07 in Berlin (seconds off the minute: no arrival sits on an hour's edge).
const START = Date.parse(`${YEAR}-03-01T07:00:07Z`);
const SPACING = 97 * 60_000;
const DAY_OFF = `${YEAR}-03-19`;

const week = (spans: { start: string; end: string }[], days = ['mon', 'tue', 'wed', 'thu', 'fri']) => Object.fromEntries(days.map((d) => [d, spans]));
const BREAK_DAY = [
  { start: '08:00', end: '12:00' },
  { start: '13:00', end: '18:00' },
];

const SETTINGS: WorkspaceSettings = { timeZone: TZ, holidayCalendar: { country: 'DE' }, daysOff: [{ date: DAY_OFF, name: 'Company offsite' }] };

const directory: DirectoryInput = {
  reps: [
    // Workspace's German holidays (absent calendar), a lunch break, at most 9 leads a week.
    { id: 'r-ana', name: 'Ana Diaz', email: 'ana@example.com', timeZone: TZ, workingHours: week(BREAK_DAY), caps: { perWeek: 9 } },
    // No holiday calendar of her own (null): only the company day off closes hers; 30 leads a month.
    { id: 'r-ben', name: 'Ben Li', email: 'ben@example.com', timeZone: TZ, workingHours: week([{ start: '07:00', end: '19:00' }], ['mon', 'tue', 'wed', 'thu', 'fri', 'sat']), holidayCalendar: null, caps: { perMonth: 30 } },
    // New York (US DST two weeks before Berlin's), US holidays, 4 a day counted in the workspace's zone.
    {
      id: 'r-cy',
      name: 'Cy Oh',
      email: 'cy@example.com',
      timeZone: 'America/New_York',
      workingHours: week([
        { start: '06:00', end: '11:00' },
        { start: '11:30', end: '20:00' },
      ]),
      holidayCalendar: { country: 'US' },
      capsTimeZone: 'workspace',
      caps: { perDay: 4 },
    },
    // Every day, long hours, Bavarian holidays.
    { id: 'r-dee', name: 'Dee Roy', email: 'dee@example.com', timeZone: TZ, workingHours: week([{ start: '07:00', end: '22:00' }], ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']), holidayCalendar: { country: 'DE', region: 'BY' } },
  ],
  teams: [
    { id: 'team-bal', name: 'Balanced', members: [{ repId: 'r-ana', weight: 2 }, { repId: 'r-ben' }, { repId: 'r-cy' }, { repId: 'r-dee' }] },
    { id: 'team-strict', name: 'Strict', members: [{ repId: 'r-ben' }, { repId: 'r-cy' }, { repId: 'r-ana' }, { repId: 'r-dee' }], caps: { perWeek: 10 } },
    { id: 'team-rr', name: 'Balanced RR', members: [{ repId: 'r-dee' }, { repId: 'r-cy' }, { repId: 'r-ben' }, { repId: 'r-ana' }] },
  ],
  territories: [],
  accounts: [],
  queues: [],
  settings: SETTINGS,
};

const ELIGIBILITY = { skills: [], respectCapacity: true, respectWorkingHours: true, respectOutOfOffice: true };
const node = (id: string, type: string, config: unknown) => ({ id, type, position: { x: 0, y: 0 }, config });
const ASSIGN_NODES = ['bal', 'next', 'strict', 'rr'];

const graph = {
  schemaVersion: 1,
  nodes: [
    node('trigger', 'trigger', { source: 'webhook' }),
    node('lane', 'branch', {
      cases: [
        { id: 'sla', label: 'With an SLA', condition: { match: 'all', conditions: [{ field: 'industry', operator: 'equals', value: 'sla' }] } },
        { id: 'strict', label: 'Strict', condition: { match: 'all', conditions: [{ field: 'industry', operator: 'equals', value: 'strict' }] } },
      ],
      elseLabel: 'Balanced RR',
    }),
    node('bal', 'assign', {
      strategy: { type: 'weighted_round_robin', teamId: 'team-bal' },
      eligibility: ELIGIBILITY,
      excludePreviousAssignees: true,
      fairness: { mode: 'balanced', maxInARow: 2, resetWindow: 'weekly', creditBack: true },
    }),
    node('sla', 'wait', {
      until: 'accepted',
      timeout: { amount: 2, unit: 'hours' },
      clock: 'business',
      reminders: { atPercent: [50, 80], notify: { channel: 'in_app', recipient: { type: 'assignee' }, message: 'Reminder: {{company}} is waiting' } },
    }),
    node('next', 'escalate', { to: 'next_rep' }),
    node('strict', 'assign', {
      strategy: { type: 'round_robin', teamId: 'team-strict' },
      eligibility: ELIGIBILITY,
      excludePreviousAssignees: true,
      fairness: { mode: 'strict', maxInARow: 2, resetWindow: 'daily', creditBack: false },
    }),
    node('rr', 'assign', {
      strategy: { type: 'round_robin', teamId: 'team-rr' },
      eligibility: ELIGIBILITY,
      excludePreviousAssignees: true,
      fairness: { mode: 'balanced', maxInARow: 1, resetWindow: 'monthly', creditBack: false },
    }),
    node('end', 'end', { outcome: 'routed' }),
  ],
  edges: [
    ['trigger', 'next', 'lane'],
    ['lane', 'sla', 'bal'],
    ['lane', 'strict', 'strict'],
    ['lane', 'else', 'rr'],
    ['bal', 'assigned', 'sla'],
    ['bal', 'no_eligible_rep', 'end'],
    ['sla', 'accepted', 'end'],
    ['sla', 'timed_out', 'next'],
    ['next', 'escalated', 'end'],
    ['next', 'no_target', 'end'],
    ['strict', 'assigned', 'end'],
    ['strict', 'no_eligible_rep', 'end'],
    ['rr', 'assigned', 'end'],
    ['rr', 'no_eligible_rep', 'end'],
  ].map(([source, sourceHandle, target], i) => ({ id: `e${i}`, source, sourceHandle, target })),
} as Graph;

const berlinHour = (t: number) => Number(new Intl.DateTimeFormat('en-GB', { timeZone: TZ, hour: '2-digit', hourCycle: 'h23' }).format(t));

/**
 * Which arm a lead takes. Production runs the leads one after the other, so a lead's SLA holds back the
 * leads after it: the SLA arm takes leads of Berlin mornings only (07:00 to 12:00), whose 2 working hours end
 * the same day, so no SLA skips a night, weekend or holiday that the other arms must see.
 */
function lane(t: number, i: number): string {
  const h = berlinHour(t);
  if (i % 2 === 0) return h >= 7 && h < 12 ? 'sla' : 'strict';
  return 'rr';
}

let env: TestWorkflowEnvironment;
let database: TestDatabase;
let worker: Worker;
let running: Promise<void>;
/**
 * The activities' clock is the server's (skipped) time, read as each activity starts: the test server
 * schedules activities at wall-clock time, and the leads run one after the other.
 */
let serverClock = START;
const taskQueue = `modes-parity-${randomUUID().slice(0, 8)}`;

beforeAll(async () => {
  [env, database] = await Promise.all([timeSkippingEnv(), createTestDatabase({ max: 5 })]);
  const real = createActivities({ db: database.db, now: () => new Date(serverClock) }) as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  const activities = Object.fromEntries(
    Object.entries(real).map(([name, fn]) => [
      name,
      async (...args: unknown[]) => {
        serverClock = await env.currentTimeMs();
        return fn(...args);
      },
    ]),
  );
  worker = await Worker.create({ connection: env.nativeConnection, taskQueue, ...WORKFLOW_BUNDLE, activities });
  running = worker.run();
}, 120_000);

afterAll(async () => {
  worker?.shutdown();
  await running?.catch(() => {});
  await env?.teardown();
  await database?.drop();
}, 60_000);

type Step = RunResult['steps'][number];
/**
 * A step as both sides must agree on it. A test run words its own timeouts and notifications ("Test run:
 * planned to time out", "would send in-app ...; nothing was sent"): of a wait only the SLA's line is
 * compared, of a reminder only its output.
 */
const view = (s: Pick<Step, 'nodeId' | 'outcome' | 'output' | 'explanation'> & { nodeType: string }) => ({
  nodeId: s.nodeId,
  nodeType: s.nodeType,
  outcome: s.outcome,
  output: s.output,
  explanation: s.nodeType === 'wait' ? s.explanation.slice(0, 1) : s.nodeType === 'notify' ? [] : s.explanation,
});

/**
 * Routing state as both sides must agree on it. Production loads a pool's weighted round-robin weights as
 * `{}` once the pool has a row, a test run leaves the pool out: the same (no current weights).
 */
const comparable = (s: RoutingStateSnapshot): RoutingStateSnapshot => ({
  ...s,
  wrrCurrent: Object.fromEntries(Object.entries(s.wrrCurrent ?? {}).filter(([, w]) => Object.keys(w ?? {}).length > 0)),
});

describe('routing modes parity (#16): simulate vs the routeLead workflow on Temporal', () => {
  it('500 leads through fairness, period and team caps, offline, holidays, breaks and business SLAs: same path, assignee, steps and state', async () => {
    const db = database.db;
    const { workspaceId, workflowId } = await createWorkspace(db);
    await seedDirectory(db, workspaceId, directory);
    await db.update(workspaces).set({ settings: SETTINGS }).where(eq(workspaces.id, workspaceId));
    const { versionId, plan } = await insertVersion(db, workflowId, graph, directory);
    await db.update(workflows).set({ activeVersionId: versionId }).where(eq(workflows.id, workflowId));
    const times = Array.from({ length: LEADS }, (_, i) => START + i * SPACING);
    const leads: Lead[] = times.map((t, i) => ({ email: `lead${i}@modes.example`, company: `Modes ${i}`, industry: lane(t, i) }));
    const ids = await insertLeads(db, { workspaceId, workflowId, versionId }, leads, new Date(START));
    // The server's clock only moves forward: the schedule must lie ahead of today (see START).
    expect(await env.currentTimeMs(), 'START is in the past: move the schedule to a later year whose Easter and DST fall in it').toBeLessThan(START);

    let sim = new SimulationEffects({ directory: await loadDirectory(db, workspaceId, { at: START }), state: await loadRoutingState(db, workspaceId), startTime: START, waits: { default: { outcome: 'timed_out' } } });
    const expected: RunResult[] = [];
    const started: number[] = [];
    for (const [i, id] of ids.entries()) {
      if (i === HALF) {
        // Ben switches to offline: production's directory changes, the test run reads it (and the state) again.
        expect((await loadRoutingState(db, workspaceId)).fairness).toEqual(sim.state.snapshot().fairness);
        await db.update(reps).set({ online: false }).where(and(eq(reps.workspaceId, workspaceId), eq(reps.id, 'r-ben')));
        // The worker's directory cache lives 2 s of process time: production sees the switch after that.
        await new Promise((r) => setTimeout(r, 2_100));
        const state = await loadRoutingState(db, workspaceId);
        expect(comparable(state)).toEqual(comparable(sim.state.snapshot()));
        sim = new SimulationEffects({ directory: await loadDirectory(db, workspaceId, { at: times[i] as number }), state, startTime: times[i] as number, waits: { default: { outcome: 'timed_out' } } });
      }
      const serverNow = await env.currentTimeMs();
      if ((times[i] as number) > serverNow) await env.sleep((times[i] as number) - serverNow);
      const result = (await env.client.workflow.execute('routeLead', { taskQueue, workflowId: `lead-${id}`, args: [{ leadId: id, workspaceId, versionId }] })) as RouteLeadResult;
      const rows = await db.select().from(traceSteps).where(eq(traceSteps.leadId, id)).orderBy(asc(traceSteps.seq));
      // The test run of this lead starts when production's did (at its wait, if it has one: the steps
      // before take no time in a test run, a few milliseconds of server time in production).
      const startedAt = (rows.find((s) => s.nodeType === 'wait') ?? rows[0])?.at.getTime() ?? 0;
      expect(startedAt - Math.max(times[i] as number, serverNow), `lead ${i} arrival`).toBeGreaterThanOrEqual(0);
      expect(startedAt - Math.max(times[i] as number, serverNow), `lead ${i} arrival`).toBeLessThan(5_000);
      started.push(startedAt);
      sim.beginLead(id, startedAt);
      const want = interpretSync(plan, leads[i] as Lead, sim, { leadId: id });
      if (isPaused(want)) throw new Error('paused');
      expected.push(want);
      expect(rows.map(view), `lead ${i} steps`).toEqual(want.steps.map(view));
      // The path is the nodes visited: a wait's reminders are steps of the wait, not nodes.
      expect(result.path, `lead ${i} path`).toEqual(want.steps.filter((s) => s.nodeType !== 'notify').map((s) => s.nodeId));
      expect(result.assignee?.id ?? null, `lead ${i} assignee`).toBe(want.assignee?.id ?? null);
    }
    expect(comparable(await loadRoutingState(db, workspaceId))).toEqual(comparable(sim.state.snapshot()));

    // Every mode fired, as both sides agree.
    const steps = expected.flatMap((r) => r.steps);
    const verdicts = new Map<string, number>();
    for (const s of steps.filter((x) => ASSIGN_NODES.includes(x.nodeId))) {
      for (const c of ((s.output as { candidates?: { verdict: string }[] } | null)?.candidates ?? [])) verdicts.set(c.verdict, (verdicts.get(c.verdict) ?? 0) + 1);
    }
    const lines = steps.flatMap((s) => s.explanation);
    const outcomes = (nodeId: string, outcome: string) => steps.filter((s) => s.nodeId === nodeId && s.outcome === outcome).length;
    // Credit-back: the balanced pool's count in its last window is every lead it handed out in that window
    // (assignments and escalations) less those escalated away from the rep who got them in that window.
    const fairness = sim.state.snapshot().fairness?.['team:team-bal'];
    const creditOf = (s: Step | undefined) => (s?.output as { credit?: { window: string } } | null)?.credit?.window;
    let handedOut = 0;
    let creditedBack = 0;
    for (const r of expected) {
      const bal = r.steps.find((s) => s.nodeId === 'bal');
      const next = r.steps.find((s) => s.nodeId === 'next' && s.outcome === 'escalated');
      if (creditOf(bal) === fairness?.window) handedOut++;
      if (creditOf(next) === fairness?.window) handedOut++;
      if (next && creditOf(bal) === fairness?.window) creditedBack++;
    }
    expect(Object.values(fairness?.counts ?? {}).reduce((a, b) => a + b, 0)).toBe(handedOut - creditedBack);
    const seen = {
      verdicts: Object.fromEntries(['offline', 'on_holiday', 'over_weekly_cap', 'over_monthly_cap', 'over_daily_cap', 'over_team_cap', 'outside_working_hours'].map((v) => [v, (verdicts.get(v) ?? 0) > 0])),
      goodFriday: lines.some((l) => l.startsWith('Ana Diaz: public holiday: Karfreitag (DE)')),
      easterMonday: lines.some((l) => l.startsWith('Dee Roy: public holiday: Ostermontag (DE-BY)')),
      companyDayOff: lines.some((l) => l.endsWith(': company day off: Company offsite')),
      balancedCatchUp: lines.some((l) => /took (\d+) in a row \(at most \1\)/.test(l)),
      weeklyReset: lines.some((l) => l.startsWith('Fairness: balanced, weekly window from Monday') && l.includes('a new window began')),
      // A daily window began on the day of the DST change or right after it (the team cap may close Sunday).
      dailyResetAtDst: lines.some((l) => new RegExp(`^Fairness: strict rotation, daily window ${YEAR}-03-(28|29|30) \\(Europe/Berlin\\): a new window began`).test(l)),
      monthlyReset: lines.some((l) => l.startsWith(`Fairness: balanced, monthly window ${YEAR}-04 (Europe/Berlin); a new window began`)),
      creditBack: creditedBack > 0,
      businessTimeouts: steps.some((s) => s.nodeId === 'sla' && s.outcome === 'timed_out' && (s.output as { clock?: string } | null)?.clock === 'business'),
      reminders: outcomes('sla', 'reminded') > 0,
      escalations: outcomes('next', 'escalated') > 0,
    };
    console.log('modes', { verdicts: Object.fromEntries(verdicts), timedOut: outcomes('sla', 'timed_out'), reminded: outcomes('sla', 'reminded'), escalated: outcomes('next', 'escalated'), creditedBack, unassigned: expected.filter((r) => r.assignee === null).length, first: new Date(started[0] as number).toISOString(), last: new Date(started[LEADS - 1] as number).toISOString() });
    const all = (o: object): unknown => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, typeof v === 'object' ? all(v as object) : true]));
    expect(seen).toEqual(all(seen));
  }, 300_000);
});
