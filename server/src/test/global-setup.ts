import postgres from 'postgres';
import type { TestProject } from 'vitest/node';
import { migratePostgres } from '../db/client';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

/**
 * One database per test run (the machine's PostgreSQL is shared by every run on it), migrated once,
 * dropped at the end. Tests isolate from each other by workspace, as production tenants do.
 */
export default async function setup(project: TestProject) {
  const base = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const admin = postgres(base, { max: 1, onnotice: () => {} });
  const name = `routing_test_${process.pid}_${Date.now().toString(36)}`;
  await admin.unsafe(`create database ${name}`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  await migratePostgres(url.toString());
  project.provide('databaseUrl', url.toString());
  return async () => {
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end({ timeout: 5 });
  };
}
