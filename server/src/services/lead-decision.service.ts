import { isStorableText } from '@lead-router/shared';
import type { RepSignal } from '@lead-router/shared/workflow-contract';
import { and, eq } from 'drizzle-orm';
import type { Db } from '@lead-router/db/client';
import { users } from '@lead-router/db/schema';
import { hasRole, type Principal } from '../auth/principal';
import { DomainError } from '../errors/domain-error';
import { audit } from './audit.service';
import { requireRunState } from './leads.service';
import type { RoutingEngine } from './routing-engine';

// A rep's answer to a waiting lead (accept / reject), moved here from leads.service.ts as it is.

/** The longest reason a rep's answer may carry. */
export const MAX_REASON_LENGTH = 1000;

/**
 * Refuses a reason that could not be stored as it is (too long, a NUL character, a lone surrogate), naming
 * the field. Checked before the workflow is signalled: a signal cannot be taken back, and a reason the trace
 * cannot store would fail the run's next write.
 */
function assertStorableReason(reason: string | undefined): void {
  if (reason === undefined) return;
  const problem = reason.length > MAX_REASON_LENGTH ? `must be at most ${MAX_REASON_LENGTH} characters` : isStorableText(reason) ? null : 'must not contain NUL characters or broken Unicode';
  if (problem) throw new DomainError('invalid_request', `The request body is not valid: reason: ${problem}; nothing was sent.`, [{ path: 'reason', message: problem }]);
}

/**
 * Who answers, as the trace names them ("Rejected by Grace Hopper"): a user's name, else their email; an API
 * key's name. The id stays in the answer's `by` and the audit log.
 */
async function answererName(db: Db, p: Principal): Promise<string> {
  const name = p.name.trim();
  // A key principal is named `key <its name>`: "Rejected by API key ops".
  if (name !== '') return p.kind === 'key' ? `API ${name}` : name;
  if (p.kind === 'user') {
    const [u] = await db.select({ email: users.email }).from(users).where(and(eq(users.id, p.id), eq(users.workspaceId, p.workspaceId))).limit(1);
    if (u) return u.email;
  }
  return `${p.kind}:${p.id}`;
}

/** What a decision needs from the app. */
export interface DecideDeps {
  db: Db;
  engine: RoutingEngine;
  now: () => Date;
}

/**
 * A rep's answer to a waiting lead, sent to its workflow as a signal (the worker records it). Allowed for
 * editors and up, or for a signed-in user who is the lead's current assignee. `not_waiting` when the
 * run waits for nobody (or its workflow has finished); `unavailable` when Temporal cannot be reached.
 */
export async function decideLead(
  deps: DecideDeps,
  p: Principal,
  leadId: string,
  decision: Extract<RepSignal, 'accepted' | 'rejected'>,
  reason: string | undefined,
): Promise<{ leadId: string; signal: 'accepted' | 'rejected'; at: string }> {
  assertStorableReason(reason);
  const state = await requireRunState(deps.db, p.workspaceId, leadId);
  const isAssignee = p.kind === 'user' && p.repId !== null && state.assignee?.type === 'rep' && state.assignee.id === p.repId;
  if (!hasRole(p, 'editor') && !isAssignee) {
    throw new DomainError('forbidden', 'Only the rep this lead is assigned to, or an editor and above, can accept or reject it.');
  }
  const notWaiting = () => new DomainError('not_waiting', `This lead is not waiting for an answer (it is ${state.status}).`);
  if (state.status !== 'waiting') throw notWaiting();
  const at = deps.now().toISOString();
  const by = p.repId ?? `${p.kind}:${p.id}`;
  const name = await answererName(deps.db, p);
  let delivered: boolean;
  try {
    delivered = await deps.engine.signal(leadId, decision, { by, name, at, ...(reason !== undefined ? { reason } : {}) });
  } catch {
    throw new DomainError('unavailable', 'The routing engine (Temporal) is unreachable; nothing was recorded. Try again in a few seconds.', undefined, { retryAfterSeconds: 5 });
  }
  if (!delivered) throw notWaiting();
  await audit(deps.db, p, p.workspaceId, decision === 'accepted' ? 'lead.accepted' : 'lead.rejected', { type: 'lead', id: leadId }, { by, ...(reason !== undefined ? { reason } : {}) });
  return { leadId, signal: decision, at };
}
