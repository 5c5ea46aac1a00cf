import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { requireRole } from '../../auth/principal';
import type { AppEnv } from '../../http/context';
import { activateVersion, diffWorkflow, getVersion, listVersions, publishDraft } from '../../services/versions.service';
import {
  archiveWorkflow,
  createWorkflow,
  duplicateWorkflow,
  getDraft,
  getWorkflowDetail,
  listWorkflows,
  restoreWorkflow,
  saveDraft,
  updateWorkflow,
} from '../../services/workflows.service';
import {
  conflictResponse,
  CreateWorkflowBody,
  DiffQuery,
  DiffSchema,
  DraftSavedSchema,
  DraftSchema,
  errors,
  json,
  ListQuery,
  PublishBody,
  SaveDraftBody,
  unprocessableResponse,
  UpdateWorkflowBody,
  VersionDetailSchema,
  VersionParams,
  VersionSummarySchema,
  WorkflowDetailSchema,
  WorkflowIdParams,
  WorkflowSummarySchema,
} from './workflows.schemas';

const body = <T extends z.ZodType>(schema: T) => ({ body: { required: true, content: { 'application/json': { schema } } } });
const tags = ['workflows'];

/** The workflows themselves: list, create, read, rename, archive, restore, duplicate. */
function workflowRoutes() {
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

/** A workflow's draft: read and autosave. */
function draftRoutes() {
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
        const { db, now, log } = c.get('deps');
        return c.json(await saveDraft(db, p, c.req.valid('param').id, c.req.valid('json'), now(), log), 200);
      },
    );
}

/** Publishing and the published versions: publish, list, read, activate, diff. */
function versionRoutes() {
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
        const { db, now } = c.get('deps');
        return c.json(await publishDraft(db, p, c.req.valid('param').id, c.req.valid('json'), now()), 201);
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

/** Workflows, their draft and their published versions (mounted at `/api/workflows`). */
export function workflowsRoutes() {
  return new OpenAPIHono<AppEnv>().route('/', workflowRoutes()).route('/', draftRoutes()).route('/', versionRoutes());
}
