// A backfill of 2,000 leads with the API server SIGKILLed mid-job: a real Temporal dev server, the API server
// (which runs the backfill runner beside the outbox dispatcher) and a worker as processes. A second server
// takes the job over once the dead one's lease runs out and finishes it: every lead gets exactly one new run
// (one run_history row, one outbox row, one trace of it; a Temporal start repeated by the crash routes nothing).
// Live leads posted meanwhile, before and after the crash, are assigned within a bound of the time they take alone.
import { randomBytes } from 'node:crypto';
import { DirectorySchema } from '@lead-router/shared';
import { Client, Connection } from '@temporalio/client';
import { and, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outbox, routingRuns, traceSteps, workflows } from '@lead-router/db/schema';
import { runHistory } from '@lead-router/db/history-schema';
import { backfillItems, backfillJobs } from '@lead-router/db/backfill-schema';
import { createApiKey, createWorkspace } from '../../server/src/services/workspaces.service';
import { seedFinishedLeads } from '../../server/src/routes/backfills/backfills.fixtures';
import { roundRobinDirectory, roundRobinGraph } from '../../server/src/routes/test-runs/test-runs.fixtures';
import { freePort, startTemporalDevServer } from '@lead-router/testkit/temporal-dev-server';
import { createTestDatabase, insertVersion, seedDirectory, type TestDatabase } from '../../worker/src/test/test-db';
import { killAllTestProcesses, sleep, startServerAndWorker, type StackEnv, TestProcess, waitFor, waitForHttp } from '../../worker/src/e2e/processes';

/** BACKFILL_E2E_LEADS shortens it on a loaded machine (the issue's check is 2,000). */
const LEADS = Number(process.env.BACKFILL_E2E_LEADS ?? 2_000);
/** A live lead's speed to lead may not pass this while the backfill runs (alone it takes ~50-150 ms here). */
const LIVE_BOUND_MS = 2_000;
const directory = roundRobinDirectory(3);
const taskQueue = `backfill-restart-${randomBytes(4).toString('hex')}`;

let temporal: { address: string; stop(): Promise<void> };
let database: TestDatabase;
let env: StackEnv;
let server: TestProcess;
const started: TestProcess[] = [];
let base: string;
let keys: { ingest: string; editor: string };
let workflowId: string;

beforeAll(async () => {
  temporal = await startTemporalDevServer(await freePort());
  database = await createTestDatabase({ max: 5 });
  const db = database.db;
  const ws = await createWorkspace(db, 'backfill-restart');
  keys = {
    ingest: (await createApiKey(db, { workspaceId: ws.id, name: 'ingest', role: 'ingest' })).key,
    editor: (await createApiKey(db, { workspaceId: ws.id, name: 'editor', role: 'editor' })).key,
  };
  await seedDirectory(db, ws.id, directory);
  const [wf] = await db.insert(workflows).values({ workspaceId: ws.id, name: 'backfill', webhookSecret: 'x' }).returning({ id: workflows.id });
  workflowId = wf!.id;
  const { versionId } = await insertVersion(db, workflowId, roundRobinGraph(), DirectorySchema.parse(directory));
  await db.update(workflows).set({ activeVersionId: versionId }).where(eq(workflows.id, workflowId));
  // 2,000 leads routed an hour ago, their runs ended, held by rep-1.
  await seedFinishedLeads(db, { workspaceId: ws.id, workflowId, versionId, n: LEADS, from: new Date(Date.now() - 3_600_000 - LEADS * 1000), assigneeId: 'rep-1' });

  const port = await freePort();
  env = {
    DATABASE_URL: database.url,
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_TASK_QUEUE: taskQueue,
    LOG_LEVEL: 'warn',
    PORT: String(port),
    HOST: '127.0.0.1',
    // A dead server's job is taken over 3 s after its last batch (30 s by default).
    BACKFILL_LEASE_MS: '3000',
    BACKFILL_RATE: '200',
  };
  const stack = await startServerAndWorker(env);
  ({ server, base } = stack);
  started.push(stack.server, stack.worker);
}, 240_000);

afterAll(async () => {
  await killAllTestProcesses();
  await temporal?.stop();
  await database?.drop();
}, 60_000);

