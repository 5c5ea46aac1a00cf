import { useQuery } from '@tanstack/react-query';
import { queuesQuery, repsQuery, teamsQuery, territoriesQuery } from '../api/queries';

export interface Option {
  id: string;
  name: string;
}

const toOptions = (items: readonly { id: string; name?: string }[] | undefined): Option[] => (items ?? []).map((i) => ({ id: i.id, name: i.name ?? i.id }));

/** Reps, teams, queues and territories from the directory API, for the pickers of assign/notify/escalate. */
export function useDirectoryOptions() {
  const reps = useQuery(repsQuery);
  const teams = useQuery(teamsQuery);
  const queues = useQuery(queuesQuery);
  const territories = useQuery(territoriesQuery);
  return {
    reps: toOptions(reps.data?.items),
    teams: toOptions(teams.data?.items),
    queues: toOptions(queues.data?.items),
    territories: toOptions(territories.data?.items),
  };
}
