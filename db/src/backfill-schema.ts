import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { leads, workspaces } from './schema';

// Backfill jobs (drizzle.config.ts reads this file beside schema.ts): a filtered set of leads sent through a
// chosen version, each as a new run, by the runner in server/src/services/backfill-runner.ts. The job is a
// row and each lead of its set an item, so a job survives a restart and never routes a lead twice.

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** Where a backfill job stands. Only `running` jobs are worked; `paused` ones wait for a resume. */
export const BACKFILL_STATUSES = ['running', 'paused', 'completed', 'cancelled', 'failed'] as const;
export type BackfillStatus = (typeof BACKFILL_STATUSES)[number];

/** The lead list's filter (GET /api/leads' query without its page), as stored with the job. */
export type BackfillFilter = Record<string, string>;

/**
 * One backfill: which leads (the filter, and the set it matched when the job started: its items), through
 * which version, how far it got, and who started it. `leaseOwner`/`leaseUntil` say which server process runs
 * it; a lease that has run out (its process died) is taken by the next runner that looks.
 */
export const backfillJobs = pgTable(
  'backfill_jobs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    workflowId: uuid('workflow_id').notNull(),
    versionId: uuid('version_id').notNull(),
    version: integer('version').notNull(),
    filter: jsonb('filter').$type<BackfillFilter>().notNull(),
    status: text('status').$type<BackfillStatus>().notNull().default('running'),
    /** Leads in the set when the job started (its items). */
    total: integer('total').notNull(),
    /** Items re-routed (a new run queued). */
    done: integer('done').notNull().default(0),
    /** Items left alone, counted by reason in `skippedReasons`. */
    skipped: integer('skipped').notNull().default(0),
    skippedReasons: jsonb('skipped_reasons').$type<Record<string, number>>().notNull().default({}),
    /** `user:<id>` / `key:<id>`, and their name as it was. */
    createdBy: text('created_by').notNull(),
    createdByName: text('created_by_name').notNull(),
    note: text('note'),
    error: text('error'),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
    finishedAt: ts('finished_at'),
    leaseOwner: text('lease_owner'),
    leaseUntil: ts('lease_until'),
  },
  (t) => [
    index('backfill_jobs_workspace_idx').on(t.workspaceId, t.createdAt),
    index('backfill_jobs_running_idx').on(t.createdAt).where(sql`${t.status} = 'running'`),
  ],
);

export const BACKFILL_ITEM_STATES = ['pending', 'done', 'skipped'] as const;
export type BackfillItemState = (typeof BACKFILL_ITEM_STATES)[number];

/**
 * One lead of a job's set, in the order it is worked (`seq`: oldest lead first). An item leaves `pending` in
 * the very transaction that queues its lead's new run, so a lead is re-routed at most once per job, whatever
 * crashes.
 */
export const backfillItems = pgTable(
  'backfill_items',
  {
    jobId: uuid('job_id')
      .notNull()
      .references(() => backfillJobs.id, { onDelete: 'cascade' }),
    leadId: uuid('lead_id')
      .notNull()
      .references(() => leads.id, { onDelete: 'cascade' }),
    seq: integer('seq').notNull(),
    state: text('state').$type<BackfillItemState>().notNull().default('pending'),
    /** Why it was skipped (`still_routing`). */
    reason: text('reason'),
    /** The new run's number, once done. */
    runNumber: integer('run_number'),
    at: ts('at'),
  },
  (t) => [
    primaryKey({ columns: [t.jobId, t.leadId] }),
    index('backfill_items_seq_idx').on(t.jobId, t.seq),
    // The runner's next batch: the job's pending items in order, without walking the done ones.
    index('backfill_items_pending_idx').on(t.jobId, t.seq).where(sql`${t.state} = 'pending'`),
  ],
);
