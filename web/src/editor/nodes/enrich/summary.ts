import type { EnrichConfig } from '@lead-router/shared';

export const summarizeEnrich = (c: EnrichConfig): string => `${c.provider}: ${c.fields.join(', ')}`;
