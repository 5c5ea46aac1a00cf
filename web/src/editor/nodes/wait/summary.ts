import { formatDuration, type WaitConfig } from '@lead-router/shared';

export const summarizeWait = (c: WaitConfig): string => `Until ${c.until}, SLA ${formatDuration(c.timeout)}`;
