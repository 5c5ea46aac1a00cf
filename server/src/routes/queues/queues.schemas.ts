import { z } from '@hono/zod-openapi';
import { IdSchema, NotifyUrlSchema, Text } from '@lead-router/shared';
import { queueLeadCursor } from '../../services/cursor';
import { MAX_ASSIGN_LEADS } from '../../services/queue-work.service';
import { RunStatusSchema } from '../leads/schemas';

export { ErrorSchema } from '../leads/schemas';

const Instant = z.string().openapi({ description: 'ISO 8601 instant', example: '2026-05-01T09:30:00.000Z' });

export const QueueParams = z.object({ id: IdSchema.openapi({ description: 'The queue id (as in the directory)' }) });
export const QueueLeadParams = QueueParams.extend({ leadId: z.string().openapi({ description: 'The lead id' }) });

const NotifyChannelSchema = z
  .discriminatedUnion('channel', [
    z.object({ channel: z.enum(['slack', 'webhook']), url: NotifyUrlSchema.openapi({ description: 'The URL, or the workspace secret that holds it: {{secret.SLACK_QUEUE_ALERTS}}' }) }),
    z.object({ channel: z.literal('email'), address: z.email().max(320) }),
  ])
  .openapi('QueueNotifyChannel', { description: "Where the queue's age alerts go besides the in-app inbox" });

export const QueueSummarySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    count: z.number().int().openapi({ description: 'Leads the queue holds now' }),
    oldestQueuedAt: Instant.nullable(),
    oldestAgeMs: z.number().nullable().openapi({ description: 'How long the longest-waiting lead has been queued' }),
    ageAlertMinutes: z.number().int(),
    ageAlertIsDefault: z.boolean(),
    notify: NotifyChannelSchema.nullable().openapi({ description: 'Below admin, a URL written in plain text shows only its origin (scheme and host, then an ellipsis)' }),
    memberIds: z.array(z.string()).openapi({ description: "Reps who work the queue: their inboxes (and their managers') get its age alerts" }),
  })
  .openapi('QueueSummary');

export const QueueListSchema = z.object({ items: z.array(QueueSummarySchema) }).openapi('QueueList');

export const QueueLeadSchema = z
  .object({
    leadId: z.string(),
    name: z.string().nullable(),
    email: z.string().nullable(),
    company: z.string().nullable(),
    source: z.string().nullable().openapi({ description: "The lead's `leadSource`" }),
    score: z.number().nullable(),
    grade: z.string().nullable(),
    receivedAt: Instant,
    queuedAt: Instant.openapi({ description: 'When the lead entered the queue' }),
    ageMs: z.number().openapi({ description: 'How long it has been queued' }),
    status: RunStatusSchema,
    sla: z.object({ deadlineAt: Instant.nullable(), breached: z.boolean() }),
    workflow: z.object({ id: z.string(), name: z.string(), version: z.number().int().nullable() }),
  })
  .openapi('QueueLead');

export const QueueLeadListSchema = z
  .object({
    queue: z.object({ id: z.string(), name: z.string() }),
    sort: z.enum(['oldest', 'newest']),
    items: z.array(QueueLeadSchema),
    nextCursor: z.string().nullable(),
  })
  .openapi('QueueLeadList');

export const QueueLeadsQuery = z.object({
  sort: z.enum(['oldest', 'newest']).default('oldest').openapi({ description: 'By time in the queue: oldest (longest waiting) first, or newest' }),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: queueLeadCursor.param(),
});

const OverrideSchema = z
  .object({ reason: Text(500).trim().min(1, 'must say why the cap is overridden') })
  .openapi('CapOverride', { description: "A manager's override of the rep's cap; recorded with its reason" });

export const ClaimBodySchema = z
  .object({
    repId: IdSchema.optional().openapi({ description: "The rep who takes the lead: yourself by default; another rep's id needs a manager" }),
    override: OverrideSchema.optional(),
  })
  .strict();

export const AssignBodySchema = z
  .object({
    repId: IdSchema,
    leadIds: z.array(z.string().max(64)).min(1).max(MAX_ASSIGN_LEADS),
    override: OverrideSchema.optional(),
  })
  .strict();

const MovedSchema = z.object({
  leadId: z.string(),
  result: z.literal('assigned'),
  rep: z.object({ id: z.string(), name: z.string() }),
  queue: z.object({ id: z.string(), name: z.string() }),
  at: Instant,
  signalled: z.boolean().openapi({ description: 'True when the workflow still routing the lead was told; it goes on from the claim' }),
  override: z.object({ cap: z.enum(['open_leads', 'per_day', 'per_week', 'per_month', 'inactive']), reason: z.string(), message: z.string() }).nullable(),
});

export const ClaimResultSchema = MovedSchema.openapi('QueueClaim');

const MoveResultSchema = z.union([
  MovedSchema.extend({ path: z.string() }),
  z.object({
    leadId: z.string(),
    path: z.string(),
    result: z.literal('conflict'),
    message: z.string(),
    holder: z.object({ type: z.enum(['rep', 'queue']), id: z.string() }).nullable(),
  }),
  z.object({ leadId: z.string(), path: z.string(), result: z.literal('cap'), cap: z.enum(['open_leads', 'per_day', 'per_week', 'per_month', 'inactive']), message: z.string() }),
  z.object({ leadId: z.string(), path: z.string(), result: z.enum(['not_found', 'unavailable']), message: z.string() }),
]);

export const AssignResultSchema = z
  .object({
    rep: z.object({ id: z.string(), name: z.string() }),
    queue: z.object({ id: z.string(), name: z.string() }),
    results: z.array(MoveResultSchema).openapi({ description: "Each lead's result, in request order; `path` names its place in leadIds" }),
    counts: z.object({ assigned: z.number(), conflict: z.number(), cap: z.number(), not_found: z.number(), unavailable: z.number() }),
  })
  .openapi('QueueAssignment');

export const SettingsBodySchema = z
  .object({
    ageAlertMinutes: z.number().int().min(1).max(43_200).nullable().openapi({ description: 'Leads queued longer alert once; null for the default (60)' }),
    notify: NotifyChannelSchema.nullable(),
    memberIds: z.array(IdSchema).max(500).default([]),
  })
  .strict();
