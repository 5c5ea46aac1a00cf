// The API's zod extension first: shared's schemas get `.openapi()` only if it is loaded before them.
import '@hono/zod-openapi';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createApp } from '../../../server/src/app';
import { loadEnv } from '../../../server/src/env';
import { createLogger } from '../../../server/src/http/logger';
import { OutboxDispatcher } from '@lead-router/db/outbox-dispatcher';
import { TemporalRoutingEngine } from '../../../server/src/services/routing-engine';
import { SimulationPool, simulationPoolOptions } from '../../../server/src/services/simulation/pool';
import { createActivities, type ActivityDeps } from '../activities/index';
import { timeSkippingEnv } from '../test/temporal-env';
import { createTestDatabase, type TestDatabase } from '../test/test-db';
import { WORKFLOW_BUNDLE } from '../workflows-path';

/** The API app in process over a scratch database, its Temporal client and outbox dispatcher, and a worker. */
export interface ApiStack {
  env: TestWorkflowEnvironment;
  database: TestDatabase;
  app: ReturnType<typeof createApp>;
  dispatcher: OutboxDispatcher;
  /** What the app was built with (database, configuration, clock, logger), for server services a test runs beside it. */
  deps: Parameters<typeof createApp>[0];
  /** Stops everything the stack started and drops its database. */
  close(): Promise<void>;
}

/**
 * Starts the API-to-workflow stack the e2e tests drive, nothing mocked: Temporal's time-skipping test server,
 * a worker with the real activities on `taskQueue`, and the API app with its engine and dispatcher.
 */
export async function startApiStack(taskQueue: string, env: Record<string, string> = {}, activities: Omit<ActivityDeps, 'db'> = {}): Promise<ApiStack> {
  const [temporal, database] = await Promise.all([timeSkippingEnv(), createTestDatabase({ max: 10 })]);
  const worker = await Worker.create({ connection: temporal.nativeConnection, taskQueue, ...WORKFLOW_BUNDLE, activities: createActivities({ ...activities, db: database.db }) });
  const running = worker.run();
  const engine = new TemporalRoutingEngine({ address: temporal.address, namespace: 'default', taskQueue });
  const config = loadEnv({ DATABASE_URL: database.url, TEMPORAL_ADDRESS: temporal.address, LOG_LEVEL: 'silent', ...env });
  const simulations = new SimulationPool(simulationPoolOptions(config));
  const deps = { db: database.db, config, engine, now: () => new Date(), log: createLogger('silent'), simulations };
  return {
    env: temporal,
    database,
    app: createApp(deps),
    deps,
    dispatcher: new OutboxDispatcher(deps),
    async close() {
      await engine.close();
      await simulations.close();
      worker.shutdown();
      await running.catch(() => {});
      await temporal.teardown();
      await database.drop();
    },
  };
}
