import type { CustomField } from '@lead-router/shared';
import { queryOptions } from '@tanstack/react-query';
import type { InferRequestType, InferResponseType } from 'hono/client';
import { api, read } from '../../api/client';

type WorkflowRoutes = (typeof api.api.workflows)[':id'];

/** A simulate call's answer (the server's route types, not a copy): each lead's result and the summary. */
export type Simulation = InferResponseType<WorkflowRoutes['simulate']['$post'], 200>;
/** One lead's result of a simulation. */
export type LeadRun = Simulation['results'][number];
/** One step of a simulated lead's trace (detail `full` only). */
export type RunStep = NonNullable<LeadRun['steps']>[number];
/** Counts over every lead of a simulation. */
export type RunSummary = Simulation['summary'];
type WaitChoice = Extract<NonNullable<NonNullable<InferRequestType<WorkflowRoutes['simulate']['$post']>['json']['waits']>['default']>, { outcome: unknown }>;
/** How a simulated wait resolves (the simulate body's `waits`). */
export type WaitOutcome = WaitChoice['outcome'];
/** A draft save's verdict on the golden leads: each one's result, or why the suite was skipped. */
export type GoldenOutcome = InferResponseType<WorkflowRoutes['draft']['$put'], 200>['golden'];

/** Server data the builder reads, as react-query options: the store never holds server state. */
export const workflowQuery = (id: string) => queryOptions({ queryKey: ['workflow', id], queryFn: () => read(api.api.workflows[':id'].$get({ param: { id } })) });

export const draftQuery = (id: string) =>
  queryOptions({ queryKey: ['workflow', id, 'draft'], queryFn: () => read(api.api.workflows[':id'].draft.$get({ param: { id } })), staleTime: Infinity });

export const versionsQuery = (id: string) => queryOptions({ queryKey: ['workflow', id, 'versions'], queryFn: () => read(api.api.workflows[':id'].versions.$get({ param: { id } })) });

export const versionQuery = (id: string, n: number) =>
  queryOptions({ queryKey: ['workflow', id, 'versions', n], queryFn: () => read(api.api.workflows[':id'].versions[':n'].$get({ param: { id, n: String(n) } })), staleTime: Infinity });

export const goldenQuery = (id: string) => queryOptions({ queryKey: ['workflow', id, 'golden'], queryFn: () => read(api.api.workflows[':id'].golden.$get({ param: { id } })) });

/** The workspace's custom fields, as the shared compiler takes them, and the full catalog for pickers. */
export const fieldsQuery = queryOptions({
  queryKey: ['fields'],
  queryFn: () => read(api.api.fields.$get()),
  staleTime: 60_000,
  select: (catalog) => ({
    fields: catalog.fields,
    custom: catalog.fields.filter((f) => !f.standard).map((f) => ({ key: f.key, label: f.label, type: f.type, ...(f.options ? { options: f.options } : {}) }) as CustomField),
  }),
});

/**
 * The workspace's directory (reps, teams, queues, territories, accounts; not the firmographics table): one
 * query the inspector's pickers and the names on cards and results share. Its key sits under `directory`,
 * which every directory change invalidates (the directory page's mutations), so a renamed team shows at once.
 */
export const directoryQuery = queryOptions({ queryKey: ['directory', 'snapshot'], queryFn: () => read(api.api.directory.$get({ query: {} })), staleTime: 60_000 });

/** Where and how leads are posted to a workflow's trigger (`GET /api/workflows/{id}/endpoint`; no secret). */
export type TriggerEndpoint = InferResponseType<WorkflowRoutes['endpoint']['$get'], 200>;

export const triggerEndpointQuery = (id: string) =>
  queryOptions({ queryKey: ['workflow', id, 'endpoint'], queryFn: () => read(api.api.workflows[':id'].endpoint.$get({ param: { id } })) });

/** The workflow's webhook secret: admins only (the server answers 403 to every other role). Fetched on Reveal. */
export const webhookSecretQuery = (id: string) =>
  queryOptions({ queryKey: ['workflow', id, 'webhook-secret'], queryFn: () => read(api.api.workflows[':id']['webhook-secret'].$get({ param: { id } })), staleTime: Infinity });

/** The last leads this workflow received, newest first (the lead list's own query, filtered and bounded). */
export const triggerLeadsQuery = (id: string, limit = 10) =>
  queryOptions({
    queryKey: ['workflow', id, 'trigger-leads', limit],
    queryFn: () => read(api.api.leads.$get({ query: { workflow: id, limit: String(limit) } })),
  });

/** One lead as the trigger's list shows it. */
export type TriggerLead = Awaited<ReturnType<ReturnType<typeof triggerLeadsQuery>['queryFn'] & {}>>['items'][number];

/** Sends the workspace's sample lead through the trigger (`POST /api/workflows/{id}/test-lead`, editor and up). */
export const sendTestLead = (id: string) => read(api.api.workflows[':id']['test-lead'].$post({ param: { id }, json: {} }));

/** A backtest's answer (the server's route types): the window replayed through the active version and the draft. */
export type Backtest = InferResponseType<WorkflowRoutes['backtest']['$post'], 200>;
/** One real lead of a backtest: what it really got, and each replay's result. */
export type BacktestLead = Backtest['leads'][number];
/** Leads per assignee (id null: nobody) really, in the active replay and in the draft's. */
export type BacktestAssignee = Backtest['summary']['assignees'][number];
