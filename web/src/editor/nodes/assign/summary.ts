import type { AssignConfig } from '@lead-router/shared';
import type { DirectoryNames } from '../../directory/names';

/** What the card says of a team, rep or queue not chosen yet. */
const choose = (what: string) => `Choose a ${what}`;

/** `Round robin · Inbound`, `Rep Ana Diaz`, `Queue Unassigned leads`; a missing choice asks for it. */
export const summarizeAssign = (c: AssignConfig, names: DirectoryNames): string => {
  const s = c.strategy;
  const kind = s.type.replace(/_/g, ' ');
  const sentence = kind.charAt(0).toUpperCase() + kind.slice(1);
  // A balanced step says so on its card; strict (the default) reads as it always did.
  const fair = c.fairness?.mode === 'balanced' && s.type !== 'load_balanced' ? ' · balanced' : '';
  if ('teamId' in s) return `${sentence} · ${s.teamId ? names.name('teams', s.teamId) : choose('team')}${fair}`;
  if ('repId' in s) return s.repId ? `Rep ${names.name('reps', s.repId)}` : choose('rep');
  if ('queueId' in s) return s.queueId ? `Queue ${names.name('queues', s.queueId)}` : choose('queue');
  if (s.type === 'territory' && s.territoryIds?.length) return `${sentence} · ${s.territoryIds.map((id) => names.name('territories', id)).join(', ')}${fair}`;
  return `${sentence}${fair}`;
};
