import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { Text } from '@lead-router/shared';
import { stream, streamSSE } from 'hono/streaming';
import { requireRole } from '../../auth/principal';
import type { AppEnv } from '../../http/context';
import { closeLead } from '../../services/lead-close.service';
import { retryLead } from '../../services/lead-retry.service';
import { rerouteLead } from '../../services/reroute.service';
import { decideLead } from '../../services/lead-decision.service';
import { followRun } from '../../services/lead-follow';
import { DEFAULT_ORDER, getLead, LEAD_SORTS, leadListCursor, requireRunState, getTrace, listLeads, type LeadListQuery } from '../../services/leads.service';
import { CSV_MAX_ROWS, leadsCsv } from '../../services/leads-csv';
import { bulkLeads } from '../../services/leads-bulk.service';
import { invalidInput } from '../../errors/domain-error';
import { UUID_PATTERN } from '../../services/workflow-access';
import { BulkAnswerSchema, BulkBodySchema, CloseBodySchema, CloseSchema, RerouteBodySchema, RerouteSchema, DecisionBodySchema, DecisionSchema, ErrorSchema, LeadDetailSchema, LeadListSchema, RetrySchema, RunStatusSchema, TraceSchema } from './schemas';

const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });
const errors = {
  400: json(ErrorSchema, 'Invalid parameters (each named)'),
  401: json(ErrorSchema, 'No credentials'),
  403: json(ErrorSchema, 'The role cannot read leads'),
  404: json(ErrorSchema, 'No such lead in this workspace'),
};

const Params = z.object({ id: z.string().openapi({ description: 'The lead id' }) });

const Instant = z.iso.datetime({ offset: true });

/** The lead list's query; a backfill's `filter` is it without its page (routes/backfills). */
export const ListQuery = z.object({
  workflow: z.string().regex(UUID_PATTERN, 'must be a workflow id').optional(),
  status: RunStatusSchema.optional(),
  assignee: Text(200).min(1).optional().openapi({ description: 'A rep or queue id' }),
  firstAssignee: Text(200).min(1).optional().openapi({ description: 'Whose the first assignment was (a rep or queue id)' }),
  assignedTo: Text(200).min(1).optional().openapi({ description: 'Leads ever assigned to this rep or queue (any assignment or escalation)' }),
  assignedBy: Text(200).min(1).optional().openapi({ description: 'Leads assigned by this assign or escalate node (with assignedTo: by it, to them)' }),
  waitedOn: Text(200).min(1).optional().openapi({ description: 'Leads that waited on this rep to accept (an SLA wait)' }),
  waitOutcome: z.enum(['accepted', 'timed_out', 'rejected']).optional().openapi({ description: 'With or without waitedOn: a wait that ended so' }),
  passedOver: Text(200).min(1).optional().openapi({ description: 'Leads an assignment passed this rep over for (ineligible)' }),
  passedReason: Text(100).min(1).optional().openapi({ description: 'Why they were passed over: out_of_office, outside_working_hours, over_daily_cap, ...' }),
  throughNode: Text(200).min(1).optional().openapi({ description: 'Leads whose run went through this node' }),
  nodeOutcome: Text(200).min(1).optional().openapi({ description: 'With throughNode: left it by this outcome' }),
  since: Instant.optional().openapi({ description: 'Received at or after (ISO 8601)' }),
  until: Instant.optional().openapi({ description: 'Received before (ISO 8601)' }),
  q: Text(200).optional().openapi({ description: "Search: a piece of the lead's name, email or company (case-insensitive)" }),
  sort: z.enum(LEAD_SORTS).default('received').openapi({ description: "What the list is ordered by: when received, the run's status, or the assignee's name (then by received)" }),
  order: z.enum(['asc', 'desc']).optional().openapi({ description: 'Direction: received newest first, status and assignee A to Z unless told' }),
  format: z.enum(['json', 'csv']).default('json').openapi({ description: `\`csv\`: every matching lead (up to ${CSV_MAX_ROWS.toLocaleString('en-US')}) as a CSV download, in the list's order; limit and cursor are ignored` }),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: leadListCursor.param(),
});

