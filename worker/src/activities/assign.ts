import { chooseAssignee, creditOf, wrrAfter, type AssignRequest, type AssignResult, type Assignee, type Candidate, type ChooseInput, type FairnessCredit } from '@lead-router/shared';
import type { ActivityContext } from './context';
import { assertUuid, businessFailure } from './failures';
import { decideOnce, lockRoutingState, repsTouched, UNLOCKED_STATE } from './routing-state';
import type { RoutingActivities, RunRef } from './types';

/** An assignment's answer as the trace recorded it (output `{ assignee, candidates, poolKey }`). */
export function assignResultFromTrace(step: { output: Record<string, unknown>; explanation: string[] }): AssignResult {
  const o = step.output;
  return {
    assignee: (o.assignee as Assignee | null | undefined) ?? null,
    candidates: (o.candidates as Candidate[] | undefined) ?? [],
    poolKey: (o.poolKey as string | null | undefined) ?? null,
    explanation: step.explanation,
    ...(o.credit ? { credit: o.credit as FairnessCredit } : {}),
  };
}

/** The credit-back a lead leaving `from` takes with it (fairness), as `lockRoutingState` takes it. */
export function leaving(credit: FairnessCredit | undefined, from: Assignee | null): { credit: FairnessCredit; repId: string } | null {
  return credit !== undefined && from !== null && from.type === 'rep' ? { credit, repId: from.id } : null;
}

/**
 * `assign`: the shared `chooseAssignee`, with the very input `SimulationEffects.assign` builds, over Postgres
 * state locked for the choice; the choice, the cursor, the loads and the decision commit together.
 */
export function createAssign(ctx: ActivityContext): Pick<RoutingActivities, 'assign'> {
  return {
    async assign(req: AssignRequest & RunRef): Promise<AssignResult> {
      assertUuid(req.leadId, 'Lead');
      assertUuid(req.workspaceId, 'Workspace');
      const dir = await ctx.directory(req.workspaceId);
      const now = ctx.now().getTime();
      const run = { workspaceId: req.workspaceId, leadId: req.leadId, seq: req.seq, nodeId: req.nodeId };

      const input: ChooseInput = {
        strategy: req.config.strategy,
        eligibility: req.config.eligibility,
        lead: req.lead,
        now,
        exclude: req.config.excludePreviousAssignees ? req.previousAssignees : [],
        fairness: req.config.fairness,
      };
      // The pool and its reps do not depend on the state, so a dry run names what to lock.
      const scope = chooseAssignee(input, dir, UNLOCKED_STATE);
      const touched = repsTouched(scope.candidates, req.currentAssignee);
      // No candidate at all (no territory matched, an empty pool): nobody, whatever the state says.
      const stateless = scope.candidates.length === 0 && scope.assignee === null && req.credit === undefined;
      return decideOnce<AssignResult>(
        (fn) => ctx.db.transaction(fn),
        run,
        {
          ...(stateless ? { stateless: { db: ctx.db, answer: { assignee: null, candidates: [], poolKey: scope.poolKey, explanation: scope.explanation } } } : {}),
          fromTrace: assignResultFromTrace,
          decide: async (tx, pending) => {
            const state = await lockRoutingState(tx, req.workspaceId, scope.poolKey, touched, now, leaving(req.credit, req.currentAssignee));
            const r = chooseAssignee(input, dir, state);
            const answer: AssignResult = { assignee: r.assignee, candidates: r.candidates, poolKey: r.poolKey, explanation: r.explanation, ...wrrAfter(r), ...creditOf(r) };
            if (r.assignee === null) return answer;
            // Sent with the decision, in one round trip: the rep's counts, then the cursor (see LockedRoutingState.take).
            pending.push(state.take(r.assignee, req.currentAssignee, dir, now, r.poolKey), state.apply(r.update, now));
            return answer;
          },
          // The interpreter's lastAssignment after this step, as it will compute it.
          refAfter: (r) => ({ nodeId: req.nodeId, config: req.config, poolKey: r.poolKey, ...(r.credit ? { creditBack: r.credit } : {}) }),
          nobody: 'No eligible rep',
          failure: businessFailure,
        },
        now,
      );
    },
  };
}
