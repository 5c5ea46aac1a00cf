import { boolean, index, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

// Sign-in attempts per account and per client address (schema.ts re-exports it): the server reserves an
// attempt here before it checks a password (server/src/services/sign-in-limits.service.ts).

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * Sign-in attempts per account and per client address (server/src/services/sign-in-limits.service.ts):
 * one row per key, reserved by a single upsert before a password is checked, so every server process
 * shares the same budget and a restart forgets nothing. Not tenant data: no workspace_id.
 */
export const signInLimits = pgTable(
  'sign_in_limits',
  {
    /** sha256 of `account:<normalised email>` or `address:<client address>`: typed emails are not kept. */
    key: text('key').primaryKey(),
    /** Attempts reserved since the count last started over. */
    attempts: integer('attempts').notNull(),
    /**
     * The earliest instant the next attempt may be reserved (the back-off); null while attempts are free,
     * so a concurrent request whose clock read a little earlier is not refused by a wait of zero.
     */
    nextAt: ts('next_at'),
    /** When the count starts over: a while after the latest reserved attempt. */
    expiresAt: ts('expires_at').notNull(),
    /** Whether the latest reservation was refused: what the upsert's RETURNING tells its caller. */
    refused: boolean('refused').notNull().default(false),
  },
  (t) => [index('sign_in_limits_expires_idx').on(t.expiresAt)],
);
