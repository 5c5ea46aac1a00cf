import type { NotifyConfig } from '@lead-router/shared';

export const summarizeNotify = (c: NotifyConfig): string => `${c.channel.replace(/_/g, ' ')}: ${c.message.slice(0, 40)}`;
