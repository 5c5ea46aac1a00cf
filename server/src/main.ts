// Must come first: extends zod before @lead-router/shared builds its schemas (see test/setup-openapi.ts).
import '@hono/zod-openapi';
import { serve } from '@hono/node-server';
import { createApp } from './app';
import { connectPostgres, migratePostgres } from './db/client';
import { loadEnv } from './env';
import { createLogger } from './http/logger';
import { OutboxDispatcher, setDispatcherFor } from './services/dispatcher';
import { TemporalRoutingEngine } from './services/routing-engine';

/**
 * The API server against an external PostgreSQL and Temporal (DATABASE_URL, TEMPORAL_ADDRESS): applies
 * migrations, serves the API, and drains the outbox into Temporal. Stateless: run as many as you like.
 */
async function main(): Promise<void> {
  const config = loadEnv();
  const log = createLogger(config.LOG_LEVEL, { service: 'server' });
  if (!config.DATABASE_URL || !config.TEMPORAL_ADDRESS) {
    log.error('DATABASE_URL and TEMPORAL_ADDRESS are required to run the server on its own; `npm start` runs the embedded default.');
    process.exit(2);
  }
  await migratePostgres(config.DATABASE_URL);
  const database = connectPostgres(config.DATABASE_URL);
  const engine = new TemporalRoutingEngine({ address: config.TEMPORAL_ADDRESS, namespace: config.TEMPORAL_NAMESPACE, taskQueue: config.TEMPORAL_TASK_QUEUE });
  const now = () => new Date();
  const app = createApp({ db: database.db, config, engine, now, log });
  const dispatcher = new OutboxDispatcher({ db: database.db, engine, log, now });
  setDispatcherFor(database.db, dispatcher);
  dispatcher.start();

  const server = serve({ fetch: app.fetch, port: config.PORT, hostname: config.HOST }, (info) => {
    log.info('listening', { url: `http://${config.HOST}:${info.port}` });
  });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info('stopping', { signal });
    server.close();
    await dispatcher.stop();
    await engine.close();
    await database.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