const listRoute = createRoute({
  method: 'get',
  path: '/',
  tags: ['leads'],
  summary: 'Leads and their routing, newest first (or sorted); searchable; as CSV',
  description: `With \`format=csv\` the answer is a CSV file of every lead the filters match (at most ${CSV_MAX_ROWS.toLocaleString('en-US')} rows, stated in the \`X-Row-Cap\` header), streamed as it is read; text cells that a spreadsheet would run as a formula get a leading apostrophe.`,
  request: { query: ListQuery },
  responses: {
    // The CSV (format=csv) is left out of the typed answer on purpose: every client of the list reads JSON.
    200: json(LeadListSchema, 'A page of leads (or, with format=csv, a text/csv download)'),
    400: errors[400],
    401: errors[401],
    403: errors[403],
  },
});

const bulkRoute = createRoute({
  method: 'post',
  path: '/bulk',
  tags: ['leads'],
  summary: 'One action on many leads: re-route (editor+), assign queued leads to a rep (manager), claim queued leads (a rep)',
  description:
    'Each lead goes through the one-lead action on its own (`POST /api/leads/{id}/reroute`, the queue claim and assign), in order; the answer lists each one\'s result with its `path` (`leadIds.3`). ' +
    'The role of the action is checked first, for the whole request (403). Assign and claim take each lead from the queue holding it; a lead in no queue is a `conflict`.',
  request: { body: { required: true, content: { 'application/json': { schema: BulkBodySchema } } } },
  responses: {
    200: json(BulkAnswerSchema, "Each lead's result"),
    400: errors[400],
    401: errors[401],
    403: json(ErrorSchema, 'The role cannot do this action'),
    422: json(ErrorSchema, '`unknown_rep`: no such rep (`repId`)'),
  },
});

const getRoute = createRoute({
  method: 'get',
  path: '/{id}',
  tags: ['leads'],
  summary: 'One lead: its run, data, timings and Temporal workflow id',
  request: { params: Params },
  responses: { 200: json(LeadDetailSchema, 'The lead'), ...errors },
});

const traceRoute = createRoute({
  method: 'get',
  path: '/{id}/trace',
  tags: ['leads'],
  summary: "The lead's trace, step by step",
  request: { params: Params },
  responses: { 200: json(TraceSchema, 'The steps written so far, in order'), ...errors },
});

const eventsRoute = createRoute({
  method: 'get',
  path: '/{id}/events',
  tags: ['leads'],
  summary: "Live trace: server-sent events following the lead's run",
  description:
    'Events: `step` (data: a trace step, id: its seq; reconnect with Last-Event-ID to resume), `status` (the run\'s status, assignee, outcome, deadline; ' +
    'sent first and on every change), `end` (the run completed or failed; the stream closes). A comment heartbeat keeps idle connections open.',
  request: { params: Params },
  responses: { 200: { description: 'An event stream', content: { 'text/event-stream': { schema: z.string() } } }, ...errors },
});

const decisionRoute = (decision: 'accept' | 'reject') =>
  createRoute({
    method: 'post',
    path: `/{id}/${decision}`,
    tags: ['leads'],
    summary: decision === 'accept' ? 'Accept a waiting lead (its assignee, or an editor)' : 'Reject a waiting lead so it is re-routed (its assignee, or an editor)',
    request: { params: Params, body: { required: false, content: { 'application/json': { schema: DecisionBodySchema } } } },
    responses: {
      202: json(DecisionSchema, 'Sent to the routing workflow, which records it'),
      ...errors,
      403: json(ErrorSchema, 'Neither the assignee nor an editor'),
      409: json(ErrorSchema, '`not_waiting`: the lead waits for no answer'),
      503: json(ErrorSchema, 'The routing engine is unreachable; retry after Retry-After seconds'),
    },
  });

const closeRoute = createRoute({
  method: 'post',
  path: '/{id}/close',
  tags: ['leads'],
  summary: 'Close a lead its rep has worked (its rep, or an editor)',
  description:
    "Stores why the lead is closed (converted, disqualified, ...) and takes it off its rep's open leads, so the open-lead caps the assign step honours free up as reps work their leads. " +
    'Only once the lead\'s route has ended (accept a waiting lead first). Recorded in the audit log as `lead.closed`.',
  request: { params: Params, body: { required: true, content: { 'application/json': { schema: CloseBodySchema } } } },
  responses: {
    200: json(CloseSchema, 'Closed'),
    ...errors,
    403: json(ErrorSchema, 'Neither the rep holding the lead nor an editor'),
    409: json(ErrorSchema, '`still_routing`: the route has not ended; `already_closed`'),
  },
});

