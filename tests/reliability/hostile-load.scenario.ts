// Issue 14's hostile load, shared by its reliability test (tests/reliability/hostile-load.test.ts) and its
// benchmark (bench/hostile-load.ts): the real stack (Temporal dev server, the API server and a worker as
// processes, a scratch PostgreSQL database) takes a burst of the calls an outside probe used to take it
// down, while /healthz is polled every 100 ms and good leads are posted. What it measures: every poll's
// latency, the server's resident memory, what each hostile call was answered, and every good lead's
// time from post to assignment.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { DirectorySchema, GRAPH_SCHEMA_VERSION, edgeId, type DirectoryInput, type Graph } from '@lead-router/shared';
import { demoDirectory, generateSampleLeads, hybridRoutingGraph } from '@lead-router/shared/fixtures';
import { eq, inArray } from 'drizzle-orm';
import { routingRuns, workflows } from '@lead-router/db/schema';
import { freePort, startTemporalDevServer } from '@lead-router/testkit/temporal-dev-server';
import { createApiKey, createUser, createWorkspace } from '../../server/src/services/workspaces.service';
import { killAllTestProcesses, sleep, startServerAndWorker, type TestProcess } from '../../worker/src/e2e/processes';
import { createTestDatabase, insertVersion, seedDirectory, type TestDatabase } from '../../worker/src/test/test-db';

/** How many of each hostile call the burst makes, and how many good leads it posts. */
export const HOSTILE = {
  goodLeads: 100,
  wrongSignIns: 100,
  hugeBodies: 10,
  hugeBodyBytes: 300 * 2 ** 20,
  costlyLeads: 20,
  longText: 10_000,
} as const;

const directory: DirectoryInput = { ...demoDirectory, reps: demoDirectory.reps.map((r) => ({ ...r, workingHours: null, outOfOffice: [], caps: {} })) };
const PASSWORD = 'correct horse battery staple';

/**
 * The costliest graph the compiler accepts on patterns: ten patterns of about 284 automaton steps each on
 * the company name (issue 14's probe used `[\s\S]{1,1000}[\s\S]{1,1000}q`, which is refused outright now).
 */
export const costlyPatternGraph: Graph = {
  schemaVersion: GRAPH_SCHEMA_VERSION,
  nodes: [
    { id: 't', type: 'trigger', position: { x: 0, y: 0 }, config: { source: 'webhook' } },
    {
      id: 's',
      type: 'score',
      position: { x: 0, y: 120 },
      config: {
        rules: Array.from({ length: 10 }, (_, i) => ({ id: `r${i}`, category: 'fit' as const, points: 1, condition: { match: 'all' as const, conditions: [{ field: 'company', operator: 'matches' as const, value: `.{1,140}x${i}` }] } })),
        grades: [{ grade: 'A', min: 0 }],
      },
    },
    { id: 'e', type: 'end', position: { x: 0, y: 240 }, config: { outcome: 'done' } },
  ],
  edges: [
    { id: edgeId('t', 'next', 's'), source: 't', sourceHandle: 'next', target: 's' },
    { id: edgeId('s', 'next', 'e'), source: 's', sourceHandle: 'next', target: 'e' },
  ],
};

/** A 1,000-step chain (trigger, 998 in-app notifies, end): the biggest graph there is, as a draft. */
function thousandStepGraph(): unknown {
  const ids = Array.from({ length: 998 }, (_, i) => `n${i}`);
  const nodes = [
    { id: 't', type: 'trigger', position: { x: 0, y: 0 }, config: { source: 'webhook' } },
    ...ids.map((id, i) => ({ id, type: 'notify', position: { x: 0, y: (i + 1) * 100 }, config: { channel: 'in_app', message: 'New lead: {{company}}' } })),
    { id: 'e', type: 'end', position: { x: 0, y: 100_000 }, config: { outcome: 'done' } },
  ];
  const chain = ['t', ...ids, 'e'];
  const edges = chain.slice(0, -1).map((from, i) => ({ id: edgeId(from, 'next', chain[i + 1]!), source: from, sourceHandle: 'next', target: chain[i + 1]! }));
  return { schemaVersion: GRAPH_SCHEMA_VERSION, nodes, edges };
}

