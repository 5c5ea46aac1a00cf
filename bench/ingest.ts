// Ingestion: requests/s and latency percentiles of the trigger endpoint (POST /api/workflows/{id}/leads,
// answering 202 once the lead and its outbox row are committed) under autocannon at 50 connections for
// INGEST_SECONDS (default 20), with a local Temporal dev server, the API server and a worker running as
// separate processes over a scratch PostgreSQL database. Afterwards every 202 is checked against the
// database: as many leads stored, each with its outbox row.
// Also exports the stack it starts, which bench/memory.ts and bench/simulate-http.ts reuse.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DirectorySchema, type DirectoryInput, type Graph } from '@lead-router/shared';
import { demoDirectory, hybridRoutingGraph } from '@lead-router/shared/fixtures';
import { eq, sql } from 'drizzle-orm';
import { workflows } from '@lead-router/db/schema';
import { createApiKey, createWorkspace } from '../server/src/services/workspaces.service';
import { freePort, startTemporalDevServer } from '@lead-router/testkit/temporal-dev-server';
import { createTestDatabase, insertVersion, seedDirectory, type TestDatabase } from '../worker/src/test/test-db';
import { report, type BenchRow } from './results';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** A running stack: scratch database, optional Temporal dev server and worker, the API server process. */
export interface BenchStack {
  base: string;
  key: string;
  workflowId: string;
  database: TestDatabase;
  server: ChildProcess;
  worker: ChildProcess | null;
  stop(): Promise<void>;
}

/** Always-available reps without caps: benchmarks measure the machinery, not capacity. */
export const uncappedDirectory: DirectoryInput = { ...demoDirectory, reps: demoDirectory.reps.map((r) => ({ ...r, workingHours: null, outOfOffice: [], caps: {} })) };

function spawnTs(file: string, env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', file], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
}

/**
 * Starts the stack: a scratch database with a workspace, an admin key, the directory and an active
 * version of `graph`; the API server; and, when `temporal` is set, a dev server and one worker.
 */
