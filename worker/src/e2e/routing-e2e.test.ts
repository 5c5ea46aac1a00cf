import { randomBytes } from 'node:crypto';
import {
  buildCatalog,
  DirectorySchema,
  normalizeLead,
  simulate,
  type Assignee,
  type Candidate,
  type DirectoryInput,
  type Graph,
  type Lead,
  type Plan,
  type RunResult,
} from '@lead-router/shared';
import { demoDirectory, generateSampleLeads, hybridRoutingGraph } from '@lead-router/shared/fixtures';
import { Client, Connection } from '@temporalio/client';
import { asc, eq, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leads, notifications, outbox, poolCursors, repDailyCounts, repLoads, routingRuns, traceSteps, workflows } from '@lead-router/db/schema';
import { createApiKey, createUser, createWorkspace } from '../../../server/src/services/workspaces.service';
import { freePort, startTemporalDevServer } from '@lead-router/testkit/temporal-dev-server';
import { createTestDatabase, insertVersion, seedDirectory, type TestDatabase } from '../test/test-db';
import type { RouteLeadResult } from '@lead-router/shared/workflow-contract';
import { killAllTestProcesses, sleep, TestProcess, waitFor, waitForHttp, waitForWorkerPolling } from './processes';

// End to end, nothing mocked: a real Temporal dev server, a scratch PostgreSQL database, the API server and
// the workers as real processes (`node --import tsx ...`), leads posted to the HTTP trigger endpoint and
// answered through the accept endpoint. Workers are SIGKILLed mid-batch, as a crash would kill them.
//
// 1. Kill test: 200 leads at ~40/s over two workers on a graph whose SLAs are 2 s (every lead climbs the
//    whole escalation ladder to the queue); one worker is SIGKILLed after 60 assignments, another after 140,
//    each replaced. Then: every lead completed exactly once (Temporal and Postgres agree), traces are whole,
//    per-rep assignment counters and open loads equal what the traces say, the weighted pools' cursors
//    equal the sum of every draw recorded in the traces (no update lost or doubled), the pools are fair,
//    the outbox is drained and every notification was recorded once.
// 2. Parity test: 500 leads through Temporal from an empty routing state, each accepted through the API
//    as soon as it waits, against `simulate` of the same leads with every wait accepted: same path, same
//    assignee, same outcome for every lead.
// 3. Re-dispatch test: an outbox row dispatched again after its lead's run ended starts no second run.
//
// The file takes about 3 to 4 minutes on a 2-core machine, most of it the Temporal dev server and the workers.

// Every rep available at any hour (results must not depend on when the suite runs) and no caps; Eli stays
// out of office, so the inbound pool has an ineligible member.
const directory: DirectoryInput = { ...demoDirectory, reps: demoDirectory.reps.map((r) => ({ ...r, workingHours: null, caps: {} })) };
const parsedDirectory = DirectorySchema.parse(directory);

// The hybrid graph with its three SLAs (15 min, 15 min, 1 h) cut to 2 seconds each, so that a lead nobody
// accepts climbs the whole ladder (rep, next rep, manager, queue) in a few seconds of real time.
const shortSlaGraph: Graph = {
  ...hybridRoutingGraph,
  nodes: hybridRoutingGraph.nodes.map((n) => (n.type === 'wait' ? { ...n, config: { ...n.config, timeout: { amount: 2, unit: 'seconds' as const } } } : n)),
};

const KILL_TEST_LEADS = 200;
const PARITY_LEADS = 500;

const taskQueue = `e2e-${randomBytes(4).toString('hex')}`;
let database: TestDatabase | undefined;
let temporal: { address: string; stop(): Promise<void> } | undefined;
let connection: Connection | undefined;
let client: Client;
let baseUrl: string;
/** Every process started by this file, dead or alive, for the logs of a failed test. */
const started: TestProcess[] = [];

const db = () => {
  if (!database) throw new Error('no database');
  return database.db;
};

function startProcess(name: string, script: string, env: Record<string, string>): TestProcess {
  const p = new TestProcess(name, script, env);
  started.push(p);
  return p;
}

function startWorker(name: string): TestProcess {
  if (!database || !temporal) throw new Error('the stack is not up');
  return startProcess(name, 'worker/src/worker.ts', { DATABASE_URL: database.url, TEMPORAL_ADDRESS: temporal.address, TEMPORAL_TASK_QUEUE: taskQueue, LOG_LEVEL: 'warn' });
}

function dumpOutputs(): void {
  for (const p of started) {
    const out = p.output().trim();
    console.error(`----- ${p.name} (pid ${p.child.pid}, ${p.alive ? 'alive' : `exited ${p.child.exitCode ?? p.child.signalCode}`}) -----\n${out || '(no output)'}`);
  }
}

beforeAll(async () => {
  const temporalPort = await freePort();
  const [t, d] = await Promise.allSettled([startTemporalDevServer(temporalPort), createTestDatabase({ max: 5 })]);
  if (t.status === 'fulfilled') temporal = t.value;
  if (d.status === 'fulfilled') database = d.value;
  if (t.status === 'rejected') throw t.reason;
  if (d.status === 'rejected') throw d.reason;
  const addr = temporal?.address ?? '';
  connection = await Connection.connect({ address: addr });
  client = new Client({ connection, namespace: 'default' });

  // One API server for the file: it serves the trigger and accept endpoints and drains the outbox into
  // Temporal on this file's task queue.
  const port = await freePort();
  const server = startProcess('server', 'server/src/main.ts', {
    PORT: String(port),
    HOST: '127.0.0.1',
    DATABASE_URL: database?.url ?? '',
    TEMPORAL_ADDRESS: addr,
    TEMPORAL_TASK_QUEUE: taskQueue,
    LOG_LEVEL: 'warn',
  });
  baseUrl = `http://127.0.0.1:${port}`;
  // /readyz: the database and Temporal both answer.
  await waitForHttp(`${baseUrl}/readyz`, server);
}, 120_000);

