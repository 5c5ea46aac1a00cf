import type { AssignConfig } from '@lead-router/shared';

export const summarizeAssign = (c: AssignConfig): string => {
  const s = c.strategy;
  const kind = s.type.replace(/_/g, ' ');
  if ('teamId' in s) return `${kind} · ${s.teamId}`;
  if ('repId' in s) return `rep ${s.repId}`;
  if ('queueId' in s) return `queue ${s.queueId}`;
  return kind;
};