/** The running stack and what the burst needs to address it. */
export interface HostileStack {
  base: string;
  database: TestDatabase;
  server: TestProcess;
  worker: TestProcess;
  keys: { ingest: string; admin: string };
  signInEmail: string;
  goodWorkflowId: string;
  costlyWorkflowId: string;
  stop(): Promise<void>;
}

export async function startHostileStack(): Promise<HostileStack> {
  const temporal = await startTemporalDevServer(await freePort());
  const database = await createTestDatabase({ max: 5 });
  const stop = async () => {
    await killAllTestProcesses();
    await temporal.stop();
    await database.drop();
  };
  try {
    const db = database.db;
    const ws = await createWorkspace(db, 'hostile-load');
    const admin = await createUser(db, { workspaceId: ws.id, email: `admin-${randomBytes(3).toString('hex')}@example.com`, name: 'Admin', role: 'admin', password: PASSWORD });
    const keys = {
      ingest: (await createApiKey(db, { workspaceId: ws.id, name: 'website', role: 'ingest', createdBy: admin.id })).key,
      admin: (await createApiKey(db, { workspaceId: ws.id, name: 'ops', role: 'admin', createdBy: admin.id })).key,
    };
    await seedDirectory(db, ws.id, directory);
    const publish = async (name: string, graph: Graph) => {
      const [wf] = await db.insert(workflows).values({ workspaceId: ws.id, name, webhookSecret: randomBytes(16).toString('hex') }).returning({ id: workflows.id });
      if (!wf) throw new Error('workflow insert returned nothing');
      const { versionId } = await insertVersion(db, wf.id, graph, DirectorySchema.parse(directory));
      await db.update(workflows).set({ activeVersionId: versionId }).where(eq(workflows.id, wf.id));
      return wf.id;
    };
    const goodWorkflowId = await publish('Inbound', hybridRoutingGraph);
    const costlyWorkflowId = await publish('Costly patterns', costlyPatternGraph);
    const env = {
      DATABASE_URL: database.url,
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_TASK_QUEUE: `hostile-${randomBytes(4).toString('hex')}`,
      LOG_LEVEL: 'warn',
      PORT: String(await freePort()),
      HOST: '127.0.0.1',
    };
    const { server, worker, base } = await startServerAndWorker(env);
    return { base, database, server, worker, keys, signInEmail: admin.email, goodWorkflowId, costlyWorkflowId, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** What one kind of hostile call was answered: HTTP status (or `closed` when the connection was cut) -> count. */
export type Answers = Record<string, number>;

export interface HostileFigures {
  healthz: { polls: number; p50: number; p99: number; max: number; slow: Array<{ at: number; ms: number }>; probeStalls: Array<{ at: number; ms: number }> };
  serverRssPeakMb: number;
  answers: Record<string, Answers>;
  good: { posted: number; routed: number; p50Ms: number; p99Ms: number };
  costlyLeads: { posted: number; ended: number; statuses: Answers };
  workerAlive: boolean;
  serverAlive: boolean;
  seconds: number;
  /** When the hostile calls went out, seconds after the drafts they use began to be saved (polling starts after). */
  burstAt: number;
}

const percentile = (sorted: number[], p: number) => (sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!);

function rssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

function count(into: Answers, key: string): void {
  into[key] = (into[key] ?? 0) + 1;
}

/** Calls `fetch` and records the status, or `closed` when the server cut the connection. */
async function answered(into: Answers, call: () => Promise<Response>): Promise<void> {
  try {
    const res = await call();
    await res.arrayBuffer().catch(() => undefined);
    count(into, String(res.status));
  } catch {
    count(into, 'closed');
  }
}

/** A request body of `bytes` bytes of JSON-looking filler, produced as it is read (never held in memory). */
function hugeBody(bytes: number): ReadableStream<Uint8Array> {
  const chunk = new Uint8Array(64 * 1024).fill(0x61);
  let sent = 0;
  return new ReadableStream({
    start(controller) {
      controller.enqueue(new TextEncoder().encode('{"email":"'));
    },
    pull(controller) {
      if (sent >= bytes) {
        controller.enqueue(new TextEncoder().encode('","password":"x"}'));
        controller.close();
        return;
      }
      controller.enqueue(chunk);
      sent += chunk.length;
    },
  });
}

type Auth = (key: string) => Record<string, string>;
const authOf: Auth = (key) => ({ authorization: `Bearer ${key}`, 'content-type': 'application/json' });

// The poller runs in a thread of its own: the burst's own work in this process (building 10,000 leads, reading
// answers, streaming 300 MB bodies) must not delay the polls or the reading of their answers, or the figure
// would be this process's stall, not the server's.
//
// It polls over POLL_CONNECTIONS connections opened before the burst and kept alive, taken in turn, as a load
// balancer's health checks do. Over a fresh connection a poll measures something else: Node 20 (libuv 1.46)
// accepts one new connection per turn of the event loop, so behind the burst's hundred-odd simultaneous
// connections a new one waits its turn in the kernel's accept queue. Seen on a loaded 2-core machine: 100+
// connections queued (ss), one accept4 per epoll_wait (strace), a fresh poll answered after 1.8-5 s while the
// server's event loop never lagged 150 ms and polls on open connections were answered in milliseconds
// (a standalone Node 20 server whose turns take 20 ms accepts 100 simultaneous connections in 2.1 s).
const POLL_CONNECTIONS = 4;
const POLLER = `
const http = require('node:http');
const { parentPort, workerData } = require('node:worker_threads');
// FIFO: every connection is used in turn, so none idles long enough for the server to close it.
const agent = new http.Agent({ keepAlive: true, maxSockets: workerData.connections, scheduling: 'fifo' });
const get = () =>
  new Promise((resolve, reject) => {
    const req = http.get(workerData.url, { agent }, (res) => {
      res.resume();
      res.on('end', resolve);
      res.on('error', reject);
    });
    req.on('error', reject);
  });
let polling = true;
const inFlight = [];
parentPort.on('message', async () => {
  polling = false;
  await Promise.all(inFlight);
  agent.destroy();
  parentPort.postMessage('done');
});
(async () => {
  // The connections are opened (and the server's first answers made) before the burst.
  await Promise.all(Array.from({ length: workerData.connections }, get));
  parentPort.postMessage('ready');
  while (polling) {
    const t = performance.now();
    inFlight.push(
      get()
        .then(() => parentPort.postMessage({ at: t, ms: performance.now() - t }))
        .catch(() => parentPort.postMessage({ at: t, ms: Infinity })),
    );
    await new Promise((r) => setTimeout(r, 100));
  }
})();
`;

/** A probe stall: the poller sent nothing for this long (it sends every 100 ms whatever the server does). */
const PROBE_STALL_MS = 400;

/**
 * Polls /healthz every 100 ms from a thread of its own (a poll does not wait for the previous one: up to
 * POLL_CONNECTIONS are in flight, and a poll that waits for a free connection counts the wait, so a slow answer
 * cannot hide the next) and samples the server's RSS. A slow server leaves the sends regular; a gap in them means
 * the probe itself did not run (seen on a loaded 2-core machine: one 3 s answer and 3 s of no sends at all), and
 * a poll in flight across such a gap measured the probe, so it is left out and counted.
 */
async function startPolling(stack: HostileStack) {
  const sent: Array<{ at: number; ms: number }> = [];
  const state = { rssPeak: 0 };
  const thread = new Worker(POLLER, { eval: true, workerData: { url: `${stack.base}/healthz`, connections: POLL_CONNECTIONS } });
  let ready = () => {};
  const connected = new Promise<void>((resolve) => (ready = resolve));
  const finished = new Promise<void>((resolve, reject) => {
    thread.on('error', reject);
    thread.on('message', (m: 'ready' | 'done' | { at: number; ms: number }) => (m === 'done' ? resolve() : m === 'ready' ? ready() : void sent.push(m)));
  });
  await Promise.race([connected, finished]);
  const rss = setInterval(() => (state.rssPeak = Math.max(state.rssPeak, rssMb(stack.server.pid) || 0)), 100);
  return {
    stop: async () => {
      clearInterval(rss);
      thread.postMessage('stop');
      await finished;
      await thread.terminate();
      return { rssPeak: state.rssPeak, ...probeFigures(sent) };
    },
  };
}

/** The polls that measured the server (the thread's clock starts with it, as the polls do) and the probe's own stalls. */
export function probeFigures(sent: Array<{ at: number; ms: number }>): { polls: number[]; slow: Array<{ at: number; ms: number }>; probeStalls: Array<{ at: number; ms: number }> } {
  const byTime = [...sent].sort((a, b) => a.at - b.at);
  const probeStalls: Array<{ at: number; ms: number }> = [];
  for (let i = 1; i < byTime.length; i++) {
    const gap = byTime[i]!.at - byTime[i - 1]!.at;
    if (gap > PROBE_STALL_MS) probeStalls.push({ at: byTime[i - 1]!.at, ms: gap });
  }
  const measured = byTime.filter((p) => !probeStalls.some((g) => p.at < g.at + g.ms && p.at + p.ms > g.at));
  return {
    polls: measured.map((p) => p.ms),
    slow: measured.filter((p) => p.ms > 200).map((p) => ({ at: p.at / 1000, ms: p.ms })),
    probeStalls: probeStalls.map((g) => ({ at: g.at / 1000, ms: g.ms })),
  };
}

/** Creates a workflow through the API and saves `graph` as its draft; returns its id. */
async function draftWorkflow(stack: HostileStack, name: string, graph: unknown): Promise<string> {
  const headers = authOf(stack.keys.admin);
  const created = (await (await fetch(`${stack.base}/api/workflows`, { method: 'POST', headers, body: JSON.stringify({ name }) })).json()) as { id: string };
  const draft = (await (await fetch(`${stack.base}/api/workflows/${created.id}/draft`, { headers })).json()) as { revision: number };
  const saved = await fetch(`${stack.base}/api/workflows/${created.id}/draft`, { method: 'PUT', headers, body: JSON.stringify({ graph, revision: draft.revision }) });
  if (saved.status !== 200) throw new Error(`saving the draft of ${name} answered ${saved.status}: ${await saved.text()}`);
  return created.id;
}

/** The drafts the hostile test runs use: the biggest graph there is, and one with the probe's pathological pattern. */
async function hostileDrafts(stack: HostileStack): Promise<{ hugeId: string; evilId: string }> {
  const hugeId = await draftWorkflow(stack, 'Huge draft', thousandStepGraph());
  const evilGraph = structuredClone(costlyPatternGraph) as unknown as { nodes: Array<{ config: { rules?: Array<{ condition: { conditions: Array<{ value: string }> } }> } }> };
  evilGraph.nodes[1]!.config.rules![0]!.condition.conditions[0]!.value = '[\\s\\S]{1,1000}[\\s\\S]{1,1000}q';
  const evilId = await draftWorkflow(stack, 'Evil pattern', evilGraph);
  return { hugeId, evilId };
}

/** The hostile calls, all started at once. */
function hostileCalls(stack: HostileStack, drafts: { hugeId: string; evilId: string }, slot: (name: string) => Answers): Array<Promise<void>> {
  const { base, keys } = stack;
  const { hugeId, evilId } = drafts;
  const manyLeads = generateSampleLeads(10_000, 14);
  const simulate = (id: string, body: unknown) => () => fetch(`${base}/api/workflows/${id}/simulate`, { method: 'POST', headers: authOf(keys.admin), body: JSON.stringify(body) });
  return [
    // 1,000 steps x 10,000 leads, and 1,000 steps x 1,000 leads at full detail (the probe's 351 MB answer).
    answered(slot('simulate 1,000 steps x 10,000 leads'), simulate(hugeId, { leads: manyLeads, detail: 'full' })),
    answered(slot('simulate 1,000 steps x 1,000 leads, full detail'), simulate(hugeId, { leads: manyLeads.slice(0, 1_000), detail: 'full' })),
    // The probe's pattern on a 10,000-character company name, as a test run of its draft.
    answered(slot('simulate the pathological pattern'), simulate(evilId, { leads: [{ email: 'a@b.co', company: 'a'.repeat(HOSTILE.longText) }] })),
    // Huge bodies to the sign-in route, which needs no credentials.
    ...Array.from({ length: HOSTILE.hugeBodies }, () =>
      answered(slot(`sign-in with a ${HOSTILE.hugeBodyBytes / 2 ** 20} MB body`), () =>
        fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: hugeBody(HOSTILE.hugeBodyBytes), duplex: 'half' } as RequestInit),
      ),
    ),
    // Wrong passwords for a real account, all at once.
    ...Array.from({ length: HOSTILE.wrongSignIns }, (_, i) =>
      answered(slot('wrong password'), () => fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: stack.signInEmail, password: `guess ${i}` }) })),
    ),
  ];
}

