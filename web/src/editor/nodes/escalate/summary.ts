import type { EscalateConfig } from '@lead-router/shared';
import type { DirectoryNames } from '../../directory/names';

export const summarizeEscalate = (c: EscalateConfig, names: DirectoryNames): string =>
  c.to === 'queue' ? (c.queueId ? `To queue ${names.name('queues', c.queueId)}` : 'Choose a queue') : `To ${c.to.replace(/_/g, ' ')}`;
