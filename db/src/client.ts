import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import { drizzle } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { PreparedTexts, preparing } from './prepared-statements';
import * as schema from './schema';

/** The database, whatever the driver (postgres.js for a server, PGlite for the embedded default). */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
/** A transaction on it. */
export type Tx = PgTransaction<PgQueryResultHKT, typeof schema, ExtractTablesWithRelations<typeof schema>>;

export const MIGRATIONS_FOLDER = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'migrations');

/** A connection pool and the drizzle database over it. */
export interface Database {
  db: Db;
  /**
   * LISTENs on `channel` on a connection of its own (reconnected after a loss): `onNotify` for each NOTIFY,
   * `onListen` each time the LISTEN is in place (first, and after a reconnect, when notifications may have been
   * missed). Absent where notifications do not travel (the embedded PGlite's wire server).
   */
  listen?(channel: string, onNotify: () => void, onListen?: () => void): Promise<{ unlisten(): Promise<void> }>;
  close(): Promise<void>;
}

/** Connects to PostgreSQL at `url` (postgres.js pool). */
export function connectPostgres(url: string, options: { max?: number } = {}): Database {
  const sql = postgres(url, {
    max: options.max ?? 10,
    onnotice: () => {},
    // A dropped connection fails the query fast instead of hanging the request.
    connect_timeout: 10,
    idle_timeout: 30,
    // Reconnect attempts after a lost connection back off to at most 2 s (postgres.js allows up to 20 s), so
    // requests waiting for a connection get one or a 503 soon after the database is back.
    backoff: (attempt: number) => Math.min(0.05 * 2 ** attempt, 2) * (0.5 + Math.random() / 2),
  });
  // The texts every lead runs are prepared once per connection (prepared-statements.ts).
  const db = drizzle(preparing(sql, new PreparedTexts()), { schema }) as unknown as Db;
  return {
    db,
    listen: async (channel, onNotify, onListen) => {
      const { unlisten } = await sql.listen(channel, () => onNotify(), onListen);
      return { unlisten: async () => void (await unlisten()) };
    },
    close: () => sql.end({ timeout: 5 }),
  };
}

/** Applies every migration in migrations/ that the database has not seen (forward-only). */
export async function migratePostgres(url: string): Promise<void> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await migrate(drizzle(sql), { migrationsFolder: MIGRATIONS_FOLDER });
  } finally {
    await sql.end({ timeout: 5 });
  }
}