/** Posts one lead; records the answer under `call`; returns the lead id, or null when it was not taken. */
async function postLead(stack: HostileStack, workflowId: string, lead: Record<string, unknown>, into: Answers): Promise<string | null> {
  try {
    const res = await fetch(`${stack.base}/api/workflows/${workflowId}/leads`, { method: 'POST', headers: authOf(stack.keys.ingest), body: JSON.stringify(lead) });
    const body = (await res.json().catch(() => null)) as { leadId?: string } | null;
    count(into, String(res.status));
    return body?.leadId ?? null;
  } catch {
    count(into, 'closed');
    return null;
  }
}

/** Posts `leads` at `perSecond`, without waiting for one answer before the next post; returns the ids taken. */
async function postAtRate(stack: HostileStack, workflowId: string, leads: Array<Record<string, unknown>>, perSecond: number, into: Answers): Promise<string[]> {
  const posts: Array<Promise<string | null>> = [];
  for (const lead of leads) {
    posts.push(postLead(stack, workflowId, lead, into));
    await sleep(1000 / perSecond);
  }
  return (await Promise.all(posts)).filter((id): id is string => id !== null);
}

/** Waits (at most a minute) until every good lead is assigned and every costly lead's run has ended. */
async function settle(stack: HostileStack, goodIds: string[], costlyIds: string[]) {
  const db = stack.database.db;
  const ended = (s: string) => s === 'completed' || s === 'failed';
  const deadline = Date.now() + 60_000;
  for (;;) {
    const good = goodIds.length === 0 ? [] : await db.select({ assignedAt: routingRuns.assignedAt, receivedAt: routingRuns.receivedAt }).from(routingRuns).where(inArray(routingRuns.leadId, goodIds));
    const costly = costlyIds.length === 0 ? [] : await db.select({ status: routingRuns.status }).from(routingRuns).where(inArray(routingRuns.leadId, costlyIds));
    const routed = good.filter((r) => r.assignedAt !== null);
    const settled = routed.length === goodIds.length && costly.length === costlyIds.length && costly.every((r) => ended(r.status));
    if (settled || Date.now() > deadline || !stack.worker.alive) {
      const statuses: Answers = {};
      for (const r of costly) count(statuses, r.status);
      return {
        routedMs: routed.map((r) => r.assignedAt!.getTime() - r.receivedAt.getTime()).sort((a, b) => a - b),
        costlyEnded: costly.filter((r) => ended(r.status)).length,
        costlyStatuses: statuses,
      };
    }
    await sleep(250);
  }
}

