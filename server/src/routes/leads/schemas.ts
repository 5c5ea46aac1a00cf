import { z } from '@hono/zod-openapi';
import { IdSchema, LEAD_CLOSE_REASONS, LeadSchema, StoredTraceStepSchema, Text } from '@lead-router/shared';
import { MAX_REASON_LENGTH } from '../../services/lead-decision.service';
import { MAX_BULK_LEADS } from '../../services/leads-bulk.service';

/** The one error body. */
export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      details: z.array(z.object({ path: z.string(), message: z.string(), code: z.string().optional() })).optional(),
    }),
  })
  .openapi('Error');

export const RunStatusSchema = z.enum(['queued', 'running', 'waiting', 'completed', 'failed']);

const Instant = z.string().nullable().openapi({ description: 'ISO 8601 instant, or null when it has not happened', example: '2024-05-01T09:30:00.000Z' });

/** Who holds a lead: a rep or a queue, with its name when the directory still has it. */
export const AssigneeSchema = z
  .object({ type: z.enum(['rep', 'queue']), id: z.string(), name: z.string().nullable() })
  .nullable()
  .openapi('LeadAssignee');

/** When and why a lead was closed. */
export const LeadClosedSchema = z
  .object({
    at: z.string().openapi({ description: 'ISO 8601 instant it was closed' }),
    reason: z.string().openapi({ description: `One of ${LEAD_CLOSE_REASONS.join(', ')}` }),
    note: z.string().nullable(),
    by: z.string().openapi({ description: 'The rep id of the rep who closed it, or `user:<id>` / `key:<id>` for someone closing on their behalf' }),
    byName: z.string().openapi({ description: 'Who closed it, by name as it was then' }),
  })
  .nullable()
  .openapi('LeadClosed');

/** One lead in the list. */
export const LeadSummarySchema = z
  .object({
    leadId: z.string(),
    workflowId: z.string(),
    workflowName: z.string(),
    versionId: z.string(),
    version: z.number().int().nullable(),
    status: RunStatusSchema,
    assignee: AssigneeSchema,
    outcome: z.string().nullable(),
    receivedAt: z.string(),
    firstAssignedAt: Instant.openapi({ description: 'The first assignment: speed to lead runs from received to this; re-assignments never move it' }),
    assignedAt: Instant.openapi({ description: 'The latest (re)assignment: the SLA and assigned -> accepted run from this' }),
    acceptedAt: Instant,
    completedAt: Instant,
    deadlineAt: Instant.openapi({ description: 'While the run waits (an SLA): when the wait ends; null otherwise' }),
    closed: LeadClosedSchema.openapi({ description: "When and why its rep closed the lead (it no longer counts toward the rep's open leads); null while open" }),
    name: z.string().nullable(),
    email: z.string().nullable(),
    company: z.string().nullable(),
  })
  .openapi('LeadSummary');

export const LeadListSchema = z
  .object({ items: z.array(LeadSummarySchema), nextCursor: z.string().nullable().openapi({ description: 'Pass as `cursor` for the next page; null on the last' }) })
  .openapi('LeadList');

/** One lead with its run, data and timings. */
export const LeadDetailSchema = LeadSummarySchema.extend({
  temporalWorkflowId: z.string(),
  temporalUrl: z.string().nullable().openapi({ description: "Link to the run in Temporal's web UI, when TEMPORAL_UI_URL is configured" }),
  currentNodeId: z.string().nullable(),
  startedAt: Instant,
  idempotencyKey: z.string().nullable(),
  error: z.string().nullable().openapi({ description: 'Why the run failed, while its status is `failed` (`POST /api/leads/{id}/retry` routes it again); null otherwise' }),
  lead: LeadSchema,
  runNumber: z.number().int().openapi({ description: "1 for the lead's first run; each re-route starts the next" }),
  earlierRuns: z
    .array(
      z.object({
        runNumber: z.number().int(),
        versionId: z.string(),
        version: z.number().int().nullable(),
        status: z.string(),
        outcome: z.string().nullable(),
        assignee: AssigneeSchema,
        firstAssignedAt: Instant,
        acceptedAt: Instant,
        completedAt: Instant,
        closedAt: Instant,
        lastSeq: z.number().int().openapi({ description: "The run's last trace step: the next run's steps come after it" }),
        endedReason: z.string().openapi({ description: '`rerouted`, or `retried` (a failed run an operator retried)' }),
        endedAt: z.string(),
        endedBy: z.string().openapi({ description: '`user:<id>` / `key:<id>` of who re-routed or retried it' }),
        endedByName: z.string().openapi({ description: 'Their name as it was then' }),
        note: z.string().nullable(),
      }),
    )
    .openapi({ description: 'The earlier runs of a re-routed or retried lead, oldest first' }),
  timings: z.object({
    receivedToAssignedMs: z.number().nullable().openapi({ description: 'Speed to lead: received -> first assignment' }),
    assignedToAcceptedMs: z.number().nullable().openapi({ description: 'Latest (re)assignment -> accepted' }),
    receivedToAcceptedMs: z.number().nullable(),
    receivedToCompletedMs: z.number().nullable(),
  }),
}).openapi('LeadDetail');

