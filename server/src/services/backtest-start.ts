import { capsZoneOf, dayKey, isTeamPool, poolFairnessFrom, type Directory, type Plan, type PoolFairness, type RoutingStateSnapshot } from '@lead-router/shared';
import { and, asc, count, desc, eq, gte, inArray, isNotNull, isNull, lt, lte, or, sql } from 'drizzle-orm';
import type { Db } from '@lead-router/db/client';
import { poolCursors, poolDailyCounts, repDailyCounts, routingRuns, traceSteps, versions } from '@lead-router/db/schema';
import { DomainError } from '../errors/domain-error';
import type { Assumption } from './simulation/backtest-compare';
import type { RoutingEvent } from './simulation/backtest-replay';

// A backtest's starting state (backtest.service.ts): the routing state as it was at the window's start,
// rebuilt from the runs, traces and the router's own counts, and the other leads' changes during the window.

const DAY_MS = 86_400_000;

/**
 * The most assignments of the workspace's other leads (other workflows', earlier ones) a backtest reads to
 * rebuild the routing state around its window; past it the window must be narrowed.
 */
export const MAX_HISTORY_ASSIGNMENTS = 200_000;

/** The routing state at the window's start, the other leads' changes to it during the window, and what was assumed. */
export interface RoutingAround {
  start: Required<RoutingStateSnapshot>;
  background: RoutingEvent[];
  notes: Assumption[];
}

/**
 * An assignment step of the trace: the lead went to `type`/`id` at `at`. An assign step names its pool and
 * (from the plan of the version that ran it) its strategy; an escalate step where it escalated to.
 */
export interface AssignmentStep {
  leadId: string;
  at: number;
  nodeType: string;
  type: string | null;
  id: string | null;
  poolKey: string | null;
  /** The assign step's strategy type, when the version's plan is known. */
  strategy: string | null;
  /** The escalate step's `to` (next_rep, manager, queue), when the version's plan is known. */
  escalateTo: string | null;
  /** When the lead's rep closed it (ms), if they did: it leaves its holder's open leads then. */
  closedAt?: number | null;
  /** A weighted pool's counters after this choice, as the trace kept them (steps recorded since it does). */
  wrr?: Record<string, number> | null;
}

/** What the trace's assignment steps give: the state at `since` (but the stored turns), and the others' events. */
export interface FoldedAssignments {
  openLoad: Record<string, number>;
  assignedOn: Record<string, Record<string, number>>;
  /** Pool -> the rep of its last rotation turn before `since`, among the steps read. */
  turns: Record<string, string>;
  /** Weighted pool -> its counters after its last choice before `since`, where the trace kept them. */
  wrrTurns: Record<string, Record<string, number>>;
  /** Team pool -> day (in the workspace's zone) -> leads it handed out, from the steps read (team caps). */
  poolAssignedOn: Record<string, Record<string, number>>;
  background: RoutingEvent[];
  openLeads: number;
  /** Weighted round-robin choices among the events: their counters are not replayed. */
  weightedChoices: number;
}

/**
 * Folds the trace's assignment steps (each lead's in order) by the router's own rules: a lead counts open
 * on a rep from its assignment until it is assigned to someone else (take(): one more for the rep it goes
 * to, one fewer for the rep it leaves; accepting or completing it releases nothing), and a rotation choice
 * (an assign step by round-robin, load or territory, or an escalation to the next rep of such a pool)
 * gives its pool's turn to the rep chosen. Steps before `since` give the open loads (plus `settled`, the
 * holders of runs that stopped moving before the steps read), the day counts (steps from `countFrom` on,
 * by the rep's own day) and the pools' last turns; the steps from `since` on of leads not `replayed`
 * become the events the replays apply at their instants. Pure.
 */
