// Backfill throughput with live traffic: BACKFILL_LEADS (default 2,000) leads whose runs have ended are sent
// through the active version by one backfill job, while live leads are posted at LIVE_RATE (default 5/s)
// the whole time. Printed: the backfill's throughput (leads re-routed per second, from the job's start to its
// end), and live speed to lead (arrival -> first assignment committed, both stamped by the server) p50/p99
// alone (LIVE_SECONDS, default 20, before the backfill) and during the backfill. Everything real and local:
// a `temporal server start-dev`, a scratch PostgreSQL database, the API server (which runs the backfill
// runner with its default pacing, or BACKFILL_RATE / BACKFILL_MAX_IN_FLIGHT from the environment) and one
// worker as separate processes.
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DirectorySchema } from '@lead-router/shared';
import { demoDirectory, generateSampleLeads, hybridRoutingGraph } from '@lead-router/shared/fixtures';
import { eq, inArray } from 'drizzle-orm';
import { routingRuns, workflows } from '@lead-router/db/schema';
import { backfillJobs } from '@lead-router/db/backfill-schema';
import { createApiKey, createWorkspace } from '../server/src/services/workspaces.service';
import { seedFinishedLeads } from '../server/src/routes/backfills/backfills.fixtures';
import { freePort, startTemporalDevServer } from '@lead-router/testkit/temporal-dev-server';
import { createTestDatabase, insertVersion, seedDirectory } from '../worker/src/test/test-db';
import { report } from './results';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const LEADS = Number(process.env.BACKFILL_LEADS ?? 2000);
const LIVE_RATE = Number(process.env.LIVE_RATE ?? 5);
const LIVE_SECONDS = Number(process.env.LIVE_SECONDS ?? 20);

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runBackfillBench(): Promise<void> {
  const temporal = await startTemporalDevServer(await freePort());
  const database = await createTestDatabase({ max: 5 });
  const procs: ChildProcess[] = [];
  try {
    const db = database.db;
    const ws = await createWorkspace(db, 'backfill-bench');
    const ingest = (await createApiKey(db, { workspaceId: ws.id, name: 'ingest', role: 'ingest' })).key;
    const editor = (await createApiKey(db, { workspaceId: ws.id, name: 'editor', role: 'editor' })).key;
    // Always-available reps without caps, as in bench/speed-to-lead.ts.
    const directory = { ...demoDirectory, reps: demoDirectory.reps.map((r) => ({ ...r, workingHours: null, outOfOffice: [], caps: {} })) };
    await seedDirectory(db, ws.id, directory);
    const [wf] = await db.insert(workflows).values({ workspaceId: ws.id, name: 'bench', webhookSecret: 'x' }).returning({ id: workflows.id });
    if (!wf) throw new Error('no workflow');
    const { versionId } = await insertVersion(db, wf.id, hybridRoutingGraph, DirectorySchema.parse(directory));
    await db.update(workflows).set({ activeVersionId: versionId }).where(eq(workflows.id, wf.id));
    const seededUntil = new Date(Date.now() - 3_600_000);
    await seedFinishedLeads(db, { workspaceId: ws.id, workflowId: wf.id, versionId, n: LEADS, from: new Date(seededUntil.getTime() - LEADS * 1000), assigneeId: 'rep-ana' });

    const port = await freePort();
    const env = { DATABASE_URL: database.url, TEMPORAL_ADDRESS: temporal.address, TEMPORAL_TASK_QUEUE: 'bench-backfill', LOG_LEVEL: 'error', PORT: String(port), HOST: '127.0.0.1' };
    const spawnTs = (file: string) => spawn(process.execPath, ['--import', 'tsx', file], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
    procs.push(spawnTs('server/src/main.ts'), spawnTs('worker/src/worker.ts'));
    const base = `http://127.0.0.1:${port}`;
    for (let i = 0; ; i++) {
      if ((await fetch(`${base}/healthz`).then((r) => r.ok).catch(() => false)) === true) break;
      if (i > 600) throw new Error('server did not start');
      await sleep(100);
    }
    const samples = generateSampleLeads(2000, 17).filter((l) => l.email);
    let n = 0;
    const post = async (): Promise<string | null> => {
      const lead = { ...samples[n % samples.length], id: `live-${n++}` };
      const res = await fetch(`${base}/api/workflows/${wf.id}/leads`, { method: 'POST', headers: { authorization: `Bearer ${ingest}`, 'content-type': 'application/json' }, body: JSON.stringify(lead) }).catch(() => null);
      return res?.status === 202 ? ((await res.json()) as { leadId: string }).leadId : null;
    };
    /** Posts at LIVE_RATE until `until()` says stop; the accepted ids. */
    const traffic = async (until: () => boolean | Promise<boolean>) => {
      const ids: string[] = [];
      const inflight: Promise<void>[] = [];
      const started = Date.now();
      for (let i = 0; !(await until()); i++) {
        const wait = started + (i * 1000) / LIVE_RATE - Date.now();
        if (wait > 0) await sleep(wait);
        inflight.push(post().then((id) => void (id && ids.push(id))));
      }
      await Promise.all(inflight);
      return ids;
    };
    const speeds = async (ids: string[]) => {
      for (let i = 0; i < 600; i++) {
        const rows = await db.select({ received: routingRuns.receivedAt, assigned: routingRuns.firstAssignedAt }).from(routingRuns).where(inArray(routingRuns.leadId, ids));
        if (rows.every((r) => r.assigned !== null) || i === 599) return rows.map((r) => (r.assigned ? r.assigned.getTime() - r.received.getTime() : Infinity)).sort((a, b) => a - b);
        await sleep(250);
      }
      return [];
    };

    // Warm-up (not measured): the worker bundles its workflow code, JIT, connection pools.
    const warm = await traffic(async () => n >= 20);
    await speeds(warm);
    const aloneEnd = Date.now() + LIVE_SECONDS * 1000;
    const alone = await speeds(await traffic(() => Date.now() >= aloneEnd));

    const res = await fetch(`${base}/api/backfills`, {
      method: 'POST',
      headers: { authorization: `Bearer ${editor}`, 'content-type': 'application/json' },
      body: JSON.stringify({ workflowId: wf.id, filter: { until: seededUntil.toISOString() } }),
    });
    const job = (await res.json()) as { id: string; total: number };
    if (res.status !== 202 || job.total !== LEADS) throw new Error(`the backfill did not start: ${res.status} ${JSON.stringify(job)}`);
    const jobRow = async () => (await db.select().from(backfillJobs).where(eq(backfillJobs.id, job.id)))[0]!;
    const during = await speeds(await traffic(async () => (await jobRow()).status !== 'running'));
    const done = await jobRow();
    const seconds = ((done.finishedAt ?? new Date()).getTime() - done.createdAt.getTime()) / 1000;
    const throughput = done.done / seconds;
    const fmt = (s: number[]) => `p50 ${pct(s, 50)} ms, p99 ${pct(s, 99)} ms (${s.length} leads)`;
    report(
      'Backfill throughput with live leads (bench/backfill.ts)',
      [
        { name: `backfill of ${LEADS.toLocaleString('en-US')} ended leads through the hybrid routing graph`, value: `${throughput.toFixed(1)} leads/s (${done.done} re-routed, ${done.skipped} skipped, ${seconds.toFixed(1)} s)`, target: '-', met: null },
        { name: `live speed to lead alone, ${LIVE_RATE} leads/s for ${LIVE_SECONDS} s`, value: fmt(alone), target: '-', met: null },
        { name: `live speed to lead during the backfill, ${LIVE_RATE} leads/s`, value: fmt(during), target: 'p99 < 2,000 ms', met: pct(during, 99) < 2000 },
      ],
      [
        `One API server process (the backfill runner at its defaults unless BACKFILL_* is set: ${process.env.BACKFILL_RATE ?? 50} leads/s at most, ${process.env.BACKFILL_MAX_IN_FLIGHT ?? 5} of its leads in flight, held back while more than 20 live outbox rows wait) and one worker, a local \`temporal server start-dev\` and PostgreSQL 15, all on this machine.`,
        'Speed to lead: routing_runs.first_assigned_at - received_at (both server clocks). The backfill\'s leads run the same graph as the live ones (6 local activities, then an SLA timer).',
      ],
    );
  } finally {
    for (const p of procs) p.kill('SIGINT');
    await sleep(2000);
    for (const p of procs) if (p.exitCode === null) p.kill('SIGKILL');
    await temporal.stop();
    await database.drop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await runBackfillBench();