/** Runs the burst: hostile calls and good leads at once, /healthz polled every 100 ms throughout. */
export async function runHostileBurst(stack: HostileStack): Promise<HostileFigures> {
  const started = performance.now();
  const answers: Record<string, Answers> = {};
  const slot = (name: string) => (answers[name] ??= {});
  // Setup, not part of the burst: saving a 1,000-step draft compiles it on the server (see bench notes).
  const drafts = await hostileDrafts(stack);
  const poller = await startPolling(stack);
  const hostile = hostileCalls(stack, drafts, slot);
  const burstAt = (performance.now() - started) / 1000;
  // Leads whose long company name meets the costliest patterns a published graph may hold, at 5 a second.
  const costlyLeads = Array.from({ length: HOSTILE.costlyLeads }, (_, i) => ({ id: `costly-${i}`, email: `c${i}@example.com`, company: `${randomBytes(8).toString('hex')}${'a'.repeat(HOSTILE.longText)}`.slice(0, HOSTILE.longText) }));
  const costly = postAtRate(stack, stack.costlyWorkflowId, costlyLeads, 5, slot('costly-pattern lead posted'));
  // Good leads at 20 a second.
  const goodLeads = generateSampleLeads(HOSTILE.goodLeads * 2, 41)
    .filter((l) => typeof l.email === 'string')
    .slice(0, HOSTILE.goodLeads)
    .map((l, i) => ({ ...l, id: `good-${i}` }));
  const good = postAtRate(stack, stack.goodWorkflowId, goodLeads, 20, slot('good lead posted'));
  await Promise.all(hostile);
  const [goodIds, costlyIds] = await Promise.all([good, costly]);

  const settled = await settle(stack, goodIds, costlyIds);
  const probe = await poller.stop();
  const sortedPolls = [...probe.polls].sort((a, b) => a - b);
  return {
    healthz: { polls: sortedPolls.length, p50: percentile(sortedPolls, 50), p99: percentile(sortedPolls, 99), max: sortedPolls[sortedPolls.length - 1] ?? NaN, slow: probe.slow, probeStalls: probe.probeStalls },
    serverRssPeakMb: probe.rssPeak,
    answers,
    good: { posted: goodIds.length, routed: settled.routedMs.length, p50Ms: percentile(settled.routedMs, 50), p99Ms: percentile(settled.routedMs, 99) },
    costlyLeads: { posted: costlyIds.length, ended: settled.costlyEnded, statuses: settled.costlyStatuses },
    workerAlive: stack.worker.alive,
    serverAlive: stack.server.alive,
    seconds: (performance.now() - started) / 1000,
    burstAt,
  };
}