const logs = async () => {
  const jobs = await database.db.select({ status: backfillJobs.status, done: backfillJobs.done, skipped: backfillJobs.skipped, lease: backfillJobs.leaseOwner }).from(backfillJobs);
  return `jobs: ${JSON.stringify(jobs)}\n${started.map((p) => `${p.name}: ${p.output().slice(-1500)}`).join('\n')}`;
};

/** Posts one live lead; its id. */
async function postLive(i: number): Promise<string | null> {
  const res = await fetch(`${base}/api/workflows/${workflowId}/leads`, {
    method: 'POST',
    headers: { authorization: `Bearer ${keys.ingest}`, 'content-type': 'application/json' },
    body: JSON.stringify({ firstName: 'Live', lastName: `Lead ${i}`, email: `live${i}@example.com`, company: 'Acme', id: `live-${i}` }),
  }).catch(() => null);
  if (res?.status !== 202) return null;
  return ((await res.json()) as { leadId: string }).leadId;
}

/** Posts a live lead every `everyMs` until `stop()`; the ids of those accepted. */
function liveTraffic(from: number, everyMs: number) {
  const ids: string[] = [];
  let on = true;
  const loop = (async () => {
    for (let i = from; on; i++) {
      const id = await postLive(i);
      if (id) ids.push(id);
      await sleep(everyMs);
    }
  })();
  return {
    ids,
    async stop() {
      on = false;
      await loop;
    },
  };
}

/** Each lead's time from arrival to its first assignment, once all of them are assigned. */
async function speeds(ids: string[]): Promise<number[]> {
  const db = database.db;
  await waitFor(
    'the live leads to be assigned',
    async () => {
      const rows = await db.select({ at: routingRuns.firstAssignedAt }).from(routingRuns).where(and(inArray(routingRuns.leadId, ids), isNotNull(routingRuns.firstAssignedAt)));
      return rows.length === ids.length;
    },
    { timeoutMs: 60_000, intervalMs: 250, describe: logs },
  );
  const rows = await db.select({ received: routingRuns.receivedAt, assigned: routingRuns.firstAssignedAt }).from(routingRuns).where(inArray(routingRuns.leadId, ids));
  return rows.map((r) => r.assigned!.getTime() - r.received.getTime()).sort((a, b) => a - b);
}

