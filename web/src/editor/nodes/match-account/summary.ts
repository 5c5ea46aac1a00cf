import type { MatchAccountConfig } from '@lead-router/shared';

export const summarizeMatchAccount = (c: MatchAccountConfig): string => `By ${c.by.join(', ').replace(/_/g, ' ')}`;
