import { NativeConnection, Worker, Runtime, type LogLevel } from '@temporalio/worker';
import { connectPostgres } from '@lead-router/db/client';
import { secretBoxFrom } from '@lead-router/db/secret-box';
import { createActivities } from './activities/index';
import { loadWorkerEnv } from './env';
import { startWorkerDispatch } from './outbox-dispatch';
import { QueueAlertJob } from './queue-alerts';
import { workerRuntimeOptions } from './logging';
import { cachedWorkflowBundle } from './workflow-bundle';

/**
 * The worker process: runs `routeLead` workflows and their activities for one task queue. Run as many as
 * you like against the same queue: Temporal spreads the work and moves it off a worker that dies.
 */
async function main(): Promise<void> {
  const env = loadWorkerEnv();
  // tsx turns on source-mapped stack traces for the whole process. The workflow sandbox takes a stack trace
  // for every promise a workflow creates (compiling a tiny function each time), and with source maps on, each
  // of those compilations is scanned for a source map (about 3% of the worker's CPU in a profile of the
  // speed-to-lead bench). Error stacks then point into tsx's output, which keeps our line numbers.
  // WORKER_SOURCE_MAPS=1 keeps them on.
  if (process.env.WORKER_SOURCE_MAPS !== '1') process.setSourceMapsEnabled(false);
  if (env.LOG_LEVEL !== 'silent') {
    const level = env.LOG_LEVEL.toUpperCase() as LogLevel;
    Runtime.install(workerRuntimeOptions(level, (line) => process.stdout.write(line)));
  }
  const database = connectPostgres(env.DATABASE_URL, { max: Math.min(env.WORKER_DB_POOL, env.WORKER_MAX_CONCURRENT_ACTIVITIES) });
  const connection = await NativeConnection.connect({ address: env.TEMPORAL_ADDRESS });
  const smtp = env.SMTP_HOST
    ? { host: env.SMTP_HOST, port: env.SMTP_PORT, secure: env.SMTP_SECURE, from: env.SMTP_FROM, ...(env.SMTP_USER ? { user: env.SMTP_USER } : {}), ...(env.SMTP_PASSWORD ? { password: env.SMTP_PASSWORD } : {}) }
    : null;
  const workflowBundle = await cachedWorkflowBundle((message) => process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), level: 'info', msg: message, service: 'worker' })}\n`));
  const worker = await Worker.create({
    connection,
    namespace: env.TEMPORAL_NAMESPACE,
    taskQueue: env.TEMPORAL_TASK_QUEUE,
    workflowBundle,
    activities: createActivities({ db: database.db, smtp, allowPrivateWebhookTargets: env.ALLOW_PRIVATE_WEBHOOK_TARGETS, secretBox: secretBoxFrom(env) }),
    maxCachedWorkflows: env.WORKER_MAX_CACHED_WORKFLOWS,
    maxConcurrentActivityTaskExecutions: env.WORKER_MAX_CONCURRENT_ACTIVITIES,
    // Graceful shutdown waits this long for running activities before cancelling them.
    shutdownGraceTime: '10s',
  });
  const log = Runtime.instance().logger;
  // Queue age alerts: every worker runs the job; an advisory lock lets one at a time do a round.
  const alerts = env.QUEUE_ALERTS_POLL_MS > 0 ? new QueueAlertJob({ db: database.db, smtp, allowPrivateWebhookTargets: env.ALLOW_PRIVATE_WEBHOOK_TARGETS, secretBox: secretBoxFrom(env), log }, { pollMs: env.QUEUE_ALERTS_POLL_MS }) : null;
  alerts?.start();
  const running = worker.run();
  // The leads of the outbox are started from here (eagerly, onto this worker) unless the API server does it.
  const dispatch =
    env.OUTBOX_DISPATCH === 'worker' ? await startWorkerDispatch({ database, connection, namespace: env.TEMPORAL_NAMESPACE, taskQueue: env.TEMPORAL_TASK_QUEUE, log }) : null;
  log.info(dispatch ? 'outbox: this worker starts leads from the outbox (eagerly)' : 'outbox: the API server starts leads (OUTBOX_DISPATCH=server)');
  // worker.run() resolves after shutdown() (SIGINT and SIGTERM trigger it by default).
  await running;
  await dispatch?.stop();
  await alerts?.stop();
  await connection.close();
  await database.close();
}

main().catch((e: unknown) => {
  // A failed Worker.create leaves an open handle behind: exit explicitly (STACK.md trap 4).
  console.error(e instanceof Error ? (e.stack ?? e.message) : e);
  process.exit(1);
});
