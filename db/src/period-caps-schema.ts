import { integer, primaryKey, pgTable, text, uuid } from 'drizzle-orm/pg-core';

// Team caps (#16): leads each team's pool handed out per day of the workspace's time zone (schema.ts
// re-exports it). Written only by a transaction that holds the pool's pool_cursors row locked, and read
// after taking that lock (db/src/routing-state.ts); a week's or month's count is the sum of its days.
export const poolDailyCounts = pgTable(
  'pool_daily_counts',
  {
    workspaceId: uuid('workspace_id').notNull(),
    /** `team:<id>`. */
    poolKey: text('pool_key').notNull(),
    /** YYYY-MM-DD in the workspace's time zone. */
    day: text('day').notNull(),
    assigned: integer('assigned').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.poolKey, t.day] })],
);
