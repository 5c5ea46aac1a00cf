import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { requireRole } from '../../auth/principal';
import type { AppEnv } from '../../http/context';
import { getDraft, saveDraft } from '../../services/workflows.service';
import { body, conflictResponse, DraftSavedSchema, DraftSchema, errors, json, SaveDraftBody, tags, WorkflowIdParams } from './workflows.schemas';

/** A workflow's one draft: `/{id}/draft`, read with its problems, saved against its revision. */
export function draftRoutes() {
  return new OpenAPIHono<AppEnv>()
    .openapi(
      createRoute({
        method: 'get',
        path: '/{id}/draft',
        tags,
        summary: 'The draft, its revision and its problems',
        request: { params: WorkflowIdParams },
        responses: { 200: json(DraftSchema, 'The draft'), ...errors },
      }),
      async (c) => {
        const p = requireRole(c, 'viewer');
        return c.json(await getDraft(c.get('deps').db, p.workspaceId, c.req.valid('param').id), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'put',
        path: '/{id}/draft',
        tags,
        summary: 'Save the draft (refused with 409 when someone saved since `revision`)',
        request: { params: WorkflowIdParams, ...body(SaveDraftBody) },
        responses: { 200: json(DraftSavedSchema, 'Saved: the new revision, the problems and the golden leads'), ...errors, 409: conflictResponse },
      }),
      async (c) => {
        const p = requireRole(c, 'editor');
        const { db, now, log, simulations } = c.get('deps');
        return c.json(await saveDraft(db, simulations, p, c.req.valid('param').id, c.req.valid('json'), now(), log), 200);
      },
    );
}
