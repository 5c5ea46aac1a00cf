import { effectStep } from '../step';

/** `assign`: asks for an assignee from the configured pool; the lead goes to them, or takes `no_eligible_rep`. */
export const assignStep = effectStep<'assign', 'assign'>({
  effect: 'assign',
  request: (node, run) => ({
    req: {
      leadId: run.leadId,
      nodeId: node.id,
      seq: run.seq,
      config: node.config,
      lead: run.lead,
      currentAssignee: run.assignee,
      previousAssignees: [...run.previousAssignees],
      ...(run.lastAssignment?.creditBack ? { credit: run.lastAssignment.creditBack } : {}),
    },
    data: undefined,
  }),
  complete(node, r, _data, run) {
    if (r.assignee) {
      run.takeAssignee(r.assignee);
      run.setLastAssignment({ nodeId: node.id, config: node.config, poolKey: r.poolKey, ...(r.credit ? { creditBack: r.credit } : {}) });
    }
    return {
      outcome: r.assignee ? 'assigned' : 'no_eligible_rep',
      decision: r.assignee ? `Assigned to ${r.assignee.name}` : 'No eligible rep',
      explanation: r.explanation,
      output: { assignee: r.assignee, candidates: r.candidates, poolKey: r.poolKey, ...(r.wrrAfter ? { wrr: r.wrrAfter } : {}), ...(r.credit ? { credit: r.credit } : {}) },
    };
  },
});
