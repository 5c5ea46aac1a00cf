import type { UpdateConfig } from '@lead-router/shared';

export const summarizeUpdate = (c: UpdateConfig): string => c.set.map((s) => `${s.field} = ${String(s.value)}`).join(', ');
