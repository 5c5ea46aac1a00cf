import { DEFAULT_FAIRNESS, type Fairness, type ResetWindow } from '../graph/nodes/assign';
import { candidate, ineligible, verdictOf, type Call, type Decision } from './choice';
import { textOf, type Pool } from './pool';
import { roundRobin, weightedRoundRobin } from './pool-strategies';
import type { Candidate, FairnessCredit, PoolFairness, RoutingStateView } from './types';
import { wallClockMs, wallDate, wallWeekdayIndex, zoneOffsets } from './wall-clock';

// Fairness of the rotating strategies (issue #16): `strict` is the rotation as it always was; `balanced`
// gives every rep of the pool their weight's share of the leads counted in the current window, so a rep
// who was away or capped catches up on return, never more than `maxInARow` in a row. What must stay true:
// - a step without a fairness block, or with strict / never, decides and explains exactly as before;
// - a rep who joins mid-window starts at the others' level (no flood) and a rep leaving changes nobody's
//   count; only a window boundary (in the workspace's time zone) starts everyone level again;
// - everything here is pure and deterministic: the Temporal workflow and test runs decide the same.

const DAY_MS = 86_400_000;

/** A fairness window: its id (stored with the counts) and how the trace names it. */
export interface FairnessWindow {
  id: string;
  /** `today`, `this week`... */
  span: string;
  /** `weekly window from 2026-03-23 (Europe/Berlin)` */
  label: string;
}

/** The window `now` falls in, in `timeZone`: days and months by the local calendar, weeks from Monday. */
export function fairnessWindow(reset: ResetWindow, now: number, timeZone: string): FairnessWindow {
  if (reset === 'never') return { id: 'all', span: 'so far', label: 'never reset' };
  const wall = wallClockMs(zoneOffsets(timeZone), now);
  if (reset === 'daily') {
    const day = wallDate(wall);
    return { id: day, span: 'today', label: `daily window ${day} (${timeZone})` };
  }
  if (reset === 'weekly') {
    const monday = wallDate(wall - wallWeekdayIndex(wall) * DAY_MS);
    return { id: `week:${monday}`, span: 'this week', label: `weekly window from Monday ${monday} (${timeZone})` };
  }
  const month = wallDate(wall).slice(0, 7);
  return { id: month, span: 'this month', label: `monthly window ${month} (${timeZone})` };
}

/** The step's fairness, defaults filled in for a step saved without one. */
export const fairnessOf = (f: Partial<Fairness> | undefined): Fairness => ({ ...DEFAULT_FAIRNESS, ...(f ?? {}) });

/** Whether the step behaves exactly as before fairness settings existed. */
export const isPlainStrict = (f: Fairness): boolean => f.mode === 'strict' && f.resetWindow === 'never';

/**
 * The pool's counts after a lead the rep got in `credit.window` is taken back, or null when nothing changes
 * (another window by now, another rep, nothing counted). Shared by the memory state and Postgres.
 */
export function creditedBack(fairness: PoolFairness | null, credit: FairnessCredit, repId: string): PoolFairness | null {
  if (fairness === null || credit.repId !== repId || fairness.window !== credit.window) return null;
  const c = fairness.counts[repId];
  if (typeof c !== 'number' || !(c > 0)) return null;
  return { ...fairness, counts: withCount(fairness.counts, repId, Math.max(0, c - 1)) };
}

/** A copy of `counts` with one rep's count set; own data properties even for a `__proto__` id. */
function withCount(counts: Readonly<Record<string, number>>, repId: string, value: number): Record<string, number> {
  const out: Record<string, number> = Object.fromEntries(Object.entries(counts));
  Object.defineProperty(out, repId, { value, writable: true, enumerable: true, configurable: true });
  return out;
}

/** One decimal, no `-0`: counts of a rep who joined mid-window can be fractions. */
export function fmt(x: number): string {
  const r = Math.round(x * 10) / 10;
  return String(r === 0 ? 0 : r);
}

/** The state seen with one pool's rotation restarted (a strict step's new window): no cursor, no counters. */
function restarted(state: RoutingStateView, key: string): RoutingStateView {
  return {
    lastChosen: (k) => (k === key ? null : state.lastChosen(k)),
    wrrCurrent: (k) => (k === key ? {} : state.wrrCurrent(k)),
    openLoad: (r) => state.openLoad(r),
    assignedOn: (r, d) => state.assignedOn(r, d),
    assignedBetween: (r, from, to) => state.assignedBetween(r, from, to),
    poolAssignedBetween: (k, from, to) => state.poolAssignedBetween(k, from, to),
    poolFairness: (k) => state.poolFairness?.(k) ?? null,
  };
}