/** One step of a real lead's trace, as the worker wrote it. */
export const TraceStepSchema = StoredTraceStepSchema.openapi('LeadTraceStep');

export const TraceSchema = z.object({ leadId: z.string(), steps: z.array(TraceStepSchema) }).openapi('LeadTrace');

// The reason travels in the signal and is stored in the trace as it is: whatever PostgreSQL cannot store
// (a NUL, a lone surrogate) is refused here, before anything is signalled.
export const DecisionBodySchema = z.object({
  reason: Text(MAX_REASON_LENGTH).optional().openapi({ description: `Why, in a few words (kept in the trace); at most ${MAX_REASON_LENGTH} characters, no NUL characters or broken Unicode` }),
});

export const RetrySchema = z
  .object({ leadId: z.string(), status: z.literal('queued'), versionId: z.string().openapi({ description: 'The version the run was pinned to, which the new run routes on' }) })
  .openapi('LeadRetry');

export const DecisionSchema = z.object({ leadId: z.string(), signal: z.enum(['accepted', 'rejected']), at: z.string() }).openapi('LeadDecision');

/** What closing a lead takes. */
export const CloseBodySchema = z.object({
  reason: z.enum(LEAD_CLOSE_REASONS).openapi({ description: 'Why the lead is closed' }),
  note: Text(MAX_REASON_LENGTH).optional().openapi({ description: `A note, at most ${MAX_REASON_LENGTH} characters` }),
});

export const CloseSchema = z
  .object({ leadId: z.string(), closed: LeadClosedSchema.unwrap(), releasedRep: z.string().nullable().openapi({ description: 'The rep whose open-lead count went down by one, if any' }) })
  .openapi('LeadClose');

/** What re-routing a lead takes. */
export const RerouteBodySchema = z.object({
  version: z.number().int().min(1).optional().openapi({ description: "The version of the lead's workflow to route it through; the active one when left out" }),
  note: Text(MAX_REASON_LENGTH).optional().openapi({ description: `Why, at most ${MAX_REASON_LENGTH} characters (kept with the earlier run and in the audit log)` }),
});

export const RerouteSchema = z
  .object({ leadId: z.string(), status: z.literal('queued'), versionId: z.string(), version: z.number().int(), runNumber: z.number().int() })
  .openapi('LeadReroute');

const BulkLeadIds = z.array(z.string().max(64)).min(1).max(MAX_BULK_LEADS).openapi({ description: `1 to ${MAX_BULK_LEADS} lead ids` });
const CapSchema = z.enum(['open_leads', 'per_day', 'per_week', 'per_month', 'inactive']);

/** What a bulk action takes: the action, the leads, and what the action needs. */
export const BulkBodySchema = z
  .discriminatedUnion('action', [
    z.object({ action: z.literal('reroute'), leadIds: BulkLeadIds, version: RerouteBodySchema.shape.version, note: RerouteBodySchema.shape.note }).strict(),
    z
      .object({
        action: z.literal('assign'),
        leadIds: BulkLeadIds,
        repId: IdSchema.openapi({ description: 'The rep the queued leads go to' }),
        override: z.object({ reason: Text(500).trim().min(1, 'must say why the cap is overridden') }).optional().openapi({ description: "A manager's override of the rep's cap, recorded with its reason" }),
      })
      .strict(),
    z.object({ action: z.literal('claim'), leadIds: BulkLeadIds }).strict(),
  ])
  .openapi('LeadBulkRequest');

const BulkBase = { leadId: z.string(), path: z.string().openapi({ description: 'Its place in the request: `leadIds.3`' }), message: z.string().nullable() };

export const BulkAnswerSchema = z
  .object({
    action: z.enum(['reroute', 'assign', 'claim']),
    results: z.array(
      z.union([
        z.object({ ...BulkBase, result: z.literal('rerouted'), version: z.number().int(), runNumber: z.number().int() }),
        z.object({
          ...BulkBase,
          result: z.literal('assigned'),
          rep: z.object({ id: z.string(), name: z.string() }),
          queue: z.object({ id: z.string(), name: z.string() }),
          override: z.object({ cap: CapSchema, reason: z.string() }).nullable(),
        }),
        z.object({ ...BulkBase, result: z.literal('cap'), cap: CapSchema }),
        z.object({ ...BulkBase, result: z.enum(['conflict', 'not_found', 'unavailable']) }),
        z.object({ ...BulkBase, result: z.literal('refused'), code: z.string().openapi({ description: 'Why: `still_routing`, `not_published`, `unknown_reference`, ...' }) }),
      ]),
    ),
    counts: z.object({ rerouted: z.number(), assigned: z.number(), conflict: z.number(), cap: z.number(), not_found: z.number(), unavailable: z.number(), refused: z.number() }),
  })
  .openapi('LeadBulkAnswer');
