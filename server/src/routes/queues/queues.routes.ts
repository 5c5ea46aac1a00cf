import { createRoute, OpenAPIHono, type z } from '@hono/zod-openapi';
import { hasRole, requireRole } from '../../auth/principal';
import type { AppEnv } from '../../http/context';
import { assignLeads, claimLead } from '../../services/queue-work.service';
import { listQueueLeads, listQueues, updateQueueSettings } from '../../services/queues.service';
import {
  AssignBodySchema,
  AssignResultSchema,
  ClaimBodySchema,
  ClaimResultSchema,
  ErrorSchema,
  QueueLeadListSchema,
  QueueLeadParams,
  QueueLeadsQuery,
  QueueListSchema,
  QueueParams,
  QueueSummarySchema,
  SettingsBodySchema,
} from './queues.schemas';

const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });
const errors = {
  400: json(ErrorSchema, 'Invalid parameters or body (each field named)'),
  401: json(ErrorSchema, 'No credentials'),
  403: json(ErrorSchema, 'The role cannot do this'),
  404: json(ErrorSchema, 'No such queue (or lead) in this workspace'),
};

const listRoute = createRoute({
  method: 'get',
  path: '/queue-overview',
  tags: ['queues'],
  summary: 'The queues, each with its lead count, oldest lead and alert settings',
  description: '`GET /api/queues` is the directory\'s list of queues; this adds what working them needs.',
  responses: { 200: json(QueueListSchema, 'Every queue of the workspace, by name'), 401: errors[401], 403: errors[403] },
});

const leadsRoute = createRoute({
  method: 'get',
  path: '/queues/{id}/leads',
  tags: ['queues'],
  summary: "A queue's leads, oldest first: age, source, score, SLA state",
  request: { params: QueueParams, query: QueueLeadsQuery },
  responses: { 200: json(QueueLeadListSchema, 'A page of the leads the queue holds'), ...errors },
});

const claimRoute = createRoute({
  method: 'post',
  path: '/queues/{id}/leads/{leadId}/claim',
  tags: ['queues'],
  summary: 'Claim a queued lead (for yourself; a manager may claim for a rep)',
  description:
    'Atomic: of two claims at once, one wins and the other gets 409 `not_in_queue`. The rep\'s caps (open leads, per day, active) are the engine\'s own; ' +
    'a claim that would break one is 422 `cap_reached` naming it, unless a manager (publisher or admin) sends `override.reason`, which is recorded. ' +
    'The claim is recorded in the audit log (`lead.claimed`) and on the lead\'s timeline. A workflow still routing the lead is signalled (`claimed`): ' +
    'a wait resolves as accepted by the rep and the route goes on from there; a run that has ended gets a `claim` trace step.',
  request: { params: QueueLeadParams, body: { required: false, content: { 'application/json': { schema: ClaimBodySchema } } } },
  responses: {
    200: json(ClaimResultSchema, 'The lead is the rep\'s'),
    ...errors,
    409: json(ErrorSchema, '`not_in_queue`: someone else took it first, or it moved on (the holder is named)'),
    422: json(ErrorSchema, '`cap_reached` (details.cap names it) or `unknown_rep`'),
    503: json(ErrorSchema, 'The routing engine is unreachable; the lead stays queued. Retry after Retry-After seconds'),
  },
});

const assignRoute = createRoute({
  method: 'post',
  path: '/queues/{id}/assign',
  tags: ['queues'],
  summary: 'Assign queued leads to a rep (manager: publisher or admin)',
  description: `Up to 500 lead ids. Each lead moves on its own, as a claim does; the answer lists every lead's result (\`assigned\`, \`conflict\`, \`cap\`, \`not_found\`, \`unavailable\`) in request order. Recorded as \`lead.assigned\`.`,
  request: { params: QueueParams, body: { required: true, content: { 'application/json': { schema: AssignBodySchema } } } },
  responses: { 200: json(AssignResultSchema, "Each lead's result"), ...errors, 422: json(ErrorSchema, '`unknown_rep`') },
});

const settingsRoute = createRoute({
  method: 'put',
  path: '/queues/{id}/settings',
  tags: ['queues'],
  summary: "A queue's age alert threshold, notify channel and members (admin)",
  request: { params: QueueParams, body: { required: true, content: { 'application/json': { schema: SettingsBodySchema } } } },
  responses: { 200: json(QueueSummarySchema, 'The queue with its settings'), ...errors, 422: json(ErrorSchema, '`unknown_rep`: a member is not a rep') },
});

/**
 * Queue work, mounted at `/api`: `/queue-overview` (the queues with counts and oldest age), and beside the
 * directory's `/queues/{id}`: a queue's `/leads`, `/leads/{leadId}/claim`, `/assign` and `/settings`.
 */
export function queuesRoutes() {
  return new OpenAPIHono<AppEnv>()
    .openapi(listRoute, async (c) => {
      const p = requireRole(c, 'viewer');
      const { db, now } = c.get('deps');
      return c.json({ items: await listQueues(db, p.workspaceId, now(), { revealUrls: hasRole(p, 'admin') }) }, 200);
    })
    .openapi(leadsRoute, async (c) => {
      const p = requireRole(c, 'viewer');
      const { db, now } = c.get('deps');
      const q = c.req.valid('query');
      const page = await listQueueLeads(db, p.workspaceId, c.req.valid('param').id, { sort: q.sort, limit: q.limit, ...(q.cursor ? { cursor: q.cursor } : {}) }, now());
      return c.json(page, 200);
    })
    .openapi(claimRoute, async (c) => {
      const p = requireRole(c, 'viewer');
      const { id, leadId } = c.req.valid('param');
      const body = c.req.valid('json') ?? {};
      return c.json(await claimLead(c.get('deps'), p, id, leadId, body), 200);
    })
    .openapi(assignRoute, async (c) => {
      const p = requireRole(c, 'viewer');
      return c.json(await assignLeads(c.get('deps'), p, c.req.valid('param').id, c.req.valid('json')), 200);
    })
    .openapi(settingsRoute, async (c) => {
      const p = requireRole(c, 'admin');
      const { db, now } = c.get('deps');
      return c.json(await updateQueueSettings(db, p, c.req.valid('param').id, c.req.valid('json'), now()), 200);
    });
}
