import type { ScoreConfig } from '@lead-router/shared';

export const summarizeScore = (c: ScoreConfig): string => `${c.rules.length} rule${c.rules.length === 1 ? '' : 's'}, ${c.grades.length} grade${c.grades.length === 1 ? '' : 's'}`;
