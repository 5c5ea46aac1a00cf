import type { BranchConfig } from '@lead-router/shared';
import { describeGroup } from '../../inspector/condition-text';

/** One line for the node card: the first case's condition. */
export const summarizeBranch = (c: BranchConfig): string => {
  const first = c.cases[0];
  return first ? `${first.label}: ${describeGroup(first.condition)}` : 'No cases';
};
