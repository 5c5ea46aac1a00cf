import { capsDayKey, creditedBack, dayKey, isTeamPool, PERIOD_REACH_DAYS, poolFairnessFrom, sumDays, type Assignee, type DirectoryIndex, type FairnessCredit, type PoolFairness, type RoutingStateView, type StateUpdate } from '@lead-router/shared';
import { and, between, eq, inArray, sql } from 'drizzle-orm';
import type { Tx } from './client';
import { poolCursors, poolDailyCounts, repDailyCounts, repLoads } from './schema';

// Production's side of `RoutingStateView`, shared by the worker's assignments and the server's queue claims
// (server/src/services/queue-work.service.ts): the rows an assignment reads, locked for the length of its
// transaction, so that two leads routed at the same instant never take the same round-robin turn and never
// push a rep past a cap. Lock order, the same in every transaction so that none can wait on another in a
// circle: the run row (one per lead), then the pool's cursor row (one per transaction), then the rep_loads
// rows sorted by rep id. rep_daily_counts rows are only written by a transaction holding the rep's
// rep_loads lock, so reading them after taking that lock reads settled counts. Period caps (#16): a rep's
// week and month are sums of those same daily rows (keyed in the rep's caps zone), and pool_daily_counts
// rows of a team's pool are only written by a transaction holding the pool's cursor row, so reading them
// after taking that lock reads settled counts too; no lock beyond the two above is needed.

const DAY_MS = 86_400_000;

/** A view with every cursor unset and every load at zero: what a dry run reads to learn the pool and its reps. */
export const UNLOCKED_STATE: RoutingStateView = {
  lastChosen: () => null,
  wrrCurrent: () => ({}),
  openLoad: () => 0,
  assignedOn: () => 0,
  poolFairness: () => null,
  assignedBetween: () => 0,
  poolAssignedBetween: () => 0,
};

/** A pool's cursor row as the choice reads it. */
type CursorRow = { lastChosen: string | null; wrrCurrent: Record<string, number>; fairness: PoolFairness | null };

/** Pools with a cursor row: teams and territories. A queue has no turns to take. */
const hasCursor = (poolKey: string | null): poolKey is string => poolKey !== null && !poolKey.startsWith('queue:');

/** The rep ids whose loads an assignment reads or writes: the candidates and the rep the lead leaves. */
export function repsTouched(candidates: readonly { repId: string }[], ...assignees: Array<Assignee | null | undefined>): string[] {
  const ids = candidates.map((c) => c.repId);
  for (const a of assignees) if (a && a.type === 'rep') ids.push(a.id);
  return ids;
}

/**
 * Routing state read from rows this transaction holds locked: one pool's cursor, and the loads and today's
 * counts of a fixed set of reps. Reading anything else is a bug (the choice would read unlocked state), so
 * it throws rather than answer.
 */
export class LockedRoutingState implements RoutingStateView {
  private cursor: CursorRow | null;

  constructor(
    private readonly tx: Tx,
    private readonly workspaceId: string,
    private readonly poolKey: string | null,
    cursor: CursorRow | null,
    private readonly loads: Map<string, number>,
    private readonly daily: Map<string, Map<string, number>>,
    /** The pool's per-day counts (team caps), read under the cursor lock; empty for other pools. */
    private readonly poolDaily: Map<string, number> = new Map(),
    /** The first local date whose counts were read: earlier ones were not, and reading them throws. */
    private readonly readFrom: string = '',
  ) {
    this.cursor = cursor;
  }

  lastChosen(poolKey: string): string | null {
    return this.cursorOf(poolKey)?.lastChosen ?? null;
  }

  wrrCurrent(poolKey: string): Readonly<Record<string, number>> {
    return this.cursorOf(poolKey)?.wrrCurrent ?? {};
  }

  poolFairness(poolKey: string): PoolFairness | null {
    return this.cursorOf(poolKey)?.fairness ?? null;
  }

  openLoad(repId: string): number {
    this.assertLocked(repId);
    return this.loads.get(repId) ?? 0;
  }

