import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { CRM_IMPORT_MAX_BYTES, CRM_IMPORT_MAX_CELL, CRM_IMPORT_MAX_COLUMNS, CRM_IMPORT_MAX_ROWS, LeadSchema } from '@lead-router/shared';
import { bodyLimit } from 'hono/body-limit';
import { requireRole } from '../../auth/principal';
import { DomainError } from '../../errors/domain-error';
import type { AppEnv } from '../../http/context';
import { validationHook } from '../../http/validation';
import { importTestLeads } from '../../services/test-leads-import.service';
import { csvText } from '../directory/common';
import { errors, json, WorkflowIdParams } from './test-runs.schemas';

const n = (x: number) => x.toLocaleString('en-US');

const limit = bodyLimit({
  maxSize: CRM_IMPORT_MAX_BYTES,
  onError: () => {
    throw new DomainError('payload_too_large', `The file is larger than ${CRM_IMPORT_MAX_BYTES / 1024 / 1024} MiB; split it into smaller files and import each.`);
  },
});

const ColumnSchema = z.object({
  index: z.int().openapi({ description: '0-based position in the header row' }),
  header: z.string(),
  field: z.string().nullable().openapi({ description: 'The lead field it fills; null when ignored' }),
  fieldLabel: z.string().nullable(),
  ignored: z.string().nullable().openapi({ description: 'Why the column is left out (null when it fills a field)' }),
});

const ImportSchema = z
  .object({
    source: z.enum(['salesforce', 'hubspot', 'generic']).openapi({ description: 'What the header row looks like' }),
    summary: z.string().openapi({ example: 'Recognised as a Salesforce export: 14 columns mapped, 2 ignored (Lead Owner, Rating)' }),
    columns: z.array(ColumnSchema),
    rows: z.int().openapi({ description: 'Data rows read (a Salesforce report footer not counted)' }),
    leads: z.array(z.object({ row: z.int(), lead: LeadSchema })).openapi({ description: 'One lead per row without a problem, typed and validated as ingestion does' }),
    problems: z
      .array(z.object({ row: z.int(), column: z.string().nullable(), message: z.string() }))
      .openapi({ description: 'Each cell or row that could not be read (its row is left out); row 0 is the header or a whole column' }),
    notes: z.array(z.string()).openapi({ description: 'How something was read, worth knowing (a footer skipped, ranges read as their lowest value)' }),
  })
  .openapi('TestLeadsImport');

const importRoute = createRoute({
  method: 'post',
  path: '/{id}/test-leads/import',
  tags: ['test runs'],
  summary: 'Read a Salesforce or HubSpot export (or any CSV of leads) into test leads; nothing is stored',
  description:
    'The body is the CSV file itself (`Content-Type: text/csv`; UTF-8, a byte-order mark and Excel\'s semicolons are fine). Columns are recognised by the ' +
    "vendors' UI labels and API names and by the workspace's field keys and labels; the rest are listed as ignored. " +
    `At most ${CRM_IMPORT_MAX_BYTES / 1024 / 1024} MiB, ${n(CRM_IMPORT_MAX_ROWS)} rows, ${CRM_IMPORT_MAX_COLUMNS} columns and ${n(CRM_IMPORT_MAX_CELL)} characters a cell.`,
  middleware: [limit] as const,
  request: { params: WorkflowIdParams, body: { required: true, content: { 'text/csv': { schema: z.string().openapi({ example: 'First Name,Last Name,Email,No. of Employees\nAna,Diaz,ana@acme.com,"1,200"' }) } } } },
  responses: {
    200: json(ImportSchema, 'The leads read, how each column was read, and every problem'),
    ...errors,
    413: json(z.object({ error: z.object({ code: z.string(), message: z.string() }) }), 'The file is larger than 5 MiB (`payload_too_large`)'),
    415: json(z.object({ error: z.object({ code: z.string(), message: z.string() }) }), 'The body is not CSV'),
    422: json(z.object({ error: z.object({ code: z.string(), message: z.string() }) }), '`invalid_import`: too many rows or columns, no header, or no column a lead field'),
  },
});

/** `POST /api/workflows/{id}/test-leads/import`: a CRM export read into test leads. */
export function testLeadsImportRoutes() {
  return new OpenAPIHono<AppEnv>({ defaultHook: validationHook }).openapi(importRoute, async (c) => {
    const p = requireRole(c, 'editor');
    const { id } = c.req.valid('param');
    return c.json(await importTestLeads(c.get('deps').db, p.workspaceId, id, () => csvText(c)), 200);
  });
}