export function foldAssignments(input: {
  since: number;
  countFrom: number;
  settled: ReadonlyArray<{ repId: string; n: number }>;
  steps: readonly AssignmentStep[];
  replayed: ReadonlySet<string>;
  zoneOf: (repId: string) => string;
  /** The workspace's zone, which a team's caps count days in (UTC by default). */
  poolZone?: string;
}): FoldedAssignments {
  // Maps while counting: a rep id read back from the database could be "__proto__".
  const open = new Map<string, number>();
  const daily = new Map<string, Map<string, number>>();
  const poolDaily = new Map<string, Map<string, number>>();
  const turns = new Map<string, { at: number; rep: string }>();
  const wrrTurns = new Map<string, { at: number; wrr: Record<string, number> }>();
  const addOpen = (rep: string, n: number) => open.set(rep, (open.get(rep) ?? 0) + n);
  for (const s of input.settled) addOpen(s.repId, s.n);
  const background: RoutingEvent[] = [];
  let weightedChoices = 0;
  let holder: { type: string; id: string } | null = null;
  // The pool the lead was last assigned from (what an escalation to the next rep draws from).
  let pool: { key: string; weighted: boolean } | null = null;
  let lead: string | null = null;
  // A closed lead leaves its last holder's open leads when it closed: before `since`, in the start state;
  // from `since` on, as an event (for leads not replayed: the replays release their own at the same instant).
  let closedAt: number | null = null;
  const closeLead = () => {
    if (lead === null || closedAt === null || holder === null || holder.type !== 'rep') return;
    if (closedAt < input.since) addOpen(holder.id, -1);
    else if (!input.replayed.has(lead)) background.push({ at: closedAt, from: holder.id });
  };
  for (const s of input.steps) {
    if (s.leadId !== lead) {
      closeLead();
      lead = s.leadId;
      holder = null;
      pool = null;
      closedAt = s.closedAt ?? null;
    }
    if (s.type === null || s.id === null) continue;
    const to = { type: s.type, id: s.id };
    const from = holder !== null && holder.type === 'rep' && !(to.type === 'rep' && to.id === holder.id) ? holder.id : undefined;
    holder = to;
    let chosenFrom: { key: string; weighted: boolean } | null = null;
    if (s.nodeType === 'assign') {
      pool = s.poolKey !== null ? { key: s.poolKey, weighted: s.strategy === 'weighted_round_robin' } : null;
      chosenFrom = pool;
    } else if (s.escalateTo === 'next_rep') chosenFrom = pool;
    const rotation = to.type === 'rep' && chosenFrom !== null && !chosenFrom.key.startsWith('queue:') ? chosenFrom : null;
    const turn = rotation !== null && !rotation.weighted ? rotation.key : undefined;
    if (s.at < input.since) {
      if (to.type === 'rep') {
        addOpen(to.id, 1);
        if (s.at >= input.countFrom) {
          countDay(daily, to.id, dayKey(s.at, input.zoneOf(to.id)));
          // A lead a team's pool handed out counts for the team's caps (take()'s poolKey).
          if (chosenFrom !== null && isTeamPool(chosenFrom.key)) countDay(poolDaily, chosenFrom.key, dayKey(s.at, input.poolZone ?? 'UTC'));
        }
      }
      if (from !== undefined) addOpen(from, -1);
      const last = turn !== undefined ? turns.get(turn) : undefined;
      if (turn !== undefined && (last === undefined || last.at <= s.at)) turns.set(turn, { at: s.at, rep: to.id });
      if (rotation?.weighted && s.wrr) {
        const lastWrr = wrrTurns.get(rotation.key);
        if (lastWrr === undefined || lastWrr.at <= s.at) wrrTurns.set(rotation.key, { at: s.at, wrr: s.wrr });
      }
    } else if (!input.replayed.has(s.leadId)) {
      if (rotation?.weighted) weightedChoices++;
      const teamPool = to.type === 'rep' && chosenFrom !== null && isTeamPool(chosenFrom.key) ? chosenFrom.key : undefined;
      background.push({ at: s.at, ...(to.type === 'rep' ? { to: to.id } : {}), ...(from !== undefined ? { from } : {}), ...(turn !== undefined ? { poolKey: turn } : {}), ...(teamPool !== undefined ? { teamPool } : {}) });
    }
  }
  closeLead();
  background.sort((a, b) => a.at - b.at);
  const openLoad: Record<string, number> = {};
  let openLeads = 0;
  for (const [rep, n] of open) {
    if (n <= 0) continue;
    setOwn(openLoad, rep, n);
    openLeads += n;
  }
  const assignedOn: Record<string, Record<string, number>> = {};
  for (const [rep, days] of daily) setOwn(assignedOn, rep, Object.fromEntries(days));
  const poolAssignedOn: Record<string, Record<string, number>> = {};
  for (const [key, days] of poolDaily) setOwn(poolAssignedOn, key, Object.fromEntries(days));
  const lastTurns: Record<string, string> = {};
  for (const [key, t] of turns) setOwn(lastTurns, key, t.rep);
  const lastWrr: Record<string, Record<string, number>> = {};
  for (const [key, t] of wrrTurns) setOwn(lastWrr, key, t.wrr);
  return { openLoad, assignedOn, poolAssignedOn, turns: lastTurns, wrrTurns: lastWrr, background, openLeads, weightedChoices };
}