  assignedOn(repId: string, day: string): number {
    this.assertLocked(repId);
    return this.daily.get(repId)?.get(day) ?? 0;
  }

  // Period caps (#16) ------------------------------------------------------------------------------------

  assignedBetween(repId: string, from: string, to: string): number {
    this.assertLocked(repId);
    this.assertRead(from);
    return sumDays(this.daily.get(repId), { from, to });
  }

  poolAssignedBetween(poolKey: string, from: string, to: string): number {
    this.cursorOf(poolKey);
    this.assertRead(from);
    return sumDays(this.poolDaily, { from, to });
  }

  /** Counts a lead the team's pool handed out, on today's date in the workspace's zone; the pool is locked. */
  private async countPool(poolKey: string, timeZone: string, now: number): Promise<void> {
    this.cursorOf(poolKey);
    const day = dayKey(now, timeZone);
    await this.tx
      .insert(poolDailyCounts)
      .values({ workspaceId: this.workspaceId, poolKey, day, assigned: 1 })
      .onConflictDoUpdate({
        target: [poolDailyCounts.workspaceId, poolDailyCounts.poolKey, poolDailyCounts.day],
        set: { assigned: sql`${poolDailyCounts.assigned} + 1` },
      });
    this.poolDaily.set(day, (this.poolDaily.get(day) ?? 0) + 1);
  }

  private assertRead(from: string): void {
    if (from < this.readFrom) throw new Error(`Counts before ${this.readFrom} were not read (asked from ${from})`);
  }

  // ------------------------------------------------------------------------------------------------------

  /** Writes the cursor changes a choice made (the next turn, the smooth-weight counters). */
  async apply(update: StateUpdate, now: number): Promise<void> {
    if (!hasCursor(update.poolKey)) return;
    this.cursorOf(update.poolKey);
    const set: Partial<typeof poolCursors.$inferInsert> = {};
    if (update.lastChosen !== undefined) set.lastChosen = update.lastChosen;
    if (update.wrrCurrent !== undefined) set.wrrCurrent = update.wrrCurrent;
    if (update.fairness !== undefined) set.fairness = update.fairness;
    if (Object.keys(set).length === 0) return;
    set.updatedAt = new Date(now);
    await this.tx
      .update(poolCursors)
      .set(set)
      .where(and(eq(poolCursors.workspaceId, this.workspaceId), eq(poolCursors.poolKey, update.poolKey)));
  }

  /**
   * Gives the lead to `to`, as `SimulationEffects` does: a rep gets one more open lead and one more today
   * (in the rep's caps zone), and a lead a team's pool (`poolKey`) handed out counts for the team's caps;
   * the rep the lead leaves, if another, gets one fewer open lead (never below 0). Returns the released rep.
   */
  async take(to: Assignee, from: Assignee | null, dir: Pick<DirectoryIndex, 'reps' | 'settings'>, now: number, poolKey: string | null = null): Promise<string | null> {
    const ws = this.workspaceId;
    // The writes go out together (pipelined on the transaction's connection, run in this order): the rows they
    // touch are locked already, and every round trip here is time the pool's cursor stays locked.
    const writes: Array<PromiseLike<unknown>> = [];
    if (to.type === 'rep') {
      this.assertLocked(to.id);
      const zone = dir.settings?.timeZone ?? 'UTC';
      const day = capsDayKey(dir.reps.get(to.id), zone, now);
      if (isTeamPool(poolKey)) writes.push(this.countPool(poolKey, zone, now));
      writes.push(
        this.tx
          .update(repLoads)
          .set({ openLeads: sql`${repLoads.openLeads} + 1` })
          .where(and(eq(repLoads.workspaceId, ws), eq(repLoads.repId, to.id))),
        this.tx
          .insert(repDailyCounts)
          .values({ workspaceId: ws, repId: to.id, day, assigned: 1 })
          .onConflictDoUpdate({
            target: [repDailyCounts.workspaceId, repDailyCounts.repId, repDailyCounts.day],
            set: { assigned: sql`${repDailyCounts.assigned} + 1` },
          }),
      );
      this.loads.set(to.id, (this.loads.get(to.id) ?? 0) + 1);
    }
    let released: string | null = null;
    if (from && from.type === 'rep' && !(to.type === 'rep' && to.id === from.id)) {
      this.assertLocked(from.id);
      writes.push(
        this.tx
          .update(repLoads)
          .set({ openLeads: sql`greatest(${repLoads.openLeads} - 1, 0)` })
          .where(and(eq(repLoads.workspaceId, ws), eq(repLoads.repId, from.id))),
      );
      this.loads.set(from.id, Math.max(0, (this.loads.get(from.id) ?? 0) - 1));
      released = from.id;
    }
    await Promise.all(writes);
    return released;
  }

