import { z } from '@hono/zod-openapi';
import { UUID_PATTERN } from '../../services/workflow-access';
import { BUCKETS } from '../../services/analytics-range';

const Instant = z.iso.datetime({ offset: true });
const Ms = z.number().nullable().openapi({ description: 'Milliseconds; null when nothing was counted' });
const Rate = z.number().nullable().openapi({ description: 'A fraction 0..1; null over nothing' });

/** The query every section takes. */
export const AnalyticsQuerySchema = z.object({
  workflowId: z.string().regex(UUID_PATTERN, 'must be a workflow id').openapi({ description: 'The workflow whose leads are counted' }),
  from: Instant.optional().openapi({ description: 'Leads received at or after (ISO 8601); default 30 days before `to`' }),
  to: Instant.optional().openapi({ description: 'Leads received before (ISO 8601); default now, rounded up to the hour. At most 400 days after `from`' }),
  bucket: z.enum(BUCKETS).optional().openapi({ description: 'The bucket of the figures over time; default hour up to 2 days, day up to 90 days, week beyond' }),
  format: z.enum(['json', 'csv']).default('json').openapi({ description: '`csv`: one table of the section as CSV (RFC 4180; cells starting with = + - @ are prefixed with \')' }),
  table: z.string().max(100).optional().openapi({ description: 'With format=csv: which table of the section (default its first)' }),
});

/** The leads behind a figure: the query parameters of `GET /api/leads` that list them. */
export const LeadFilterSchema = z
  .object({
    workflow: z.string(),
    since: z.string(),
    until: z.string(),
    status: z.string().optional(),
    assignee: z.string().optional(),
    firstAssignee: z.string().optional(),
    assignedTo: z.string().optional(),
    assignedBy: z.string().optional(),
    waitedOn: z.string().optional(),
    waitOutcome: z.string().optional(),
    passedOver: z.string().optional(),
    passedReason: z.string().optional(),
    throughNode: z.string().optional(),
    nodeOutcome: z.string().optional(),
  })
  .openapi('AnalyticsLeadFilter', { description: 'Pass as the query of GET /api/leads to list the leads behind the figure' });

const Head = {
  workflow: z.object({ id: z.string(), name: z.string() }),
  range: z.object({ from: z.string(), to: z.string(), bucket: z.enum(BUCKETS), bucketMs: z.number() }),
  source: z.enum(['rows', 'rollups']).openapi({
    description:
      'rows: every figure from the rows of the range. rollups (ranges over 31 days with day or week buckets): the whole UTC days from per-day rollups, the partial days at the ends from the rows; buckets then start at UTC midnight (the first one cut at `from`)',
  }),
  precision: z.enum(['exact', 'approximate']).openapi({ description: 'approximate: the percentiles came from the rollups’ histograms (show them as ≈); counts are exact either way' }),
  maxRelativeError: z.number().openapi({ description: 'How far an approximate percentile may be from the exact one, relatively (0.0198); 0 when exact' }),
};

const Percentiles = { count: z.number().int(), p50Ms: Ms, p90Ms: Ms, p99Ms: Ms };
const Bucket = { bucketStart: z.string(), bucketEnd: z.string() };
const Metric = z.enum(['first_assignment', 'accepted', 'first_contact']);
const Clock = z.enum(['wall', 'working']).openapi({ description: 'wall: elapsed time; working: only the time inside the rep’s working hours (their zone)' });

export const SpeedRowSchema = z.object({ metric: Metric, clock: Clock, ...Percentiles, leads: LeadFilterSchema });
export const SpeedBucketRowSchema = z.object({ ...Bucket, metric: Metric, clock: Clock, ...Percentiles, leads: LeadFilterSchema });
export const SpeedToLeadSchema = z
  .object({ ...Head, summary: z.array(SpeedRowSchema), overTime: z.array(SpeedBucketRowSchema) })
  .openapi('AnalyticsSpeedToLead', { description: 'Received -> first assignment, -> accepted, -> first contact: p50/p90/p99, overall and per bucket' });

const SlaCounts = { waits: z.number().int(), met: z.number().int(), breached: z.number().int(), rejected: z.number().int(), metRate: Rate, breachRate: Rate };
export const SlaRepRowSchema = z.object({ repId: z.string(), repName: z.string().nullable(), ...SlaCounts, leads: LeadFilterSchema, breachedLeads: LeadFilterSchema });
export const SlaTeamRowSchema = z.object({ teamId: z.string(), teamName: z.string(), ...SlaCounts });
export const SlaLeadRowSchema = z.object({
  leads: z.number().int(),
  leadsMet: z.number().int(),
  leadsBreached: z.number().int(),
  reassignments: z.number().int(),
  leadsReassigned: z.number().int(),
  escalations: z.number().int(),
  leadsEscalated: z.number().int(),
  reassignmentsPerLead: z.number().nullable(),
  escalationsPerLead: z.number().nullable(),
});
export const ReassignmentRowSchema = z.object({ reassignments: z.number().int().openapi({ description: '0, 1, 2, or 3 for 3 or more' }), leads: z.number().int() });
export const SlaSchema = z
  .object({ ...Head, byRep: z.array(SlaRepRowSchema), byTeam: z.array(SlaTeamRowSchema), perLead: z.array(SlaLeadRowSchema), reassignmentDistribution: z.array(ReassignmentRowSchema) })
  .openapi('AnalyticsSla', { description: 'Each wait is met (answered in time), breached (timed out) or rejected; per rep waited on, per team, and per lead' });