const rerouteRoute = createRoute({
  method: 'post',
  path: '/{id}/reroute',
  tags: ['leads'],
  summary: 'Send a lead through a version again (editor and up)',
  description:
    "A new run pinned to the version (the workflow's active one unless `version` names another) routes the lead from its trigger; its steps follow the earlier runs' in the trace, " +
    "and the earlier run is kept (`earlierRuns` on the lead). A run waiting on its rep is ended first; a lead being routed right now is refused (`still_routing`). " +
    'Whoever holds the lead keeps it until the new run assigns it. Recorded in the audit log as `lead.rerouted`.',
  request: { params: Params, body: { required: false, content: { 'application/json': { schema: RerouteBodySchema } } } },
  responses: {
    202: json(RerouteSchema, 'Queued for a new run'),
    ...errors,
    403: json(ErrorSchema, 'The role cannot re-route leads (editor and up)'),
    409: json(ErrorSchema, '`still_routing`: the lead is being routed right now; `not_published`: no active version'),
    422: json(ErrorSchema, '`unknown_reference`: the workflow has no such version'),
    503: json(ErrorSchema, 'The routing engine is unreachable (to end a waiting run); retry after Retry-After seconds'),
  },
});

const retryRoute = createRoute({
  method: 'post',
  path: '/{id}/retry',
  tags: ['leads'],
  summary: 'Retry a lead whose run failed (editor and up)',
  description:
    'Queues the lead again: a new run routes it from its trigger on the version its run was pinned to, its steps numbered after the failed run\'s (which stay in the trace). ' +
    'Recorded in the audit log as `lead.retried`. The run is started as soon as Temporal takes it, like a new lead.',
  request: { params: Params },
  responses: {
    202: json(RetrySchema, 'Queued for a new run'),
    ...errors,
    403: json(ErrorSchema, 'The role cannot retry leads (editor and up)'),
    409: json(ErrorSchema, '`not_failed`: the run has not failed'),
  },
});

/** The keys of `q` that are set. */
function pick<T extends object, K extends keyof T>(q: T, keys: K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const k of keys) if (q[k] !== undefined) out[k] = q[k];
  return out;
}

// Last-Event-ID is the seq of the last step the client saw; anything else replays from the start.
function lastSeqOf(header: string | undefined): number {
  const v = header?.trim();
  return v && /^\d{1,9}$/.test(v) ? Number(v) : -1;
}

