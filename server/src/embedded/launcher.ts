import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { createPglite } from './pglite';
import { Connection } from '@temporalio/client';
import { connectPostgres, migratePostgres } from '@lead-router/db/client';
import { MIN_SECRET_KEY_LENGTH } from '@lead-router/db/secret-box';
import type { Env } from '../env';
import type { Logger } from '../http/context';
import { createLogger } from '../http/logger';
import { DEMO_CURL_LEAD, DEMO_LEAD_SPREAD_MS, DEMO_WORKFLOW_NAME, isEmptyDatabase, seedDemo, type DemoWorkspace } from '../services/demo-seed';
import { startApiServer } from './api-server';
import { startChild, type Child } from './children';
import { loadEmbeddedEnv, REPO_ROOT, type EmbeddedEnv } from './config';
import { PgliteWireServer } from './pglite-wire';
import { freePort, isPortFree, pickPort, ProcessTree, say, waitFor } from './process-tree';
import { ensureTemporalCli } from './temporal-cli';
import { ensureWebBuild } from './web-build';

/** What the first start writes next to the data, so `lead-router demo` finds the server and a key. */
export interface DemoFile {
  url: string;
  workflowId: string;
  apiKey: string;
}

/** The demo file's path under a data dir (readable by the owner only). */
export const demoFilePath = (dataDir: string) => join(dataDir, 'demo.json');

