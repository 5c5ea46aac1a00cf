import type { PoolFairness } from '@lead-router/shared';
import { integer, jsonb, primaryKey, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

// The routing state the assign and escalate activities lock and move (schema.ts re-exports it): round-robin
// cursors per pool, each rep's open leads, and leads assigned per rep per day.

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const poolCursors = pgTable(
  'pool_cursors',
  {
    workspaceId: uuid('workspace_id').notNull(),
    poolKey: text('pool_key').notNull(),
    lastChosen: text('last_chosen'),
    wrrCurrent: jsonb('wrr_current').$type<Record<string, number>>().notNull().default({}),
    /** Fairness counts of the pool's current window (shared/src/assignment/fairness.ts); null until a step with fairness used it. */
    fairness: jsonb('fairness').$type<PoolFairness>(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.poolKey] })],
);

export const repLoads = pgTable(
  'rep_loads',
  {
    workspaceId: uuid('workspace_id').notNull(),
    repId: text('rep_id').notNull(),
    openLeads: integer('open_leads').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.repId] })],
);

export const repDailyCounts = pgTable(
  'rep_daily_counts',
  {
    workspaceId: uuid('workspace_id').notNull(),
    repId: text('rep_id').notNull(),
    /** YYYY-MM-DD in the rep's time zone. */
    day: text('day').notNull(),
    assigned: integer('assigned').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.repId, t.day] })],
);
