import type { BranchConfig } from '@lead-router/shared';
import type { DirectoryNames } from '../../directory/names';
import { describeGroup } from '../../inspector/condition-text';

/** One line for the node card: the first case's condition (territories by name). */
export const summarizeBranch = (c: BranchConfig, names: DirectoryNames): string => {
  const first = c.cases[0];
  return first ? `${first.label}: ${describeGroup(first.condition, names)}` : 'No cases';
};