afterAll(async () => {
  // Each step runs even if one before it fails: no process, server or database is left behind.
  const steps: Array<() => Promise<unknown> | undefined> = [killAllTestProcesses, () => connection?.close(), () => temporal?.stop(), () => database?.drop()];
  const failures: unknown[] = [];
  for (const step of steps) await Promise.resolve(step()).catch((e: unknown) => failures.push(e));
  if (failures.length > 0) throw failures[0];
}, 60_000);

// ---- The workspace, as an admin would set it up -------------------------------------------------------

interface Target {
  workspaceId: string;
  workflowId: string;
  versionId: string;
  plan: Plan;
  graph: Graph;
  ingestKey: string;
  editorKey: string;
}

/** A workspace with an admin, an ingest and an editor key, the directory, and `graph` published. */
async function setupWorkspace(name: string, graph: Graph): Promise<Target> {
  const ws = await createWorkspace(db(), `${name}-${randomBytes(3).toString('hex')}`);
  const admin = await createUser(db(), { workspaceId: ws.id, email: `admin-${ws.id}@example.com`, name: 'E2E Admin', role: 'admin', password: 'correct horse battery staple' });
  const ingest = await createApiKey(db(), { workspaceId: ws.id, name: 'website', role: 'ingest', createdBy: admin.id });
  const editor = await createApiKey(db(), { workspaceId: ws.id, name: 'inbox', role: 'editor', createdBy: admin.id });
  const [wf] = await db().insert(workflows).values({ workspaceId: ws.id, name, webhookSecret: randomBytes(16).toString('hex') }).returning({ id: workflows.id });
  if (!wf) throw new Error('workflow insert returned nothing');
  await seedDirectory(db(), ws.id, directory);
  const { versionId, plan } = await insertVersion(db(), wf.id, graph, directory);
  await db().update(workflows).set({ activeVersionId: versionId }).where(eq(workflows.id, wf.id));
  return { workspaceId: ws.id, workflowId: wf.id, versionId, plan, graph, ingestKey: ingest.key, editorKey: editor.key };
}

