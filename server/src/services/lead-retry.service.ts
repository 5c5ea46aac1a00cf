import { and, eq } from 'drizzle-orm';
import type { Principal } from '../auth/principal';
import type { Db } from '@lead-router/db/client';
import { outbox, routingRuns } from '@lead-router/db/schema';
import { DomainError } from '../errors/domain-error';
import { audit } from './audit.service';
import { kickDispatcher } from '@lead-router/db/outbox-dispatcher';
import { requireRunState } from './leads.service';
import { keepEarlierRun } from './run-history.service';

/** What a retry answers: the lead, queued again on the version its run was pinned to. */
export interface RetryResult {
  leadId: string;
  status: 'queued';
  versionId: string;
}

/**
 * An operator's retry of a lead whose run failed (an activity failed for good, or ran out of attempts):
 * the run is queued again, with an outbox row that starts the lead's workflow anew on the same version, in
 * one transaction with the audit entry; the dispatcher takes it from there, as it does a new lead (nothing
 * is lost while Temporal is down). The new run routes the lead from its trigger, its steps numbered after
 * the failed run's, whose trace stays. `not_failed` unless the run's status is `failed`.
 */
export async function retryLead(deps: { db: Db; now: () => Date }, p: Principal, leadId: string): Promise<RetryResult> {
  const state = await requireRunState(deps.db, p.workspaceId, leadId);
  const now = deps.now();
  const result = await deps.db.transaction(async (tx) => {
    // The status check is made on the locked row: of two retries at once, one queues the run.
    const [current] = await tx
      .select()
      .from(routingRuns)
      .where(and(eq(routingRuns.leadId, leadId), eq(routingRuns.workspaceId, p.workspaceId), eq(routingRuns.status, 'failed')))
      .for('update');
    if (!current) return null;
    // The failed run stays on the lead's page as run N, and its trace divides where the retry starts.
    await keepEarlierRun(tx, current, { reason: 'retried', by: `${p.kind}:${p.id}`, byName: p.name, at: now });
    const [run] = await tx
      .update(routingRuns)
      .set({ status: 'queued', runNumber: current.runNumber + 1, outcome: null, error: null, completedAt: null, deadlineAt: null, acceptedAt: null, currentNodeId: null })
      .where(eq(routingRuns.leadId, leadId))
      .returning({ versionId: routingRuns.versionId });
    if (!run) return null;
    await tx.insert(outbox).values({ leadId, workspaceId: p.workspaceId, versionId: run.versionId, nextAttemptAt: now, retry: true });
    await audit(tx, p, p.workspaceId, 'lead.retried', { type: 'lead', id: leadId }, { versionId: run.versionId, error: state.error });
    return { leadId, status: 'queued' as const, versionId: run.versionId };
  });
  if (!result) throw new DomainError('not_failed', `Only a lead whose run failed can be retried; this one is ${state.status}.`);
  kickDispatcher(deps.db);
  return result;
}
