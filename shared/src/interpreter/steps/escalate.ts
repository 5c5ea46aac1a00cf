import { effectStep } from '../step';

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
      if (r.poolKey !== null && run.lastAssignment) run.setLastAssignment({ ...run.lastAssignment, poolKey: r.poolKey });
    }
    return {
      outcome: r.assignee ? 'escalated' : 'no_target',
      decision: r.assignee ? `Escalated to ${r.assignee.name}` : 'Nobody to escalate to',
      explanation: r.explanation,
      output: { assignee: r.assignee, candidates: r.candidates, released: r.released, ...(r.wrrAfter ? { wrr: r.wrrAfter } : {}) },
    };
  },
});
