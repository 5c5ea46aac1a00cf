import type { EscalateConfig } from '@lead-router/shared';

export const summarizeEscalate = (c: EscalateConfig): string => (c.to === 'queue' ? `To queue ${c.queueId}` : `To ${c.to.replace(/_/g, ' ')}`);