/** Posts a lead to the trigger endpoint; returns the lead id the server answered with (202). */
async function postLead(t: Target, lead: Lead): Promise<string> {
  const r = await fetch(`${baseUrl}/api/workflows/${t.workflowId}/leads`, {
    method: 'POST',
    headers: { authorization: `Bearer ${t.ingestKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(lead),
  });
  const body = (await r.json().catch(() => null)) as { leadId?: string } | null;
  if (r.status !== 202 || typeof body?.leadId !== 'string') throw new Error(`POST lead ${String(lead.id)} answered ${r.status}: ${JSON.stringify(body)}`);
  return body.leadId;
}

/** Accepts a waiting lead through the API (as an editor); returns the HTTP status. */
async function acceptLead(t: Target, leadId: string): Promise<{ status: number; body: string }> {
  const r = await fetch(`${baseUrl}/api/leads/${leadId}/accept`, {
    method: 'POST',
    headers: { authorization: `Bearer ${t.editorKey}`, 'content-type': 'application/json' },
    body: '{}',
  });
  return { status: r.status, body: await r.text() };
}

async function runCounts(workspaceId: string) {
  const [row] = await db()
    .select({
      total: sql<number>`count(*)::int`,
      assigned: sql<number>`(count(*) filter (where ${routingRuns.assigneeId} is not null))::int`,
      completed: sql<number>`(count(*) filter (where ${routingRuns.status} = 'completed'))::int`,
    })
    .from(routingRuns)
    .where(eq(routingRuns.workspaceId, workspaceId));
  return row ?? { total: 0, assigned: 0, completed: 0 };
}

async function statusSummary(workspaceId: string): Promise<string> {
  const rows = await db()
    .select({ status: routingRuns.status, node: routingRuns.currentNodeId, n: sql<number>`count(*)::int` })
    .from(routingRuns)
    .where(eq(routingRuns.workspaceId, workspaceId))
    .groupBy(routingRuns.status, routingRuns.currentNodeId);
  return `routing_runs by status/node: ${JSON.stringify(rows)}`;
}

type StepRow = typeof traceSteps.$inferSelect;

/** Every trace step of these leads, grouped by lead, in seq order. */
async function tracesOf(leadIds: readonly string[]): Promise<Map<string, StepRow[]>> {
  const rows = await db().select().from(traceSteps).where(inArray(traceSteps.leadId, [...leadIds])).orderBy(asc(traceSteps.leadId), asc(traceSteps.seq));
  const byLead = new Map<string, StepRow[]>(leadIds.map((id) => [id, []]));
  for (const r of rows) byLead.get(r.leadId)?.push(r);
  return byLead;
}

const assigneeOf = (s: { nodeType: string; output: Record<string, unknown> }): Assignee | null =>
  s.nodeType === 'assign' || s.nodeType === 'escalate' ? ((s.output.assignee as Assignee | null | undefined) ?? null) : null;

const inc = (m: Map<string, number>, k: string, by = 1) => m.set(k, (m.get(k) ?? 0) + by);
/** A count map as a sorted plain object without zero entries (what `toEqual` should compare). */
const nonZero = (m: Map<string, number>) =>
  Object.fromEntries(
    [...m.entries()]
      .filter(([, v]) => v !== 0)
      .sort(([a], [b]) => a.localeCompare(b)),
  );

function formatTrace(steps: ReadonlyArray<{ seq: number; nodeId: string; outcome: string | null; decision: string; output: Record<string, unknown> }>): string {
  return steps.map((s) => `  ${s.seq}. ${s.nodeId} -> ${s.outcome ?? '(end)'}: ${s.decision}`).join('\n');
}

/**
 * Follows the runs of one workspace with a single query every 20 ms, for any number of waiters (one query
 * per waiter would cost the 2-core machine more than the routing does).
 */
class RunWatcher {
  private readonly waiters = new Set<{ leadId: string; test: (r: RunRow) => boolean; resolve: (r: RunRow) => void; reject: (e: Error) => void; what: string; deadline: number }>();
  private loop: Promise<void> | null = null;
  private stopped = false;

  constructor(private readonly workspaceId: string) {}

  until(leadId: string, what: string, test: (r: RunRow) => boolean, timeoutMs = 60_000): Promise<RunRow> {
    return new Promise<RunRow>((resolve, reject) => {
      this.waiters.add({ leadId, test, resolve, reject, what, deadline: performance.now() + timeoutMs });
      this.loop ??= this.run();
    });
  }

  stop(): void {
    this.stopped = true;
    for (const w of this.waiters) w.reject(new Error(`stopped while waiting for ${w.what}`));
    this.waiters.clear();
  }

  private async run(): Promise<void> {
    while (!this.stopped && this.waiters.size > 0) {
      const rows = await db()
        .select({ leadId: routingRuns.leadId, status: routingRuns.status, assigneeId: routingRuns.assigneeId })
        .from(routingRuns)
        .where(eq(routingRuns.workspaceId, this.workspaceId))
        .catch(() => []);
      const byLead = new Map(rows.map((r) => [r.leadId, r]));
      const now = performance.now();
      for (const w of [...this.waiters]) {
        const r = byLead.get(w.leadId);
        if (r && w.test(r)) {
          this.waiters.delete(w);
          w.resolve(r);
        } else if (now > w.deadline) {
          this.waiters.delete(w);
          w.reject(new Error(`Timed out waiting for ${w.what} (${w.leadId}); run: ${JSON.stringify(r)}\n${await statusSummary(this.workspaceId)}`));
        }
      }
      await sleep(20);
    }
    this.loop = null;
  }
}

interface RunRow {
  leadId: string;
  status: string;
  assigneeId: string | null;
}

describe('routing end to end (Temporal dev server, API server and worker processes, PostgreSQL)', () => {
  it('every lead routed exactly once despite a worker killed mid-batch, twice', async ({ onTestFailed }) => {
    onTestFailed(dumpOutputs);
    const conn = connection as Connection;
    const t = await setupWorkspace('kill-test', shortSlaGraph);
    const workers = [startWorker('worker-1'), startWorker('worker-2')];
    const clock = performance.now();
    const elapsed = () => `${((performance.now() - clock) / 1000).toFixed(1)} s`;
    const progress: string[] = [];
    let sampling = true;
    try {
      await Promise.all(workers.map((w) => waitForWorkerPolling(conn, taskQueue, w)));
      console.log(`[kill-test] 2 workers polling after ${elapsed()}`);

      const input = generateSampleLeads(KILL_TEST_LEADS, 2024);
      expect(new Set(input.map((l) => l.id)).size).toBe(KILL_TEST_LEADS);

      // ~40 leads a second through the trigger endpoint, without waiting for one answer before the next post.
      const posting = (async () => {
        const answers: Array<Promise<string>> = [];
        for (const lead of input) {
          answers.push(postLead(t, lead));
          await sleep(25);
        }
        return Promise.all(answers);
      })();
      // Surfaces a failed post at once rather than after the waits below.
      posting.catch(() => {});

      // A progress line every 2 s, printed if the test fails: how the batch went around the kills.
      const sampler = (async () => {
        while (sampling) {
          const c = await runCounts(t.workspaceId).catch(() => null);
          if (c) progress.push(`${elapsed()}: ${c.assigned} assigned, ${c.completed} completed of ${c.total}; alive ${workers.filter((w) => w.alive).map((w) => w.name).join(',')}`);
          await sleep(2000);
        }
      })();
      onTestFailed(() => console.error(progress.join('\n')));

      const watch = { timeoutMs: 90_000, intervalMs: 50, describe: () => statusSummary(t.workspaceId) };
      const first = await waitFor('60 leads to have an assignee', async () => {
        const c = await runCounts(t.workspaceId);
        return c.assigned >= 60 ? c : null;
      }, watch);
      await workers[0]?.kill('SIGKILL');
      workers.push(startWorker('worker-3'));
      console.log(`[kill-test] SIGKILLed worker-1 at ${elapsed()} (${JSON.stringify(first)}); started worker-3`);

      const second = await waitFor('140 leads to have an assignee', async () => {
        const c = await runCounts(t.workspaceId);
        return c.assigned >= 140 ? c : null;
      }, watch);
      await workers[1]?.kill('SIGKILL');
      workers.push(startWorker('worker-4'));
      console.log(`[kill-test] SIGKILLed worker-2 at ${elapsed()} (${JSON.stringify(second)}); started worker-4`);

      const leadIds = await posting;
      expect(new Set(leadIds).size).toBe(KILL_TEST_LEADS);
      console.log(`[kill-test] all ${KILL_TEST_LEADS} posted at ${elapsed()}`);
      // The kills happened mid-batch: leads were still being routed after each of them.
      expect(first.completed).toBeLessThan(KILL_TEST_LEADS);
      expect(second.completed).toBeLessThan(KILL_TEST_LEADS);

      // A killed activity is retried after its 15 s start-to-close timeout, a lost workflow task after 10 s.
      await waitFor(
        `all ${KILL_TEST_LEADS} runs to complete`,
        async () => {
          const c = await runCounts(t.workspaceId);
          return c.total === KILL_TEST_LEADS && c.completed === KILL_TEST_LEADS;
        },
        { timeoutMs: 150_000, intervalMs: 250, describe: () => statusSummary(t.workspaceId) },
      );
      console.log(`[kill-test] all ${KILL_TEST_LEADS} completed at ${elapsed()}`);
      sampling = false;
      await sampler;
      // The replacements came up and stayed up.
      expect(workers.slice(2).map((w) => [w.name, w.alive])).toEqual([
        ['worker-3', true],
        ['worker-4', true],
      ]);

      await assertRoutedExactlyOnce(t, input, leadIds);
    } finally {
      sampling = false;
      // The parity test runs its own single worker on the same task queue.
      await Promise.all(workers.map((w) => w.kill('SIGKILL')));
    }
  }, 300_000);

  it('the same leads route the same way through simulate and through Temporal', async ({ onTestFailed }) => {
    onTestFailed(dumpOutputs);
    const conn = connection as Connection;
    // The graph as published in the demo (15-minute SLAs): every lead that waits is accepted through the
    // API long before its SLA, and the simulation plans exactly that.
    const t = await setupWorkspace('parity-test', hybridRoutingGraph);
    const worker = startWorker('worker-parity');
    const clock = performance.now();
    const elapsed = () => `${((performance.now() - clock) / 1000).toFixed(1)} s`;
    try {
      await waitForWorkerPolling(conn, taskQueue, worker);
      console.log(`[parity] worker polling after ${elapsed()}`);
      const startTime = Date.now();
      const input = generateSampleLeads(PARITY_LEADS, 77);
      expect(new Set(input.map((l) => l.id)).size).toBe(PARITY_LEADS);
      const waits = { default: { outcome: 'accepted' as const } };
      // The leads as the trigger endpoint normalises them (checked against what it stored, below).
      const catalog = buildCatalog(parsedDirectory.customFields);
      const normalised = input.map((raw) => {
        const r = normalizeLead(raw, catalog);
        if (!r.ok) throw new Error(`lead ${String(raw.id)} does not normalise: ${JSON.stringify(r.problems)}`);
        return r.lead;
      });

      // Assignments must happen in the order the simulation makes them. With caps off, a choice reads only
      // its own pool's turn (round-robin cursor, smooth-weight scores), so what must be ordered is each
      // pool's draws: a lead is posted once the previous lead drawing from the same pool has been assigned
      // (its run's assignee is written in the transaction that moves the pool's cursor) or has finished.
      // Which pool a lead draws from, a dry run of the simulation says; a wrong guess would itself show as
      // a lead whose route differs below. Pools are independent, so their queues of leads run side by side
      // (one lead after another would take ~0.5 s a lead on this machine).
      const dryRun = simulate(t.plan, normalised.map((lead, i) => ({ leadId: String(input[i]?.id), lead })), { directory: parsedDirectory, startTime, waits });
      const queues = new Map<string, number[]>();
      dryRun.results.forEach((r, i) => {
        const pool = r.steps.filter((s) => s.nodeType === 'assign' && s.output.assignee).map((s) => s.output.poolKey as string | null).at(-1) ?? null;
        const key = pool ?? `lead:${i}`;
        queues.set(key, [...(queues.get(key) ?? []), i]);
      });
      console.log(`[parity] ${queues.size} pool queues; longest ${Math.max(...[...queues.values()].map((q) => q.length))} leads`);

      const watcher = new RunWatcher(t.workspaceId);
      const leadIds: string[] = new Array<string>(PARITY_LEADS);
      const accepts: Array<Promise<{ leadId: string; status: number; body: string }>> = [];
      try {
        await Promise.all(
          [...queues.values()].map(async (queue) => {
            for (const i of queue) {
              const lead = input[i] as Lead;
              const leadId = await postLead(t, lead);
              leadIds[i] = leadId;
              await watcher.until(leadId, `lead ${String(lead.id)} to be assigned or finish`, (r) => r.assigneeId !== null || r.status === 'completed' || r.status === 'failed');
              // Each lead is accepted through the API as soon as it waits (its SLA is 15 minutes).
              accepts.push(
                watcher
                  .until(leadId, `lead ${String(lead.id)} to wait for an answer or finish`, (r) => r.status !== 'queued' && r.status !== 'running')
                  .then(async (r) => (r.status === 'waiting' ? { leadId, ...(await acceptLead(t, leadId)) } : { leadId, status: 202, body: `finished (${r.status}) without waiting` })),
              );
            }
          }),
        );
        const answered = await Promise.all(accepts);
        console.log(`[parity] ${PARITY_LEADS} leads posted and assigned at ${elapsed()}; ${answered.filter((a) => !a.body.startsWith('finished')).length} accepted`);
        expect(answered.filter((a) => a.status !== 202)).toEqual([]);
        await waitFor(
          `all ${PARITY_LEADS} runs to complete`,
          async () => {
            const c = await runCounts(t.workspaceId);
            return c.total === PARITY_LEADS && c.completed === PARITY_LEADS;
          },
          { timeoutMs: 60_000, intervalMs: 100, describe: () => statusSummary(t.workspaceId) },
        );
      } finally {
        watcher.stop();
        // On a failure above, the accepts still pending reject: they are reported by then, not unhandled.
        void Promise.allSettled(accepts);
      }
      console.log(`[parity] all completed at ${elapsed()}`);

      const stored = new Map((await db().select({ id: leads.id, data: leads.data }).from(leads).where(eq(leads.workspaceId, t.workspaceId))).map((r) => [r.id, r.data]));
      expect(leadIds.map((id) => stored.get(id))).toEqual(normalised);

      // The oracle: the same leads, in input order (each pool's leads in the order they were posted), through
      // the simulation from the same empty state.
      const report = simulate(
        t.plan,
        leadIds.map((leadId, i) => ({ leadId, lead: normalised[i] as Lead })),
        { directory: parsedDirectory, startTime, waits },
      );
      const runs = new Map((await db().select().from(routingRuns).where(eq(routingRuns.workspaceId, t.workspaceId))).map((r) => [r.leadId, r]));
      const traces = await tracesOf(leadIds);

      let firstMismatch: string | null = null;
      let mismatches = 0;
      leadIds.forEach((leadId, i) => {
        const sim = report.results[i] as RunResult;
        const steps = traces.get(leadId) ?? [];
        const run = runs.get(leadId);
        const prod = { path: steps.map((s) => s.nodeId), assignee: run?.assigneeId ?? null, outcome: run?.outcome ?? null };
        const want = { path: sim.path, assignee: sim.assignee?.id ?? null, outcome: sim.outcome };
        if (JSON.stringify(prod) === JSON.stringify(want)) return;
        mismatches++;
        firstMismatch ??=
          `Lead #${i + 1} (${String(input[i]?.id)}, ${leadId}) differs:\n` +
          `Temporal: assignee ${prod.assignee}, outcome ${prod.outcome}\n${formatTrace(steps)}\n` +
          `simulate: assignee ${want.assignee}, outcome ${want.outcome}\n${formatTrace(sim.steps)}`;
      });
      if (firstMismatch) console.error(`${mismatches} of ${PARITY_LEADS} leads differ; the first:\n${firstMismatch}`);
      expect(firstMismatch, firstMismatch ?? '').toBeNull();

      // Not vacuous: the batch took the graph's different routes.
      const summary = report.summary;
      console.log(`[parity] outcomes ${JSON.stringify(summary.byOutcome)}, assignees ${JSON.stringify(summary.byAssignee)}`);
      expect(Object.keys(summary.byAssignee).length).toBeGreaterThanOrEqual(5);
      for (const node of ['assign-owner', 'assign-enterprise', 'assign-territory', 'assign-pool', 'end-filtered']) expect(summary.byNode[node] ?? 0).toBeGreaterThan(0);
    } finally {
      await worker.kill('SIGKILL');
    }
  }, 420_000);

  it('a lead whose outbox row is dispatched again after its run ended is not routed a second time', async ({ onTestFailed }) => {
    onTestFailed(dumpOutputs);
    // The dispatcher marks a row dispatched in the transaction that claimed it, after starting the run: a
    // crash or a lost connection in between rolls the mark back and the row is started again, and so is a
    // start that timed out but went through. Harmless while the first run is still going (same workflow
    // id); this is the case where it has already ended.
    const conn = connection as Connection;
    const t = await setupWorkspace('redispatch-test', shortSlaGraph);
    const worker = startWorker('worker-redispatch');
    try {
      await waitForWorkerPolling(conn, taskQueue, worker);
      const lead: Lead = { id: 'redispatch-1', firstName: 'Bruce', lastName: 'Wayne', email: 'bruce@wayne.com', title: 'CEO', company: 'Wayne Enterprises', country: 'US', state: 'NJ', leadSource: 'Contact Sales' };
      const leadId = await postLead(t, lead);
      const runRow = async () => (await db().select().from(routingRuns).where(eq(routingRuns.leadId, leadId)))[0];
      await waitFor('the lead to wait at its first SLA', async () => (await runRow())?.status === 'waiting', { timeoutMs: 30_000, intervalMs: 20 });
      expect((await acceptLead(t, leadId)).status).toBe(202);
      const first = await waitFor('the run to complete', async () => {
        const r = await runRow();
        return r?.status === 'completed' ? r : null;
      }, { timeoutMs: 30_000, intervalMs: 50 });
      expect(first.outcome).toBe('routed');
      const handle = client.workflow.getHandle(first.temporalWorkflowId);
      const firstRunId = (await handle.describe()).runId;
      const effects = async () => ({
        assignedToday: (await db().select({ n: sql<number>`coalesce(sum(${repDailyCounts.assigned}), 0)::int` }).from(repDailyCounts).where(eq(repDailyCounts.workspaceId, t.workspaceId)))[0]?.n,
        notifications: (await db().select({ n: sql<number>`count(*)::int` }).from(notifications).where(eq(notifications.leadId, leadId)))[0]?.n,
      });
      const before = await effects();

      // What a rolled-back claim leaves behind: the lead's run has ended, its outbox row is due again.
      await db().update(outbox).set({ dispatchedAt: null, nextAttemptAt: sql`now()` }).where(eq(outbox.leadId, leadId));
      await waitFor('the server to dispatch the row again', async () => (await db().select().from(outbox).where(eq(outbox.leadId, leadId)))[0]?.dispatchedAt != null, {
        timeoutMs: 15_000,
        intervalMs: 100,
      });
      const latest = await handle.describe();
      if (latest.runId !== firstRunId) {
        // Routed twice: let the second run show what it does (its 2 s SLA passes unanswered) before failing.
        await handle.result().catch(() => null);
        const trace = (await tracesOf([leadId])).get(leadId) ?? [];
        console.error(`A second run ${latest.runId} of ${first.temporalWorkflowId} started after the first (${firstRunId}) had ended; effects before ${JSON.stringify(before)}, after ${JSON.stringify(await effects())}; trace:\n${formatTrace(trace)}`);
      }
      expect(latest.runId).toBe(firstRunId);
      expect(await effects()).toEqual(before);
    } finally {
      await worker.kill('SIGKILL');
    }
  }, 90_000);
});

