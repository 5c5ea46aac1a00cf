import { bigint, boolean, date, index, integer, pgTable, primaryKey, smallint, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { leads } from './schema';

// The analytics tables (drizzle.config.ts reads this file beside schema.ts): small rows that the worker's recordSteps writes in the very statement that records a
// run's steps, so that analytics (server/src/services/analytics*.ts) never read the trace per request.

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * One row per wait a run went through (a trace step of type `wait`), written by recordSteps in the statement
 * that records the step: whom the lead waited on and how it ended. SLA, acceptance and time to accept per rep
 * read this, never the trace. `received_at` is the lead's, so every figure counts the leads received in a range.
 */
export const runWaits = pgTable(
  'run_waits',
  {
    leadId: uuid('lead_id')
      .notNull()
      .references(() => leads.id, { onDelete: 'cascade' }),
    seq: integer('seq').notNull(),
    workspaceId: uuid('workspace_id').notNull(),
    workflowId: uuid('workflow_id').notNull(),
    receivedAt: ts('received_at').notNull(),
    nodeId: text('node_id').notNull(),
    startedAt: ts('started_at').notNull(),
    assigneeType: text('assignee_type').$type<'rep' | 'queue'>(),
    assigneeId: text('assignee_id'),
    outcome: text('outcome').$type<'accepted' | 'timed_out' | 'rejected'>().notNull(),
    elapsedMs: bigint('elapsed_ms', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.leadId, t.seq] }), index('run_waits_range_idx').on(t.workspaceId, t.workflowId, t.receivedAt)],
);

/**
 * One row per assign or escalate step (recordSteps, same statement): the node, the pool it drew from and whom
 * it chose. Fairness (leads per rep against the pool's weights) and queue inflow read this.
 */
export const runAssignments = pgTable(
  'run_assignments',
  {
    leadId: uuid('lead_id')
      .notNull()
      .references(() => leads.id, { onDelete: 'cascade' }),
    seq: integer('seq').notNull(),
    workspaceId: uuid('workspace_id').notNull(),
    workflowId: uuid('workflow_id').notNull(),
    receivedAt: ts('received_at').notNull(),
    at: ts('at').notNull(),
    nodeId: text('node_id').notNull(),
    nodeType: text('node_type').$type<'assign' | 'escalate'>().notNull(),
    poolKey: text('pool_key'),
    assigneeType: text('assignee_type').$type<'rep' | 'queue'>(),
    assigneeId: text('assignee_id'),
  },
  (t) => [primaryKey({ columns: [t.leadId, t.seq] }), index('run_assignments_range_idx').on(t.workspaceId, t.workflowId, t.receivedAt)],
);

/**
 * Why reps were passed over: one row per candidate an assignment found ineligible (out of office, outside
 * working hours, over a cap, ...), from the step's candidates; eligible reps that were not next are not kept.
 */
export const runPassedOver = pgTable(
  'run_passed_over',
  {
    leadId: uuid('lead_id')
      .notNull()
      .references(() => leads.id, { onDelete: 'cascade' }),
    seq: integer('seq').notNull(),
    repId: text('rep_id').notNull(),
    workspaceId: uuid('workspace_id').notNull(),
    workflowId: uuid('workflow_id').notNull(),
    receivedAt: ts('received_at').notNull(),
    nodeId: text('node_id').notNull(),
    verdict: text('verdict').notNull(),
  },
  (t) => [primaryKey({ columns: [t.leadId, t.seq, t.repId] }), index('run_passed_over_range_idx').on(t.workspaceId, t.workflowId, t.receivedAt)],
);

/**
 * Paths: how many steps left each node by each outcome towards each next node, per day the leads were
 * received (UTC), so the canvas's edges can show counts for a range without reading the trace. Incremented
 * by recordSteps only for the steps its insert really wrote, so a retried batch never counts twice.
 */
export const pathCounts = pgTable(
  'path_counts',
  {
    workspaceId: uuid('workspace_id').notNull(),
    workflowId: uuid('workflow_id').notNull(),
    day: text('day').notNull(),
    nodeId: text('node_id').notNull(),
    nodeType: text('node_type').notNull(),
    outcome: text('outcome').notNull(),
    next: text('next').notNull(),
    count: integer('count').notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.workflowId, t.day, t.nodeId, t.outcome, t.next] })],
);

