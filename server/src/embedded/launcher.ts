import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Connection } from '@temporalio/client';
import { connectPostgres, migratePostgres } from '@lead-router/db/client';
import type { Env } from '../env';
import { createLogger } from '../http/logger';
import { DEMO_LEAD_SPREAD_MS, DEMO_WORKFLOW_NAME, isEmptyDatabase, seedDemo, type DemoWorkspace } from '../services/demo-seed';
import { startApiServer, type ApiServer } from './api-server';
import { reapLeftovers, startChild, type Child, type ChildRecord } from './children';
import { loadEmbeddedEnv, REPO_ROOT, type EmbeddedEnv } from './config';
import { PgliteWireServer } from './pglite-wire';
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

const say = (msg: string) => process.stdout.write(`${msg}\n`);

async function isPortFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, host, () => s.close(() => resolve(true)));
  });
}

async function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, host, () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** `preferred` when free (0 means any), else a free port. */
async function pickPort(preferred: number, host: string): Promise<number> {
  if (preferred !== 0 && (await isPortFree(preferred, host))) return preferred;
  return freePort(host);
}

async function waitFor<T>(what: string, timeoutMs: number, attempt: () => Promise<T | null>, alive: () => string | null): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown = null;
  for (;;) {
    const dead = alive();
    if (dead) throw new Error(`${what}: ${dead}`);
    try {
      const r = await attempt();
      if (r !== null) return r;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`${what}: not ready after ${timeoutMs / 1000} s${last ? ` (${(last as Error).message})` : ''}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function curlLine(url: string, workflowId: string, key: string): string {
  const lead = JSON.stringify({ email: 'jo@globex.com', firstName: 'Jo', lastName: 'Rivera', company: 'Globex Corporation', title: 'VP of Sales', country: 'US', leadSource: 'Demo Request' });
  return `curl -s -X POST ${url}/api/workflows/${workflowId}/leads -H 'Authorization: Bearer ${key}' -H 'Content-Type: application/json' -d '${lead}'`;
}

/**
 * The processes and servers one embedded run owns, and how they stop: in order (the API server, then the
 * workers, which finish their activities against a database and Temporal still running, then Temporal, then
 * the database), once, whatever asked first (a signal, a child that died, a failed start).
 */
class ProcessTree {
  readonly children: Child[] = [];
  private readonly records: ChildRecord[] = [];
  wire: PgliteWireServer | null = null;
  pglite: PGlite | null = null;
  api: ApiServer | null = null;
  private stopping: Promise<void> | null = null;
  private firstSignal = 0;

  /** The children of this run, on disk: a launcher that is killed outright cannot stop them, the next one will. */
  constructor(private readonly pidsFile: string) {}

  get isStopping(): boolean {
    return this.stopping !== null;
  }

  /** Stops what a previous run left behind (its pids file), before this run starts anything. */
  reapLeftovers(): void {
    if (!existsSync(this.pidsFile)) return;
    const reaped = reapLeftovers(JSON.parse(readFileSync(this.pidsFile, 'utf8')) as ChildRecord[]);
    if (reaped.length) say(`Stopped what a previous run left behind: ${reaped.join(', ')}`);
    rmSync(this.pidsFile, { force: true });
  }

  track(child: Child, marker: string): void {
    this.children.push(child);
    this.records.push({ name: child.name, pid: child.pid, marker });
    writeFileSync(this.pidsFile, `${JSON.stringify(this.records)}\n`);
  }

  /** Stops the whole run if `child` exits while it is not stopping. */
  stopWhenExits(child: Child, what: string): void {
    void child.exited.then((code) => {
      if (!this.stopping) {
        say(`${what} exited (${code}); see ${child.logFile}`);
        void this.stopAll(`${child.name} exited`, 1);
      }
    });
  }

  /** Ctrl-C and SIGTERM stop everything in order; a second Ctrl-C kills at once. */
  handleSignals(): void {
    const onSignal = (signal: NodeJS.Signals) => {
      // A second Ctrl-C (not the echo of the first through a wrapper) kills at once.
      if (this.firstSignal && Date.now() - this.firstSignal > 1000) {
        say('Killing everything now.');
        process.exit(130);
      }
      this.firstSignal ||= Date.now();
      void this.stopAll(signal, 0);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }

  stopAll(reason: string, code: number): Promise<void> {
    this.stopping ??= (async () => {
      say(`\nStopping (${reason}) ...`);
      const step = async (what: string, fn: () => Promise<void>) => {
        try {
          await fn();
        } catch (e) {
          say(`  ${what}: ${(e as Error).message}`);
        }
      };
      const { api, wire, pglite, children } = this;
      if (api) await step('server', () => api.stop());
      await step('workers', async () => {
        await Promise.all(children.filter((c) => c.name.startsWith('worker')).map((c) => c.stop(15_000)));
      });
      await step('temporal', async () => {
        await Promise.all(children.filter((c) => c.name === 'temporal').map((c) => c.stop(10_000)));
      });
      if (wire) await step('database', () => wire.stop());
      if (pglite) await step('database', () => pglite.close());
      if (children.every((c) => c.done)) rmSync(this.pidsFile, { force: true });
      say('Stopped.');
      process.exit(code);
    })();
    return this.stopping;
  }
}

/** What every start-up phase reads. */
interface Launch {
  config: Env;
  embedded: EmbeddedEnv;
  source: Record<string, string | undefined>;
  tree: ProcessTree;
  dataDir: string;
  host: string;
  logLevel: Env['LOG_LEVEL'];
  log: ReturnType<typeof createLogger>;
  /** Prints that a phase is ready, with the seconds since the process started. */
  phase(what: string): void;
}

/** PGlite over the wire protocol on loopback, unless DATABASE_URL names a real PostgreSQL; then migrations. */
async function startDatabase(l: Launch, pgPort: number, databaseUrl: string): Promise<void> {
  if (!l.config.DATABASE_URL) {
    const pglite = await PGlite.create({ dataDir: join(l.dataDir, 'pglite') });
    l.tree.pglite = pglite;
    l.tree.wire = new PgliteWireServer({
      db: pglite,
      port: pgPort,
      onSlowTransaction: ({ heldMs, queued }) => l.log.warn('a transaction has held the embedded database', { heldMs, queued }),
    });
    await l.tree.wire.start();
  }
  await migratePostgres(databaseUrl);
  l.phase('database');
}

/** The Temporal dev server with its state in a file, unless TEMPORAL_ADDRESS names a real Temporal. */
async function startTemporal(l: Launch): Promise<{ address: string; ui: string | null }> {
  const { config, embedded, host, dataDir } = l;
  if (config.TEMPORAL_ADDRESS) return { address: config.TEMPORAL_ADDRESS, ui: config.TEMPORAL_UI_URL ?? null };
  const cli = await ensureTemporalCli(REPO_ROOT, say, { ...l.source, ...(embedded.TEMPORAL_CLI_PATH ? { TEMPORAL_CLI_PATH: embedded.TEMPORAL_CLI_PATH } : {}) });
  const port = await pickPort(embedded.TEMPORAL_PORT, host);
  const uiPort = await pickPort(embedded.TEMPORAL_UI_PORT, host);
  const httpPort = await freePort(host);
  const metricsPort = await freePort(host);
  // WAL with synchronous=normal: durable across a process crash, and each history write no longer
  // waits for a disk flush (steps of a lead took ~4x longer with the default).
  const args = ['server', 'start-dev', '--db-filename', join(dataDir, 'temporal.db'), '--ip', host, '--port', String(port), '--ui-port', String(uiPort), '--http-port', String(httpPort), '--metrics-port', String(metricsPort), '--namespace', config.TEMPORAL_NAMESPACE, '--log-level', 'warn', '--ui-disable-news-fetch', '--sqlite-pragma', 'journal_mode=wal', '--sqlite-pragma', 'synchronous=normal'];
  const temporal = startChild('temporal', cli, args, { cwd: REPO_ROOT, env: process.env, logFile: join(dataDir, 'logs', 'temporal.log') });
  l.tree.track(temporal, join(dataDir, 'temporal.db'));
  const address = `${host}:${port}`;
  await waitFor('Temporal dev server', 60_000, async () => {
    const c = await Connection.connect({ address, connectTimeout: '1s' });
    try {
      await c.workflowService.getSystemInfo({});
      return true;
    } finally {
      await c.close();
    }
  }, () => (temporal.done ? `exited; the end of ${temporal.logFile}:\n${temporal.tail()}` : null));
  l.tree.stopWhenExits(temporal, 'The Temporal dev server');
  l.phase('temporal');
  return { address, ui: `http://${host}:${uiPort}` };
}

/** The workers, as their own processes (what a deployment runs), sharing this process tree. */
function startWorkers(l: Launch, databaseUrl: string, temporalAddress: string): Child[] {
  const workerEnv: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: temporalAddress,
    TEMPORAL_NAMESPACE: l.config.TEMPORAL_NAMESPACE,
    TEMPORAL_TASK_QUEUE: l.config.TEMPORAL_TASK_QUEUE,
    LOG_LEVEL: l.logLevel,
  };
  const workers: Child[] = [];
  for (let i = 1; i <= l.embedded.WORKERS; i++) {
    const name = `worker-${i}`;
    const worker = startChild(name, process.execPath, ['--import', 'tsx', join('worker', 'src', 'worker.ts')], {
      cwd: REPO_ROOT,
      env: workerEnv,
      logFile: join(l.dataDir, 'logs', `${name}.log`),
      onLine: (line) => {
        // Errors reach the console; the rest (JSON lines, and the SDK core's own WARN/INFO lines) the log file.
        const plain = line.replace(ANSI_COLOUR, '');
        const quiet = plain.startsWith('{') ? !/"level":"error"/.test(plain) : /\s(WARN|INFO|DEBUG|TRACE)\s/.test(plain);
        if (!quiet) process.stderr.write(`[${name}] ${plain}\n`);
      },
    });
    l.tree.track(worker, 'worker/src/worker.ts');
    workers.push(worker);
    l.tree.stopWhenExits(worker, name);
  }
  return workers;
}

