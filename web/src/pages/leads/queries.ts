import { queryOptions } from '@tanstack/react-query';
import type { InferRequestType } from 'hono/client';
import { api, read } from '../../api/client';

/** Filters of the lead list, as the URL and the API spell them (the query of `GET /api/leads`). */
export type LeadFilters = Pick<InferRequestType<typeof api.api.leads.$get>['query'], 'workflow' | 'status' | 'assignee' | 'since'>;
/** Where a lead's run stands. */
export type RunStatus = NonNullable<LeadFilters['status']>;

/** One page of leads, newest first. */
export const leadsQuery = (filters: LeadFilters, cursor?: string) =>
  queryOptions({
    queryKey: ['leads', filters, cursor ?? null],
    queryFn: () => read(api.api.leads.$get({ query: { ...filters, ...(cursor ? { cursor } : {}) } })),
  });

/** One lead with its run, data and timings. */
export const leadQuery = (id: string) =>
  queryOptions({
    queryKey: ['lead', id],
    queryFn: () => read(api.api.leads[':id'].$get({ param: { id } })),
  });

/** A published version's graph (the one a lead ran). */
export const versionQuery = (workflowId: string, n: number) =>
  queryOptions({
    queryKey: ['workflow', workflowId, 'version', n],
    queryFn: () => read(api.api.workflows[':id'].versions[':n'].$get({ param: { id: workflowId, n: String(n) } })),
    staleTime: Infinity,
  });

/** Reps and queues, to name assignees and filter by them. */
export const assigneesQuery = queryOptions({
  queryKey: ['assignees'],
  queryFn: async () => {
    const [reps, queues] = await Promise.all([read(api.api.reps.$get({ query: {} })), read(api.api.queues.$get())]);
    return { reps: reps.items, queues: queues.items };
  },
  staleTime: 60_000,
});

export type LeadSummary = Awaited<ReturnType<ReturnType<typeof leadsQuery>['queryFn'] & {}>>['items'][number];
export type LeadDetail = Awaited<ReturnType<ReturnType<typeof leadQuery>['queryFn'] & {}>>;
