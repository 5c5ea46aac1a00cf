import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { migratePostgres } from '@lead-router/db/client';
import { freePort, startTemporalDevServer } from '@lead-router/testkit/temporal-dev-server';
import { seedWorkspace } from './seed';
import { controlPort, type StackInfo } from './stack-info';

// The real stack for the Playwright specs, as one process that Playwright's `webServer` owns (STACK.md
// trap 6): it builds the web, creates a fresh PostgreSQL database, starts a Temporal dev server, the API
// server (`server/src/main.ts`, serving web/dist) and a worker (`worker/src/worker.ts`) as real processes,
// seeds a workspace, then answers GET /stack on the control port with who and where. On SIGTERM or
// SIGINT it stops every child by its own pid and drops the database, so nothing outlives the run.
//
// E2E_SKIP_BUILD=1 serves the existing web/dist instead of building (for quick local re-runs).

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const PG_BASE = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const TEMPORAL_UI_URL = process.env.E2E_TEMPORAL_UI_URL ?? 'http://127.0.0.1:8233';

const children: { name: string; child: ChildProcess; tail: string[] }[] = [];
let info: StackInfo | null = null;
let failure: string | null = null;
let dbName: string | null = null;
let temporal: { stop(): Promise<void> } | null = null;
let stopping = false;
let webDist: string | null = null;

const log = (msg: string): void => {
  process.stdout.write(`[stack] ${msg}\n`);
};

function run(name: string, command: string, args: string[], env: Record<string, string>, longLived = true): ChildProcess {
  const child = spawn(command, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const entry = { name, child, tail: [] as string[] };
  const keep = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (!line.trim()) continue;
      entry.tail.push(line);
      if (entry.tail.length > 200) entry.tail.shift();
      // Warnings and errors of the children show in Playwright's output.
      if (/"level":"(warn|error)"|Error|error:/i.test(line)) process.stdout.write(`[${name}] ${line}\n`);
    }
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  child.once('exit', (code, signal) => {
    if (longLived && !stopping) {
      failure ??= `${name} exited (code ${code}, signal ${signal}):\n${entry.tail.join('\n')}`;
      log(failure);
    }
  });
  children.push(entry);
  return child;
}

function finished(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}

