import { useQuery } from '@tanstack/react-query';
import { directoryQuery } from '../api/queries';

export interface Option {
  id: string;
  name: string;
}

const toOptions = (items: readonly { id: string; name?: string }[] | undefined): Option[] => (items ?? []).map((i) => ({ id: i.id, name: i.name ?? i.id }));

/** Reps, teams, queues and territories from the one directory query, for the pickers of assign/notify/escalate. */
export function useDirectoryOptions() {
  const dir = useQuery(directoryQuery);
  return {
    reps: toOptions(dir.data?.reps),
    teams: toOptions(dir.data?.teams),
    queues: toOptions(dir.data?.queues),
    territories: toOptions(dir.data?.territories),
  };
}