describe(`a backfill of ${LEADS.toLocaleString('en-US')} leads, its server killed mid-job`, () => {
  it('resumes on another server and routes every lead exactly once; live leads meanwhile stay fast', async () => {
    const db = database.db;
    // Live leads alone first: their usual time here.
    const alone: string[] = [];
    for (let i = 0; i < 10; i++) {
      const id = await postLive(i);
      if (id) alone.push(id);
      await sleep(100);
    }
    const usual = await speeds(alone);

    const start = await fetch(`${base}/api/backfills`, {
      method: 'POST',
      headers: { authorization: `Bearer ${keys.editor}`, 'content-type': 'application/json' },
      body: JSON.stringify({ workflowId, filter: { status: 'completed', assignee: 'rep-1', until: new Date(Date.now() - 1_800_000).toISOString() }, note: 'Re-balance' }),
    });
    const job = (await start.json()) as { id: string; total: number };
    expect(start.status, JSON.stringify(job)).toBe(202);
    expect(job.total).toBe(LEADS);
    const began = performance.now();

    const live1 = liveTraffic(100, 250);
    await waitFor(
      'a quarter of the backfill',
      async () => {
        const [j] = await db.select({ done: backfillJobs.done }).from(backfillJobs).where(eq(backfillJobs.id, job.id));
        return (j?.done ?? 0) >= LEADS / 4;
      },
      { timeoutMs: 240_000, intervalMs: 100, describe: logs },
    );
    await live1.stop();
    // The server dies as a crash would, mid-job, holding the job's lease; a new one starts on the same port.
    await server.kill('SIGKILL');
    const [atCrash] = await db.select().from(backfillJobs).where(eq(backfillJobs.id, job.id));
    expect(atCrash!.status).toBe('running');
    expect(atCrash!.done).toBeLessThan(LEADS);
    server = new TestProcess('server-2', 'server/src/main.ts', env);
    started.push(server);
    await waitForHttp(`${base}/healthz`, server, 60_000);

    const live2 = liveTraffic(1000, 250);
    await waitFor(
      'the backfill to complete',
      async () => {
        const [j] = await db.select({ status: backfillJobs.status }).from(backfillJobs).where(eq(backfillJobs.id, job.id));
        return j?.status === 'completed';
      },
      { timeoutMs: 480_000, intervalMs: 250, describe: logs },
    );
    await live2.stop();
    const seconds = (performance.now() - began) / 1000;

    // Every lead's new run has ended (the graph routes and ends).
    const ids = (await db.select({ id: backfillItems.leadId }).from(backfillItems).where(eq(backfillItems.jobId, job.id))).map((r) => r.id);
    expect(ids).toHaveLength(LEADS);
    await waitFor(
      'every new run to end',
      async () => {
        const [r] = await db.select({ n: sql<number>`count(*)::int` }).from(routingRuns).where(and(inArray(routingRuns.leadId, ids), eq(routingRuns.status, 'completed'), eq(routingRuns.runNumber, 2)));
        return r?.n === LEADS;
      },
      { timeoutMs: 90_000, intervalMs: 500, describe: logs },
    );

    const [final] = await db.select().from(backfillJobs).where(eq(backfillJobs.id, job.id));
    expect(final).toMatchObject({ status: 'completed', total: LEADS, done: LEADS, skipped: 0 });
    // Exactly one new run per lead: one earlier run kept, one outbox row, one trace of the trigger.
    const perLead = async (q: Promise<Array<{ lead: string; n: number }>>) => {
      const rows = await q;
      expect(rows).toHaveLength(LEADS);
      expect(rows.filter((r) => r.n !== 1)).toEqual([]);
    };
    await perLead(db.select({ lead: runHistory.leadId, n: sql<number>`count(*)::int` }).from(runHistory).where(inArray(runHistory.leadId, ids)).groupBy(runHistory.leadId));
    await perLead(db.select({ lead: outbox.leadId, n: sql<number>`count(*)::int` }).from(outbox).where(and(inArray(outbox.leadId, ids), eq(outbox.backfillJobId, job.id))).groupBy(outbox.leadId));
    await perLead(db.select({ lead: traceSteps.leadId, n: sql<number>`count(*)::int` }).from(traceSteps).where(and(inArray(traceSteps.leadId, ids), eq(traceSteps.nodeId, 'trigger'))).groupBy(traceSteps.leadId));
    const history = await db.select({ endedBy: runHistory.endedBy, note: runHistory.note }).from(runHistory).where(inArray(runHistory.leadId, ids)).limit(1);
    expect(history[0]).toEqual({ endedBy: `job:${job.id}`, note: 'Re-balance' });

    // Live leads meanwhile: assigned within the bound, before and after the crash.
    const during = await speeds([...live1.ids, ...live2.ids]);
    expect(live1.ids.length).toBeGreaterThan(3);
    expect(live2.ids.length).toBeGreaterThan(3);
    const p = (s: number[], q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
    console.log(
      `backfill: ${LEADS} leads in ${seconds.toFixed(1)} s (${(LEADS / seconds).toFixed(0)} leads/s, a crash and a 3 s lease included); live speed to lead alone p50 ${p(usual, 0.5)} ms, during p50 ${p(during, 0.5)} ms p99 ${p(during, 0.99)} ms (${during.length} leads)`,
    );
    const connection = await Connection.connect({ address: temporal.address });
    try {
      const client = new Client({ connection, namespace: 'default' });
      const starts = new Map<string, number>();
      for await (const w of client.workflow.list({ query: `TaskQueue = '${taskQueue}'` })) starts.set(w.workflowId, (starts.get(w.workflowId) ?? 0) + 1);
      const backfilled = ids.map((id) => starts.get(`lead-${id}`) ?? 0);
      expect(backfilled.filter((n) => n < 1 || n > 2)).toEqual([]);
      // The crash can catch the dispatcher between a start and its outbox row's commit (one batch at most):
      // the new server starts those leads again, and that second execution finds the run already ended
      // (the workflow's beginRetry) and routes nothing, as the one trace of each lead's trigger shows above.
      expect(backfilled.filter((n) => n === 2).length).toBeLessThanOrEqual(50);
    } finally {
      await connection.close();
    }

    expect(p(during, 0.99), `live speeds ${during.join(', ')}`).toBeLessThan(LIVE_BOUND_MS);
  }, 900_000);
});
