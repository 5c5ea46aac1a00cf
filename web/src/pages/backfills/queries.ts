import { queryOptions } from '@tanstack/react-query';
import { api, read } from '../../api/client';

/** The workspace's backfills, newest first; polled every second while one of them runs. */
export const backfillsQuery = () =>
  queryOptions({
    queryKey: ['backfills'],
    queryFn: () => read(api.api.backfills.$get({ query: {} })),
    refetchInterval: (q) => (q.state.data?.items.some((j) => j.status === 'running') ? 1000 : false),
  });

export type Backfill = Awaited<ReturnType<ReturnType<typeof backfillsQuery>['queryFn'] & {}>>['items'][number];

/** A workflow's published versions, newest first. */
export const versionsQuery = (workflowId: string) =>
  queryOptions({
    queryKey: ['workflows', workflowId, 'versions'],
    queryFn: () => read(api.api.workflows[':id'].versions.$get({ param: { id: workflowId } })),
    enabled: workflowId !== '',
  });

/** The lead list's filter (GET /api/leads' query without its page), as a backfill takes it. */
export type LeadFilter = Record<string, string | undefined>;

/** The filter without its empty entries, as the API takes it. */
export function cleanFilter(filter: LeadFilter): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(filter)) if (v !== undefined && v !== '' && k !== 'limit' && k !== 'cursor') out[k] = v;
  return out;
}
