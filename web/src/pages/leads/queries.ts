import { queryOptions } from '@tanstack/react-query';
import type { InferRequestType } from 'hono/client';
import { api, read } from '../../api/client';

type ListQuery = InferRequestType<typeof api.api.leads.$get>['query'];

/** Every filter of `GET /api/leads` the URL may carry (the analytics page links to `/leads?<filter>`). */
export const FILTER_KEYS = [
  'workflow',
  'status',
  'assignee',
  'firstAssignee',
  'assignedTo',
  'assignedBy',
  'waitedOn',
  'waitOutcome',
  'passedOver',
  'passedReason',
  'throughNode',
  'nodeOutcome',
  'since',
  'until',
  'q',
  'sort',
  'order',
] as const satisfies readonly (keyof ListQuery)[];

/** Filters, search and sort of the lead list, as the URL and the API spell them (the query of `GET /api/leads`). */
export type LeadFilters = Pick<ListQuery, (typeof FILTER_KEYS)[number]>;

/** The filters a URL query string carries, as the API takes them (unknown keys and empty values left out). */
export function filtersFrom(params: Record<string, string>): LeadFilters {
  const out: Record<string, string> = {};
  for (const k of FILTER_KEYS) if (params[k]) out[k] = params[k];
  return out as LeadFilters;
}

/** Where the CSV of the leads these filters match downloads from. */
export function csvHref(filters: LeadFilters): string {
  const qs = new URLSearchParams(Object.entries(filters).filter((e): e is [string, string] => typeof e[1] === 'string'));
  qs.set('format', 'csv');
  return `/api/leads?${qs.toString()}`;
}
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
