import { bigserial, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { leads, runStatusEnum } from './schema';

// A lead's earlier runs (drizzle.config.ts reads this file beside schema.ts): kept when an operator re-routes
// a lead or retries its failed run (server/src/services/run-history.service.ts).

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * The earlier runs of a lead, each as it stood when an operator re-routed the lead through another (or the
 * same) version: the lead's page links them, and its trace divides at `lastSeq`.
 */
export const runHistory = pgTable(
  'run_history',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    leadId: uuid('lead_id')
      .notNull()
      .references(() => leads.id, { onDelete: 'cascade' }),
    workspaceId: uuid('workspace_id').notNull(),
    runNumber: integer('run_number').notNull(),
    versionId: uuid('version_id').notNull(),
    status: runStatusEnum('status').notNull(),
    outcome: text('outcome'),
    assigneeType: text('assignee_type').$type<'rep' | 'queue'>(),
    assigneeId: text('assignee_id'),
    startedAt: ts('started_at'),
    firstAssignedAt: ts('first_assigned_at'),
    assignedAt: ts('assigned_at'),
    acceptedAt: ts('accepted_at'),
    completedAt: ts('completed_at'),
    closedAt: ts('closed_at'),
    closeReason: text('close_reason'),
    /** The run's last trace step: the next run's steps are numbered after it. */
    lastSeq: integer('last_seq').notNull().default(0),
    /** Why it ended: `rerouted`, or `retried` (an operator's retry of a failed run). */
    endedReason: text('ended_reason').notNull(),
    endedAt: ts('ended_at').notNull(),
    /** Who re-routed it: `user:<id>` / `key:<id>`, or `job:<id>` for a backfill. */
    endedBy: text('ended_by').notNull(),
    /** Their name as it was then (a user's name, a key's name). */
    endedByName: text('ended_by_name').notNull(),
    note: text('note'),
  },
  (t) => [uniqueIndex('run_history_lead_run_unique').on(t.leadId, t.runNumber)],
);
