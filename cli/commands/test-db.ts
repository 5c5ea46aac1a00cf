import { afterAll, beforeAll } from 'vitest';
import { connectPostgres, type Database } from '@lead-router/db/client';
import { planScratchDatabase } from '@lead-router/testkit/scratch-database';
import { main } from '../lead-router';

/**
 * A database of the calling test file's own, with DATABASE_URL pointing at it while the file runs (the
 * server's test setup is not available to the tools project). Registers the file's beforeAll/afterAll.
 */
export function useCliDatabase(): { url: string; readonly database: Database } {
  const savedUrl = process.env.DATABASE_URL;
  const scratch = planScratchDatabase('cli_test');
  let database: Database | undefined;

  beforeAll(async () => {
    // Not migrated: the CLI's commands migrate on first use, as they do on a fresh deployment.
    await scratch.create({ migrate: false });
    process.env.DATABASE_URL = scratch.url;
    database = connectPostgres(scratch.url, { max: 1 });
  });

  afterAll(async () => {
    if (savedUrl === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = savedUrl;
    await database?.close();
    await scratch.drop();
  });

  return {
    url: scratch.url,
    get database() {
      if (!database) throw new Error('the CLI test database is not ready (used outside a test?)');
      return database;
    },
  };
}

/** Runs the CLI in process, collecting what it prints. */
export async function runCli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args as Parameters<typeof main>[0], (s) => out.push(s), (s) => err.push(s));
  return { code, out: out.join('\n'), err: err.join('\n') };
}