/** One line per figure, for logs and the benchmark's notes. */
export function describeFigures(f: HostileFigures): string[] {
  return [
    `/healthz: ${f.healthz.polls} polls, p50 ${f.healthz.p50.toFixed(1)} ms, p99 ${f.healthz.p99.toFixed(1)} ms, max ${f.healthz.max.toFixed(1)} ms${f.healthz.slow.length ? `; over 200 ms: ${f.healthz.slow.map((p) => `${p.ms.toFixed(0)} ms at ${p.at.toFixed(1)} s`).join(', ')}` : ''}${f.healthz.probeStalls.length ? `; the probe itself stalled (polls across it left out): ${f.healthz.probeStalls.map((g) => `${g.ms.toFixed(0)} ms at ${g.at.toFixed(1)} s`).join(', ')}` : ''}`,
    `API server peak RSS ${f.serverRssPeakMb.toFixed(0)} MB; server ${f.serverAlive ? 'up' : 'DOWN'}, worker ${f.workerAlive ? 'up' : 'DOWN'}`,
    `good leads: ${f.good.routed} of ${f.good.posted} assigned; received -> assigned p50 ${f.good.p50Ms} ms, p99 ${f.good.p99Ms} ms`,
    `costly-pattern leads: ${f.costlyLeads.ended} of ${f.costlyLeads.posted} ended (${JSON.stringify(f.costlyLeads.statuses)})`,
    ...Object.entries(f.answers).map(([call, a]) => `${call}: ${Object.entries(a).map(([s, n]) => `${n} x ${s}`).join(', ')}`),
    `drafts saved in ${f.burstAt.toFixed(1)} s, then the burst (polls counted from here); all settled at ${f.seconds.toFixed(1)} s`,
  ];
}
