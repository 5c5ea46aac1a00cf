import { chooseAssignee, creditOf, refAfterEscalation, wrrAfter, type AssignmentRef, type Assignee, type Candidate, type DirectoryIndex, type EscalateRequest, type EscalateResult, type FairnessCredit } from '@lead-router/shared';
import { leaving } from './assign';
import type { Tx } from '@lead-router/db/client';
import type { ActivityContext } from './context';
import { assertUuid, businessFailure } from './failures';
import { decideOnce, lockRoutingState, repsTouched, UNLOCKED_STATE } from './routing-state';
import type { RoutingActivities, RunRef } from './types';

// Escalation behaves as `SimulationEffects.escalate` does, sentence for sentence: a test run on the canvas
// must predict what production does.

const nobody = (explanation: string): EscalateResult => ({ assignee: null, candidates: [], poolKey: null, released: null, explanation: [explanation] });

/** The current rep's manager, else the manager of the team the lead was last assigned from. */
function managerOf(dir: DirectoryIndex, current: Assignee | null, poolKey: string | null): string | null {
  if (current?.type === 'rep') {
    const m = dir.reps.get(current.id)?.managerId;
    if (m) return m;
  }
  if (poolKey?.startsWith('team:')) return dir.teams.get(poolKey.slice(5))?.managerId ?? null;
  return null;
}

function escalateResultFromTrace(step: { output: Record<string, unknown>; explanation: string[] }): EscalateResult {
  const o = step.output;
  return {
    assignee: (o.assignee as Assignee | null | undefined) ?? null,
    candidates: (o.candidates as Candidate[] | undefined) ?? [],
    poolKey: (o.poolKey as string | null | undefined) ?? null,
    released: (o.released as string | null | undefined) ?? null,
    explanation: step.explanation,
    ...(o.credit ? { credit: o.credit as FairnessCredit } : {}),
  };
}

/** Decides and applies one escalation inside the transaction; the result has `assignee` null when nobody fits. */
async function decide(tx: Tx, req: EscalateRequest & RunRef, dir: DirectoryIndex, now: number): Promise<EscalateResult> {
  const current = req.currentAssignee;
  const cfg = req.config;
  const ws = req.workspaceId;
  // Fairness credit-back: the lead leaves its rep (not when a manager escalates to themselves).
  const credit = leaving(req.lastAssignment?.creditBack, current);
  if (cfg.to === 'queue') {
    const q = dir.queues.get(cfg.queueId);
    if (!q) return nobody(`Queue ${cfg.queueId} is not in the directory`);
    const assignee: Assignee = { type: 'queue', id: q.id, name: q.name };
    const state = await lockRoutingState(tx, ws, null, repsTouched([], current), now, credit);
    const released = await state.take(assignee, current, dir, now);
    return { assignee, candidates: [], poolKey: `queue:${q.id}`, released, explanation: [`Moved to queue ${q.name}`] };
  }
  if (cfg.to === 'manager') {
    const managerId = managerOf(dir, current, req.lastAssignment?.poolKey ?? null);
    const manager = managerId ? dir.reps.get(managerId) : undefined;
    if (!manager || !manager.active) return nobody(`No active manager found for ${current ? current.name : 'the lead'}`);
    const assignee: Assignee = { type: 'rep', id: manager.id, name: manager.name };
    const state = await lockRoutingState(tx, ws, null, repsTouched([], assignee, current), now, manager.id === current?.id ? null : credit);
    const released = await state.take(assignee, current, dir, now);
    const of = current?.name ?? 'the team';
    const candidates: Candidate[] = [{ repId: manager.id, name: manager.name, verdict: 'chosen', reason: `manager of ${of}` }];
    return { assignee, candidates, poolKey: null, released, explanation: [`Escalated to ${manager.name}, manager of ${of}`] };
  }
  const last = req.lastAssignment;
  if (!last) return nobody('The lead was never assigned from a pool, so there is no next rep');
  const input = { strategy: last.config.strategy, eligibility: last.config.eligibility, lead: req.lead, now, exclude: req.previousAssignees, fairness: last.config.fairness };
  const scope = chooseAssignee(input, dir, UNLOCKED_STATE);
  const state = await lockRoutingState(tx, ws, scope.poolKey, repsTouched(scope.candidates, current), now, credit);
  const r = chooseAssignee(input, dir, state);
  if (r.assignee === null) return { assignee: null, candidates: r.candidates, poolKey: r.poolKey, released: null, explanation: r.explanation };
  const [released] = await Promise.all([state.take(r.assignee, current, dir, now, r.poolKey), state.apply(r.update, now)]);
  return { assignee: r.assignee, candidates: r.candidates, poolKey: r.poolKey, released, explanation: r.explanation, ...wrrAfter(r), ...creditOf(r) };
}

/**
 * `escalate`: takes the lead from its rep and gives it to the next eligible rep of the pool it was last
 * assigned from (previous assignees excluded), to a manager, or to a queue, releasing the rep's open load;
 * atomic and idempotent like `assign`. Nobody to escalate to is a business failure carrying the result.
 */
export function createEscalate(ctx: ActivityContext): Pick<RoutingActivities, 'escalate'> {
  return {
    async escalate(req: EscalateRequest & RunRef): Promise<EscalateResult> {
      assertUuid(req.leadId, 'Lead');
      assertUuid(req.workspaceId, 'Workspace');
      const dir = await ctx.directory(req.workspaceId);
      const now = ctx.now().getTime();
      const run = { workspaceId: req.workspaceId, leadId: req.leadId, seq: req.seq, nodeId: req.nodeId };

      return decideOnce<EscalateResult>(
        (fn) => ctx.db.transaction(fn),
        run,
        {
          fromTrace: escalateResultFromTrace,
          decide: (tx) => decide(tx, req, dir, now),
          // The interpreter's lastAssignment after this step: the same ref, drawing from the pool just used.
          refAfter: (r, stored) => {
            let ref: Partial<AssignmentRef> | null = req.lastAssignment;
            if (req.lastAssignment) ref = refAfterEscalation(req.lastAssignment, r);
            if (!ref && stored) {
              const { step: _previous, creditBack: _counted, ...kept } = stored;
              ref = kept;
            }
            return ref;
          },
          nobody: 'Nobody to escalate to',
          failure: businessFailure,
        },
        now,
      );
    },
  };
}