/** One more for `key` on `day`. */
function countDay(m: Map<string, Map<string, number>>, key: string, day: string): void {
  let days = m.get(key);
  if (!days) m.set(key, (days = new Map()));
  days.set(day, (days.get(day) ?? 0) + 1);
}

/** Sets an own data property, even for a key such as "__proto__". */
function setOwn<V>(r: Record<string, V>, k: string, v: V): void {
  Object.defineProperty(r, k, { value: v, enumerable: true, writable: true, configurable: true });
}

/**
 * Rebuilds, from the runs and traces of the whole workspace (reps and pools are shared by its workflows),
 * the routing state as it was at `since`, by the router's own rules (worker/src/activities/routing-state.ts):
 *
 * - open leads: a lead counts on a rep from its assignment until it is assigned to someone else (accepting
 *   or completing it does not release it). Runs whose last assignment was two days or more before `since`
 *   are counted by their holder; the others by walking their assignment steps up to `since`;
 * - leads per rep and per team pool per day (daily, weekly and monthly caps): the router's own day counts
 *   for the days before `since`'s day, a month back; `since`'s day from its assignment steps before `since`;
 * - balanced pools' fairness counts: as stored for a pool that has not moved since `since`;
 * - round-robin turns: a pool whose cursor has not moved since `since` is taken as stored (exact, weighted
 *   counters included); one that moved gets, as its turn, the rep of its last assignment before `since`,
 *   and weighted counters from the trace's last choice before `since` (at zero for steps recorded before the trace kept them);
 *
 * and the assignment steps at or after `since` of every lead that is not replayed (other workflows', this
 * one's earlier or past `limit`), received before `until`, as events the replays apply at their instants.
 */