  private cursorOf(poolKey: string): CursorRow | null {
    if (poolKey !== this.poolKey) throw new Error(`Routing state of pool ${poolKey} was read without its lock (locked: ${this.poolKey ?? 'none'})`);
    return this.cursor;
  }

  private assertLocked(repId: string): void {
    if (!this.loads.has(repId)) throw new Error(`Routing state of rep ${repId} was read without its lock`);
  }
}

/** Pool cursor rows known to exist (`workspace \0 pool key`): they are never deleted. Bounded. */
const knownCursors = new Set<string>();
function rememberCursor(key: string | null): void {
  if (key === null) return;
  if (knownCursors.size >= 10_000) knownCursors.clear();
  knownCursors.add(key);
}

const selectCursor = (tx: Tx, workspaceId: string, poolKey: string) =>
  tx
    .select({ lastChosen: poolCursors.lastChosen, wrrCurrent: poolCursors.wrrCurrent, fairness: poolCursors.fairness })
    .from(poolCursors)
    .where(and(eq(poolCursors.workspaceId, workspaceId), eq(poolCursors.poolKey, poolKey)))
    .for('update');

const cursorOfRow = (row: { lastChosen: string | null; wrrCurrent: Record<string, number> | null; fairness: unknown }): CursorRow => ({
  lastChosen: row.lastChosen,
  wrrCurrent: row.wrrCurrent ?? {},
  fairness: poolFairnessFrom(row.fairness as Parameters<typeof poolFairnessFrom>[0]),
});

// ORDER BY runs below the row locking, so rows are locked in rep id order.
const selectLoads = (tx: Tx, workspaceId: string, ids: string[], cursorOf: string | null = null) =>
  tx
    .select({ repId: repLoads.repId, openLeads: repLoads.openLeads })
    .from(repLoads)
    .where(
      and(
        eq(repLoads.workspaceId, workspaceId),
        inArray(repLoads.repId, ids),
        cursorOf === null ? undefined : sql`exists (select 1 from ${poolCursors} where ${poolCursors.workspaceId} = ${workspaceId} and ${poolCursors.poolKey} = ${cursorOf})`,
      ),
    )
    .orderBy(repLoads.repId)
    .for('update');

// Every local date is within a day of the UTC date: from a day before the UTC date, back as far as the first
// day of a month (or Monday of a week) can lie, up to a day after it, holds every period of any zone.
const selectCounts = (tx: Tx, workspaceId: string, ids: string[], readFrom: string, readTo: string) =>
  tx
    .select({ repId: repDailyCounts.repId, day: repDailyCounts.day, assigned: repDailyCounts.assigned })
    .from(repDailyCounts)
    .where(and(eq(repDailyCounts.workspaceId, workspaceId), inArray(repDailyCounts.repId, ids), between(repDailyCounts.day, readFrom, readTo)));

const selectPoolCounts = (tx: Tx, workspaceId: string, poolKey: string, readFrom: string, readTo: string) =>
  tx
    .select({ day: poolDailyCounts.day, assigned: poolDailyCounts.assigned })
    .from(poolDailyCounts)
    .where(and(eq(poolDailyCounts.workspaceId, workspaceId), eq(poolDailyCounts.poolKey, poolKey), between(poolDailyCounts.day, readFrom, readTo)));