/**
 * The invariants after the kill test: every lead completed once, in Temporal and in the database; traces
 * are whole; the assignment counters match the traces exactly; weighted pools stayed fair; nothing is left
 * in the outbox; every notification was recorded once.
 */
async function assertRoutedExactlyOnce(t: Target, input: readonly Lead[], leadIds: readonly string[]): Promise<void> {
  const runs = await db().select().from(routingRuns).where(eq(routingRuns.workspaceId, t.workspaceId));
  expect(runs).toHaveLength(KILL_TEST_LEADS);
  expect(runs.filter((r) => r.status !== 'completed').map((r) => r.leadId)).toEqual([]);
  const runOf = new Map(runs.map((r) => [r.leadId, r]));
  const traces = await tracesOf(leadIds);

  // ---- Temporal: exactly one execution per lead, completed, and its result is the recorded trace ----
  const ours = new Set(runs.map((r) => r.temporalWorkflowId));
  const executions: Array<{ workflowId: string; status: string }> = [];
  await waitFor(
    `${KILL_TEST_LEADS} completed executions in Temporal's visibility`,
    async () => {
      executions.length = 0;
      for await (const e of client.workflow.list({ query: `TaskQueue = '${taskQueue}'` })) {
        if (ours.has(e.workflowId)) executions.push({ workflowId: e.workflowId, status: e.status.name });
      }
      return executions.length >= KILL_TEST_LEADS && executions.every((e) => e.status === 'COMPLETED');
    },
    { timeoutMs: 15_000, intervalMs: 500, describe: () => JSON.stringify(executions.filter((e) => e.status !== 'COMPLETED')) },
  );
  // A lead started twice (say, its outbox row dispatched again after its first run ended) would show here.
  expect(executions).toHaveLength(KILL_TEST_LEADS);

  // The kills were not idle: work in flight on the killed workers was timed out and retried elsewhere.
  let retriedActivities = 0;
  let timedOutWorkflowTasks = 0;
  for (let i = 0; i < runs.length; i += 20) {
    const histories = await Promise.all(runs.slice(i, i + 20).map((r) => client.workflow.getHandle(r.temporalWorkflowId).fetchHistory()));
    for (const h of histories) {
      for (const e of h.events ?? []) {
        if ((e.activityTaskStartedEventAttributes?.attempt ?? 1) > 1) retriedActivities++;
        if (e.workflowTaskTimedOutEventAttributes) timedOutWorkflowTasks++;
      }
    }
  }
  console.log(`[kill-test] after the kills: ${retriedActivities} activities retried, ${timedOutWorkflowTasks} workflow tasks timed out`);
  expect(retriedActivities + timedOutWorkflowTasks).toBeGreaterThan(0);

  const problems: string[] = [];
  const results = await Promise.all(runs.map(async (r) => [r.leadId, (await client.workflow.getHandle(r.temporalWorkflowId).result()) as RouteLeadResult] as const));
  const withoutEmail = new Set(leadIds.filter((_, i) => !input[i]?.email));
  for (const [leadId, result] of results) {
    const run = runOf.get(leadId);
    const steps = traces.get(leadId) ?? [];
    const seqs = steps.map((s) => s.seq);
    if (seqs.length === 0 || seqs.some((s, i) => s !== i + 1)) problems.push(`${leadId}: trace seqs ${JSON.stringify(seqs)} are not 1..${seqs.length}`);
    steps.forEach((s, i) => {
      const next = steps[i + 1];
      if (next ? s.next !== next.nodeId : s.next !== null || s.nodeType !== 'end') problems.push(`${leadId}: step ${s.seq} (${s.nodeId}) leads to ${s.next}, then ${next?.nodeId ?? 'nothing'}`);
    });
    if (JSON.stringify(result.path) !== JSON.stringify(steps.map((s) => s.nodeId))) problems.push(`${leadId}: workflow path ${result.path.join('>')} but trace ${steps.map((s) => s.nodeId).join('>')}`);
    if (result.status !== 'completed' || result.outcome !== run?.outcome) problems.push(`${leadId}: workflow ended ${result.status}/${result.outcome}, run says ${run?.status}/${run?.outcome}`);
    const lastAssignee = steps.map(assigneeOf).filter((a) => a !== null).at(-1) ?? null;
    if ((result.assignee?.id ?? null) !== (run?.assigneeId ?? null) || (lastAssignee?.id ?? null) !== (run?.assigneeId ?? null)) {
      problems.push(`${leadId}: assignee: workflow ${result.assignee?.id}, run ${run?.assigneeId}, trace ${lastAssignee?.id}`);
    }
    // Every lead with an email reached an assignee; the ones without are filtered at the trigger.
    const filtered = withoutEmail.has(leadId);
    if (filtered ? run?.outcome !== 'filtered' || run.assigneeId !== null : run?.assigneeId == null) problems.push(`${leadId}: outcome ${run?.outcome}, assignee ${run?.assigneeId} (has email: ${!filtered})`);
  }
  expect(problems.slice(0, 20)).toEqual([]);
  const outcomes = new Map<string, number>();
  for (const r of runs) inc(outcomes, r.outcome ?? 'none');
  console.log(`[kill-test] outcomes ${JSON.stringify(nonZero(outcomes))}`);

  // ---- Assignment accounting: per rep, the counters equal what the traces say happened ----
  // Walks each trace as the activities apply it: a rep assignment adds one to the rep's day count and
  // open load; handing the lead on releases the previous rep's open load.
  const assignedTo = new Map<string, number>();
  const openLoad = new Map<string, number>();
  let released = 0;
  for (const steps of traces.values()) {
    let current: Assignee | null = null;
    for (const s of steps) {
      const to = assigneeOf(s);
      if (!to) continue;
      const releases = current?.type === 'rep' && !(to.type === 'rep' && to.id === current.id) ? current.id : null;
      if (to.type === 'rep') {
        inc(assignedTo, to.id);
        inc(openLoad, to.id);
      }
      if (releases) {
        inc(openLoad, releases, -1);
        released++;
      }
      if (s.nodeType === 'escalate' && ((s.output.released as string | null | undefined) ?? null) !== releases) {
        problems.push(`${s.leadId}: step ${s.seq} released ${String(s.output.released)}, expected ${releases}`);
      }
      current = to;
    }
  }
  expect(problems.slice(0, 20)).toEqual([]);
  const daily = await db()
    .select({ repId: repDailyCounts.repId, assigned: sql<number>`sum(${repDailyCounts.assigned})::int` })
    .from(repDailyCounts)
    .where(eq(repDailyCounts.workspaceId, t.workspaceId))
    .groupBy(repDailyCounts.repId);
  const loads = await db().select({ repId: repLoads.repId, openLeads: repLoads.openLeads }).from(repLoads).where(eq(repLoads.workspaceId, t.workspaceId));
  const repAssignSteps = [...assignedTo.values()].reduce((a, b) => a + b, 0);
  expect(daily.reduce((a, r) => a + r.assigned, 0)).toBe(repAssignSteps);
  expect(nonZero(new Map(daily.map((r) => [r.repId, r.assigned])))).toEqual(nonZero(assignedTo));
  // Leads that end in the queue released their last rep, so these are mostly zero; releases are checked above.
  expect(nonZero(new Map(loads.map((r) => [r.repId, r.openLeads])))).toEqual(nonZero(openLoad));
  expect(loads.reduce((a, r) => a + r.openLeads, 0)).toBe(repAssignSteps - released);
  console.log(`[kill-test] ${repAssignSteps} rep assignments, ${released} releases: ${JSON.stringify(nonZero(assignedTo))}`);

  // ---- Weighted pools: every draw's cursor update applied exactly once, and fair shares ----
  await assertWeightedPoolsFair(t, traces);

  // ---- The outbox is drained, each lead dispatched ----
  const box = await db().select().from(outbox).where(eq(outbox.workspaceId, t.workspaceId));
  expect(box).toHaveLength(KILL_TEST_LEADS);
  expect(box.filter((r) => r.dispatchedAt === null)).toEqual([]);
  expect(new Set(box.map((r) => r.leadId))).toEqual(new Set(leadIds));

  // ---- Notifications: one row per notify step (in-app ones are never shown twice) ----
  const notes = await db()
    .select({ key: notifications.dedupeKey, status: notifications.status })
    .from(notifications)
    .where(eq(notifications.workspaceId, t.workspaceId));
  const expectedNotes = new Map<string, boolean>();
  for (const [leadId, steps] of traces) {
    for (const s of steps) if (s.nodeType === 'notify') expectedNotes.set(`${runOf.get(leadId)?.temporalWorkflowId}:${s.seq}`, s.output.delivered === true);
  }
  expect(notes).toHaveLength(expectedNotes.size);
  expect(new Map(notes.map((n) => [n.key ?? '', n.status === 'delivered']))).toEqual(expectedNotes);
}