// eslint-disable-next-line no-control-regex -- terminal colour codes in the worker's output
const ANSI_COLOUR = /\u001b\[[0-9;]*m/g;

function curlLine(url: string, workflowId: string, key: string): string {
  const lead = JSON.stringify(DEMO_CURL_LEAD);
  return `curl -s -X POST ${url}/api/workflows/${workflowId}/leads -H 'Authorization: Bearer ${key}' -H 'Content-Type: application/json' -d '${lead}'`;
}

/** One start of the embedded default: its configuration, its process tree, and how it reports progress. */
interface Launch {
  config: Env;
  source: Record<string, string | undefined>;
  embedded: EmbeddedEnv;
  logLevel: Env['LOG_LEVEL'];
  log: Logger;
  dataDir: string;
  host: string;
  tree: ProcessTree;
  /** The process start, module loading included: what the person at the terminal waits. */
  started: number;
  /** Says a phase is ready, with the time since the start. */
  phase(what: string): void;
}

/** Temporal as the run reaches it. */
interface TemporalEndpoint {
  address: string;
  ui: string | null;
}

/**
 * The embedded default of `npm start`: PGlite (data in DATA_DIR/pglite) served over the PostgreSQL wire
 * protocol on loopback, a Temporal dev server (DATA_DIR/temporal.db), the API server with the built web
 * app, and worker processes, in one process tree. DATABASE_URL or TEMPORAL_ADDRESS, when set, replace
 * their embedded part. Ctrl-C (SIGINT) or SIGTERM stops everything in order; all state is on disk, so the
 * next start carries on, timers of waiting leads included.
 */
export async function runEmbedded(given: Env, source: Record<string, string | undefined> = process.env): Promise<void> {
  const launch = prepare(given, source);
  const { config, tree, embedded, host } = launch;
  tree.stopOnSignals();
  try {
    say(`Lead Router: embedded mode (data in ${launch.dataDir})`);
    tree.reapPrevious();
    // Fail before starting anything when the app's port is taken (0 picks a free one).
    if (config.PORT !== 0 && !(await isPortFree(config.PORT, host))) throw new Error(`PORT: ${host}:${config.PORT} is already in use; set PORT to another port.`);
    const webBuild = ensureWebBuild(REPO_ROOT, say);

    // PostgreSQL and Temporal start side by side. The workers start as soon as Temporal answers (their
    // workflow bundle is the slowest part of a start): they are given the database's URL up front and
    // connect on their first activity. The demo seed and the API follow the database.
    const pgPort = config.DATABASE_URL ? 0 : await pickPort(embedded.PGLITE_PORT, '127.0.0.1');
    const databaseUrl = config.DATABASE_URL ?? `postgres://postgres@127.0.0.1:${pgPort}/postgres`;
    const databaseReady = startDatabase(launch, databaseUrl, pgPort);
    // Awaited below; until then a failure must not count as unhandled.
    databaseReady.catch(() => {});
    const temporal = await startTemporal(launch).catch(async (e: unknown) => {
      // Let the database finish starting, so stopping can close it.
      await databaseReady.catch(() => {});
      throw e;
    });
    // PGlite's wire server carries no NOTIFY between connections, so with it the API server starts the leads.
    const dispatch = config.DATABASE_URL ? config.OUTBOX_DISPATCH : 'server';
    const workers = startWorkers(launch, databaseUrl, temporal.address, dispatch);
    await databaseReady;

    const demo = await seedDemoOnFirstStart(launch, databaseUrl);
    if (await webBuild) launch.phase('web build');
    const api = await startApiServer({ ...config, OUTBOX_DISPATCH: dispatch, LOG_LEVEL: launch.logLevel, DATABASE_URL: databaseUrl, TEMPORAL_ADDRESS: temporal.address, ...(temporal.ui ? { TEMPORAL_UI_URL: temporal.ui } : {}) }, launch.log);
    tree.api = api;
    const url = config.PUBLIC_URL ?? `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${api.port}`;
    launch.phase(`app at ${url}`);

    await waitForWorkers(launch, workers, temporal.address);
    printReady(launch, { url, demo, temporal, databaseUrl });
  } catch (e) {
    say(`Start-up failed: ${(e as Error).message}`);
    await tree.stopAll('start-up failed', 1);
  }
}

/**
 * Without SECRET_KEY, the embedded default keeps its own in DATA_DIR/secret-key (made on first start, readable by
 * this user only), so CRM credentials and workspace secrets work out of the box and survive restarts. A
 * deployment sets SECRET_KEY itself (docker-compose.yml).
 */
function embeddedSecretKey(dataDir: string): string {
  const file = join(dataDir, 'secret-key');
  if (existsSync(file)) {
    const key = readFileSync(file, 'utf8').trim();
    if (key.length < MIN_SECRET_KEY_LENGTH) throw new Error(`${file} holds a key shorter than ${MIN_SECRET_KEY_LENGTH} characters; delete it (secrets stored with it cannot be read again) or set SECRET_KEY.`);
    return key;
  }
  const key = randomBytes(32).toString('base64');
  writeFileSync(file, `${key}\n`, { mode: 0o600, flag: 'wx' });
  return key;
}

/** The run's configuration, logger and process tree; makes the data dir. */
function prepare(config: Env, source: Record<string, string | undefined>): Launch {
  const started = Date.now() - Math.round(process.uptime() * 1000);
  const embedded = loadEmbeddedEnv(source);
  const logLevel = source.LOG_LEVEL ? config.LOG_LEVEL : 'warn';
  const dataDir = embedded.DATA_DIR;
  mkdirSync(join(dataDir, 'logs'), { recursive: true });
  return {
    config: config.SECRET_KEY ? config : { ...config, SECRET_KEY: embeddedSecretKey(dataDir) },
    source,
    embedded,
    logLevel,
    log: createLogger(logLevel, { service: 'server' }),
    dataDir,
    host: config.HOST,
    tree: new ProcessTree(join(dataDir, 'pids.json')),
    started,
    phase: (what) => say(`  ${what} ready (${((Date.now() - started) / 1000).toFixed(1)} s)`),
  };
}

/** PGlite over the wire protocol on `pgPort` (unless DATABASE_URL names a real PostgreSQL), migrated. */
async function startDatabase(launch: Launch, databaseUrl: string, pgPort: number): Promise<void> {
  if (!launch.config.DATABASE_URL) {
    const pglite = await createPglite(join(launch.dataDir, 'pglite'));
    launch.tree.pglite = pglite;
    const wire = new PgliteWireServer({
      db: pglite,
      port: pgPort,
      onSlowTransaction: ({ heldMs, queued }) => launch.log.warn('a transaction has held the embedded database', { heldMs, queued }),
    });
    launch.tree.wire = wire;
    await wire.start();
  }
  await migratePostgres(databaseUrl);
  launch.phase('database');
}

/** The Temporal dev server with its state in a file (unless TEMPORAL_ADDRESS names a real Temporal), once it answers. */
async function startTemporal(launch: Launch): Promise<TemporalEndpoint> {
  const { config, embedded, host, dataDir, tree } = launch;
  if (config.TEMPORAL_ADDRESS) return { address: config.TEMPORAL_ADDRESS, ui: config.TEMPORAL_UI_URL ?? null };
  const cli = await ensureTemporalCli(REPO_ROOT, say, { ...launch.source, ...(embedded.TEMPORAL_CLI_PATH ? { TEMPORAL_CLI_PATH: embedded.TEMPORAL_CLI_PATH } : {}) });
  const port = await pickPort(embedded.TEMPORAL_PORT, host);
  const uiPort = await pickPort(embedded.TEMPORAL_UI_PORT, host);
  const httpPort = await freePort(host);
  const metricsPort = await freePort(host);
  // WAL with synchronous=normal: durable across a process crash, and each history write no longer
  // waits for a disk flush (steps of a lead took ~4x longer with the default).
  const args = ['server', 'start-dev', '--db-filename', join(dataDir, 'temporal.db'), '--ip', host, '--port', String(port), '--ui-port', String(uiPort), '--http-port', String(httpPort), '--metrics-port', String(metricsPort), '--namespace', config.TEMPORAL_NAMESPACE, '--log-level', 'warn', '--ui-disable-news-fetch', '--sqlite-pragma', 'journal_mode=wal', '--sqlite-pragma', 'synchronous=normal'];
  const temporal = startChild('temporal', cli, args, { cwd: REPO_ROOT, env: process.env, logFile: join(dataDir, 'logs', 'temporal.log') });
  tree.track(temporal, join(dataDir, 'temporal.db'));
  const address = `${host}:${port}`;
  await waitFor(
    'Temporal dev server',
    60_000,
    async () => {
      const c = await Connection.connect({ address, connectTimeout: '1s' });
      try {
        await c.workflowService.getSystemInfo({});
        return true;
      } finally {
        await c.close();
      }
    },
    () => (temporal.done ? `exited; the end of ${temporal.logFile}:\n${temporal.tail()}` : null),
  );
  tree.stopWhenExits(temporal, 'The Temporal dev server');
  launch.phase('temporal');
  return { address, ui: `http://${host}:${uiPort}` };
}

/** The workers, as their own processes (what a deployment runs), sharing this process tree. */
function startWorkers(launch: Launch, databaseUrl: string, temporalAddress: string, dispatch: Env['OUTBOX_DISPATCH']): Child[] {
  const { config, embedded, dataDir, tree } = launch;
  const workerEnv: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: temporalAddress,
    TEMPORAL_NAMESPACE: config.TEMPORAL_NAMESPACE,
    TEMPORAL_TASK_QUEUE: config.TEMPORAL_TASK_QUEUE,
    OUTBOX_DISPATCH: dispatch,
    LOG_LEVEL: launch.logLevel,
    // The same key as the API server's (SECRET_KEY, or the data dir's own): workers open workspace secrets.
    ...(config.SECRET_KEY ? { SECRET_KEY: config.SECRET_KEY } : {}),
  };
  const workers: Child[] = [];
  for (let i = 1; i <= embedded.WORKERS; i++) {
    const name = `worker-${i}`;
    const worker = startChild(name, process.execPath, ['--import', 'tsx', join('worker', 'src', 'worker.ts')], {
      cwd: REPO_ROOT,
      env: workerEnv,
      logFile: join(dataDir, 'logs', `${name}.log`),
      onLine: (line) => {
        // Errors reach the console; the rest (JSON lines, and the SDK core's own WARN/INFO lines) the log file.
        const plain = line.replace(ANSI_COLOUR, '');
        const quiet = plain.startsWith('{') ? !/"level":"error"/.test(plain) : /\s(WARN|INFO|DEBUG|TRACE)\s/.test(plain);
        if (!quiet) process.stderr.write(`[${name}] ${plain}\n`);
      },
    });
    tree.track(worker, 'worker/src/worker.ts');
    workers.push(worker);
    tree.stopWhenExits(worker, name);
  }
  return workers;
}