/** The demo workspace, on a first start (an empty database) when DEMO_SEED allows it. */
async function seedDemoOnFirstStart(l: Launch, databaseUrl: string): Promise<DemoWorkspace | null> {
  if (!l.embedded.DEMO_SEED) return null;
  let demo: DemoWorkspace | null = null;
  const database = connectPostgres(databaseUrl, { max: 2 });
  try {
    if (await isEmptyDatabase(database.db)) demo = await seedDemo(database.db, { leadCount: l.embedded.DEMO_LEADS });
  } finally {
    await database.close();
  }
  if (demo) l.phase('demo seed');
  return demo;
}

/** Ready when each of our workers polls the task queue (poller identity is "<pid>@<host>"; a previous run's pollers may still be listed). */
async function waitForWorkers(l: Launch, workers: Child[], temporalAddress: string): Promise<void> {
  if (workers.length === 0) return;
  const identities = new Set(workers.map((w) => `${w.pid}@${hostname()}`));
  await waitFor('worker', 120_000, async () => {
    const c = await Connection.connect({ address: temporalAddress, connectTimeout: '1s' });
    try {
      const r = await c.workflowService.describeTaskQueue({ namespace: l.config.TEMPORAL_NAMESPACE, taskQueue: { name: l.config.TEMPORAL_TASK_QUEUE }, taskQueueType: 1 });
      const polling = new Set((r.pollers ?? []).map((p) => p.identity ?? ''));
      return [...identities].every((id) => polling.has(id)) ? true : null;
    } finally {
      await c.close();
    }
  }, () => {
    const dead = workers.find((c) => c.done);
    return dead ? `exited; the end of ${dead.logFile}:\n${dead.tail()}` : null;
  });
  l.phase('workers');
}

