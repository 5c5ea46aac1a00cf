import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { CRM_IMPORT_MAX_BYTES, CRM_IMPORT_MAX_ROWS } from '@lead-router/shared';
import { bodyLimit } from 'hono/body-limit';
import { requireRole } from '../../auth/principal';
import { DomainError } from '../../errors/domain-error';
import type { AppEnv } from '../../http/context';
import { validationHook } from '../../http/validation';
import { importBackfill } from '../../services/backfill-import.service';
import { csvText } from '../directory/common';
import { BackfillSchema, ErrorSchema } from './backfills.schemas';

const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });

// The test-run import's bound (request-guards.ts lists this route as bounding its own body).
const limit = bodyLimit({
  maxSize: CRM_IMPORT_MAX_BYTES,
  onError: () => {
    throw new DomainError('payload_too_large', `The file is larger than ${CRM_IMPORT_MAX_BYTES / 1024 / 1024} MiB; split it into smaller files and import each.`);
  },
});

const Query = z.object({
  version: z.coerce.number().int().positive().optional().openapi({ description: 'The version to route them through; the active one when left out' }),
  note: z.string().max(500).optional().openapi({ description: "The job's note (shown with each lead's run)" }),
  dryRun: z.enum(['true', 'false']).optional().openapi({ description: '`true`: read and count only, store nothing (the summary before starting)' }),
});

const ImportSchema = z
  .object({
    source: z.enum(['salesforce', 'hubspot', 'generic']),
    summary: z.string().openapi({ example: 'Recognised as a Salesforce export: 19 columns mapped, 2 ignored (Lead Owner, Rating)' }),
    columns: z.array(z.object({ index: z.int(), header: z.string(), field: z.string().nullable(), fieldLabel: z.string().nullable(), ignored: z.string().nullable() })),
    rows: z.int().openapi({ description: 'Data rows read' }),
    problems: z.array(z.object({ row: z.int(), column: z.string().nullable(), message: z.string() })).openapi({ description: 'Each bad cell or row, by row and column; its row is left out' }),
    notes: z.array(z.string()),
    leads: z.int().openapi({ description: 'Rows read into a lead' }),
    added: z.int().openapi({ description: 'Leads stored now' }),
    alreadyStored: z.int().openapi({ description: 'Leads the workflow already had (same CRM id, or same row): not stored again' }),
    toRoute: z.int().openapi({ description: 'Leads the backfill routes (on a dry run: that an import would store and route)' }),
    message: z.string(),
    backfill: BackfillSchema.nullable().openapi({ description: 'The job routing them; null on a dry run or when nothing is new' }),
  })
  .openapi('BackfillImport');

const importRoute = createRoute({
  method: 'post',
  path: '/{id}/backfills/import',
  tags: ['backfills'],
  summary: 'Stores the leads of a Salesforce or HubSpot export (or any CSV of leads) and routes them as a backfill',
  description:
    'The body is the CSV file (`Content-Type: text/csv`), read as `POST /workflows/{id}/test-leads/import` reads it. Its valid rows are stored as leads of the workflow, ' +
    'keyed by their CRM id (Lead ID, Record ID) or else by the row, so a file imported twice is stored once; they are not routed at once: a backfill job routes them, throttled. ' +
    `At most ${CRM_IMPORT_MAX_BYTES / 1024 / 1024} MiB and ${CRM_IMPORT_MAX_ROWS.toLocaleString('en-US')} rows.`,
  middleware: [limit] as const,
  request: { params: z.object({ id: z.string() }), query: Query, body: { required: true, content: { 'text/csv': { schema: z.string() } } } },
  responses: {
    200: json(ImportSchema, 'Dry run, or nothing new: what the file holds'),
    202: json(ImportSchema, 'Leads stored and the backfill started'),
    400: json(ErrorSchema, 'A bad parameter, or a file that is not CSV text'),
    401: json(ErrorSchema, 'No credentials'),
    403: json(ErrorSchema, 'The role cannot do this (editor or above)'),
    404: json(ErrorSchema, 'No such workflow in this workspace'),
    409: json(ErrorSchema, 'The workflow has no active version (name one)'),
    413: json(ErrorSchema, 'The file is larger than 5 MiB'),
    415: json(ErrorSchema, 'The body is not CSV'),
    422: json(ErrorSchema, '`invalid_import` (too many rows, no header...) or an unknown version'),
  },
});

/** `POST /api/workflows/{id}/backfills/import`: a CRM export stored and routed as a backfill (docs/backfill.md). */
export function backfillImportRoutes() {
  return new OpenAPIHono<AppEnv>({ defaultHook: validationHook }).openapi(importRoute, async (c) => {
    const p = requireRole(c, 'editor');
    const q = c.req.valid('query');
    const r = await importBackfill(c.get('deps'), p, c.req.valid('param').id, () => csvText(c), { version: q.version, note: q.note, dryRun: q.dryRun === 'true' });
    return c.json(r, r.backfill ? 202 : 200);
  });
}