/** `/api/leads`: the lead list, one lead, its trace, a live stream of it, accept / reject, and retry. */
export function leadsRoutes() {
  return new OpenAPIHono<AppEnv>()
    .openapi(listRoute, async (c) => {
      const p = requireRole(c, 'viewer');
      const q = c.req.valid('query');
      const order = q.order ?? DEFAULT_ORDER[q.sort];
      if (q.cursor !== undefined && (q.cursor[0] !== q.sort || q.cursor[1] !== order)) {
        throw invalidInput([{ path: 'cursor', message: `was given out for another sort (${q.cursor[0]} ${q.cursor[1]}); start again without it` }], 'query parameters');
      }
      const query: LeadListQuery = {
        limit: q.limit,
        sort: q.sort,
        order,
        ...(q.q !== undefined ? { q: q.q } : {}),
        ...(q.workflow !== undefined ? { workflowId: q.workflow } : {}),
        ...(q.status !== undefined ? { status: q.status } : {}),
        ...(q.assignee !== undefined ? { assignee: q.assignee } : {}),
        ...pick(q, ['firstAssignee', 'assignedTo', 'assignedBy', 'waitedOn', 'waitOutcome', 'passedOver', 'passedReason', 'throughNode', 'nodeOutcome']),
        ...(q.since !== undefined ? { since: new Date(q.since) } : {}),
        ...(q.until !== undefined ? { until: new Date(q.until) } : {}),
        ...(q.cursor !== undefined ? { cursor: q.cursor } : {}),
      };
      const { db } = c.get('deps');
      if (q.format === 'csv') {
        const { cursor: _cursor, ...all } = query;
        c.header('content-type', 'text/csv; charset=utf-8');
        c.header('content-disposition', `attachment; filename="leads-${new Date().toISOString().slice(0, 10)}.csv"`);
        c.header('x-row-cap', String(CSV_MAX_ROWS));
        // A stream, not the typed JSON answer: typed as the route's answer so the JSON clients keep their type.
        return stream(c, async (out) => {
          for await (const chunk of leadsCsv(db, p.workspaceId, all)) {
            if (out.aborted) return;
            await out.write(chunk);
          }
        }) as never;
      }
      return c.json(await listLeads(db, p.workspaceId, query), 200);
    })
    .openapi(bulkRoute, async (c) => {
      const p = requireRole(c, 'viewer');
      return c.json(await bulkLeads(c.get('deps'), p, c.req.valid('json')), 200);
    })
    .openapi(getRoute, async (c) => {
      const p = requireRole(c, 'viewer');
      const { db, config } = c.get('deps');
      return c.json(await getLead(db, config, p.workspaceId, c.req.valid('param').id), 200);
    })
    .openapi(traceRoute, async (c) => {
      const p = requireRole(c, 'viewer');
      const { id } = c.req.valid('param');
      return c.json({ leadId: id, steps: await getTrace(c.get('deps').db, p.workspaceId, id) }, 200);
    })
    .openapi(eventsRoute, async (c) => {
      const p = requireRole(c, 'viewer');
      const { db, log } = c.get('deps');
      const { id } = c.req.valid('param');
      // 404 before the stream opens: once it is open the status is already 200.
      await requireRunState(db, p.workspaceId, id);
      const afterSeq = lastSeqOf(c.req.header('last-event-id'));
      return streamSSE(c, async (stream) => {
        const aborted = new AbortController();
        stream.onAbort(() => aborted.abort());
        try {
          await followRun(
            db,
            p.workspaceId,
            id,
            {
              step: (s) => stream.writeSSE({ event: 'step', data: JSON.stringify(s), id: String(s.seq) }),
              status: (s) => stream.writeSSE({ event: 'status', data: JSON.stringify(s) }),
              end: (s) => stream.writeSSE({ event: 'end', data: JSON.stringify(s) }),
              heartbeat: () => stream.write(': heartbeat\n\n').then(() => undefined),
            },
            { afterSeq, signal: aborted.signal },
          );
        } catch (e) {
          log.warn('lead events: stream stopped', { leadId: id, err: e instanceof Error ? e.message : String(e) });
          // The browser's EventSource reconnects with Last-Event-ID and resumes where it stopped.
          await stream.writeSSE({ event: 'error', data: JSON.stringify({ code: 'unavailable', message: 'The live trace was interrupted; reconnecting resumes it.' }) });
        }
      });
    })
    .openapi(decisionRoute('accept'), async (c) => {
      const p = requireRole(c, 'viewer');
      const body = c.req.valid('json');
      return c.json(await decideLead(c.get('deps'), p, c.req.valid('param').id, 'accepted', body?.reason), 202);
    })
    .openapi(closeRoute, async (c) => {
      const p = requireRole(c, 'viewer');
      const body = c.req.valid('json');
      return c.json(await closeLead(c.get('deps'), p, c.req.valid('param').id, body), 200);
    })
    .openapi(rerouteRoute, async (c) => {
      const p = requireRole(c, 'editor');
      const body = c.req.valid('json') ?? {};
      return c.json(await rerouteLead(c.get('deps'), p, c.req.valid('param').id, body), 202);
    })
    .openapi(retryRoute, async (c) => {
      const p = requireRole(c, 'editor');
      return c.json(await retryLead(c.get('deps'), p, c.req.valid('param').id), 202);
    })
    .openapi(decisionRoute('reject'), async (c) => {
      const p = requireRole(c, 'viewer');
      const body = c.req.valid('json');
      return c.json(await decideLead(c.get('deps'), p, c.req.valid('param').id, 'rejected', body?.reason), 202);
    });
}
