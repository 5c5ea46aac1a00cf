import { z } from '@hono/zod-openapi';
import { ProblemSchema as SharedProblemSchema, Text, type Graph, type Plan } from '@lead-router/shared';

// Graph and plan are described as plain objects here: the shared graph schema is recursive, which the
// OpenAPI generator cannot walk, and graph documents are checked by the shared parser (with messages
// authors understand), not by the request validator.

/** A graph document (see the shared graph schema). */
export const GraphDocSchema = z.custom<Graph>(() => true).openapi({ type: 'object', description: 'A routing graph document: { schemaVersion, nodes, edges }.' });
/** A compiled plan. */
export const PlanDocSchema = z.custom<Plan>(() => true).openapi({ type: 'object', description: 'The compiled plan the interpreter runs.' });

export const ErrorSchema = z
  .object({ error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }) })
  .openapi('Error');

const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });
const err = (description: string) => json(ErrorSchema, description);

/** The error responses most routes share. */
export const errors = {
  400: err('The request is not valid; every field problem is listed'),
  401: err('No credentials'),
  403: err('The role is too low'),
  404: err('No such workflow (or version) in this workspace'),
} as const;
export const conflictResponse = err('Conflict (archived workflow, stale draft revision)');
export const unprocessableResponse = err('The draft cannot be published (invalid graph, failing golden leads)');
export { json };

/** A required JSON request body. */
export const body = <T extends z.ZodType>(schema: T) => ({ body: { required: true, content: { 'application/json': { schema } } } });
export const tags = ['workflows'];

export const ProblemSchema = SharedProblemSchema.openapi('GraphProblem');

export const WorkflowIdParams = z.object({ id: z.string().openapi({ param: { name: 'id', in: 'path' }, example: '0f8fad5b-d9cb-469f-a165-70867728950e' }) });

// Versions are int4 in the database: a larger number is a client mistake (400), never a database error.
const VersionNumber = z
  .string()
  .regex(/^[1-9][0-9]*$/, 'must be a version number: a positive integer')
  .refine((s) => Number(s) <= 2_147_483_647, 'is too large to be a version number')
  .transform(Number);

export const VersionParams = WorkflowIdParams.extend({ n: VersionNumber.openapi({ param: { name: 'n', in: 'path' }, example: '3' }) });

export const ListQuery = z.object({
  archived: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => v === 'true')
    .openapi({ param: { name: 'archived', in: 'query' }, description: 'Include archived workflows (default false)' }),
});

export const DiffQuery = z.object({
  from: VersionNumber.optional().openapi({ param: { name: 'from', in: 'query' }, description: 'A version number; default the active version' }),
  to: z
    .union([z.literal('draft'), VersionNumber])
    .optional()
    .openapi({ param: { name: 'to', in: 'query' }, description: 'A version number or `draft` (default)' }),
});

const Name = Text(200).trim().min(1, 'must not be empty');
const Description = Text(2000);

export const CreateWorkflowBody = z.object({ name: Name, description: Description.optional(), graph: GraphDocSchema.optional() }).openapi('CreateWorkflow');
export const UpdateWorkflowBody = z.object({ name: Name.optional(), description: Description.optional() }).openapi('UpdateWorkflow');
export const SaveDraftBody = z.object({ graph: GraphDocSchema, revision: z.number().int().min(1).max(2_147_483_647) }).openapi('SaveDraft');
export const PublishBody = z
  .object({ note: Text(2000).trim().min(1, 'say what changed in this version'), force: z.boolean().optional() })
  .openapi('Publish');

export const WorkflowSummarySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string(),
    status: z.enum(['draft_only', 'active', 'archived']),
    activeVersion: z.number().int().nullable(),
    lastPublishedAt: z.string().nullable(),
    leadsRoutedToday: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
    archivedAt: z.string().nullable(),
  })
  .openapi('WorkflowSummary');

export const WorkflowDetailSchema = WorkflowSummarySchema.extend({
  activeVersionId: z.string().nullable(),
  draftRevision: z.number().int(),
  webhookSecret: z.string().optional().openapi({ description: 'The HMAC secret for signed webhooks; admins only' }),
}).openapi('Workflow');

const ActorSchema = z.object({ id: z.string(), name: z.string() });

export const DraftSchema = z
  .object({ graph: GraphDocSchema, revision: z.number().int(), updatedAt: z.string(), updatedBy: ActorSchema.nullable(), problems: z.array(ProblemSchema) })
  .openapi('Draft');

export const GoldenResultSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    passed: z.boolean(),
    expected: z.object({ assignee: z.string().optional(), team: z.string().optional(), node: z.string().optional(), outcome: z.string().optional() }),
    actual: z.object({ assignee: z.string().nullable(), outcome: z.string(), path: z.array(z.string()) }),
    message: z.string(),
  })
  .openapi('GoldenResult');

export const DraftSavedSchema = z
  .object({
    revision: z.number().int(),
    problems: z.array(ProblemSchema),
    golden: z.union([z.array(GoldenResultSchema), z.object({ skipped: z.literal(true), reason: z.string() })]),
  })
  .openapi('DraftSaved');

export const VersionSummarySchema = z
  .object({
    id: z.string(),
    number: z.number().int(),
    checksum: z.string(),
    authorId: z.string().nullable(),
    authorName: z.string(),
    note: z.string(),
    createdAt: z.string(),
    active: z.boolean(),
  })
  .openapi('VersionSummary');

export const VersionDetailSchema = VersionSummarySchema.extend({ graph: GraphDocSchema, plan: PlanDocSchema }).openapi('Version');

const NodeRefSchema = z.object({ id: z.string(), type: z.string(), label: z.string() });
const EdgeSchema = z.object({ id: z.string(), source: z.string(), sourceHandle: z.string(), target: z.string() });

export const DiffSchema = z
  .object({
    from: z.number().int().nullable().openapi({ description: 'The version compared from; null for the empty graph (nothing published)' }),
    to: z.union([z.number().int(), z.literal('draft')]),
    nodes: z.object({
      added: z.array(NodeRefSchema),
      removed: z.array(NodeRefSchema),
      changed: z.array(
        NodeRefSchema.extend({
          changes: z.array(z.object({ path: z.string(), kind: z.enum(['added', 'removed', 'changed']), before: z.unknown(), after: z.unknown(), text: z.string() })),
          positionOnly: z.boolean(),
        }),
      ),
    }),
    edges: z.object({ added: z.array(EdgeSchema), removed: z.array(EdgeSchema) }),
    summary: z.object({
      nodesAdded: z.number().int(),
      nodesRemoved: z.number().int(),
      nodesChanged: z.number().int(),
      nodesMoved: z.number().int(),
      edgesAdded: z.number().int(),
      edgesRemoved: z.number().int(),
      identical: z.boolean(),
    }),
  })
  .openapi('GraphDiff');
