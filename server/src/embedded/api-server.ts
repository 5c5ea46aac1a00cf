import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createApp } from '../app';
import { connectPostgres } from '@lead-router/db/client';
import { CrmSync } from '../crm/crm-sync';
import { CrmWriter } from '../crm/crm-writer';
import { HubSpotPoller } from '../crm/hubspot-poller';
import { SalesforcePoller } from '../crm/salesforce-poller';
import { reportSecretKey } from '../crm/startup';
import type { Env } from '../env';
import type { Logger } from '../http/context';
import { BackfillRunner, backfillRunnerOptions, setBackfillRunnerFor } from '../services/backfill-runner';
import { OutboxDispatcher, setDispatcherFor } from '@lead-router/db/outbox-dispatcher';
import { TemporalRoutingEngine } from '../services/routing-engine';
import { SimulationPool, simulationPoolOptions } from '../services/simulation/pool';

/** With OUTBOX_DISPATCH=worker, how long a lead may wait in the outbox before the API server starts it itself. */
export const WORKERLESS_START_MS = 10_000;

/** A running API server: HTTP, the outbox dispatcher, its Temporal client and its database pool. */
export interface ApiServer {
  port: number;
  stop(): Promise<void>;
}

/**
 * Serves the API (and the built web app) on `config.PORT` and drains the outbox into Temporal: the same
 * server in a real deployment and inside the embedded launcher. Migrations are the caller's.
 */
export async function startApiServer(config: Env & { DATABASE_URL: string; TEMPORAL_ADDRESS: string }, log: Logger): Promise<ApiServer> {
  const database = connectPostgres(config.DATABASE_URL);
  const engine = new TemporalRoutingEngine({ address: config.TEMPORAL_ADDRESS, namespace: config.TEMPORAL_NAMESPACE, taskQueue: config.TEMPORAL_TASK_QUEUE });
  const now = () => new Date();
  // One pool of simulation threads per server process; its threads start with the first test run.
  const simulations = new SimulationPool(simulationPoolOptions(config, log));
  const app = createApp({ db: database.db, config, engine, now, log, simulations });
  // With OUTBOX_DISPATCH=worker the workers start the leads (woken by the outbox's NOTIFY): this dispatcher
  // only starts those no worker took within WORKERLESS_START_MS (no worker running, or none listening), and is
  // not kicked by new leads.
  const workersDispatch = config.OUTBOX_DISPATCH === 'worker';
  const dispatcher = new OutboxDispatcher({ db: database.db, engine, log, now }, workersDispatch ? { minAgeMs: WORKERLESS_START_MS } : {});
  if (!workersDispatch) setDispatcherFor(database.db, dispatcher);
  const backfills = new BackfillRunner({ db: database.db, engine, log, now }, backfillRunnerOptions(config));
  setBackfillRunnerFor(database.db, backfills);

  let server: ReturnType<typeof serve>;
  const port = await new Promise<number>((resolve, reject) => {
    server = serve({ fetch: app.fetch, port: config.PORT, hostname: config.HOST }, (info: AddressInfo) => resolve(info.port));
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(e.code === 'EADDRINUSE' ? new Error(`PORT: ${config.HOST}:${config.PORT} is already in use; set PORT to another port.`) : e),
    );
  });
  dispatcher.start();
  if (workersDispatch) log.info(`outbox: the workers start leads; this server starts those no worker took within ${WORKERLESS_START_MS / 1000} s`, { outboxDispatch: 'worker' });
  // CRM leads in: one poller per server; a lease on each connection keeps servers from polling it twice.
  const crmPoller = config.CRM_POLLING ? new SalesforcePoller({ db: database.db, config, log, now, engine }) : null;
  // Owners out (crm_update steps' queued writes, batched per connection) and users/accounts in, beside it.
  const crmWriter = config.CRM_POLLING ? new CrmWriter({ db: database.db, config, log, now }) : null;
  const crmSync = config.CRM_POLLING ? new CrmSync({ db: database.db, config, log, now }) : null;
  // HubSpot: webhooks bring contacts at once; this poller is the fallback for what they missed.
  const hubspotPoller = config.CRM_POLLING ? new HubSpotPoller({ db: database.db, config, log, now, engine }) : null;
  await reportSecretKey(database.db, config, log).catch(() => {});
  crmPoller?.start();
  crmWriter?.start();
  crmSync?.start();
  hubspotPoller?.start();
  backfills.start();
  log.info('listening', { url: `http://${config.HOST}:${port}` });

  return {
    port,
    async stop() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Open keep-alive and SSE connections would hold close() forever.
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      });
      await crmPoller?.stop();
      await crmWriter?.stop();
      await crmSync?.stop();
      await hubspotPoller?.stop();
      await backfills.stop();
      setBackfillRunnerFor(database.db, null);
      await dispatcher.stop();
      await simulations.close();
      if (!workersDispatch) setDispatcherFor(database.db, null);
      await engine.close();
      await database.close();
    },
  };
}
