import type { NotifyConfig } from '@lead-router/shared';
import type { DirectoryNames } from '../../directory/names';

/** `in app to Ana Diaz: New lead…`: the channel, a named rep when one is chosen, and the message's start. */
export const summarizeNotify = (c: NotifyConfig, names: DirectoryNames): string => {
  const to = c.recipient?.type === 'rep' && c.recipient.repId ? ` to ${names.name('reps', c.recipient.repId)}` : '';
  return `${c.channel.replace(/_/g, ' ')}${to}: ${c.message.slice(0, 40)}`;
};