/**
 * The weighted pools, from the traces alone.
 *
 * Smooth weighted round-robin keeps a running score per rep and pool: each draw adds its weight to every
 * eligible rep and takes the eligible weights' total from the winner. The final scores do not depend on the
 * order of the draws, so recomputed from the traces they must equal the pool's cursor row exactly: an
 * update lost or applied twice (concurrent leads, retried activities, killed workers) would show here.
 *
 * Fairness: a draw among all the pool's available reps (weights W) owes each rep w/W of a turn; a "next
 * rep" draw excludes the lead's previous rep, so whoever wins it takes only (its eligible weights)/W of a
 * turn. Turns taken minus turns owed is then minus the rep's score over W, which smooth WRR keeps within
 * one turn; two are allowed. Counted in leads instead (each draw shared w/total among its eligible reps),
 * a rep may end 3-4 leads off that share in a batch like this one, by design of the algorithm rather than
 * any lost update: those counts are printed, not asserted.
 */
async function assertWeightedPoolsFair(t: Target, traces: Map<string, StepRow[]>): Promise<void> {
  const escalateTo = new Map(t.graph.nodes.filter((n) => n.type === 'escalate').map((n) => [n.id, (n.config as { to: string }).to]));
  interface PoolTally {
    score: Map<string, number>;
    count: Map<string, number>;
    /** Turns owed: weight / eligible weight of the full pool, per draw the rep was eligible for. */
    owed: Map<string, number>;
    /** Turns taken: per draw won, the drawn pool's eligible weight over the full pool's. */
    taken: Map<string, number>;
    /** Plain weighted share of the draws: weight / eligible weight, per draw the rep was eligible for. */
    share: Map<string, number>;
    draws: number;
  }
  const pools = new Map<string, PoolTally>();
  const problems: string[] = [];
  const draw = (leadId: string, seq: number, poolKey: string, candidates: Candidate[], chosen: Assignee) => {
    const team = parsedDirectory.teams.find((x) => `team:${x.id}` === poolKey);
    if (!team) return;
    const weight = (id: string) => Math.max(1, team.members.find((m) => m.repId === id)?.weight ?? 1);
    const eligible = candidates.filter((c) => c.verdict === 'chosen' || c.verdict === 'not_this_turn');
    const winner = candidates.filter((c) => c.verdict === 'chosen');
    if (winner.length !== 1 || winner[0]?.repId !== chosen.id) problems.push(`${leadId}: step ${seq} chose ${chosen.id} but its candidates say ${JSON.stringify(winner)}`);
    // Excluded for this lead only (previous assignee): still part of the full pool.
    const full = eligible.concat(candidates.filter((c) => c.verdict === 'previously_assigned')).reduce((a, c) => a + weight(c.repId), 0);
    const total = eligible.reduce((a, c) => a + weight(c.repId), 0);
    let p = pools.get(poolKey);
    if (!p) pools.set(poolKey, (p = { score: new Map(), count: new Map(), owed: new Map(), taken: new Map(), share: new Map(), draws: 0 }));
    p.draws++;
    for (const c of eligible) {
      inc(p.score, c.repId, weight(c.repId));
      inc(p.owed, c.repId, weight(c.repId) / full);
      inc(p.share, c.repId, weight(c.repId) / total);
    }
    inc(p.score, chosen.id, -total);
    inc(p.taken, chosen.id, total / full);
    inc(p.count, chosen.id);
  };
  for (const [leadId, steps] of traces) {
    let lastPool: string | null = null;
    for (const s of steps) {
      const to = assigneeOf(s);
      if (!to) continue;
      const candidates = (s.output.candidates as Candidate[] | undefined) ?? [];
      if (s.nodeType === 'assign') {
        lastPool = (s.output.poolKey as string | null | undefined) ?? null;
        if (lastPool?.startsWith('team:')) draw(leadId, s.seq, lastPool, candidates, to);
      } else if (escalateTo.get(s.nodeId) === 'next_rep' && lastPool?.startsWith('team:')) {
        // "Next rep" draws again from the pool the lead was last assigned from, without its previous reps.
        draw(leadId, s.seq, lastPool, candidates, to);
      }
    }
  }
  expect(problems.slice(0, 20)).toEqual([]);
  expect([...pools.keys()].sort()).toEqual(['team:team-enterprise', 'team:team-inbound']);

  const cursors = await db().select().from(poolCursors).where(eq(poolCursors.workspaceId, t.workspaceId));
  for (const [poolKey, p] of pools) {
    const row = cursors.find((c) => c.poolKey === poolKey);
    const stored = new Map(Object.entries(row?.wrrCurrent ?? {}));
    expect({ poolKey, scores: nonZero(stored) }).toEqual({ poolKey, scores: nonZero(p.score) });
    const fmt = (m: Map<string, number>) => JSON.stringify(Object.fromEntries([...m].map(([k, v]) => [k, Math.round(v * 10) / 10])));
    console.log(`[kill-test] ${poolKey}: ${p.draws} draws; won ${fmt(p.count)}; plain weighted share ${fmt(p.share)}; turns taken ${fmt(p.taken)} vs owed ${fmt(p.owed)}`);
    for (const [repId, owed] of p.owed) {
      const taken = p.taken.get(repId) ?? 0;
      expect({ poolKey, repId, drift: Math.abs(taken - owed) <= 2 ? 'within 2 turns' : taken - owed }).toEqual({ poolKey, repId, drift: 'within 2 turns' });
    }
  }
}
