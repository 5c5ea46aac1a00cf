import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { afterAll, beforeAll } from 'vitest';
import { connectPostgres, type Database } from '../../server/src/db/client';
import { main } from '../lead-router';

/**
 * A database of the calling test file's own, with DATABASE_URL pointing at it while the file runs (the
 * server's test setup is not available to the tools project). Registers the file's beforeAll/afterAll.
 */
export function useCliDatabase(): { url: string; readonly database: Database } {
  const base = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `cli_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const url = new URL(base);
  url.pathname = `/${name}`;
  const admin = postgres(base, { max: 1, onnotice: () => {} });
  const savedUrl = process.env.DATABASE_URL;
  let database: Database | undefined;

  beforeAll(async () => {
    await admin.unsafe(`create database ${name}`);
    process.env.DATABASE_URL = url.toString();
    database = connectPostgres(url.toString(), { max: 1 });
  });

  afterAll(async () => {
    if (savedUrl === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = savedUrl;
    await database?.close();
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end({ timeout: 5 });
  });

  return {
    url: url.toString(),
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
