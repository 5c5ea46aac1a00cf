import type { CrmUpdateConfig } from '@lead-router/shared';

/** `Owner, 2 fields, task` (what the step writes back). */
export const summarizeCrmUpdate = (c: CrmUpdateConfig): string => {
  const fields = Array.isArray(c.fields) ? c.fields.length : 0;
  const parts = [c.writeOwner ? 'Owner' : null, fields > 0 ? `${fields} field${fields === 1 ? '' : 's'}` : null, c.task ? 'task' : null].filter(Boolean);
  return parts.length > 0 ? `Writes ${parts.join(', ')}` : 'Writes nothing yet';
};