/**
 * The rotating strategies with the step's fairness: plain strict is the rotation untouched; strict with a
 * reset window restarts the rotation at each window's first lead; balanced shares by counts.
 */
export function fairRotation(call: Call, pool: Pool, weighted: boolean): Decision {
  const f = fairnessOf(call.input.fairness);
  const rotate = weighted ? weightedRoundRobin : roundRobin;
  if (isPlainStrict(f)) return rotate(call, pool);
  const window = fairnessWindow(f.resetWindow, call.input.now, call.dir.settings?.timeZone ?? 'UTC');
  if (f.mode === 'balanced') return balanced(call, pool, weighted, f, window);
  const stored = call.state.poolFairness?.(pool.key) ?? null;
  if (stored !== null && stored.window === window.id) return rotate(call, pool);
  const d = rotate({ ...call, state: restarted(call.state, pool.key) }, pool);
  d.explanation.push(`Fairness: strict rotation, ${window.label}: a new window began, so the rotation starts again from the top of the list`);
  if (d.chosen !== null) d.update.fairness = { window: window.id, counts: {}, streak: null };
  return d;
}

/** Per member of a balanced choice, in rotation order. */
interface Seat {
  i: number;
  id: string;
  name: string;
  w: number;
  count: number;
  /** Leads behind (positive) or ahead of the share, before this lead. */
  gap: number;
  /** Why the rep may not take this lead, or null. */
  out: string | null;
}

function behind(gap: number): string {
  if (gap >= 0.05) return `${fmt(gap)} behind the share`;
  if (gap <= -0.05) return `${fmt(-gap)} ahead of the share`;
  return 'level with the share';
}

/** The pool's members who count, in rotation order from `at + 1`, newcomers levelled; totals over them. */
function seatPool(call: Call, pool: Pool, weighted: boolean, at: number, stored: Readonly<Record<string, number>>, fresh: boolean) {
  const { ids } = pool;
  const n = ids.length;
  const reps = call.dir.reps;
  let counts: Record<string, number> = Object.fromEntries(Object.entries(stored));
  // Members who count: reps in the directory and active (a deactivated rep is off the team, not away).
  const seats: Seat[] = [];
  // Every member in rotation order: a ruled-out rep's candidate, or the index of an eligible rep's seat.
  const order: (Candidate | number)[] = [];
  const newcomers: number[] = [];
  let knownCount = 0;
  let knownWeight = 0;
  for (let k = 0, i = at + 1; k < n; k++, i++) {
    if (i === n) i = 0;
    const id = ids[i] as string;
    const rep = reps.get(id);
    const name = rep?.name ?? id;
    const out = ineligible(call, rep, id);
    if (out !== null) order.push(candidate(id, name, verdictOf(call), out));
    if (rep === undefined || !rep.active) continue;
    if (out === null) order.push(seats.length);
    const w = weighted ? (pool.weights[i] as number) : 1;
    const c = counts[id];
    const count = typeof c === 'number' && Number.isFinite(c) ? Math.max(0, c) : NaN;
    if (Number.isNaN(count)) newcomers.push(seats.length);
    else {
      knownCount += count;
      knownWeight += w;
    }
    seats.push({ i, id, name, w, count, gap: 0, out });
  }
  // A rep new to the pool starts at the others' level per unit of weight: nobody else's standing moves.
  const perWeight = knownWeight > 0 ? knownCount / knownWeight : 0;
  const levelled: string[] = [];
  for (const s of newcomers) {
    const seat = seats[s] as Seat;
    seat.count = seat.w * perWeight;
    counts = withCount(counts, seat.id, seat.count);
    if (!fresh && perWeight > 0) levelled.push(`${seat.name} (${fmt(seat.count)})`);
  }
  let total = 0;
  let weight = 0;
  let eligibleWeight = 0;
  for (const s of seats) {
    total += s.count;
    weight += s.w;
    if (s.out === null) eligibleWeight += s.w;
  }
  return { seats, order, counts, levelled, total, weight, eligibleWeight };
}

/** The eligible seat furthest behind and the next one (-1 when none); fills in every seat's gap. */
function ranked(seats: Seat[], total: number, weight: number): { best: number; second: number } {
  let best = -1;
  let second = -1;
  let top = -Infinity;
  let next = -Infinity;
  for (let k = 0; k < seats.length; k++) {
    const s = seats[k] as Seat;
    s.gap = (s.w * total) / weight - s.count;
    if (s.out !== null) continue;
    // Rotation order breaks ties: strictly further behind (beyond rounding) wins.
    const d = (s.w * (total + 1)) / weight - s.count;
    if (best < 0 || d > top + 1e-9) {
      second = best;
      next = top;
      best = k;
      top = d;
    } else if (second < 0 || d > next + 1e-9) {
      second = k;
      next = d;
    }
  }
  return { best, second };
}

