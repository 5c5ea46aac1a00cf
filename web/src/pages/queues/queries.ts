import { queryOptions } from '@tanstack/react-query';
import { api, ApiError, read } from '../../api/client';

/** Every queue with its count, oldest age and alert settings. */
export const queueOverviewQuery = queryOptions({
  queryKey: ['queue-overview'],
  queryFn: () => read(api.api['queue-overview'].$get()),
});

/** A page of the leads a queue holds, oldest first. */
export const queueLeadsQuery = (id: string, cursor?: string) =>
  queryOptions({
    queryKey: ['queue-leads', id, cursor ?? null],
    queryFn: () => read(api.api.queues[':id'].leads.$get({ param: { id }, query: { sort: 'oldest', ...(cursor ? { cursor } : {}) } })),
  });

export type QueueSummary = Awaited<ReturnType<typeof queueOverviewQuery.queryFn & {}>>['items'][number];
export type QueueLead = Awaited<ReturnType<ReturnType<typeof queueLeadsQuery>['queryFn'] & {}>>['items'][number];

/** The caps a move can run into, as people read them. */
export const CAP_LABELS: Record<string, string> = {
  open_leads: 'open-lead cap',
  per_day: 'daily cap',
  inactive: 'rep not taking leads',
};

/** The cap a 422 `cap_reached` names, as people read it; null for any other error. */
export function capOf(error: unknown): string | null {
  if (!(error instanceof ApiError) || error.code !== 'cap_reached') return null;
  const cap = (error.body as { error?: { details?: { cap?: string } } } | undefined)?.error?.details?.cap;
  return cap ? (CAP_LABELS[cap] ?? cap) : 'a cap';
}

/** "4 min", "2 h 5 min", "3 d 4 h": an age as a queue shows it. */
export function formatAge(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h} h ${m % 60} min`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}

/** True when a queue's oldest lead has waited longer than its alert threshold (the overview highlights it). */
export function isOverThreshold(ageMs: number | null, alertMinutes: number): boolean {
  return ageMs !== null && ageMs > alertMinutes * 60_000;
}
