import type { FairnessCredit } from '@lead-router/shared';
import { and, eq } from 'drizzle-orm';
import type { Db, Tx } from '@lead-router/db/client';
import { creditBackPool } from '@lead-router/db/routing-state';
import { outbox, routingRuns, versions, workflows } from '@lead-router/db/schema';
import type { Principal } from '../auth/principal';
import { DomainError, notFound } from '../errors/domain-error';
import { audit } from './audit.service';
import { kickDispatcher } from '@lead-router/db/outbox-dispatcher';
import { requireRunState } from './leads.service';
import type { RoutingEngine } from './routing-engine';
import { keepEarlierRun } from './run-history.service';

/** What re-routing a lead answers. */
export interface RerouteResult {
  leadId: string;
  status: 'queued';
  versionId: string;
  version: number;
  /** The new run's number: the lead's earlier runs are 1 .. runNumber - 1. */
  runNumber: number;
}

/**
 * Sends a lead through a version again (the active one unless `version` names another of its workflow): a new
 * run pinned to that version, routed from the trigger, its steps numbered after the earlier runs' (whose
 * trace stays), the earlier run kept in run_history and linked from the lead's page. A run waiting on a rep
 * is ended first (its workflow terminated); one being routed right now is refused (`still_routing`), as is
 * a lead not yet started. Whoever holds the lead keeps it until the new run assigns it (and is released
 * then, as a re-assignment releases); a closed lead is opened again, held by nobody (its rep was released
 * when it closed). The ended run's rep no longer counts the lead for fairness (credit-back, see
 * `queueNewRun`). One transaction with the outbox row and the audit entry; the dispatcher starts it.
 */
export async function rerouteLead(
  deps: { db: Db; engine: RoutingEngine; now: () => Date },
  p: Principal,
  leadId: string,
  input: { version?: number | undefined; note?: string | undefined },
  by = `${p.kind}:${p.id}`,
): Promise<RerouteResult> {
  const state = await requireRunState(deps.db, p.workspaceId, leadId);
  const [run] = await deps.db.select({ workflowId: routingRuns.workflowId }).from(routingRuns).where(eq(routingRuns.leadId, leadId)).limit(1);
  if (!run) throw notFound(`Lead ${leadId}`);
  const target = await targetVersion(deps.db, run.workflowId, input.version);
  if (state.status === 'queued' || state.status === 'running') {
    throw new DomainError('still_routing', `This lead is being routed right now (it is ${state.status}); re-route it once it waits for its rep or its route has ended.`);
  }
  if (state.status === 'waiting') {
    try {
      await deps.engine.terminate(leadId, `Re-routed by ${p.name} through version ${target.number}`);
    } catch {
      throw new DomainError('unavailable', 'The routing engine (Temporal) is unreachable; nothing was changed. Try again in a few seconds.', undefined, { retryAfterSeconds: 5 });
    }
  }
  const now = deps.now();
  const result = await deps.db.transaction(async (tx) => {
    const [current] = await tx.select().from(routingRuns).where(and(eq(routingRuns.leadId, leadId), eq(routingRuns.workspaceId, p.workspaceId))).for('update');
    // Another re-route (or a retry) queued it between the check and the lock.
    if (!current || current.status === 'queued' || current.status === 'running') return null;
    const owed = await queueNewRun(tx, current, target, { by, byName: p.name, at: now, note: input.note });
    const [credited] = await creditBackInLockOrder(tx, owed ? [owed] : [], now);
    await audit(tx, p, p.workspaceId, 'lead.rerouted', { type: 'lead', id: leadId }, {
      fromVersionId: current.versionId,
      toVersionId: target.id,
      toVersion: target.number,
      runNumber: current.runNumber + 1,
      previousStatus: current.status,
      by,
      ...(input.note !== undefined ? { note: input.note } : {}),
      ...(credited ? { creditedBack: credited.credit } : {}),
    });
    return { leadId, status: 'queued' as const, versionId: target.id, version: target.number, runNumber: current.runNumber + 1 };
  });
  if (!result) throw new DomainError('still_routing', 'This lead started routing again a moment ago; reload it.');
  kickDispatcher(deps.db);
  return result;
}

