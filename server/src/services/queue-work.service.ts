import { checkRep, type CandidateVerdict, type Eligibility, type Rep } from '@lead-router/shared';
import { claimTraceStep, type ClaimSignal } from '@lead-router/shared/workflow-contract';
import type { Db, Tx } from '@lead-router/db/client';
import { repFromRow } from '@lead-router/db/directory-rows';
import { lockRoutingState } from '@lead-router/db/routing-state';
import { loadWorkspaceSettings } from '@lead-router/db/directory-snapshot';
import { queues, reps, routingRuns, traceSteps } from '@lead-router/db/schema';
import { traceStepRow } from '@lead-router/db/trace-rows';
import { and, eq, sql } from 'drizzle-orm';
import { hasRole, type KeyRole, type Principal } from '../auth/principal';
import { DomainError, notFound } from '../errors/domain-error';
import { audit } from './audit.service';
import type { RoutingEngine } from './routing-engine';
import { UUID_PATTERN } from './workflow-access';

// Taking leads out of a queue: a rep's claim and a manager's assignment. Each lead moves in one transaction
// that locks its run row and then the rep's load row, in the order every assignment of the engine takes
// them (db/src/routing-state.ts), so two claims of one lead serialise (the second finds it gone: 409) and
// two claims by one rep never both pass a cap. The caps are the engine's own check (`checkRep`: the rep is
// active, under the open-lead cap and the daily cap) over the same locked state. A workflow still routing
// the lead is signalled (`claimed`) before the transaction commits, so a move Temporal never heard of is
// never committed; a run that has ended gets its claim step written here.

/** The role that manages queues: assigns leads, claims on a rep's behalf, overrides caps. */
export const QUEUE_MANAGER_ROLE: KeyRole = 'publisher';

/** Most leads one assignment may move. */
export const MAX_ASSIGN_LEADS = 500;

/** The caps (and rep states) a move can run into, as the engine names them. */
export type CapName = 'open_leads' | 'per_day' | 'per_week' | 'per_month' | 'inactive';

const CAP_OF: Partial<Record<CandidateVerdict, CapName>> = { over_open_cap: 'open_leads', over_daily_cap: 'per_day', over_weekly_cap: 'per_week', over_monthly_cap: 'per_month', inactive: 'inactive' };

// A claim is a person taking a lead: the rep is at work, so only capacity (and being active) is checked,
// not working hours, absences or skills.
const CLAIM_ELIGIBILITY: Eligibility = { skills: [], respectCapacity: true, respectWorkingHours: false, respectOutOfOffice: false, respectAvailability: false };

/** What a move needs from the app. */
export interface QueueWorkDeps {
  db: Db;
  engine: RoutingEngine;
  now: () => Date;
}

/** A manager's override of a cap. */
export interface Override {
  reason: string;
}

/** How one lead's move ended. */
export type MoveResult =
  | {
      leadId: string;
      result: 'assigned';
      rep: { id: string; name: string };
      queue: { id: string; name: string };
      at: string;
      /** True when a workflow still routing the lead was told (it goes on from the claim). */
      signalled: boolean;
      /** The cap the move broke with a manager's override, and why. */
      override: { cap: CapName; reason: string; message: string } | null;
    }
  | { leadId: string; result: 'conflict'; message: string; holder: { type: 'rep' | 'queue'; id: string } | null }
  | { leadId: string; result: 'cap'; cap: CapName; message: string }
  | { leadId: string; result: 'not_found'; message: string }
  | { leadId: string; result: 'unavailable'; message: string };

/** Who may move a lead to whom: the checks both routes share. */
function assertMayMove(p: Principal, repId: string, override: Override | undefined): void {
  const manager = hasRole(p, QUEUE_MANAGER_ROLE);
  if (repId !== p.repId && !manager) {
    throw new DomainError('forbidden', p.repId ? 'A rep can claim leads only for themselves; claiming for another rep needs a manager (publisher or admin).' : `Only a rep (a user linked to a rep) can claim a lead; claiming on a rep's behalf needs a manager (publisher or admin).`);
  }
  if (override && !manager) throw new DomainError('forbidden', 'Only a manager (publisher or admin) can override a cap.');
}