// Each run builds into its own folder: runs by several people at once must not empty each other's web/dist.
async function buildWeb(): Promise<string> {
  if (process.env.E2E_SKIP_BUILD === '1') {
    log('E2E_SKIP_BUILD=1: using the existing web/dist');
    return join(ROOT, 'web', 'dist');
  }
  const t0 = Date.now();
  webDist = mkdtempSync(join(tmpdir(), 'lead-router-e2e-web-'));
  const child = run('web-build', 'npm', ['run', 'build', '-w', 'web', '--', '--outDir', webDist, '--emptyOutDir'], {}, false);
  await finished(child);
  if (child.exitCode !== 0) throw new Error(`npm run build -w web failed:\n${children.find((c) => c.child === child)?.tail.join('\n')}`);
  log(`web built in ${Date.now() - t0} ms`);
  return webDist;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function createDatabase(): Promise<string> {
  const admin = postgres(PG_BASE, { max: 1, onnotice: () => {} });
  try {
    // A run killed outright (SIGKILL) could not drop its database: drop those whose stack process is gone.
    // Runs still going (ours or other people's) keep theirs: the name carries the owner's pid.
    const stale = await admin<{ datname: string }[]>`select datname from pg_database where datname like 'routing_e2e_%'`;
    for (const { datname } of stale) {
      const pid = Number(/^routing_e2e_(\d+)_/.exec(datname)?.[1]);
      if (Number.isInteger(pid) && pid !== process.pid && !alive(pid)) await admin.unsafe(`drop database if exists ${datname} with (force)`).catch(() => undefined);
    }
    dbName = `routing_e2e_${process.pid}_${Date.now().toString(36)}`;
    await admin.unsafe(`create database ${dbName}`);
  } finally {
    await admin.end({ timeout: 5 });
  }
  const url = new URL(PG_BASE);
  url.pathname = `/${dbName}`;
  await migratePostgres(url.toString());
  return url.toString();
}

async function waitUntil(what: string, probe: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe().catch(() => false))) {
    if (failure) throw new Error(failure);
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const SECRET_KEY = 'e2e-only-secret-key-0123456789abcdefghij';

async function start(): Promise<void> {
  const t0 = Date.now();
  const [dist, databaseUrl, t] = await Promise.all([buildWeb(), createDatabase(), freePort().then((p) => startTemporalDevServer(p))]);
  temporal = t;
  log(`database ${dbName}, Temporal at ${t.address}`);
  const taskQueue = `e2e-${process.pid}`;
  const common = { DATABASE_URL: databaseUrl, TEMPORAL_ADDRESS: t.address, TEMPORAL_TASK_QUEUE: taskQueue, LOG_LEVEL: 'warn' };
  const port = await freePort();
  const baseURL = `http://127.0.0.1:${port}`;
  run('server', process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
    ...common,
    PORT: String(port),
    HOST: '127.0.0.1',
    WEB_DIST: dist,
    TEMPORAL_UI_URL,
    // CRM connections and workspace secrets are sealed with it (settings-crm.spec.ts, secrets.spec.ts).
    SECRET_KEY,
  });
  // The worker opens workspace secrets with the same key, and secrets.spec.ts's enrichment server is on loopback.
  run('worker', process.execPath, ['--import', 'tsx', 'worker/src/worker.ts'], { ...common, SECRET_KEY, ALLOW_PRIVATE_WEBHOOK_TARGETS: 'true' });
  await waitUntil('the server to be ready', async () => (await fetch(`${baseURL}/readyz`)).status === 200, 90_000);
  const seeded = await seedWorkspace(databaseUrl, baseURL);
  info = { baseURL, temporalAddress: t.address, temporalUiUrl: TEMPORAL_UI_URL, ...seeded, databaseUrl };
  log(`ready in ${Date.now() - t0} ms at ${baseURL}`);
}

async function stop(signal: string, code = 0): Promise<void> {
  if (stopping) return;
  stopping = true;
  log(`stopping (${signal})`);
  control.close();
  // Each step runs even if one before it fails.
  await Promise.all(
    children.map(async ({ child }) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 8_000);
      await finished(child);
      clearTimeout(timer);
    }),
  );
  await temporal?.stop().catch((e: unknown) => log(`temporal stop: ${String(e)}`));
  if (dbName) {
    const admin = postgres(PG_BASE, { max: 1, onnotice: () => {} });
    await admin.unsafe(`drop database if exists ${dbName} with (force)`).catch((e: unknown) => log(`drop database: ${String(e)}`));
    await admin.end({ timeout: 5 });
  }
  if (webDist) rmSync(webDist, { recursive: true, force: true });
  log('stopped');
  process.exit(code);
}

// GET /stack: 200 with the StackInfo once seeded, 503 while starting, 500 with the reason if start failed.
const control = createServer((req, res) => {
  if (failure) {
    res.writeHead(500, { 'content-type': 'text/plain' }).end(failure);
  } else if (!info) {
    res.writeHead(503, { 'content-type': 'text/plain' }).end('starting');
  } else {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(info));
  }
  void req;
});

process.on('SIGTERM', () => void stop('SIGTERM'));
process.on('SIGINT', () => void stop('SIGINT'));
process.on('exit', () => {
  for (const { child } of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

control.listen(controlPort(), '127.0.0.1', () => {
  start().catch((e: unknown) => {
    failure ??= e instanceof Error ? (e.stack ?? e.message) : String(e);
    log(`start failed: ${failure}`);
    // Exiting tells Playwright at once (its webServer exited early) instead of waiting out the timeout.
    void stop('start failed', 1);
  });
});
