import type { EndConfig } from '@lead-router/shared';

export const summarizeEnd = (c: EndConfig): string => `Outcome: ${c.outcome}`;