/** The rep a move goes to, from the directory, or `unknown_rep` naming the field. */
async function requireRep(db: Db, workspaceId: string, repId: string, path: string): Promise<Rep> {
  const [row] = await db
    .select()
    .from(reps)
    .where(and(eq(reps.workspaceId, workspaceId), eq(reps.id, repId)))
    .limit(1);
  if (!row) throw new DomainError('unknown_rep', `There is no rep ${repId} in this workspace's directory.`, [{ path, message: `unknown rep ${repId}` }]);
  return repFromRow(row);
}

const actorId = (p: Principal) => p.repId ?? `${p.kind}:${p.id}`;

/** Moves one lead out of `queue` to `rep`, in its own transaction. */
async function moveOne(
  deps: QueueWorkDeps,
  p: Principal,
  queue: { id: string; name: string },
  rep: Rep,
  leadId: string,
  kind: 'claim' | 'assign',
  override: Override | undefined,
): Promise<MoveResult> {
  if (!UUID_PATTERN.test(leadId)) return { leadId, result: 'not_found', message: `Lead ${leadId} was not found.` };
  const { db, engine } = deps;
  const ws = p.workspaceId;
  return db.transaction(async (tx) => {
    const now = deps.now();
    const [run] = await tx
      .select({ status: routingRuns.status, assigneeType: routingRuns.assigneeType, assigneeId: routingRuns.assigneeId, currentNodeId: routingRuns.currentNodeId, deadlineAt: routingRuns.deadlineAt })
      .from(routingRuns)
      .where(and(eq(routingRuns.leadId, leadId), eq(routingRuns.workspaceId, ws)))
      .for('update');
    if (!run) return { leadId, result: 'not_found', message: `Lead ${leadId} was not found.` };
    if (run.assigneeType !== 'queue' || run.assigneeId !== queue.id) return conflict(tx, ws, leadId, queue, run);
    // Once a wait's SLA has run out, its timer has fired in Temporal and the route is moving the lead on
    // (its timed-out edge): a claim now would race that escalation, so it is refused like a lost race.
    if (run.status === 'waiting' && run.deadlineAt !== null && run.deadlineAt.getTime() <= now.getTime()) {
      return { leadId, result: 'conflict', message: `The lead's SLA in ${queue.name} ran out at ${run.deadlineAt.toISOString()}; its workflow is moving it on.`, holder: { type: 'queue', id: queue.id } };
    }

    // The engine's own cap check, over the rep's load row locked for this move.
    const state = await lockRoutingState(tx, ws, null, [rep.id], now.getTime());
    // Caps that count in the workspace's zone (#16) need it, for the check and for the day counted.
    const settings = await loadWorkspaceSettings(tx, ws);
    const check = checkRep(rep, rep.id, CLAIM_ELIGIBILITY, {}, now.getTime(), state, new Set(), settings.timeZone);
    let broke: { cap: CapName; reason: string; message: string } | null = null;
    if (!check.eligible) {
      const cap = CAP_OF[check.verdict] ?? 'inactive';
      const message = `${rep.name}: ${check.reason}`;
      if (!override) return { leadId, result: 'cap', cap, message };
      broke = { cap, reason: override.reason, message };
    }
    await state.take({ type: 'rep', id: rep.id, name: rep.name }, { type: 'queue', id: queue.id, name: queue.name }, { reps: new Map([[rep.id, rep]]), settings }, now.getTime());
    // Taking a lead from a queue is accepting it: the assigned -> accepted clock starts and stops here.
    await tx
      .update(routingRuns)
      .set({ assigneeType: 'rep', assigneeId: rep.id, assignedAt: now, acceptedAt: sql`coalesce(${routingRuns.acceptedAt}, ${now.toISOString()}::timestamptz)`, deadlineAt: null })
      .where(and(eq(routingRuns.leadId, leadId), eq(routingRuns.workspaceId, ws)));

    const signal: ClaimSignal = {
      repId: rep.id,
      repName: rep.name,
      queueId: queue.id,
      queueName: queue.name,
      by: actorId(p),
      byName: kind === 'claim' && p.repId === rep.id ? rep.name : kind === 'claim' ? `${rep.name} (claimed by ${p.name})` : p.name,
      at: now.toISOString(),
      kind,
      ...(broke ? { override: { reason: broke.reason, cap: broke.cap } } : {}),
    };
    await audit(tx, p, ws, kind === 'claim' ? 'lead.claimed' : 'lead.assigned', { type: 'lead', id: leadId }, {
      queueId: queue.id,
      queueName: queue.name,
      repId: rep.id,
      repName: rep.name,
      by: signal.by,
      ...(broke ? { override: { cap: broke.cap, reason: broke.reason, check: broke.message } } : {}),
    });

    // A workflow still routing the lead goes on from the claim; it is told before the move commits, so a
    // move it never heard of is never committed (Temporal unreachable: the move rolls back, 503).
    let signalled = false;
    if (run.status === 'running' || run.status === 'waiting') {
      try {
        signalled = await engine.claim(leadId, signal);
      } catch {
        throw new DomainError('unavailable', 'The routing engine (Temporal) is unreachable; the lead stays in the queue. Try again in a few seconds.', undefined, { retryAfterSeconds: 5 });
      }
    }
    // No workflow to tell (the run has ended): the claim is a database move, with its own trace step.
    if (!signalled) await writeClaimStep(tx, leadId, signal, now, run.currentNodeId);
    return { leadId, result: 'assigned', rep: { id: rep.id, name: rep.name }, queue, at: signal.at, signalled, override: broke };
  });
}

