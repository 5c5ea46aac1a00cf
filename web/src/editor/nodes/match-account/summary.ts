import type { MatchAccountConfig } from '@lead-router/shared';

/** `By email domain, company name; similar names >= 0.85; repeat leads within 30 days`. */
export const summarizeMatchAccount = (c: MatchAccountConfig): string =>
  [
    `By ${c.by.join(', ').replace(/_/g, ' ')}`,
    ...(typeof c.fuzzyThreshold === 'number' ? [`similar names >= ${c.fuzzyThreshold}`] : []),
    ...(typeof c.duplicateWithinDays === 'number' ? [`repeat leads within ${c.duplicateWithinDays} days`] : []),
  ].join('; ');
