// The API server restarted while leads are waiting on SLAs: a real Temporal dev server, the API server and
// a worker as processes. Ten leads are assigned and wait for an accept (SLA cut to 30 s); the server is
// SIGKILLed and a new server process started. Five leads are accepted through the new server: each one's
// workflow takes the answer and ends routed without escalating. The other five are left alone: their SLA
// still fires after the restart and they move on to the next rep.
import { randomBytes } from 'node:crypto';
import { DirectorySchema, type Graph } from '@lead-router/shared';
import { demoDirectory, generateSampleLeads, hybridRoutingGraph } from '@lead-router/shared/fixtures';
import { eq, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routingRuns, traceSteps, workflows } from '@lead-router/db/schema';
import { createApiKey, createWorkspace } from '../../server/src/services/workspaces.service';
import { freePort, startTemporalDevServer } from '@lead-router/testkit/temporal-dev-server';
import { createTestDatabase, insertVersion, seedDirectory, type TestDatabase } from '../../worker/src/test/test-db';
import { killAllTestProcesses, startServerAndWorker, type StackEnv, TestProcess, waitFor, waitForHttp } from '../../worker/src/e2e/processes';

const LEADS = 10;
const SLA_SECONDS = 30;
const directory = { ...demoDirectory, reps: demoDirectory.reps.map((r) => ({ ...r, workingHours: null, outOfOffice: [], caps: {} })) };
const graph: Graph = {
  ...hybridRoutingGraph,
  nodes: hybridRoutingGraph.nodes.map((n) => (n.type === 'wait' ? { ...n, config: { ...n.config, timeout: { amount: SLA_SECONDS, unit: 'seconds' as const } } } : n)),
};
const taskQueue = `restart-server-${randomBytes(4).toString('hex')}`;

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
  const ws = await createWorkspace(db, 'server-restart');
  keys = {
    ingest: (await createApiKey(db, { workspaceId: ws.id, name: 'ingest', role: 'ingest' })).key,
    editor: (await createApiKey(db, { workspaceId: ws.id, name: 'editor', role: 'editor' })).key,
  };
  await seedDirectory(db, ws.id, directory);
  const [wf] = await db.insert(workflows).values({ workspaceId: ws.id, name: 'restart', webhookSecret: 'x' }).returning({ id: workflows.id });
  workflowId = wf!.id;
  const { versionId } = await insertVersion(db, workflowId, graph, DirectorySchema.parse(directory));
  await db.update(workflows).set({ activeVersionId: versionId }).where(eq(workflows.id, workflowId));

  const port = await freePort();
  env = { DATABASE_URL: database.url, TEMPORAL_ADDRESS: temporal.address, TEMPORAL_TASK_QUEUE: taskQueue, LOG_LEVEL: 'warn', PORT: String(port), HOST: '127.0.0.1' };
  const stack = await startServerAndWorker(env);
  ({ server, base } = stack);
  started.push(stack.server, stack.worker);
}, 240_000);

afterAll(async () => {
  await killAllTestProcesses();
  await temporal?.stop();
  await database?.drop();
}, 60_000);

const logs = () => started.map((p) => `${p.name}: ${p.output().slice(-2000)}`).join('\n');

describe('the API server restarted while leads wait on SLAs', () => {
  it('the waits still fire, and accepts through the new server reach the workflows', async () => {
    const db = database.db;
    const leads = generateSampleLeads(LEADS * 2, 9).filter((l) => l.email).slice(0, LEADS);
    const ids: string[] = [];
    for (const [i, lead] of leads.entries()) {
      const res = await fetch(`${base}/api/workflows/${workflowId}/leads`, { method: 'POST', headers: { authorization: `Bearer ${keys.ingest}`, 'content-type': 'application/json' }, body: JSON.stringify({ ...lead, id: `wait-${i}` }) });
      expect(res.status).toBe(202);
      ids.push(((await res.json()) as { leadId: string }).leadId);
    }
    // Every lead assigned and waiting on its first SLA.
    await waitFor(
      'every lead waiting on its first SLA',
      async () => {
        const rows = await db.select({ status: routingRuns.status, node: routingRuns.currentNodeId }).from(routingRuns).where(inArray(routingRuns.leadId, ids));
        return rows.length === LEADS && rows.every((r) => r.status === 'waiting' && r.node === 'sla');
      },
      { timeoutMs: 60_000, intervalMs: 250, describe: logs },
    );

    // The server dies as a crash would, and a new one starts on the same port.
    await server.kill('SIGKILL');
    server = new TestProcess('server-2', 'server/src/main.ts', env);
    started.push(server);
    await waitForHttp(`${base}/healthz`, server, 60_000);

    const accepted = ids.slice(0, LEADS / 2);
    const leftAlone = ids.slice(LEADS / 2);
    for (const id of accepted) {
      const res = await fetch(`${base}/api/leads/${id}/accept`, { method: 'POST', headers: { authorization: `Bearer ${keys.editor}`, 'content-type': 'application/json' }, body: '{}' });
      expect(res.status, await res.text()).toBe(202);
    }

    // Accepted: the workflow took the answer, ended routed, never escalated.
    await waitFor(
      'the accepted leads to end routed',
      async () => {
        const rows = await db.select({ status: routingRuns.status, outcome: routingRuns.outcome }).from(routingRuns).where(inArray(routingRuns.leadId, accepted));
        return rows.every((r) => r.status === 'completed' && r.outcome === 'routed');
      },
      { timeoutMs: 60_000, intervalMs: 250, describe: logs },
    );
    // Left alone: the SLA fired after the restart and the lead went on to the next rep.
    await waitFor(
      'the SLAs of the other leads to fire',
      async () => {
        const rows = await db.select({ lead: traceSteps.leadId }).from(traceSteps).where(sql`${traceSteps.leadId} in ${leftAlone} and ${traceSteps.nodeId} = 'reassign'`);
        return new Set(rows.map((r) => r.lead)).size === leftAlone.length;
      },
      { timeoutMs: (SLA_SECONDS + 60) * 1000, intervalMs: 500, describe: logs },
    );
    const acceptedSteps = await db.select({ lead: traceSteps.leadId, node: traceSteps.nodeId, outcome: traceSteps.outcome }).from(traceSteps).where(inArray(traceSteps.leadId, accepted));
    for (const id of accepted) {
      const steps = acceptedSteps.filter((s) => s.lead === id);
      expect(steps.find((s) => s.node === 'sla')?.outcome, id).toBe('accepted');
      expect(steps.some((s) => s.node === 'reassign'), id).toBe(false);
    }
    const sla = await db.select({ lead: traceSteps.leadId, outcome: traceSteps.outcome }).from(traceSteps).where(sql`${traceSteps.leadId} in ${leftAlone} and ${traceSteps.nodeId} = 'sla'`);
    expect(sla.map((s) => s.outcome)).toEqual(leftAlone.map(() => 'timed_out'));
  }, 240_000);
});