/** What the person at the terminal needs: where everything is, the demo's sign-in, a curl to post a lead; then one READY line for scripts. */
function printReady(l: Launch, started: number, ready: { url: string; databaseUrl: string; temporalAddress: string; temporalUi: string | null; demo: DemoWorkspace | null }): void {
  const { config, dataDir } = l;
  const { url, databaseUrl, temporalAddress, temporalUi, demo } = ready;
  const demoFile = demoFilePath(dataDir);
  if (demo) writeFileSync(demoFile, `${JSON.stringify({ url, workflowId: demo.workflowId, apiKey: demo.apiKey } satisfies DemoFile, null, 2)}\n`, { mode: 0o600 });
  const saved: DemoFile | null = existsSync(demoFile) ? (JSON.parse(readFileSync(demoFile, 'utf8')) as DemoFile) : null;

  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const lines = [
    '',
    `Lead Router is running (started in ${seconds} s)`,
    `  App            ${url}`,
    `  API reference  ${url}/api/docs  (OpenAPI: ${url}/api/openapi.json)`,
    ...(temporalUi ? [`  Temporal UI    ${temporalUi}`] : []),
    `  Temporal       ${temporalAddress} (namespace ${config.TEMPORAL_NAMESPACE})`,
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
  say(`READY ${JSON.stringify({ url, temporal: temporalAddress, temporalUi, pids: l.tree.children.map((c) => ({ name: c.name, pid: c.pid })), ...(demo ? { apiKey: demo.apiKey, workflowId: demo.workflowId } : {}) })}`);
}

/**
 * The embedded default of `npm start`: PGlite (data in DATA_DIR/pglite) served over the PostgreSQL wire
 * protocol on loopback, a Temporal dev server (DATA_DIR/temporal.db), the API server with the built web
 * app, and worker processes, in one process tree. DATABASE_URL or TEMPORAL_ADDRESS, when set, replace
 * their embedded part. Ctrl-C (SIGINT) or SIGTERM stops everything in order; all state is on disk, so the
 * next start carries on, timers of waiting leads included.
 */
export async function runEmbedded(config: Env, source: Record<string, string | undefined> = process.env): Promise<void> {
  // From the process start, module loading included: what the person at the terminal waits.
  const started = Date.now() - Math.round(process.uptime() * 1000);
  const embedded = loadEmbeddedEnv(source);
  const logLevel = source.LOG_LEVEL ? config.LOG_LEVEL : 'warn';
  const dataDir = embedded.DATA_DIR;
  mkdirSync(join(dataDir, 'logs'), { recursive: true });
  const tree = new ProcessTree(join(dataDir, 'pids.json'));
  const l: Launch = {
    config,
    embedded,
    source,
    tree,
    dataDir,
    host: config.HOST,
    logLevel,
    log: createLogger(logLevel, { service: 'server' }),
    phase: (what) => say(`  ${what} ready (${((Date.now() - started) / 1000).toFixed(1)} s)`),
  };
  tree.handleSignals();

  try {
    say(`Lead Router: embedded mode (data in ${dataDir})`);
    tree.reapLeftovers();
    // Fail before starting anything when the app's port is taken (0 picks a free one).
    if (config.PORT !== 0 && !(await isPortFree(config.PORT, l.host))) throw new Error(`PORT: ${l.host}:${config.PORT} is already in use; set PORT to another port.`);
    const webBuild = ensureWebBuild(REPO_ROOT, say);

    // PostgreSQL and Temporal start side by side. The workers start as soon as Temporal answers (their
    // workflow bundle is the slowest part of a start): they are given the database's URL up front and
    // connect on their first activity. The demo seed and the API follow the database.
    const pgPort = config.DATABASE_URL ? 0 : await pickPort(embedded.PGLITE_PORT, '127.0.0.1');
    const databaseUrl = config.DATABASE_URL ?? `postgres://postgres@127.0.0.1:${pgPort}/postgres`;
    const databaseReady = startDatabase(l, pgPort, databaseUrl);
    // Awaited below; until then a failure must not count as unhandled.
    databaseReady.catch(() => {});
    const { address: temporalAddress, ui: temporalUi } = await startTemporal(l).catch(async (e: unknown) => {
      // Let the database finish starting, so stopping can close it.
      await databaseReady.catch(() => {});
      throw e;
    });
    const workers = startWorkers(l, databaseUrl, temporalAddress);

    await databaseReady;
    const demo = await seedDemoOnFirstStart(l, databaseUrl);
    if (await webBuild) l.phase('web build');
    tree.api = await startApiServer({ ...config, LOG_LEVEL: logLevel, DATABASE_URL: databaseUrl, TEMPORAL_ADDRESS: temporalAddress, ...(temporalUi ? { TEMPORAL_UI_URL: temporalUi } : {}) }, l.log);
    const url = config.PUBLIC_URL ?? `http://${l.host === '0.0.0.0' ? '127.0.0.1' : l.host}:${tree.api.port}`;
    l.phase(`app at ${url}`);
    await waitForWorkers(l, workers, temporalAddress);
    printReady(l, started, { url, databaseUrl, temporalAddress, temporalUi, demo });
  } catch (e) {
    say(`Start-up failed: ${(e as Error).message}`);
    await tree.stopAll('start-up failed', 1);
  }
}

export type { EmbeddedEnv };
