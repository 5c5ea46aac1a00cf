import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { requireRole } from '../../auth/principal';
import type { AppEnv } from '../../http/context';
import { archiveWorkflow, createWorkflow, duplicateWorkflow, getWorkflowDetail, listWorkflows, restoreWorkflow, updateWorkflow } from '../../services/workflows.service';
import { draftRoutes } from './draft.routes';
import { triggerRoutes } from './trigger.routes';
import { versionsRoutes } from './versions.routes';
import {
  body,
  conflictResponse,
  CreateWorkflowBody,
  errors,
  json,
  ListQuery,
  tags,
  UpdateWorkflowBody,
  WorkflowDetailSchema,
  WorkflowIdParams,
  WorkflowSummarySchema,
} from './workflows.schemas';

/** Workflows, their draft and their published versions (mounted at `/api/workflows`). */
export function workflowsRoutes() {
  return new OpenAPIHono<AppEnv>().route('/', lifecycleRoutes()).route('/', draftRoutes()).route('/', versionsRoutes()).route('/', triggerRoutes());
}

/** A workflow's life: list, create, read, rename, archive, restore, duplicate. */
function lifecycleRoutes() {
  return new OpenAPIHono<AppEnv>()
    .openapi(
      createRoute({
        method: 'get',
        path: '/',
        tags,
        summary: "The workspace's workflows",
        request: { query: ListQuery },
        responses: { 200: json(z.object({ workflows: z.array(WorkflowSummarySchema) }), 'The workflows, most recently changed first'), 400: errors[400], 401: errors[401], 403: errors[403] },
      }),
      async (c) => {
        const p = requireRole(c, 'viewer');
        const { db, now } = c.get('deps');
        const { archived } = c.req.valid('query');
        return c.json({ workflows: await listWorkflows(db, p.workspaceId, { archived, now: now() }) }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/',
        tags,
        summary: 'Create a workflow with its draft',
        request: body(CreateWorkflowBody),
        responses: { 201: json(WorkflowDetailSchema, 'The new workflow'), 400: errors[400], 401: errors[401], 403: errors[403] },
      }),
      async (c) => {
        const p = requireRole(c, 'editor');
        const { db, now } = c.get('deps');
        return c.json(await createWorkflow(db, p, c.req.valid('json'), now()), 201);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/{id}',
        tags,
        summary: 'One workflow',
        request: { params: WorkflowIdParams },
        responses: { 200: json(WorkflowDetailSchema, 'The workflow'), ...errors },
      }),
      async (c) => {
        const p = requireRole(c, 'viewer');
        const { db, now } = c.get('deps');
        return c.json(await getWorkflowDetail(db, p, c.req.valid('param').id, now()), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'patch',
        path: '/{id}',
        tags,
        summary: 'Rename a workflow or change its description',
        request: { params: WorkflowIdParams, ...body(UpdateWorkflowBody) },
        responses: { 200: json(WorkflowDetailSchema, 'The workflow'), ...errors, 409: conflictResponse },
      }),
      async (c) => {
        const p = requireRole(c, 'editor');
        const { db, now } = c.get('deps');
        return c.json(await updateWorkflow(db, p, c.req.valid('param').id, c.req.valid('json'), now()), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'delete',
        path: '/{id}',
        tags,
        summary: 'Archive a workflow (idempotent)',
        request: { params: WorkflowIdParams },
        responses: { 200: json(WorkflowDetailSchema, 'The archived workflow'), ...errors },
      }),
      async (c) => {
        const p = requireRole(c, 'publisher');
        const { db, now } = c.get('deps');
        return c.json(await archiveWorkflow(db, p, c.req.valid('param').id, now()), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/{id}/restore',
        tags,
        summary: 'Restore an archived workflow',
        request: { params: WorkflowIdParams },
        responses: { 200: json(WorkflowDetailSchema, 'The restored workflow'), ...errors },
      }),
      async (c) => {
        const p = requireRole(c, 'publisher');
        const { db, now } = c.get('deps');
        return c.json(await restoreWorkflow(db, p, c.req.valid('param').id, now()), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/{id}/duplicate',
        tags,
        summary: "A new workflow with a copy of this one's draft",
        request: { params: WorkflowIdParams },
        responses: { 201: json(WorkflowDetailSchema, 'The copy'), ...errors },
      }),
      async (c) => {
        const p = requireRole(c, 'editor');
        const { db, now } = c.get('deps');
        return c.json(await duplicateWorkflow(db, p, c.req.valid('param').id, now()), 201);
      },
    );
}
