import { pureStep } from '../step';

/** `end`: the run ends with the node's outcome. */
export const endStep = pureStep<'end'>((node) => ({ outcome: null, decision: `Ended: ${node.config.outcome}`, explanation: [], output: {}, end: node.config.outcome }));