/** The trace step of a move no workflow records: numbered after every step the lead has. */
async function writeClaimStep(tx: Tx, leadId: string, signal: ClaimSignal, now: Date, nodeId: string | null): Promise<void> {
  const [max] = await tx
    .select({ seq: sql<number>`coalesce(max(${traceSteps.seq}), 0)::int` })
    .from(traceSteps)
    .where(eq(traceSteps.leadId, leadId));
  const step = claimTraceStep(signal, now.getTime(), (max?.seq ?? 0) + 1, nodeId ?? 'claim');
  await tx.insert(traceSteps).values(traceStepRow(leadId, step));
}

/** Why a lead is not in the queue any more, naming who holds it. */
async function conflict(
  tx: Tx,
  ws: string,
  leadId: string,
  queue: { id: string; name: string },
  run: { assigneeType: 'rep' | 'queue' | null; assigneeId: string | null },
): Promise<MoveResult> {
  if (!run.assigneeType || !run.assigneeId) return { leadId, result: 'conflict', message: `The lead is not in ${queue.name}: nobody holds it.`, holder: null };
  const holder = { type: run.assigneeType, id: run.assigneeId };
  let name = run.assigneeId;
  if (run.assigneeType === 'rep') {
    const [r] = await tx.select({ name: reps.name }).from(reps).where(and(eq(reps.workspaceId, ws), eq(reps.id, run.assigneeId))).limit(1);
    name = r?.name ?? name;
    return { leadId, result: 'conflict', message: `The lead is no longer in ${queue.name}: ${name} has it.`, holder };
  }
  const [q] = await tx.select({ name: queues.name }).from(queues).where(and(eq(queues.workspaceId, ws), eq(queues.id, run.assigneeId))).limit(1);
  return { leadId, result: 'conflict', message: `The lead is not in ${queue.name}: it is in ${q?.name ?? name}.`, holder };
}