/** Creates a pool's cursor row (if another transaction has not) and locks it. */
async function createCursor(tx: Tx, workspaceId: string, poolKey: string): Promise<CursorRow> {
  await tx.insert(poolCursors).values({ workspaceId, poolKey }).onConflictDoNothing();
  const [row] = await selectCursor(tx, workspaceId, poolKey);
  if (!row) throw new Error(`Cursor of pool ${poolKey} could not be created`);
  return cursorOfRow(row);
}

/** Loads and per-day counts of the reps, as read. */
function stateOfRows(rows: Array<{ repId: string; openLeads: number }>, counts: Array<{ repId: string; day: string; assigned: number }>): { loads: Map<string, number>; daily: Map<string, Map<string, number>> } {
  const loads = new Map(rows.map((r) => [r.repId, r.openLeads]));
  const daily = new Map<string, Map<string, number>>();
  for (const c of counts) {
    let m = daily.get(c.repId);
    if (!m) daily.set(c.repId, (m = new Map()));
    m.set(c.day, c.assigned);
  }
  return { loads, daily };
}

/** Locks the reps' rep_loads rows (created at 0 if new), then reads their per-day counts. */
async function lockLoads(tx: Tx, workspaceId: string, ids: string[], readFrom: string, readTo: string): Promise<{ loads: Map<string, number>; daily: Map<string, Map<string, number>> }> {
  let rows = await selectLoads(tx, workspaceId, ids);
  if (rows.length < ids.length) {
    const have = new Set(rows.map((r) => r.repId));
    await tx
      .insert(repLoads)
      .values(ids.filter((id) => !have.has(id)).map((repId) => ({ workspaceId, repId, openLeads: 0 })))
      .onConflictDoNothing();
    rows = await selectLoads(tx, workspaceId, ids);
  }
  const state = stateOfRows(rows, await selectCounts(tx, workspaceId, ids, readFrom, readTo));
  for (const id of ids) if (!state.loads.has(id)) throw new Error(`Load row of rep ${id} could not be created`);
  return state;
}

/**
 * Locks the state one assignment reads and writes: the pool's cursor row (created if new) and the
 * rep_loads rows of `repIds` (created at 0 if new), in a stable order, then reads those reps' per-day
 * counts (and a team pool's) from the start of the earliest month or week `now` can be in, in any zone.
 * Must run inside the assignment's transaction. `credit`: a lead leaving `credit.repId` is credited back to
 * the pool it was counted in (fairness), in lock order.
 */
