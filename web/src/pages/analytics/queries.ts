import { queryOptions } from '@tanstack/react-query';
import type { InferResponseType } from 'hono/client';
import { api, read } from '../../api/client';

/** The range and workflow every section reads. */
export interface AnalyticsScopeArgs {
  workflowId: string;
  from: string;
  to: string;
}

const query = (a: AnalyticsScopeArgs) => ({ workflowId: a.workflowId, from: a.from, to: a.to });
const key = (section: string, a: AnalyticsScopeArgs) => ['analytics', section, a.workflowId, a.from, a.to] as const;
// Figures move as leads arrive; a minute old is fresh enough, and the page's Refresh button refetches.
const staleTime = 60_000;

const getSpeed = (a: AnalyticsScopeArgs) => api.api.analytics['speed-to-lead'].$get({ query: query(a) });
const getSla = (a: AnalyticsScopeArgs) => api.api.analytics.sla.$get({ query: query(a) });
const getAcceptance = (a: AnalyticsScopeArgs) => api.api.analytics.acceptance.$get({ query: query(a) });
const getFairness = (a: AnalyticsScopeArgs) => api.api.analytics.fairness.$get({ query: query(a) });
const getPaths = (a: AnalyticsScopeArgs) => api.api.analytics.paths.$get({ query: query(a) });
const getQueues = (a: AnalyticsScopeArgs) => api.api.analytics.queues.$get({ query: query(a) });

// A section route answers JSON or (with format=csv) text from one handler typed as returning a Response, so
// the typed client's 200 body is a union; the page asks for JSON: the member with the section's own tables (the union holds every section's shape).
type JsonOf<F extends (a: AnalyticsScopeArgs) => Promise<unknown>, Tables> = Extract<InferResponseType<F, 200>, Tables>;
export type SpeedData = JsonOf<typeof getSpeed, { summary: unknown[] }>;
export type SlaData = JsonOf<typeof getSla, { byTeam: unknown[] }>;
export type AcceptanceData = JsonOf<typeof getAcceptance, { byRep: { offered: number }[] }>;
export type FairnessData = JsonOf<typeof getFairness, { passedOver: unknown[] }>;
export type PathsData = JsonOf<typeof getPaths, { edges: unknown[] }>;
export type QueuesData = JsonOf<typeof getQueues, { byQueue: unknown[] }>;

/** Speed to lead: p50/p90/p99 to first assignment, acceptance and first contact, overall and per bucket. */
export const speedQuery = (a: AnalyticsScopeArgs) => queryOptions({ queryKey: key('speed-to-lead', a), staleTime, queryFn: async (): Promise<SpeedData> => (await read(getSpeed(a))) as SpeedData });

/** SLA met and breached per rep and team; re-assignments and escalations per lead. */
export const slaQuery = (a: AnalyticsScopeArgs) => queryOptions({ queryKey: key('sla', a), staleTime, queryFn: async (): Promise<SlaData> => (await read(getSla(a))) as SlaData });

/** Acceptance and rejection per rep; time to accept. */
export const acceptanceQuery = (a: AnalyticsScopeArgs) =>
  queryOptions({ queryKey: key('acceptance', a), staleTime, queryFn: async (): Promise<AcceptanceData> => (await read(getAcceptance(a))) as AcceptanceData });

/** Leads per rep against the pool's weights, over time; why reps were passed over. */
export const fairnessQuery = (a: AnalyticsScopeArgs) =>
  queryOptions({ queryKey: key('fairness', a), staleTime, queryFn: async (): Promise<FairnessData> => (await read(getFairness(a))) as FairnessData });

/** Steps per node, outcome and next node. */
export const pathsQuery = (a: AnalyticsScopeArgs) => queryOptions({ queryKey: key('paths', a), staleTime, queryFn: async (): Promise<PathsData> => (await read(getPaths(a))) as PathsData });

/** Queue inflow and the age of what each holds. */
export const queuesQuery = (a: AnalyticsScopeArgs) => queryOptions({ queryKey: key('queues', a), staleTime, queryFn: async (): Promise<QueuesData> => (await read(getQueues(a))) as QueuesData });