export async function startBenchStack(options: { temporal: boolean; graph?: Graph; directory?: DirectoryInput; taskQueue?: string }): Promise<BenchStack> {
  const temporal = options.temporal ? await startTemporalDevServer(await freePort()) : null;
  const database = await createTestDatabase({ max: 5 });
  const procs: ChildProcess[] = [];
  const stop = async () => {
    for (const p of procs) if (p.exitCode === null) p.kill('SIGINT');
    await new Promise((r) => setTimeout(r, 2000));
    for (const p of procs) if (p.exitCode === null) p.kill('SIGKILL');
    await temporal?.stop();
    await database.drop();
  };
  try {
    const db = database.db;
    const directory = options.directory ?? uncappedDirectory;
    const ws = await createWorkspace(db, 'bench');
    const key = (await createApiKey(db, { workspaceId: ws.id, name: 'bench', role: 'admin' })).key;
    await seedDirectory(db, ws.id, directory);
    const [wf] = await db.insert(workflows).values({ workspaceId: ws.id, name: 'bench', webhookSecret: 'x' }).returning({ id: workflows.id });
    if (!wf) throw new Error('no workflow');
    const { versionId } = await insertVersion(db, wf.id, options.graph ?? hybridRoutingGraph, DirectorySchema.parse(directory));
    await db.update(workflows).set({ activeVersionId: versionId }).where(eq(workflows.id, wf.id));

    const port = await freePort();
    // Without Temporal the server still serves everything but routing; the outbox waits at a dead port.
    const env = { DATABASE_URL: database.url, TEMPORAL_ADDRESS: temporal?.address ?? '127.0.0.1:1', TEMPORAL_TASK_QUEUE: options.taskQueue ?? 'bench', LOG_LEVEL: 'error', PORT: String(port), HOST: '127.0.0.1' };
    const server = spawnTs('server/src/main.ts', env);
    procs.push(server);
    const worker = temporal ? spawnTs('worker/src/worker.ts', env) : null;
    if (worker) procs.push(worker);
    const base = `http://127.0.0.1:${port}`;
    for (let i = 0; ; i++) {
      if ((await fetch(`${base}/healthz`).then((r) => r.ok).catch(() => false)) === true) break;
      if (i > 300) throw new Error('the API server did not start within 30 s');
      await new Promise((r) => setTimeout(r, 100));
    }
    return { base, key, workflowId: wf.id, database, server, worker, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** Resident set size of a process in bytes (Linux /proc), or NaN when it is gone. */
export function rssOf(pid: number | undefined): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const m = /VmRSS:\s+(\d+) kB/.exec(status);
    return m ? Number(m[1]) * 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** The autocannon result fields read here. */
interface CannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; p99_9?: number; max: number };
  statusCodeStats?: Record<string, { count: number }>;
  non2xx: number;
  errors: number;
  timeouts: number;
}
type Cannon = (opts: Record<string, unknown>) => Promise<CannonResult>;

export async function runIngestBench(): Promise<void> {
  const seconds = Number(process.env.INGEST_SECONDS ?? 20);
  const connections = Number(process.env.INGEST_CONNECTIONS ?? 50);
  const stack = await startBenchStack({ temporal: true });
  try {
    const db = stack.database.db;
    const count = async () => {
      const [r] = (await db.execute(sql`select (select count(*) from leads)::int as leads, (select count(*) from outbox o join leads l on l.id = o.lead_id)::int as outbox`)) as unknown as Array<{ leads: number; outbox: number }>;
      return r!;
    };
    // Warm-up, not measured: JIT, connection pools, the first key lookups.
    for (let i = 0; i < 30; i++) {
      await fetch(`${stack.base}/api/workflows/${stack.workflowId}/leads`, { method: 'POST', headers: { authorization: `Bearer ${stack.key}`, 'content-type': 'application/json' }, body: '{"email":"warm@acme.com"}' });
    }
    const before = await count();
    // No `id` field and no Idempotency-Key: every request is a new lead, not a replay of the first.
    const body = JSON.stringify({ firstName: 'Ana', lastName: 'Lee', email: 'ana@acme.com', company: 'Acme', employees: 650, country: 'US' });
    const autocannon = createRequire(import.meta.url)('autocannon') as Cannon;
    const r = await autocannon({
      url: `${stack.base}/api/workflows/${stack.workflowId}/leads`,
      method: 'POST',
      connections,
      duration: seconds,
      headers: { authorization: `Bearer ${stack.key}`, 'content-type': 'application/json' },
      body,
    });
    const after = await count();
    const accepted = r.statusCodeStats?.['202']?.count ?? 0;
    const stored = after.leads - before.leads;
    const withOutbox = after.outbox - before.outbox;
    // Requests still in flight when autocannon stops may commit without their 202 being counted: at
    // most one per connection.
    const whole = withOutbox === stored && stored >= accepted && stored <= accepted + connections;
    const rows: BenchRow[] = [
      {
        name: `trigger endpoint, ${connections} connections for ${seconds} s`,
        value: `${r.requests.average.toFixed(0)} requests/s; latency p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms, max ${r.latency.max} ms`,
        target: 'none set in DESIGN or the issues (recorded for comparison)',
        met: null,
      },
      {
        name: '202s with lead and outbox row committed',
        value: `${accepted} accepted, ${stored} leads stored, ${withOutbox} outbox rows; ${r.non2xx} non-2xx, ${r.errors} errors, ${r.timeouts} timeouts`,
        target: 'every 202 stored with its outbox row (in-flight at the end: at most one per connection); no errors',
        met: whole && r.non2xx === 0 && r.errors === 0,
      },
    ];
    report('Ingestion (bench/ingest.ts)', rows, [
      'autocannon against the API server process; a local `temporal server start-dev`, one worker routing the leads meanwhile, PostgreSQL on the same machine.',
      'Each request is a new lead (no id, no Idempotency-Key), so every 202 is a committed insert of lead, run and outbox row.',
    ]);
  } finally {
    await stack.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await runIngestBench();