export const AcceptanceRowSchema = z.object({
  repId: z.string(),
  repName: z.string().nullable(),
  offered: z.number().int(),
  accepted: z.number().int(),
  rejected: z.number().int(),
  timedOut: z.number().int(),
  acceptanceRate: Rate,
  rejectionRate: Rate,
  ...Percentiles,
  leads: LeadFilterSchema,
  acceptedLeads: LeadFilterSchema,
  rejectedLeads: LeadFilterSchema,
});
export const AcceptanceSchema = z
  .object({ ...Head, byRep: z.array(AcceptanceRowSchema) })
  .openapi('AnalyticsAcceptance', { description: 'Per rep: waits offered, accepted, rejected, timed out; time to accept (count, p50/p90/p99 of accepted waits)' });

export const FairnessRowSchema = z.object({
  nodeId: z.string(),
  nodeLabel: z.string().nullable(),
  poolKey: z.string().nullable(),
  poolName: z.string().nullable(),
  repId: z.string(),
  repName: z.string().nullable(),
  weight: z.number().nullable(),
  expectedShare: Rate,
  expectedLeads: z.number().nullable(),
  actualLeads: z.number().int(),
  actualShare: Rate,
  deviationPoints: z.number().nullable().openapi({ description: 'Actual share less expected share, in percentage points' }),
  leads: LeadFilterSchema,
});
export const FairnessBucketRowSchema = z.object({ ...Bucket, nodeId: z.string(), repId: z.string(), repName: z.string().nullable(), leads: z.number().int(), filter: LeadFilterSchema });
export const PassedOverRowSchema = z.object({
  nodeId: z.string(),
  nodeLabel: z.string().nullable(),
  repId: z.string(),
  repName: z.string().nullable(),
  verdict: z.string().openapi({ description: 'Why: out_of_office, outside_working_hours, over_daily_cap, over_open_cap, missing_skill, inactive, ...' }),
  times: z.number().int(),
  leads: LeadFilterSchema,
});
export const FairnessSchema = z
  .object({ ...Head, byRep: z.array(FairnessRowSchema), overTime: z.array(FairnessBucketRowSchema), passedOver: z.array(PassedOverRowSchema) })
  .openapi('AnalyticsFairness', { description: 'Per assign node and pool: leads per rep against the pool’s weights; over time; why reps were passed over' });

export const PathRowSchema = z.object({
  nodeId: z.string(),
  nodeType: z.string(),
  nodeLabel: z.string().nullable(),
  outcome: z.string().nullable(),
  next: z.string().nullable(),
  nextLabel: z.string().nullable(),
  steps: z.number().int(),
  leads: LeadFilterSchema,
});
export const PathsSchema = z
  .object({ ...Head, days: z.object({ first: z.string(), last: z.string() }), edges: z.array(PathRowSchema) })
  .openapi('AnalyticsPaths', { description: 'Steps per node, outcome and next node (the canvas’s edges), counted per whole UTC day of receipt' });

export const QueueRowSchema = z.object({
  queueId: z.string(),
  queueName: z.string().nullable(),
  inflow: z.number().int(),
  holding: z.number().int(),
  oldestAgeMs: Ms,
  p50AgeMs: Ms,
  p90AgeMs: Ms,
  leads: LeadFilterSchema,
});
export const QueueBucketRowSchema = z.object({ ...Bucket, queueId: z.string(), queueName: z.string().nullable(), inflow: z.number().int(), leads: LeadFilterSchema });
export const QueuesSchema = z
  .object({ ...Head, byQueue: z.array(QueueRowSchema), inflowOverTime: z.array(QueueBucketRowSchema) })
  .openapi('AnalyticsQueues', { description: 'Leads sent to each queue (inflow) and the leads each holds now, with their age since they were queued' });

/** Each section's tables, by name, with their row schemas: the CSV export's columns come from here. */
export const SECTION_TABLES = {
  'speed-to-lead': { summary: SpeedRowSchema, overTime: SpeedBucketRowSchema },
  sla: { byRep: SlaRepRowSchema, byTeam: SlaTeamRowSchema, perLead: SlaLeadRowSchema, reassignmentDistribution: ReassignmentRowSchema },
  acceptance: { byRep: AcceptanceRowSchema },
  fairness: { byRep: FairnessRowSchema, overTime: FairnessBucketRowSchema, passedOver: PassedOverRowSchema },
  paths: { edges: PathRowSchema },
  queues: { byQueue: QueueRowSchema, inflowOverTime: QueueBucketRowSchema },
} as const;
