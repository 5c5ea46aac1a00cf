import { CREDIT_BACK_CLOSE_REASONS, type AssignmentRef, type LeadCloseReason } from '@lead-router/shared';
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Db } from '@lead-router/db/client';
import { creditBackPool } from '@lead-router/db/routing-state';
import { repLoads, routingRuns } from '@lead-router/db/schema';
import { hasRole, type Principal } from '../auth/principal';
import { DomainError } from '../errors/domain-error';
import { audit } from './audit.service';
import { requireRunState, type LeadClosed } from './leads.service';

/** What closing a lead answers. */
export interface CloseResult {
  leadId: string;
  closed: LeadClosed;
  /** The rep whose open-lead count went down by one, if the lead was a rep's. */
  releasedRep: string | null;
}

/**
 * Closes a lead its rep has worked (converted, disqualified, ...): the close is stored with the run and, if a
 * rep holds the lead, that rep has one open lead fewer, so the open-lead caps the assign step honours free up
 * as reps work their leads. One transaction with the audit entry; the run row's own conditions (not closed,
 * its route ended) decide, so of two closes at once one lands. Allowed for the rep holding the lead or an
 * editor and above. `still_routing` while the route runs or waits for an answer (accept it first);
 * `already_closed` once closed.
 */
export async function closeLead(deps: { db: Db; now: () => Date }, p: Principal, leadId: string, input: { reason: LeadCloseReason; note?: string | undefined }): Promise<CloseResult> {
  const state = await requireRunState(deps.db, p.workspaceId, leadId);
  const isAssignee = p.kind === 'user' && p.repId !== null && state.assignee?.type === 'rep' && state.assignee.id === p.repId;
  if (!hasRole(p, 'editor') && !isAssignee) {
    throw new DomainError('forbidden', 'Only the rep this lead is assigned to, or an editor and above, can close it.');
  }
  if (state.closed) throw new DomainError('already_closed', `This lead was closed at ${state.closed.at} (${state.closed.reason}).`);
  if (state.status !== 'completed' && state.status !== 'failed') {
    throw new DomainError(
      'still_routing',
      state.status === 'waiting' ? 'This lead is waiting for its rep to accept it: accept it first, then close it.' : `This lead is still being routed (it is ${state.status}); close it once its route has ended.`,
    );
  }
  const at = deps.now();
  const by = p.repId ?? `${p.kind}:${p.id}`;
  const note = input.note ?? null;
  const result = await deps.db.transaction(async (tx) => {
    const [run] = await tx
      .update(routingRuns)
      .set({ closedAt: at, closeReason: input.reason, closeNote: note, closedBy: by, closedByName: p.name })
      .where(and(eq(routingRuns.leadId, leadId), eq(routingRuns.workspaceId, p.workspaceId), isNull(routingRuns.closedAt), inArray(routingRuns.status, ['completed', 'failed'])))
      .returning({ assigneeType: routingRuns.assigneeType, assigneeId: routingRuns.assigneeId, last: routingRuns.lastAssignment });
    if (!run) return null;
    // Fairness credit-back (balanced step, setting on): a disqualified lead no longer counts for its rep.
    // Lock order as an assignment's: the run row, then the pool's cursor row, then rep_loads.
    const credit = (run.last as Partial<AssignmentRef> | null)?.creditBack;
    const creditedBack =
      credit !== undefined && run.assigneeType === 'rep' && run.assigneeId !== null && CREDIT_BACK_CLOSE_REASONS.includes(input.reason)
        ? await creditBackPool(tx, p.workspaceId, credit, run.assigneeId, at.getTime())
        : false;
    let releasedRep: string | null = null;
    if (run.assigneeType === 'rep' && run.assigneeId) {
      const [load] = await tx
        .update(repLoads)
        .set({ openLeads: sql`greatest(${repLoads.openLeads} - 1, 0)` })
        .where(and(eq(repLoads.workspaceId, p.workspaceId), eq(repLoads.repId, run.assigneeId)))
        .returning({ repId: repLoads.repId });
      releasedRep = load?.repId ?? null;
    }
    await audit(tx, p, p.workspaceId, 'lead.closed', { type: 'lead', id: leadId }, { reason: input.reason, ...(note !== null ? { note } : {}), by, releasedRep, ...(creditedBack ? { creditedBack: credit } : {}) });
    return { leadId, closed: { at: at.toISOString(), reason: input.reason, note, by, byName: p.name }, releasedRep };
  });
  // Someone else closed it, or a retry started it again, between the check and the update.
  if (!result) throw new DomainError('already_closed', 'This lead was closed, or started routing again, a moment ago; reload it.');
  return result;
}
