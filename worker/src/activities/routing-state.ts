import type { Assignee, AssignmentRef } from '@lead-router/shared';
import { and, eq, sql } from 'drizzle-orm';
import type { Db, Tx } from '@lead-router/db/client';
import { routingRuns, traceSteps } from '@lead-router/db/schema';

// The locking of routing state lives in @lead-router/db (the server's queue claims lock the same rows in
// the same order); re-exported here for the activities.
export { LockedRoutingState, lockRoutingState, repsTouched, UNLOCKED_STATE } from '@lead-router/db/routing-state';

// ---- Idempotency: an assignment decision is stored with the run, keyed by the step's seq ----------------

/**
 * What `routing_runs.last_assignment` holds: the interpreter's last assignment (what escalation draws the
 * next rep from), plus the step that made the latest assignment decision and its answer, for retries.
 */
export type StoredDecision<R> = Partial<AssignmentRef> & { step: { seq: number; nodeId: string; result: R } };

/**
 * Locks the lead's run row (serialising every assignment of one lead, e.g. a retry racing a slow first
 * attempt) and returns the answer step `seq` already got, if it took effect: from the decision stored with
 * the run, or from the trace when the step was recorded. Null when the step has not taken effect.
 */
export async function priorDecision<R>(
  tx: Tx | Db,
  ref: { workspaceId: string; leadId: string; seq: number; nodeId: string },
  fromTrace: (step: { output: Record<string, unknown>; explanation: string[] }) => R,
  lock = true,
): Promise<{ decision: R | null; stored: StoredDecision<unknown> | null }> {
  // One round trip in the usual case: the run row, locked, and whether the trace already has the step.
  const select = tx
    .select({
      last: routingRuns.lastAssignment,
      traced: sql<boolean>`exists (select 1 from ${traceSteps} where ${traceSteps.leadId} = ${ref.leadId} and ${traceSteps.seq} = ${ref.seq})`,
    })
    .from(routingRuns)
    .where(and(eq(routingRuns.leadId, ref.leadId), eq(routingRuns.workspaceId, ref.workspaceId)));
  const [run] = lock ? await select.for('update') : await select;
  const stored = (run?.last ?? null) as StoredDecision<R> | null;
  const step0 = stored?.step;
  if (step0 && step0.seq === ref.seq && step0.nodeId === ref.nodeId && step0.result !== undefined) {
    return { decision: step0.result, stored };
  }
  if (run === undefined || run.traced) {
    const [step] = await tx
      .select({ nodeId: traceSteps.nodeId, output: traceSteps.output, explanation: traceSteps.explanation })
      .from(traceSteps)
      .where(and(eq(traceSteps.leadId, ref.leadId), eq(traceSteps.seq, ref.seq)))
      .limit(1);
    if (step && step.nodeId === ref.nodeId) return { decision: fromTrace(step), stored };
  }
  return { decision: null, stored };
}

/**
 * Stores step `seq`'s decision with the run, in the assignment's transaction, along with who now holds the
 * lead. `ref` is the interpreter's last assignment after the step (the pool escalation draws from next).
 */
export async function storeDecision<R>(
  tx: Tx,
  run: { workspaceId: string; leadId: string; seq: number; nodeId: string },
  ref: Partial<AssignmentRef> | null,
  result: R,
  assignee: Assignee,
  now: number,
): Promise<void> {
  // The column is typed as the interpreter's AssignmentRef; it also carries the step's seq and answer.
  const value: StoredDecision<R> = { ...(ref ?? {}), step: { seq: run.seq, nodeId: run.nodeId, result } };
  await tx
    .update(routingRuns)
    .set({
      lastAssignment: value as unknown as AssignmentRef,
      assigneeType: assignee.type,
      assigneeId: assignee.id,
      // first_assigned_at (an analytics column: its rollup row is shared by every lead of the day) is set from the
      // step with the trace, outside this transaction, which holds the pool's cursor until it commits.
      assignedAt: new Date(now),
    })
    .where(and(eq(routingRuns.leadId, run.leadId), eq(routingRuns.workspaceId, run.workspaceId)));
}

const COMMIT_AND_CHAIN = sql`commit and chain`;

/**
 * The transaction every routing decision runs in, shared by `assign` and `escalate`: the lead's run row is
 * locked and a step that already took effect answers as it did (from the stored decision or the trace);
 * otherwise `decide` chooses and applies (locking the state it reads), and the decision is stored with the
 * run along with `refAfter`, the interpreter's last assignment after the step. A decision with nobody to
 * assign is a business failure that changes nothing (throwing rolls back even the rows the locking created),
 * and answers the same on a retry.
 */
export async function decideOnce<R extends { assignee: Assignee | null; explanation: string[] }>(
  tx: (fn: (tx: Tx) => Promise<R>) => Promise<R>,
  run: { workspaceId: string; leadId: string; seq: number; nodeId: string },
  steps: {
    fromTrace: (step: { output: Record<string, unknown>; explanation: string[] }) => R;
    /** Chooses and applies; writes it does not need answered go in `pending`, sent with the decision's. */
    decide: (tx: Tx, pending: Array<PromiseLike<unknown>>) => Promise<R>;
    refAfter: (decision: R, stored: StoredDecision<unknown> | null) => Partial<AssignmentRef> | null;
    nobody: string;
    failure: (message: string, result: R) => Error;
    /**
     * The answer when it is known without reading any state: nobody, as the pool has no candidate at all
     * (e.g. no territory matched). Then no transaction and no lock: only whether an earlier attempt of the
     * step took effect (the directory it chose from may have changed since), read without a lock.
     */
    stateless?: { db: Db; answer: R };
  },
  now: number,
): Promise<R> {
  if (steps.stateless) {
    const prior = await priorDecision(steps.stateless.db, run, steps.fromTrace, false);
    const known = prior.decision ?? steps.stateless.answer;
    if (known.assignee === null) throw steps.failure(known.explanation[0] ?? steps.nobody, known);
    return known;
  }
  const result = await tx(async (t) => {
    const prior = await priorDecision(t, run, steps.fromTrace);
    if (prior.decision) return prior.decision;
    const pending: Array<PromiseLike<unknown>> = [];
    const r = await steps.decide(t, pending);
    if (r.assignee === null) {
      await Promise.all(pending);
      throw steps.failure(r.explanation[0] ?? steps.nobody, r);
    }
    // One round trip for the state's writes, the decision and the commit (pipelined on the transaction's
    // connection): the pool's cursor is free as soon as PostgreSQL has run them, a round trip sooner than
    // postgres.js's own COMMIT, which then ends the empty transaction `and chain` opened. Every assignment from
    // a pool waits its turn at the cursor, so this round trip bounds a pool's leads per second. A write that
    // fails makes `commit and chain` a rollback, and the error rolls back the rest.
    await Promise.all([...pending, storeDecision(t, run, steps.refAfter(r, prior.stored), r, r.assignee, now), t.execute(COMMIT_AND_CHAIN)]);
    return r;
  });
  // A step recorded in the trace with nobody assigned answers the same on a retry.
  if (result.assignee === null) throw steps.failure(result.explanation[0] ?? steps.nobody, result);
  return result;
}
