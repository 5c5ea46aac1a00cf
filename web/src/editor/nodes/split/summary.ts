import type { SplitConfig } from '@lead-router/shared';

export const summarizeSplit = (c: SplitConfig): string => c.variants.map((v) => `${v.percent}%`).join(' / ');
