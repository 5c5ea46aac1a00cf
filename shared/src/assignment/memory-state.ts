import { creditedBack } from './fairness';
import { PLAIN_COUNTERS } from './state-internals';
import { sumDays } from './periods';
import type { FairnessCredit, PoolFairness, RoutingStateView, StateUpdate } from './types';

/** Routing state as plain JSON: what a simulation saves between runs and seeds the next from. */
export interface RoutingStateSnapshot {
  /** poolKey -> rep who last got a turn. */
  lastChosen?: Record<string, string>;
  /** poolKey -> repId -> smooth weighted round-robin counter. */
  wrrCurrent?: Record<string, Record<string, number>>;
  /** repId -> leads held open. */
  openLoad?: Record<string, number>;
  /** repId -> day (YYYY-MM-DD in the rep's zone) -> leads assigned that day. */
  assignedOn?: Record<string, Record<string, number>>;
  /** Team caps (#16): poolKey -> day (YYYY-MM-DD in the workspace's zone) -> leads the pool handed out. */
  poolAssignedOn?: Record<string, Record<string, number>>;
  /** poolKey -> fairness counts of the current window (fairness.ts). */
  fairness?: Record<string, PoolFairness>;
}

// ---- Fairness state (issue #16): a pool's window counts, copied in and out as plain JSON ----------------

/** A pool's fairness counts read from untrusted JSON: finite non-negative counts, a streak or null. */
export function poolFairnessFrom(v: unknown): PoolFairness | null {
  if (v === null || typeof v !== 'object') return null;
  const o = v as { window?: unknown; counts?: unknown; streak?: unknown };
  if (typeof o.window !== 'string') return null;
  const counts = Object.fromEntries(
    Object.entries(o.counts !== null && typeof o.counts === 'object' ? (o.counts as Record<string, unknown>) : {}).map(([k, c]) => [k, Math.max(0, num(c))]),
  );
  const st = o.streak as { repId?: unknown; n?: unknown } | null | undefined;
  const streak = st !== null && typeof st === 'object' && typeof st.repId === 'string' ? { repId: st.repId, n: Math.max(0, Math.floor(num(st.n))) } : null;
  return { window: o.window, counts, streak };
}

const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

// Object.fromEntries defines own properties, so a key such as "__proto__" stays data, never a prototype.
function toRecord<V>(m: ReadonlyMap<string, V>): Record<string, V>;
function toRecord<V, R>(m: ReadonlyMap<string, V>, f: (v: V) => R): Record<string, R>;
function toRecord<V, R>(m: ReadonlyMap<string, V>, f?: (v: V) => R): Record<string, V | R> {
  return Object.fromEntries([...m].map(([k, v]) => [k, f === undefined ? v : f(v)]));
}

const entries = <V>(r: Record<string, V> | undefined): [string, V][] =>
  r === undefined || r === null ? [] : Object.entries(r);

/**
 * A copy of a counter record (own enumerable string keys, as `Object.entries` reads them) with every value
 * read as a finite number; own data properties, as `toRecord` makes, even for a `__proto__` key.
 */
function counterRecord(r: Record<string, unknown> | undefined): Record<string, number> {
  if (r === undefined || r === null) return {};
  // One spread copies the usual record (what `chooseAssignee` returns: string keys, finite numbers) in a
  // single step; each value is read once. Anything else is then sanitised from that copy.
  const copy: Record<string, unknown> = { ...r };
  if (Object.getOwnPropertySymbols(copy).length === 0) {
    let clean = true;
    for (const rep in copy) {
      const c = copy[rep];
      if (typeof c !== 'number' || !Number.isFinite(c)) {
        clean = false;
        break;
      }
    }
    if (clean) return copy as Record<string, number>;
  }
  const out: Record<string, number> = {};
  const keys = Object.keys(copy);
  for (let i = 0; i < keys.length; i++) {
    const rep = keys[i] as string;
    const c = num(copy[rep]);
    if (rep === '__proto__') Object.defineProperty(out, rep, { value: c, writable: true, enumerable: true, configurable: true });
    else out[rep] = c;
  }
  return out;
}

/**
 * What `wrrCurrent` hands out: a view that reads the pool's counters and ignores writes, so a caller can
 * neither change the state through it nor break its own later reads (a frozen object would throw on a
 * write in strict code). Made on the first read after `apply` replaced the counters, not on every read.
 */
const READ_ONLY: ProxyHandler<Record<string, number>> = {
  set: () => true,
  deleteProperty: () => true,
  defineProperty: () => false,
  setPrototypeOf: () => false,
  preventExtensions: () => false,
};

const readOnly = (counters: Readonly<Record<string, number>>): Readonly<Record<string, number>> =>
  new Proxy(counters as Record<string, number>, READ_ONLY);

const EMPTY: Readonly<Record<string, number>> = Object.freeze({});
const NO_COUNTERS = readOnly({});

/** A pool's smooth-weight counters, never changed once made (`apply` replaces them), and their view. */
interface Counters {
  readonly values: Readonly<Record<string, number>>;
  view: Readonly<Record<string, number>> | null;
}

const counters = (values: Record<string, number>): Counters => ({ values, view: null });

/**
 * Routing state held in memory: round-robin cursors, smooth-weight counters, open loads and per-day counts.
 * Test runs use it to carry cursors and loads across a batch of leads, as production does in Postgres.
 */
export class MemoryRoutingState implements RoutingStateView {
  private readonly cursors = new Map<string, string>();
  private readonly counters = new Map<string, Counters>();
  private readonly open = new Map<string, number>();
  private readonly daily = new Map<string, Map<string, number>>();
  private readonly fairness = new Map<string, PoolFairness>();
  private readonly poolDaily = new Map<string, Map<string, number>>();