async function queueOf(db: Db, workspaceId: string, queueId: string): Promise<{ id: string; name: string }> {
  const [q] = await db
    .select({ id: queues.id, name: queues.name })
    .from(queues)
    .where(and(eq(queues.workspaceId, workspaceId), eq(queues.id, queueId)))
    .limit(1);
  if (!q) throw notFound(`Queue ${queueId}`);
  return q;
}

/**
 * A claim: the signed-in user's rep takes the lead (or, for a manager, `repId` does). 404 for an unknown
 * queue or lead; `not_in_queue` (409) when someone else won or the lead moved on; `cap_reached` (422)
 * naming the cap, unless a manager overrides it with a reason (recorded).
 */
export async function claimLead(
  deps: QueueWorkDeps,
  p: Principal,
  queueId: string,
  leadId: string,
  body: { repId?: string | undefined; override?: Override | undefined },
): Promise<Extract<MoveResult, { result: 'assigned' }>> {
  const repId = body.repId ?? p.repId;
  if (!repId) throw new DomainError('forbidden', `Only a rep (a user linked to a rep) can claim a lead; claiming on a rep's behalf needs a manager (publisher or admin) and repId.`);
  assertMayMove(p, repId, body.override);
  const queue = await queueOf(deps.db, p.workspaceId, queueId);
  const rep = await requireRep(deps.db, p.workspaceId, repId, 'repId');
  const r = await moveOne(deps, p, queue, rep, leadId, 'claim', body.override);
  switch (r.result) {
    case 'assigned':
      return r;
    case 'not_found':
      throw notFound(`Lead ${leadId}`);
    case 'unavailable':
      throw new DomainError('unavailable', r.message, undefined, { retryAfterSeconds: 5 });
    case 'conflict':
      throw new DomainError('not_in_queue', r.message, { leadId, holder: r.holder });
    case 'cap':
      throw new DomainError('cap_reached', `${r.message}; the lead stays in ${queue.name}.`, { cap: r.cap, repId: rep.id });
  }
}

/**
 * A manager's assignment of many queued leads to one rep: each lead moves on its own (one may lose a race
 * or hit the cap while the others go through), and the answer lists each lead's result in request order.
 */
export async function assignLeads(
  deps: QueueWorkDeps,
  p: Principal,
  queueId: string,
  body: { repId: string; leadIds: string[]; override?: Override | undefined },
): Promise<{ rep: { id: string; name: string }; queue: { id: string; name: string }; results: Array<MoveResult & { path: string }>; counts: Record<MoveResult['result'], number> }> {
  if (!hasRole(p, QUEUE_MANAGER_ROLE)) throw new DomainError('forbidden', 'Assigning queued leads needs a manager (publisher or admin).');
  const queue = await queueOf(deps.db, p.workspaceId, queueId);
  const rep = await requireRep(deps.db, p.workspaceId, body.repId, 'repId');
  const results: Array<MoveResult & { path: string }> = [];
  const counts: Record<MoveResult['result'], number> = { assigned: 0, conflict: 0, cap: 0, not_found: 0, unavailable: 0 };
  const seen = new Set<string>();
  for (const [i, leadId] of body.leadIds.entries()) {
    // One after another: the cap check of each sees the leads before it; a duplicate id is moved once.
    const r: MoveResult = seen.has(leadId)
      ? { leadId, result: 'conflict', message: 'The same lead is listed earlier in this request.', holder: null }
      : await moveOne(deps, p, queue, rep, leadId, 'assign', body.override).catch((e: unknown): MoveResult => {
          // Temporal down: this lead stays queued (its move rolled back); the others are still tried.
          if (e instanceof DomainError && e.code === 'unavailable') return { leadId, result: 'unavailable', message: e.message };
          throw e;
        });
    seen.add(leadId);
    counts[r.result]++;
    results.push({ ...r, path: `leadIds.${i}` });
  }
  return { rep: { id: rep.id, name: rep.name }, queue, results, counts };
}