/** A fairness credit-back owed to a pool: the lead `repId` was counted for in `credit`'s window leaves them. */
export interface CreditOwed {
  workspaceId: string;
  credit: FairnessCredit;
  repId: string;
}

/**
 * Queues the next run of a lead whose run has ended or been ended (its row locked by the caller, not queued or
 * running): keeps the current run in run_history, resets the run onto `target` and writes the outbox row the
 * dispatcher starts it from. Shared by a re-route and a backfill (backfill-runner.ts, `backfillJobId`).
 *
 * Fairness credit-back (issue #16): returns what the ended run's assignment counted, when a balanced step
 * with `creditBack` on counted it and its rep still holds the lead (a closed lead was settled at its close),
 * for the caller to credit back with `creditBackInLockOrder` once it holds every run row it locks. The run's
 * last assignment is cleared here, so a second re-route owes nothing and the new run's first assignment
 * credits nothing again.
 */
export async function queueNewRun(
  tx: Tx,
  current: typeof routingRuns.$inferSelect,
  target: { id: string },
  ended: { by: string; byName: string; at: Date; note?: string | undefined; backfillJobId?: string },
): Promise<CreditOwed | null> {
  const leadId = current.leadId;
  await keepEarlierRun(tx, current, { reason: 'rerouted', by: ended.by, byName: ended.byName, at: ended.at, note: ended.note });
  const wasClosed = current.closedAt !== null;
  await tx
    .update(routingRuns)
    .set({
      versionId: target.id,
      status: 'queued',
      runNumber: current.runNumber + 1,
      outcome: null,
      error: null,
      currentNodeId: null,
      deadlineAt: null,
      acceptedAt: null,
      completedAt: null,
      closedAt: null,
      closeReason: null,
      closeNote: null,
      closedBy: null,
      closedByName: null,
      lastAssignment: null,
      // A closed lead's rep was released when it closed: the new run takes it from nobody.
      ...(wasClosed ? { assigneeType: null, assigneeId: null, assignedAt: null } : {}),
    })
    .where(eq(routingRuns.leadId, leadId));
  await tx.insert(outbox).values({ leadId, workspaceId: current.workspaceId, versionId: target.id, nextAttemptAt: ended.at, retry: true, backfillJobId: ended.backfillJobId ?? null });
  const credit = current.lastAssignment?.creditBack;
  const holder = !wasClosed && current.assigneeType === 'rep' ? current.assigneeId : null;
  return credit !== undefined && holder !== null ? { workspaceId: current.workspaceId, credit, repId: holder } : null;
}

/**
 * Credits back what ended runs' reps were owed, taking the pools' cursor rows in key order (the lock order of
 * db/src/routing-state.ts: run rows, then cursor rows by key, then rep_loads, which this does not touch).
 * Answers the credits that changed a count (the window still running, the rep still counted).
 */
export async function creditBackInLockOrder(tx: Tx, owed: readonly CreditOwed[], now: Date): Promise<CreditOwed[]> {
  const key = (o: CreditOwed) => `${o.workspaceId}\u0000${o.credit.poolKey}`;
  const sorted = [...owed].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  const credited: CreditOwed[] = [];
  for (const o of sorted) if (await creditBackPool(tx, o.workspaceId, o.credit, o.repId, now.getTime())) credited.push(o);
  return credited;
}

/** The version a re-route sends the lead through: `number` of the lead's workflow, else its active one. */
export async function targetVersion(db: Db, workflowId: string, number: number | undefined): Promise<{ id: string; number: number }> {
  if (number !== undefined) {
    const [v] = await db.select({ id: versions.id, number: versions.number }).from(versions).where(and(eq(versions.workflowId, workflowId), eq(versions.number, number))).limit(1);
    if (!v) throw new DomainError('unknown_reference', `The lead's workflow has no version ${number}.`, [{ path: 'version', message: `no version ${number} in this workflow` }]);
    return v;
  }
  const [wf] = await db
    .select({ id: versions.id, number: versions.number })
    .from(workflows)
    .innerJoin(versions, eq(versions.id, workflows.activeVersionId))
    .where(eq(workflows.id, workflowId))
    .limit(1);
  if (!wf) throw new DomainError('not_published', "The lead's workflow has no active version to re-route it through; name a version.");
  return wf;
}