export async function loadRoutingAround(db: Db, workspaceId: string, window: { since: Date; until: Date; replayed: ReadonlySet<string> }, directory: Directory): Promise<RoutingAround> {
  const { since, until } = window;
  const countFrom = new Date(since.getTime() - 2 * DAY_MS);
  const zone = new Map(directory.reps.map((r) => [r.id, capsZoneOf(r, directory.settings.timeZone)])); // as take() keys days
  const assignee = sql<string | null>`${traceSteps.output}->'assignee'->>'id'`;
  // Leads of reps settled before the counted days: received before the window, assigned before countFrom.
  const settledRepLeads = [eq(routingRuns.workspaceId, workspaceId), eq(routingRuns.assigneeType, 'rep'), lt(routingRuns.receivedAt, since), lt(routingRuns.assignedAt, countFrom)];
  const [settled, settledCloses, steps, cursors] = await Promise.all([
    db
      .select({ repId: routingRuns.assigneeId, n: count() })
      .from(routingRuns)
      .where(
        and(
          ...settledRepLeads,
          // A lead closed before the window is no longer its rep's open lead.
          or(isNull(routingRuns.closedAt), gte(routingRuns.closedAt, since)),
        ),
      )
      .groupBy(routingRuns.assigneeId),
    // Of those, the ones their rep closed during the window: released then.
    db
      .select({ repId: routingRuns.assigneeId, closedAt: routingRuns.closedAt })
      .from(routingRuns)
      .where(and(...settledRepLeads, gte(routingRuns.closedAt, since), lt(routingRuns.closedAt, until)))
      .limit(MAX_HISTORY_ASSIGNMENTS),
    db
      .select({
        leadId: traceSteps.leadId,
        at: traceSteps.at,
        nodeType: traceSteps.nodeType,
        type: sql<string | null>`${traceSteps.output}->'assignee'->>'type'`,
        id: assignee,
        poolKey: sql<string | null>`${traceSteps.output}->>'poolKey'`,
        nodeId: traceSteps.nodeId,
        versionId: routingRuns.versionId,
        closedAt: routingRuns.closedAt,
        wrr: sql<Record<string, number> | null>`${traceSteps.output}->'wrr'`,
      })
      .from(traceSteps)
      .innerJoin(routingRuns, eq(routingRuns.leadId, traceSteps.leadId))
      .where(
        and(eq(routingRuns.workspaceId, workspaceId), lt(routingRuns.receivedAt, until), gte(routingRuns.assignedAt, countFrom), inArray(traceSteps.nodeType, ['assign', 'escalate']), isNotNull(assignee)),
      )
      .orderBy(asc(traceSteps.leadId), asc(traceSteps.seq))
      .limit(MAX_HISTORY_ASSIGNMENTS + 1),
    db
      .select({ poolKey: poolCursors.poolKey, lastChosen: poolCursors.lastChosen, wrrCurrent: poolCursors.wrrCurrent, fairness: poolCursors.fairness, updatedAt: poolCursors.updatedAt })
      .from(poolCursors)
      .where(eq(poolCursors.workspaceId, workspaceId)),
  ]);
  if (steps.length > MAX_HISTORY_ASSIGNMENTS) {
    throw new DomainError(
      'too_much_work',
      `This backtest is too big: the workspace made more than ${MAX_HISTORY_ASSIGNMENTS.toLocaleString('en-US')} assignments around this window, all of which its replay would have to apply. Narrow the window.`,
      [{ path: 'since', message: `at most ${MAX_HISTORY_ASSIGNMENTS.toLocaleString('en-US')} assignments around the window`, code: 'too_much_work' }],
    );
  }
  // Which strategy an assign step used, and where an escalate step went: from the plans of the versions
  // that ran them (a handful), read once.
  const versionIds = [...new Set(steps.map((s) => s.versionId))];
  const plans = versionIds.length === 0 ? [] : await db.select({ id: versions.id, nodes: sql<Plan['nodes']>`${versions.plan}->'nodes'` }).from(versions).where(inArray(versions.id, versionIds));
  const nodesOf = new Map(plans.map((p) => [p.id, p.nodes]));
  const configOf = (versionId: string, nodeId: string) => {
    const nodes = nodesOf.get(versionId);
    const node = nodes && Object.prototype.hasOwnProperty.call(nodes, nodeId) ? nodes[nodeId] : undefined;
    return {
      strategy: node?.type === 'assign' ? node.config.strategy.type : null,
      escalateTo: node?.type === 'escalate' ? node.config.to : null,
    };
  };
  const folded = foldAssignments({
    since: since.getTime(),
    countFrom: countFrom.getTime(),
    settled: settled.flatMap((s) => (s.repId === null ? [] : [{ repId: s.repId, n: s.n }])),
    steps: steps.map((s) => ({ leadId: s.leadId, at: s.at.getTime(), nodeType: s.nodeType, type: s.type, id: s.id, poolKey: s.poolKey, closedAt: s.closedAt?.getTime() ?? null, wrr: s.wrr, ...configOf(s.versionId, s.nodeId) })),
    replayed: window.replayed,
    zoneOf: (repId) => zone.get(repId) ?? 'UTC',
    poolZone: directory.settings.timeZone,
  });
  const counted = await countsBefore(db, workspaceId, since, (repId) => zone.get(repId) ?? 'UTC', directory.settings.timeZone);
  overlay(folded.assignedOn, counted.reps);
  overlay(folded.poolAssignedOn, counted.pools);
  for (const c of settledCloses) if (c.repId !== null && c.closedAt !== null) folded.background.push({ at: c.closedAt.getTime(), from: c.repId });
  folded.background.sort((a, b) => a.at - b.at);
  const turns = await startTurns(db, workspaceId, since, cursors, folded.turns, folded.wrrTurns);
  const start: Required<RoutingStateSnapshot> = { lastChosen: turns.lastChosen, wrrCurrent: turns.wrrCurrent, openLoad: folded.openLoad, assignedOn: folded.assignedOn, fairness: turns.fairness, poolAssignedOn: folded.poolAssignedOn };
  return { start, background: folded.background, notes: reconstructionNotes(folded, turns) };
}

