// Must come first: extends zod before @lead-router/shared builds its schemas (see test/setup-openapi.ts).
import '@hono/zod-openapi';
import { migratePostgres } from '@lead-router/db/client';
import { loadEnv } from './env';
import { startApiServer } from './embedded/api-server';
import { runEmbedded } from './embedded/launcher';
import { createLogger } from './http/logger';

/**
 * `npm start`. With DATABASE_URL and TEMPORAL_ADDRESS set: the API server against that PostgreSQL and
 * Temporal (the real deployment; stateless, run as many as you like): applies migrations, serves the API
 * and the web app, and drains the outbox into Temporal. Without them: the embedded default, which runs
 * what is missing (PGlite under .data/, a Temporal dev server, a worker) in one process tree.
 */
async function main(): Promise<void> {
  const config = loadEnv();
  if (!config.DATABASE_URL || !config.TEMPORAL_ADDRESS) {
    await runEmbedded(config);
    return;
  }
  const log = createLogger(config.LOG_LEVEL, { service: 'server' });
  await migratePostgres(config.DATABASE_URL);
  const server = await startApiServer({ ...config, DATABASE_URL: config.DATABASE_URL, TEMPORAL_ADDRESS: config.TEMPORAL_ADDRESS }, log);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info('stopping', { signal });
    await server.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
