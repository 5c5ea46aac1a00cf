import { randomBytes } from 'node:crypto';
import { connectPostgres, migratePostgres, type Database } from '@lead-router/db/client';
import postgres from 'postgres';

/** The machine's PostgreSQL that scratch databases are made on (TEST_POSTGRES_URL overrides). */
export function adminDatabaseUrl(): string {
  return process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
}

/** A scratch database of a test run's own: created (and migrated unless asked not to), dropped by `drop()`. */
export interface ScratchDatabase {
  url: string;
  /** Drops the database (closing every connection still open to it). */
  drop(): Promise<void>;
}

/** A scratch database named before it exists (its URL known up front), made by `create()`. */
export interface PlannedDatabase extends ScratchDatabase {
  /** Creates the database, migrated to the latest schema unless `migrate: false`. */
  create(options?: { migrate?: boolean }): Promise<void>;
}

/**
 * Names `<prefix>_<pid>_<random>` on the machine's PostgreSQL, which every test run on the machine shares,
 * so runs never see each other's rows.
 */
export function planScratchDatabase(prefix: string): PlannedDatabase {
  const base = adminDatabaseUrl();
  const name = `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
  const url = new URL(base);
  url.pathname = `/${name}`;
  let admin: postgres.Sql | undefined;
  return {
    url: url.toString(),
    async create(options = {}) {
      admin ??= postgres(base, { max: 1, onnotice: () => {} });
      await admin.unsafe(`create database ${name}`);
      if (options.migrate !== false) await migratePostgres(url.toString());
    },
    async drop() {
      if (!admin) return;
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end({ timeout: 5 });
      admin = undefined;
    },
  };
}

/** Creates (and migrates, unless `migrate: false`) a scratch database; see planScratchDatabase. */
export async function createScratchDatabase(prefix: string, options: { migrate?: boolean } = {}): Promise<ScratchDatabase> {
  const planned = planScratchDatabase(prefix);
  await planned.create(options);
  return { url: planned.url, drop: () => planned.drop() };
}

/** A migrated scratch database with a connection pool over it; `drop()` closes the pool first. */
export async function scratchDatabase(prefix: string, options: { max?: number } = {}): Promise<ScratchDatabase & Database> {
  const scratch = await createScratchDatabase(prefix);
  const database = connectPostgres(scratch.url, { max: options.max ?? 5 });
  return {
    url: scratch.url,
    db: database.db,
    close: () => database.close(),
    async drop() {
      await database.close();
      await scratch.drop();
    },
  };
}
