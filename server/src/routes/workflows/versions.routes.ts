import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { requireRole } from '../../auth/principal';
import type { AppEnv } from '../../http/context';
import { activateVersion, diffWorkflow, getVersion, listVersions, publishDraft } from '../../services/versions.service';
import {
  body,
  conflictResponse,
  DiffQuery,
  DiffSchema,
  errors,
  json,
  PublishBody,
  tags,
  unprocessableResponse,
  VersionDetailSchema,
  VersionParams,
  VersionSummarySchema,
  WorkflowIdParams,
} from './workflows.schemas';

/** Published versions: publish the draft, list and read versions, make one active (rollback), diff two. */
export function versionsRoutes() {
  return new OpenAPIHono<AppEnv>()
    .openapi(
      createRoute({
        method: 'post',
        path: '/{id}/publish',
        tags,
        summary: 'Publish the draft as the next version and make it active',
        request: { params: WorkflowIdParams, ...body(PublishBody) },
        responses: { 201: json(VersionSummarySchema, 'The new version'), ...errors, 409: conflictResponse, 422: unprocessableResponse },
      }),
      async (c) => {
        const p = requireRole(c, 'publisher');
        const { db, now, simulations } = c.get('deps');
        return c.json(await publishDraft(db, simulations, p, c.req.valid('param').id, c.req.valid('json'), now()), 201);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/{id}/versions',
        tags,
        summary: 'Published versions, newest first',
        request: { params: WorkflowIdParams },
        responses: { 200: json(z.object({ versions: z.array(VersionSummarySchema) }), 'The versions'), ...errors },
      }),
      async (c) => {
        const p = requireRole(c, 'viewer');
        return c.json({ versions: await listVersions(c.get('deps').db, p.workspaceId, c.req.valid('param').id) }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/{id}/versions/{n}',
        tags,
        summary: 'One version with its graph and plan',
        request: { params: VersionParams },
        responses: { 200: json(VersionDetailSchema, 'The version'), ...errors },
      }),
      async (c) => {
        const p = requireRole(c, 'viewer');
        const { id, n } = c.req.valid('param');
        return c.json(await getVersion(c.get('deps').db, p.workspaceId, id, n), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/{id}/versions/{n}/activate',
        tags,
        summary: 'Make a version the active one (rollback)',
        request: { params: VersionParams },
        responses: { 200: json(VersionSummarySchema, 'The now active version'), ...errors, 409: conflictResponse },
      }),
      async (c) => {
        const p = requireRole(c, 'publisher');
        const { db, now } = c.get('deps');
        const { id, n } = c.req.valid('param');
        return c.json(await activateVersion(db, p, id, n, now()), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/{id}/diff',
        tags,
        summary: 'What changed between two versions, or a version and the draft',
        request: { params: WorkflowIdParams, query: DiffQuery },
        responses: { 200: json(DiffSchema, 'The differences'), ...errors },
      }),
      async (c) => {
        const p = requireRole(c, 'viewer');
        const { id } = c.req.valid('param');
        return c.json(await diffWorkflow(c.get('deps').db, p.workspaceId, id, c.req.valid('query')), 200);
      },
    );
}