  constructor(seed?: RoutingStateSnapshot) {
    for (const [pool, rep] of entries(seed?.lastChosen)) if (typeof rep === 'string') this.cursors.set(pool, rep);
    for (const [pool, m] of entries(seed?.wrrCurrent)) {
      this.counters.set(pool, counters(counterRecord(m)));
    }
    for (const [rep, n] of entries(seed?.openLoad)) this.open.set(rep, Math.max(0, num(n)));
    for (const [rep, days] of entries(seed?.assignedOn)) {
      this.daily.set(rep, new Map(entries(days).map(([day, n]) => [day, Math.max(0, num(n))])));
    }
    for (const [pool, f] of entries(seed?.fairness)) {
      const pf = poolFairnessFrom(f);
      if (pf !== null) this.fairness.set(pool, pf);
    }
    for (const [pool, days] of entries(seed?.poolAssignedOn)) {
      this.poolDaily.set(pool, new Map(entries(days).map(([day, n]) => [day, Math.max(0, num(n))])));
    }
  }

  /** The pool's fairness counts of its current window, or null. */
  poolFairness(poolKey: string): PoolFairness | null {
    return this.fairness.get(poolKey) ?? null;
  }

  /** Takes back a lead `repId` got in `credit`'s window (credit-back); false when nothing changed. */
  creditBack(credit: FairnessCredit, repId: string): boolean {
    const after = creditedBack(this.poolFairness(credit.poolKey), credit, repId);
    if (after === null) return false;
    this.fairness.set(credit.poolKey, after);
    return true;
  }

  /** The rep who last got a turn in this pool, or null. */
  lastChosen(poolKey: string): string | null {
    return this.cursors.get(poolKey) ?? null;
  }

  /**
   * The pool's smooth weighted round-robin counters, as a read-only view (writes to it are ignored). The
   * same object until the next `apply` replaces the counters, so reading allocates nothing.
   */
  wrrCurrent(poolKey: string): Readonly<Record<string, number>> {
    const c = this.counters.get(poolKey);
    if (c === undefined) return NO_COUNTERS;
    return (c.view ??= readOnly(c.values));
  }

  /** The counters record behind the view, for `chooseAssignee` only (see `state-internals.ts`). */
  [PLAIN_COUNTERS](poolKey: string): Readonly<Record<string, number>> {
    return this.counters.get(poolKey)?.values ?? EMPTY;
  }

  /** Leads the rep holds open now. */
  openLoad(repId: string): number {
    return this.open.get(repId) ?? 0;
  }

  /** Leads assigned to the rep on this day. */
  assignedOn(repId: string, day: string): number {
    return this.daily.get(repId)?.get(day) ?? 0;
  }

  // Period caps (#16) ------------------------------------------------------------------------------------

  /** Leads assigned to the rep on the days from `from` to `to`, both included. */
  assignedBetween(repId: string, from: string, to: string): number {
    return sumDays(this.daily.get(repId), { from, to });
  }

  /** Leads the pool handed out on the days from `from` to `to`, both included. */
  poolAssignedBetween(poolKey: string, from: string, to: string): number {
    return sumDays(this.poolDaily.get(poolKey), { from, to });
  }

  /** Counts a lead the pool (`team:<id>`) handed out on a day of the workspace's zone. */
  recordPoolAssignment(poolKey: string, day: string): void {
    let days = this.poolDaily.get(poolKey);
    if (days === undefined) {
      days = new Map();
      this.poolDaily.set(poolKey, days);
    }
    days.set(day, (days.get(day) ?? 0) + 1);
  }

  // ------------------------------------------------------------------------------------------------------

  /** Applies the cursor and counter changes a choice made. */
  apply(update: StateUpdate): void {
    if (update.poolKey === null) return;
    if (update.lastChosen !== undefined) this.cursors.set(update.poolKey, update.lastChosen);
    if (update.wrrCurrent !== undefined) {
      this.counters.set(update.poolKey, counters(counterRecord(update.wrrCurrent)));
    }
    if (update.fairness !== undefined) {
      const pf = poolFairnessFrom(update.fairness);
      if (pf !== null) this.fairness.set(update.poolKey, pf);
    }
  }

  /** Counts a lead assigned to the rep: one more open, one more on that day. */
  recordAssignment(repId: string, day: string): void {
    this.open.set(repId, this.openLoad(repId) + 1);
    let days = this.daily.get(repId);
    if (days === undefined) {
      days = new Map();
      this.daily.set(repId, days);
    }
    days.set(day, (days.get(day) ?? 0) + 1);
  }

  /** A lead the rep held is closed or taken away: one fewer open, never below zero. Day counts stay. */
  release(repId: string): void {
    this.open.set(repId, Math.max(0, this.openLoad(repId) - 1));
  }

  /** The whole state as plain JSON, sharing nothing with this object. */
  snapshot(): Required<Omit<RoutingStateSnapshot, 'fairness'>> & Pick<RoutingStateSnapshot, 'fairness'> {
    return {
      lastChosen: toRecord(this.cursors),
      wrrCurrent: toRecord(this.counters, (c) => ({ ...c.values })),
      openLoad: toRecord(this.open),
      assignedOn: toRecord(this.daily, (m) => toRecord(m)),
      // Only pools with fairness counts: a state without any reads as it always did.
      ...(this.fairness.size > 0 ? { fairness: toRecord(this.fairness, (f) => poolFairnessFrom(f) as PoolFairness) } : {}),
      poolAssignedOn: toRecord(this.poolDaily, (m) => toRecord(m)),
    };
  }

  /** An independent copy: changes to one never show in the other. */
  clone(): MemoryRoutingState {
    return new MemoryRoutingState(this.snapshot());
  }
}
