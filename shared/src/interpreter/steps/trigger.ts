import { evaluateCondition } from '../../conditions/evaluate';
import { pureStep } from '../step';

/** `trigger`: the lead enters; an optional filter lets it through or filters it out. */
export const triggerStep = pureStep<'trigger'>((node, run) => {
  const filter = node.config.filter;
  if (!filter) {
    return { outcome: 'next', decision: `Received from ${node.config.source}`, explanation: [], output: {} };
  }
  const r = evaluateCondition(filter, run.lead, run.conditions);
  return {
    outcome: r.result ? 'next' : 'filtered',
    decision: r.result ? 'Matches the filter' : 'Filtered out',
    explanation: r.lines,
    output: {},
  };
});