/** How many days back the router's day counts are read: a monthly cap looks back at most 31 days. */
const PERIOD_DAYS = 32;

/**
 * The router's own day counts (`rep_daily_counts`, `pool_daily_counts`, as take() keeps them) of the days
 * before `since`'s own day (in the rep's caps zone, or the workspace's for a team), a month back: every
 * lead of those days was counted by then, queue claims included. Bounded: one row per rep or pool and day.
 */
async function countsBefore(db: Db, workspaceId: string, since: Date, zoneOf: (repId: string) => string, poolZone: string) {
  const from = new Date(since.getTime() - PERIOD_DAYS * DAY_MS).toISOString().slice(0, 10);
  const to = new Date(since.getTime() + DAY_MS).toISOString().slice(0, 10);
  const [reps, pools] = await Promise.all([
    db
      .select({ key: repDailyCounts.repId, day: repDailyCounts.day, assigned: repDailyCounts.assigned })
      .from(repDailyCounts)
      .where(and(eq(repDailyCounts.workspaceId, workspaceId), gte(repDailyCounts.day, from), lte(repDailyCounts.day, to))),
    db
      .select({ key: poolDailyCounts.poolKey, day: poolDailyCounts.day, assigned: poolDailyCounts.assigned })
      .from(poolDailyCounts)
      .where(and(eq(poolDailyCounts.workspaceId, workspaceId), gte(poolDailyCounts.day, from), lte(poolDailyCounts.day, to))),
  ]);
  const poolToday = dayKey(since.getTime(), poolZone);
  return { reps: reps.filter((r) => r.day < dayKey(since.getTime(), zoneOf(r.key))), pools: pools.filter((p) => p.day < poolToday) };
}

/** Sets each row's day count over what the steps gave (the router's count of a whole past day is exact). */
function overlay(target: Record<string, Record<string, number>>, rows: ReadonlyArray<{ key: string; day: string; assigned: number }>): void {
  for (const r of rows) {
    if (!Object.prototype.hasOwnProperty.call(target, r.key)) setOwn(target, r.key, {});
    setOwn(target[r.key] as Record<string, number>, r.day, r.assigned);
  }
}

/**
 * The pools' turns at `since`: as stored for a pool whose cursor has not moved since (exact, weighted
 * counters included); for one that moved, the rep of its last rotation turn before `since` (`recent`, from
 * the steps of the two days before; else its last assignment before that), weighted counters from the trace's last choice before `since` (`recentWrr`), else at zero.
 */
async function startTurns(
  db: Db,
  workspaceId: string,
  since: Date,
  cursors: ReadonlyArray<{ poolKey: string; lastChosen: string | null; wrrCurrent: Record<string, number>; fairness: unknown; updatedAt: Date }>,
  recent: Readonly<Record<string, string>>,
  recentWrr: Readonly<Record<string, Record<string, number>>> = {},
) {
  const lastChosen: Record<string, string> = {};
  const wrrCurrent: Record<string, Record<string, number>> = {};
  const fairness: Record<string, PoolFairness> = {};
  const moved: string[] = [];
  // Balanced pools' counts of a pool that moved since are not in the history: they start even.
  let fairnessReset = 0;
  let weightedReset = 0;
  for (const c of cursors) {
    if (c.updatedAt.getTime() < since.getTime()) {
      if (c.lastChosen !== null) setOwn(lastChosen, c.poolKey, c.lastChosen);
      setOwn(wrrCurrent, c.poolKey, c.wrrCurrent);
      const f = poolFairnessFrom(c.fairness);
      if (f !== null) setOwn(fairness, c.poolKey, f);
    } else {
      moved.push(c.poolKey);
      if (poolFairnessFrom(c.fairness) !== null) fairnessReset++;
      // A weighted pool's counters at the start: from the trace's last choice before it, else unknown (zero).
      if (Object.prototype.hasOwnProperty.call(recentWrr, c.poolKey)) setOwn(wrrCurrent, c.poolKey, { ...recentWrr[c.poolKey]! });
      else if (Object.keys(c.wrrCurrent ?? {}).length > 0) weightedReset++;
    }
  }
  const older: string[] = [];
  for (const key of moved) {
    if (Object.prototype.hasOwnProperty.call(recent, key)) setOwn(lastChosen, key, recent[key]!);
    else older.push(key);
  }
  if (older.length > 0) {
    const pool = sql<string>`${traceSteps.output}->>'poolKey'`;
    const last = await db
      .selectDistinctOn([pool], { poolKey: pool, repId: sql<string | null>`${traceSteps.output}->'assignee'->>'id'` })
      .from(traceSteps)
      .innerJoin(routingRuns, eq(routingRuns.leadId, traceSteps.leadId))
      .where(
        and(
          eq(routingRuns.workspaceId, workspaceId),
          lt(routingRuns.receivedAt, since),
          eq(traceSteps.nodeType, 'assign'),
          lt(traceSteps.at, since),
          sql`${traceSteps.output}->'assignee'->>'type' = 'rep'`,
          inArray(pool, older),
        ),
      )
      .orderBy(pool, desc(traceSteps.at), desc(traceSteps.seq));
    for (const l of last) if (l.repId !== null) setOwn(lastChosen, l.poolKey, l.repId);
  }
  return { lastChosen, wrrCurrent, fairness, exact: cursors.length - moved.length, rebuilt: moved.length, weightedReset, fairnessReset };
}