/** The demo workspace, seeded when the database is empty (a first start) and DEMO_SEED allows; else null. */
async function seedDemoOnFirstStart(launch: Launch, databaseUrl: string): Promise<DemoWorkspace | null> {
  if (!launch.embedded.DEMO_SEED) return null;
  let demo: DemoWorkspace | null = null;
  const database = connectPostgres(databaseUrl, { max: 2 });
  try {
    if (await isEmptyDatabase(database.db)) demo = await seedDemo(database.db, { leadCount: launch.embedded.DEMO_LEADS });
  } finally {
    await database.close();
  }
  if (demo) launch.phase('demo seed');
  return demo;
}

/**
 * Waits until each of our workers polls the task queue (poller identity is "<pid>@<host>"; a previous
 * run's pollers may still be listed).
 */
async function waitForWorkers(launch: Launch, workers: readonly Child[], temporalAddress: string): Promise<void> {
  if (workers.length === 0) return;
  const { config } = launch;
  const identities = new Set(workers.map((w) => `${w.pid}@${hostname()}`));
  await waitFor(
    'worker',
    120_000,
    async () => {
      const c = await Connection.connect({ address: temporalAddress, connectTimeout: '1s' });
      try {
        const r = await c.workflowService.describeTaskQueue({ namespace: config.TEMPORAL_NAMESPACE, taskQueue: { name: config.TEMPORAL_TASK_QUEUE }, taskQueueType: 1 });
        const polling = new Set((r.pollers ?? []).map((p) => p.identity ?? ''));
        return [...identities].every((id) => polling.has(id)) ? true : null;
      } finally {
        await c.close();
      }
    },
    () => {
      const dead = workers.find((c) => c.done);
      return dead ? `exited; the end of ${dead.logFile}:\n${dead.tail()}` : null;
    },
  );
  launch.phase('workers');
}