/**
 * Balanced: the eligible rep furthest behind their weight's share of the pool's leads in the window (ties in
 * rotation order), unless that rep already took `maxInARow` in a row (beyond their weight's natural run,
 * when their weight outweighs the other eligible reps') and someone else is eligible: then the next.
 */
export function balanced(call: Call, pool: Pool, weighted: boolean, f: Fairness, window: FairnessWindow): Decision {
  const { ids, key } = pool;
  const stored = call.state.poolFairness?.(key) ?? null;
  const fresh = stored === null || stored.window !== window.id;
  const streak = fresh ? null : stored.streak;
  const last = call.state.lastChosen(key);
  const at = last === null ? -1 : ids.indexOf(last);

  const { seats, order, counts, levelled, total, weight, eligibleWeight } = seatPool(call, pool, weighted, at, fresh ? {} : stored.counts, fresh);
  const { best, second } = ranked(seats, total, weight);
  const candidates: Candidate[] = [];
  const explanation: string[] = [''];
  if (best < 0) {
    for (const o of order) {
      if (typeof o === 'number') continue;
      candidates.push(o);
      explanation.push(`${o.name}: ${o.reason}`);
    }
    return { chosen: null, candidates, explanation, update: { poolKey: key } };
  }

  const lead = seats[best] as Seat;
  // A rep whose weight outweighs everyone else's eligible weight takes runs by weight alone (5 vs 1: five in
  // a row); the limit counts the turns beyond that natural run, so it never bends the weights themselves.
  const natural = eligibleWeight > lead.w ? Math.ceil(lead.w / (eligibleWeight - lead.w)) : Infinity;
  const cap = natural <= 1 ? f.maxInARow : natural + f.maxInARow - 1;
  const capped = streak !== null && streak.repId === lead.id && streak.n >= cap && second >= 0;
  const pick = seats[capped ? second : best] as Seat;
  const span = window.span;
  const standing = (s: Seat) => `${fmt(s.count)} of ${fmt(total)} leads ${span} vs a share of ${fmt((s.w * total) / weight)}`;
  const inARow = `took ${streak?.n ?? 0} in a row (at most ${cap})`;
  let chosen: Candidate | null = null;
  for (const o of order) {
    if (typeof o !== 'number') {
      candidates.push(o);
      explanation.push(`${o.name}: ${o.reason}`);
      continue;
    }
    const s = seats[o] as Seat;
    const t = textOf(pool, s.i, s.name);
    let c: Candidate;
    if (s === pick) {
      const why = capped
        ? `balanced: ${behind(s.gap)} (${standing(s)}); ${lead.name} is further behind but ${inARow}`
        : `balanced: furthest behind the share, ${behind(s.gap)} (${standing(s)})`;
      c = candidate(s.id, s.name, 'chosen', why);
      chosen = c;
      explanation.push(`${t.chosen}${why})`);
    } else {
      const why =
        s === lead && capped
          ? `balanced: ${behind(s.gap)} (${standing(s)}), but ${inARow}, so ${pick.name} this turn`
          : `balanced: ${behind(s.gap)} (${standing(s)}); it is ${pick.name}'s turn`;
      c = candidate(s.id, s.name, 'not_this_turn', why);
      explanation.push(`${t.notTurn}${why})`);
    }
    candidates.push(c);
  }
  const head = fresh && stored !== null ? `a new window began, so everyone starts level` : `counts ${span}`;
  let summary = `Fairness: balanced, ${window.label}; ${head}`;
  if (levelled.length > 0) summary += `; new to the pool, starting level with the others: ${levelled.join(', ')}`;
  summary += capped
    ? `; ${lead.name} is ${behind(lead.gap)} but ${inARow}, so ${pick.name} this turn`
    : `; ${pick.name} is ${behind(pick.gap)}, the furthest behind`;
  explanation.push(summary);

  const after: PoolFairness = {
    window: window.id,
    counts: withCount(counts, pick.id, pick.count + 1),
    streak: streak !== null && streak.repId === pick.id ? { repId: pick.id, n: streak.n + 1 } : { repId: pick.id, n: 1 },
  };
  const d: Decision = { chosen, candidates, explanation, update: { poolKey: key, lastChosen: pick.id, fairness: after } };
  if (f.creditBack) d.credit = { poolKey: key, window: window.id, repId: pick.id };
  return d;
}
