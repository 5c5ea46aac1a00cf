import { createRoute, OpenAPIHono, type z } from '@hono/zod-openapi';
import { requireRole } from '../../auth/principal';
import type { AppEnv } from '../../http/context';
import { getBackfill, listBackfills, moveBackfill, previewBackfill, startBackfill } from '../../services/backfill.service';
import { BackfillListSchema, BackfillSchema, ErrorSchema, ListBackfillsQuery, Params, PreviewBodySchema, PreviewSchema, StartBodySchema } from './backfills.schemas';

const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });
const errors = {
  400: json(ErrorSchema, 'Invalid body or parameters (each field named)'),
  401: json(ErrorSchema, 'No credentials'),
  403: json(ErrorSchema, 'The role cannot do this (editor or above)'),
  404: json(ErrorSchema, 'No such workflow, version or backfill in this workspace'),
  409: json(ErrorSchema, 'The workflow has no active version (name one), or the backfill has ended'),
  422: json(ErrorSchema, 'The filter matches more than 100,000 leads (`filter`), or the preview is too big'),
};

const body = <T extends z.ZodType>(schema: T) => ({ body: { content: { 'application/json': { schema } }, required: true } });

const previewRoute = createRoute({
  method: 'post',
  path: '/preview',
  tags: ['backfills'],
  summary: "How many leads a backfill would take, and the backtest's counts by assignee for exactly that set",
  request: body(PreviewBodySchema),
  responses: { 200: json(PreviewSchema, 'The preview'), ...errors },
});

const startRoute = createRoute({
  method: 'post',
  path: '/',
  tags: ['backfills'],
  summary: 'Starts a backfill: each lead the filter matches now gets a new run pinned to the version',
  request: body(StartBodySchema),
  responses: { 202: json(BackfillSchema, 'The job, running'), ...errors },
});

const listRoute = createRoute({
  method: 'get',
  path: '/',
  tags: ['backfills'],
  summary: "The workspace's backfills, newest first",
  request: { query: ListBackfillsQuery },
  responses: { 200: json(BackfillListSchema, 'The jobs'), 400: errors[400], 401: errors[401], 403: errors[403] },
});

const getRoute = createRoute({
  method: 'get',
  path: '/{id}',
  tags: ['backfills'],
  summary: "One backfill's progress",
  request: { params: Params },
  responses: { 200: json(BackfillSchema, 'The job'), 401: errors[401], 403: errors[403], 404: errors[404] },
});

const moveRoute = (move: 'cancel' | 'pause' | 'resume') =>
  createRoute({
    method: 'post',
    path: `/{id}/${move}`,
    tags: ['backfills'],
    summary: { cancel: 'Cancels a backfill: leads not re-routed yet stay as they are', pause: 'Pauses a backfill', resume: 'Resumes a paused backfill' }[move],
    request: { params: Params },
    responses: { 200: json(BackfillSchema, 'The job'), 401: errors[401], 403: errors[403], 404: errors[404], 409: errors[409] },
  });

/** `/api/backfills`: preview, start, list, progress, cancel / pause / resume (docs/backfill.md). */
export function backfillsRoutes() {
  return new OpenAPIHono<AppEnv>()
    .openapi(previewRoute, async (c) => {
      const p = requireRole(c, 'editor');
      return c.json(await previewBackfill(c.get('deps'), p, c.req.valid('json')), 200);
    })
    .openapi(startRoute, async (c) => {
      const p = requireRole(c, 'editor');
      return c.json(await startBackfill(c.get('deps'), p, c.req.valid('json')), 202);
    })
    .openapi(listRoute, async (c) => {
      const p = requireRole(c, 'viewer');
      const q = c.req.valid('query');
      return c.json({ items: await listBackfills(c.get('deps'), p.workspaceId, { limit: q.limit, workflowId: q.workflow }) }, 200);
    })
    .openapi(getRoute, async (c) => {
      const p = requireRole(c, 'viewer');
      return c.json(await getBackfill(c.get('deps'), p.workspaceId, c.req.valid('param').id), 200);
    })
    .openapi(moveRoute('cancel'), async (c) => {
      const p = requireRole(c, 'editor');
      return c.json(await moveBackfill(c.get('deps'), p, c.req.valid('param').id, 'cancel'), 200);
    })
    .openapi(moveRoute('pause'), async (c) => {
      const p = requireRole(c, 'editor');
      return c.json(await moveBackfill(c.get('deps'), p, c.req.valid('param').id, 'pause'), 200);
    })
    .openapi(moveRoute('resume'), async (c) => {
      const p = requireRole(c, 'editor');
      return c.json(await moveBackfill(c.get('deps'), p, c.req.valid('param').id, 'resume'), 200);
    });
}