/** What the rebuilt starting state and the other leads' events assume, in words. */
function reconstructionNotes(folded: FoldedAssignments, turns: { exact: number; rebuilt: number; weightedReset: number; fairnessReset: number }): Assumption[] {
  const others = folded.background.length;
  return [
    { id: 'directory', text: "Today's directory holds for the whole window: reps, teams and their weights, territories, working hours, out-of-office and caps." },
    { id: 'same-start', text: "Both replays start from the same routing state, that of the window's start, rebuilt from the history; an unchanged draft therefore moves no lead." },
    {
      id: 'open-loads',
      text: `Open leads at the start: ${plural(folded.openLeads, 'lead')} held by reps then. As the router counts them, a lead stays open on a rep from its assignment until it is assigned to someone else or its rep closes it (accepting it does not close it); a lead closed in reality is let go, in both replays, at the instant it was closed.`,
    },
    {
      id: 'daily-counts',
      text: "Leads per rep and per team, for daily, weekly and monthly caps, start from the router's own counts of the days before, and the start's own day counts its assignments before the start.",
    },
    turnsNote(turns.exact, turns.rebuilt, turns.weightedReset),
    ...(turns.fairnessReset > 0
      ? [{ id: 'fairness', text: `Balanced fairness counts are as stored for pools that have not moved since the window began; the ${plural(turns.fairnessReset, 'pool')} that moved since start the window even.` }]
      : []),
    { id: 'order', text: 'Leads replay in the order they really arrived, each from the moment its real run started (its arrival, when not routed yet).' },
    {
      id: 'waits',
      text: 'Each wait ends as it really did for that lead (accepted, rejected or timed out, after the same delay), whoever the replay gave it to; an answer later than the replayed SLA times out.',
    },
    {
      id: 'other-leads',
      text:
        others > 0
          ? `Other leads of the workspace (other workflows, earlier leads still moving) make their ${plural(others, 'assignment')} in the window at their real times, in both replays, taking round-robin turns as they did${
              folded.weightedChoices > 0 ? `; the ${plural(folded.weightedChoices, 'weighted round-robin choice')} among them do not move the weighted counters` : ''
            }.`
          : 'No other lead of the workspace was assigned during the window.',
    },
  ];
}

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

function turnsNote(exact: number, rebuilt: number, weightedReset: number): Assumption {
  if (rebuilt === 0) return { id: 'turns', text: exact === 0 ? 'Round-robin turns start from the top: no pool had taken a turn before the window.' : 'Round-robin turns and weighted counters are as stored: they have not moved since the window began.' };
  const parts = [
    `Round-robin turns of ${plural(rebuilt, 'pool')} that moved since the window began are rebuilt from the last turn taken before it (from the top where none was)`,
    ...(weightedReset > 0 ? [`the weighted counters of ${plural(weightedReset, 'pool')} are not in the history and start at zero`] : []),
    ...(exact > 0 ? [`${plural(exact, 'other pool')} as stored`] : []),
  ];
  return { id: 'turns', text: `${parts.join('; ')}.` };
}