export async function lockRoutingState(
  tx: Tx,
  workspaceId: string,
  poolKey: string | null,
  repIds: Iterable<string>,
  now: number,
  credit?: { credit: FairnessCredit; repId: string } | null,
): Promise<LockedRoutingState> {
  // Fairness credit-back (issue #16): cursor rows in key order, all before the rep_loads rows. The same pool
  // is credited first, so the choice reads the credited counts.
  const creditFirst = credit != null && (!hasCursor(poolKey) || credit.credit.poolKey <= poolKey);
  if (credit != null && creditFirst) await creditBackPool(tx, workspaceId, credit.credit, credit.repId, now);
  const readFrom = dayKey(now - (PERIOD_REACH_DAYS + 1) * DAY_MS, 'UTC');
  const readTo = dayKey(now + DAY_MS, 'UTC');
  const ids = [...new Set(repIds)].sort();
  const cursorKey = hasCursor(poolKey) ? `${workspaceId}\u0000${poolKey}` : null;
  // Every round trip from the cursor's lock to the commit keeps the pool's other leads waiting: when the
  // cursor row is known to exist (it is never deleted) and nothing is credited back, the reads go out together,
  // pipelined on the transaction's connection and run by PostgreSQL in this order, so the locks are still
  // taken in lock order and the counts are read after them.
  if (credit == null && (cursorKey === null || knownCursors.has(cursorKey))) {
    const [cursorRows, loadRows, countRows, poolRows] = await Promise.all([
      hasCursor(poolKey) ? selectCursor(tx, workspaceId, poolKey) : [],
      // Only while the cursor row exists (locked by the statement before): else nothing is locked out of order.
      ids.length > 0 ? selectLoads(tx, workspaceId, ids, hasCursor(poolKey) ? poolKey : null) : [],
      ids.length > 0 ? selectCounts(tx, workspaceId, ids, readFrom, readTo) : [],
      isTeamPool(poolKey) ? selectPoolCounts(tx, workspaceId, poolKey, readFrom, readTo) : [],
    ]);
    let cursor = cursorRows[0] ? cursorOfRow(cursorRows[0]) : null;
    let pool = poolRows;
    if (hasCursor(poolKey) && cursor === null) {
      // Only for a row gone behind the cache (a test's database made anew): no rep row was locked (the loads'
      // statement asks for the cursor row), so the cursor is created and locked first, then the reps as below.
      cursor = await createCursor(tx, workspaceId, poolKey);
      if (isTeamPool(poolKey)) pool = await selectPoolCounts(tx, workspaceId, poolKey, readFrom, readTo);
    }
    const { loads, daily } = loadRows.length === ids.length ? stateOfRows(loadRows, countRows) : await lockLoads(tx, workspaceId, ids, readFrom, readTo);
    const poolDaily = new Map(pool.map((r) => [r.day, r.assigned]));
    return new LockedRoutingState(tx, workspaceId, hasCursor(poolKey) ? poolKey : null, cursor, loads, daily, poolDaily, readFrom);
  }

  let cursor: CursorRow | null = null;
  if (hasCursor(poolKey)) {
    const [row] = await selectCursor(tx, workspaceId, poolKey);
    cursor = row ? cursorOfRow(row) : await createCursor(tx, workspaceId, poolKey);
    // Known once seen committed: a row this transaction creates is invisible to others until it commits, and
    // one taking the path above meanwhile would lock rep rows before waiting for it.
    if (row) rememberCursor(cursorKey);
  }
  if (credit != null && !creditFirst) await creditBackPool(tx, workspaceId, credit.credit, credit.repId, now);

  const { loads, daily } = ids.length > 0 ? await lockLoads(tx, workspaceId, ids, readFrom, readTo) : { loads: new Map<string, number>(), daily: new Map<string, Map<string, number>>() };
  const poolDaily = new Map<string, number>();
  if (isTeamPool(poolKey) && cursor !== null) {
    for (const r of await selectPoolCounts(tx, workspaceId, poolKey, readFrom, readTo)) poolDaily.set(r.day, r.assigned);
  }
  return new LockedRoutingState(tx, workspaceId, hasCursor(poolKey) ? poolKey : null, cursor, loads, daily, poolDaily, readFrom);
}


// ---- Fairness credit-back of another pool (issue #16) ----------------------------------------------------

/**
 * Takes back a lead `repId` got in `credit`'s window from a pool this transaction does not choose from (a
 * lead closed as disqualified) or from the pool it chooses from next; the pool's cursor row is locked and
 * updated on its own. An assignment passes the credit to `lockRoutingState`, which calls this in lock order.
 * A pool that has no row has nothing to credit. False when nothing changed.
 */
export async function creditBackPool(tx: Tx, workspaceId: string, credit: FairnessCredit, repId: string, now: number): Promise<boolean> {
  if (!hasCursor(credit.poolKey)) return false;
  const where = and(eq(poolCursors.workspaceId, workspaceId), eq(poolCursors.poolKey, credit.poolKey));
  const [row] = await tx.select({ fairness: poolCursors.fairness }).from(poolCursors).where(where).for('update');
  const after = row ? creditedBack(poolFairnessFrom(row.fairness), credit, repId) : null;
  if (after === null) return false;
  await tx.update(poolCursors).set({ fairness: after, updatedAt: new Date(now) }).where(where);
  return true;
}
