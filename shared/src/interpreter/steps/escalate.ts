import type { AssignmentRef, EscalateResult } from '../effects';
import { effectStep } from '../step';

/**
 * The last assignment after an escalation that assigned someone: drawing from the pool just used, and
 * crediting back what this escalation counted (nothing when it went to a manager or a queue). The worker's
 * escalate activity stores the same.
 */
export function refAfterEscalation(ref: AssignmentRef, r: Pick<EscalateResult, 'poolKey' | 'credit'>): AssignmentRef {
  const { creditBack: _left, ...kept } = ref;
  return { ...kept, ...(r.poolKey !== null ? { poolKey: r.poolKey } : {}), ...(r.credit ? { creditBack: r.credit } : {}) };
}

/** `escalate`: asks for the next assignee up the ladder (manager, next rep, queue), from the last assignment. */
export const escalateStep = effectStep<'escalate', 'escalate'>({
  effect: 'escalate',
  request: (node, run) => ({
    req: {
      leadId: run.leadId,
      nodeId: node.id,
      seq: run.seq,
      config: node.config,
      lead: run.lead,
      currentAssignee: run.assignee,
      previousAssignees: [...run.previousAssignees],
      lastAssignment: run.lastAssignment,
    },
    data: undefined,
  }),
  complete(_node, r, _data, run) {
    if (r.assignee) {
      run.takeAssignee(r.assignee);
      if (run.lastAssignment) run.setLastAssignment(refAfterEscalation(run.lastAssignment, r));
    }
    return {
      outcome: r.assignee ? 'escalated' : 'no_target',
      decision: r.assignee ? `Escalated to ${r.assignee.name}` : 'Nobody to escalate to',
      explanation: r.explanation,
      output: { assignee: r.assignee, candidates: r.candidates, released: r.released, ...(r.wrrAfter ? { wrr: r.wrrAfter } : {}), ...(r.credit ? { credit: r.credit } : {}) },
    };
  },
});
