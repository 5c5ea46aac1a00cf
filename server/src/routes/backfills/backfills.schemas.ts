import { z } from '@hono/zod-openapi';
import { Text } from '@lead-router/shared';
import { BACKFILL_STATUSES } from '@lead-router/db/backfill-schema';
import { MAX_BACKFILL_LEADS, PREVIEW_REPLAY_LEADS } from '../../services/backfill.service';
import { UUID_PATTERN } from '../../services/workflow-access';
import { ListQuery } from '../leads/leads.routes';

export { ErrorSchema } from '../leads/schemas';

/** The lead list's query (GET /api/leads) without its page, order and format: the leads a backfill takes. */
export const BackfillFilterSchema = ListQuery.omit({ limit: true, cursor: true, sort: true, order: true, format: true })
  .strict()
  .openapi('BackfillFilter', { description: "GET /api/leads' filter and search parameters (without limit, cursor, sort, order and format), as the lead list sends them" });

const Target = {
  workflowId: z.string().regex(UUID_PATTERN, 'must be a workflow id').openapi({ description: 'The workflow whose leads are sent through the version' }),
  version: z.number().int().min(1).optional().openapi({ description: 'The version number to send them through; the active one when left out' }),
  filter: BackfillFilterSchema.default({}),
};

export const PreviewBodySchema = z.object(Target).strict().openapi('BackfillPreviewBody');
export const StartBodySchema = z
  .object({ ...Target, note: Text(1000).optional().openapi({ description: "Kept with each lead's earlier run and in the audit log" }) })
  .strict()
  .openapi('BackfillStartBody');

export const PreviewSchema = z
  .object({
    workflowId: z.string(),
    version: z.object({ id: z.string(), number: z.number().int() }),
    activeVersion: z.number().int().nullable(),
    total: z.number().int().openapi({ description: `Leads the filter matches now (at most ${MAX_BACKFILL_LEADS.toLocaleString('en-US')})` }),
    replayed: z.number().int().openapi({ description: `Leads replayed for the counts: all, or the oldest ${PREVIEW_REPLAY_LEADS.toLocaleString('en-US')}` }),
    method: z.string().openapi({ description: 'How the counts were computed, in words' }),
    moved: z.number().int(),
    assignees: z.array(
      z.object({
        id: z.string().nullable(),
        type: z.enum(['rep', 'queue']).nullable(),
        name: z.string().nullable(),
        target: z.number().int().openapi({ description: 'Leads the target version gives them (the backtest replay)' }),
        active: z.number().int().nullable().openapi({ description: 'Leads the active version gives them; null when none is active' }),
        actual: z.number().int().openapi({ description: 'Leads they hold now' }),
      }),
    ),
    assumptions: z.array(z.object({ id: z.string(), text: z.string() })),
  })
  .openapi('BackfillPreview');

export const BackfillSchema = z
  .object({
    id: z.string(),
    workflowId: z.string(),
    workflowName: z.string().nullable(),
    versionId: z.string(),
    version: z.number().int(),
    filter: z.record(z.string(), z.string()),
    status: z.enum(BACKFILL_STATUSES),
    total: z.number().int(),
    done: z.number().int(),
    skipped: z.number().int(),
    skippedReasons: z.record(z.string(), z.number().int()).openapi({ description: 'Skipped leads by reason: still_routing (being routed when its turn came), not_found' }),
    rate: z.number().openapi({ description: 'Leads done or skipped per second since it started' }),
    etaSeconds: z.number().int().nullable(),
    createdBy: z.string(),
    createdByName: z.string(),
    note: z.string().nullable(),
    error: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    finishedAt: z.string().nullable(),
  })
  .openapi('Backfill');

export const BackfillListSchema = z.object({ items: z.array(BackfillSchema) }).openapi('BackfillList');

export const ListBackfillsQuery = z.object({
  workflow: z.string().regex(UUID_PATTERN, 'must be a workflow id').optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const Params = z.object({ id: z.string().openapi({ description: 'The backfill id' }) });