// Per-day rollups (issue 15): what long ranges read instead of the rows above. Each is kept by triggers on its
// source table (migration `analytics-rollups`), in the statement that writes the source rows: an insert adds the
// new rows, a delete subtracts the old ones, an update subtracts the old and adds the new, so a retried
// recordSteps (its inserts do nothing), a re-route (the run's columns reset) and a deleted lead all leave the
// rollups equal to the rows. `day` is the UTC day the lead was received. A count may reach 0 and stay.
const day = () => date('day', { mode: 'string' }).notNull();
const scope = () => ({ workspaceId: uuid('workspace_id').notNull(), workflowId: uuid('workflow_id').notNull(), day: day() });

/**
 * routing_runs per day: leads by their re-assignment class (0, 1, 2, 3 = 3 or more) and whether an SLA was met,
 * breached, an escalation happened; with the sums of re-assignments and escalations (SLA per lead).
 */
export const rollupRuns = pgTable(
  'rollup_runs',
  {
    ...scope(),
    reassignmentClass: smallint('reassignment_class').notNull(),
    met: boolean('met').notNull(),
    breached: boolean('breached').notNull(),
    escalated: boolean('escalated').notNull(),
    leads: integer('leads').notNull(),
    reassignments: integer('reassignments').notNull(),
    escalations: integer('escalations').notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.workflowId, t.day, t.reassignmentClass, t.met, t.breached, t.escalated] })],
);

/**
 * Speed to lead per day: a histogram of each duration (`metric`: first_assignment_wall, ..., first_contact_working)
 * in log-spaced bins (analytics_bin(): each bin 4% wide, so a percentile read from it is within 2% of the exact
 * one), as text: `bin,count,bin,count,...` for the bins that hold something, ascending (text, so reading a
 * year's few thousand rows converts nothing: server/src/services/analytics-histogram.ts merges them).
 */
export const rollupDurations = pgTable(
  'rollup_durations',
  { ...scope(), metric: text('metric').notNull(), hist: text('hist').notNull() },
  (t) => [primaryKey({ columns: [t.workspaceId, t.workflowId, t.day, t.metric] })],
);

/** run_waits per day of the waits on a rep (assignee_type 'rep'): how many per outcome (SLA, acceptance). */
export const rollupWaits = pgTable(
  'rollup_waits',
  { ...scope(), repId: text('rep_id').notNull(), outcome: text('outcome').notNull(), n: integer('n').notNull() },
  (t) => [primaryKey({ columns: [t.workspaceId, t.workflowId, t.day, t.repId, t.outcome] })],
);

/** Time to accept per rep and day: a histogram (as rollup_durations') of accepted waits' elapsed_ms. */
export const rollupAcceptTimes = pgTable(
  'rollup_accept_times',
  { ...scope(), repId: text('rep_id').notNull(), hist: text('hist').notNull() },
  (t) => [primaryKey({ columns: [t.workspaceId, t.workflowId, t.day, t.repId] })],
);

/** run_assignments per day that named an assignee (fairness, queue inflow); `pool_key` '' for none. */
export const rollupAssignments = pgTable(
  'rollup_assignments',
  {
    ...scope(),
    nodeId: text('node_id').notNull(),
    nodeType: text('node_type').notNull(),
    poolKey: text('pool_key').notNull(),
    assigneeType: text('assignee_type').notNull(),
    assigneeId: text('assignee_id').notNull(),
    n: integer('n').notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.workflowId, t.day, t.nodeId, t.nodeType, t.poolKey, t.assigneeType, t.assigneeId] })],
);

/** run_passed_over per day: times each rep was passed over at each node, by verdict. */
export const rollupPassedOver = pgTable(
  'rollup_passed_over',
  { ...scope(), nodeId: text('node_id').notNull(), repId: text('rep_id').notNull(), verdict: text('verdict').notNull(), n: integer('n').notNull() },
  (t) => [primaryKey({ columns: [t.workspaceId, t.workflowId, t.day, t.nodeId, t.repId, t.verdict] })],
);
