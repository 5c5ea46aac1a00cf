import type { TriggerConfig } from '@lead-router/shared';

/** One line for the node card. */
export const summarizeTrigger = (c: TriggerConfig): string => `From ${c.source}${'filter' in c && c.filter ? ', filtered' : ''}`;