/** Writes the demo file on a first start, then prints where everything is, how to post a lead, and the READY line. */
function printReady(launch: Launch, run: { url: string; demo: DemoWorkspace | null; temporal: TemporalEndpoint; databaseUrl: string }): void {
  const { config, dataDir, tree } = launch;
  const { url, demo, temporal, databaseUrl } = run;
  const demoFile = demoFilePath(dataDir);
  if (demo) writeFileSync(demoFile, `${JSON.stringify({ url, workflowId: demo.workflowId, apiKey: demo.apiKey } satisfies DemoFile, null, 2)}\n`, { mode: 0o600 });
  const saved: DemoFile | null = existsSync(demoFile) ? (JSON.parse(readFileSync(demoFile, 'utf8')) as DemoFile) : null;

  const seconds = ((Date.now() - launch.started) / 1000).toFixed(1);
  const lines = [
    '',
    `Lead Router is running (started in ${seconds} s)`,
    `  App            ${url}`,
    `  API reference  ${url}/api/docs  (OpenAPI: ${url}/api/openapi.json)`,
    ...(temporal.ui ? [`  Temporal UI    ${temporal.ui}`] : []),
    `  Temporal       ${temporal.address} (namespace ${config.TEMPORAL_NAMESPACE})`,
    `  Database       ${config.DATABASE_URL ? 'DATABASE_URL' : `PGlite in ${join(dataDir, 'pglite')} (${databaseUrl})`}`,
    `  Logs           ${join(dataDir, 'logs')}`,
  ];
  if (demo) {
    lines.push(
      '',
      'First start: the demo workspace is ready (shown once; the key is also in ' + demoFile + '):',
      `  Sign in        ${demo.admin.email}  /  ${demo.admin.password}`,
      `  API key        ${demo.apiKey}`,
      `  Routing        "${DEMO_WORKFLOW_NAME}" is published and active${demo.leads ? `; ${demo.leads} sample leads arrive over the next ${Math.ceil((demo.leads * DEMO_LEAD_SPREAD_MS) / 1000)} s` : ''}.`,
    );
  }
  if (saved) {
    lines.push('', 'Post a lead:', `  ${curlLine(url, saved.workflowId, saved.apiKey)}`, 'Stream demo leads:', '  npx lead-router demo --leads 50');
  }
  lines.push('', 'Press Ctrl-C to stop.');
  say(lines.join('\n'));
  // For scripts and tests that start the launcher: one machine-readable line.
  say(`READY ${JSON.stringify({ url, temporal: temporal.address, temporalUi: temporal.ui, pids: tree.children.map((c) => ({ name: c.name, pid: c.pid })), ...(demo ? { apiKey: demo.apiKey, workflowId: demo.workflowId } : {}) })}`);
}

export type { EmbeddedEnv };
