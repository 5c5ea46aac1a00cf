import type { TestProject } from 'vitest/node';
import type {} from './provided';
import { createScratchDatabase } from './scratch-database';

/**
 * Vitest global setup: one migrated database per test run (the machine's PostgreSQL is shared by every run
 * on it), dropped at the end; test files read its URL with `providedDatabaseUrl()` and isolate from each
 * other by workspace, as production tenants do.
 */
export default async function setup(project: TestProject) {
  const scratch = await createScratchDatabase('routing_test');
  project.provide('databaseUrl', scratch.url);
  return () => scratch.drop();
}
