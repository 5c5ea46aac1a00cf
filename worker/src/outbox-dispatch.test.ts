import { randomUUID } from 'node:crypto';
import type { DirectoryInput, Lead } from '@lead-router/shared';
import { demoDirectory, hybridRoutingGraph } from '@lead-router/shared/fixtures';
import { workflowIdOf } from '@lead-router/shared/workflow-contract';
import { freePort, startTemporalDevServer } from '@lead-router/testkit/temporal-dev-server';
import { Client } from '@temporalio/client';
import { temporal as proto } from '@temporalio/proto';
import { NativeConnection, Worker } from '@temporalio/worker';
import { eq, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectPostgres, type Database } from '@lead-router/db/client';
import { outbox, routingRuns, workflows } from '@lead-router/db/schema';
import { createActivities } from './activities/index';
import { startWorkerDispatch, type WorkerDispatch } from './outbox-dispatch';
import { createTestDatabase, createWorkspace, insertLeads, insertVersion, seedDirectory, type TestDatabase } from './test/test-db';
import { WORKFLOW_BUNDLE } from './workflows-path';

// OUTBOX_DISPATCH=worker (issue 18): a worker starts the leads of the outbox itself, woken by the NOTIFY of
// migration 0021's trigger, and Temporal hands each workflow's first task back in the start's answer (eager
// start), to the worker that started it. Real PostgreSQL, a real Temporal dev server, the real activities.

const directory: DirectoryInput = { ...demoDirectory, reps: demoDirectory.reps.map((r) => ({ ...r, workingHours: null })) };
const lead = (i: number): Lead => ({ id: `D-${i}`, firstName: 'Bruce', lastName: `Wayne ${i}`, email: `bruce${i}@wayne.com`, title: 'CEO', company: 'Wayne Enterprises', country: 'US', state: 'NJ', leadSource: 'Contact Sales' });

let temporal: Awaited<ReturnType<typeof startTemporalDevServer>>;
let database: TestDatabase;
/** The worker's own pool (with `listen`), as worker.ts connects it. */
let pool: Database;
let connection: NativeConnection;
let worker: Worker;
let running: Promise<void>;
let dispatch: WorkerDispatch;
let target: { workspaceId: string; workflowId: string; versionId: string };
const taskQueue = `outbox-dispatch-test-${randomUUID().slice(0, 8)}`;

beforeAll(async () => {
  [temporal, database] = await Promise.all([startTemporalDevServer(await freePort()), createTestDatabase({ max: 5 })]);
  pool = connectPostgres(database.url, { max: 5 });
  connection = await NativeConnection.connect({ address: temporal.address });
  worker = await Worker.create({ connection, taskQueue, ...WORKFLOW_BUNDLE, activities: createActivities({ db: pool.db }) });
  running = worker.run();
  // No poll within the tests' time: only a notification wakes the dispatcher.
  dispatch = await startWorkerDispatch({ database: pool, connection, namespace: 'default', taskQueue, log: { warn: () => {} }, pollMs: 600_000 });
  const { workspaceId, workflowId } = await createWorkspace(database.db);
  await seedDirectory(database.db, workspaceId, directory);
  const { versionId } = await insertVersion(database.db, workflowId, hybridRoutingGraph, directory);
  await database.db.update(workflows).set({ activeVersionId: versionId }).where(eq(workflows.id, workflowId));
  target = { workspaceId, workflowId, versionId };
}, 120_000);

afterAll(async () => {
  await dispatch?.stop();
  worker?.shutdown();
  await running?.catch(() => {});
  await connection?.close();
  await pool?.close();
  await temporal?.stop();
  await database?.drop();
}, 60_000);

/** Writes leads and their outbox rows in one transaction, as ingestion does. */
async function ingest(from: number, count: number): Promise<string[]> {
  const ids = await insertLeads(database.db, target, Array.from({ length: count }, (_, i) => lead(from + i)), new Date());
  await database.db.insert(outbox).values(ids.map((leadId) => ({ leadId, workspaceId: target.workspaceId, versionId: target.versionId })));
  return ids;
}

async function untilAssigned(ids: string[], timeoutMs: number, context: () => string = () => ''): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows = await database.db.select({ assignedAt: routingRuns.assignedAt }).from(routingRuns).where(inArray(routingRuns.leadId, ids));
    if (rows.length === ids.length && rows.every((r) => r.assignedAt !== null)) return;
    if (Date.now() > deadline) throw new Error(`not assigned within ${timeoutMs} ms: ${rows.filter((r) => r.assignedAt === null).length} of ${ids.length}\n${await whereTheyStand(ids)}\n${context()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** What the outbox and Temporal say of leads not routed in time: a start never tried, one that failed, or a workflow that stalled. */
async function whereTheyStand(ids: string[]): Promise<string> {
  const queued = await database.db.select({ leadId: outbox.leadId, dispatchedAt: outbox.dispatchedAt, attempts: outbox.attempts, lastError: outbox.lastError }).from(outbox).where(inArray(outbox.leadId, ids));
  const client = new Client({ connection });
  const histories = await Promise.all(
    ids.map(async (id) => {
      try {
        const { events } = await client.workflow.getHandle(workflowIdOf(id)).fetchHistory();
        return `${id}: ${(events ?? []).map((e) => `${proto.api.enums.v1.EventType[e.eventType ?? 0]?.replace('EVENT_TYPE_', '')}@${Number(e.eventTime?.seconds ?? 0) % 1000}.${String(Math.floor((e.eventTime?.nanos ?? 0) / 1e6)).padStart(3, '0')}`).join(' ')}`;
      } catch (e) {
        return `${id}: ${e instanceof Error ? e.message : String(e)}`;
      }
    }),
  );
  return `outbox ${JSON.stringify(queued)}\nhistories (event@seconds) ${histories.join('\n')}`;
}

describe('the worker starts the leads of the outbox', () => {
  it('a lead written to the outbox is started at once, eagerly, and routed', async () => {
    const before = { ...dispatch.starts };
    const ids = await ingest(0, 5);
    await untilAssigned(ids, 10_000);
    const rows = await database.db.select().from(outbox).where(inArray(outbox.leadId, ids));
    expect(rows.every((r) => r.dispatchedAt !== null && r.attempts === 1)).toBe(true);
    expect(dispatch.starts.started - before.started).toBe(5);
    // Each workflow's first task came back in its start's answer, to this worker.
    expect(dispatch.starts.eagerly - before.eagerly).toBe(5);
  }, 30_000);

  it('a lead written while the LISTEN connection was lost is started once it is back', async () => {
    // PostgreSQL ends the listening session; postgres.js reconnects and LISTENs again, and the dispatcher
    // drains on that, since what was written meanwhile was announced to no one.
    const killed = await database.db.execute(sql`select pg_terminate_backend(pid) as ok from pg_stat_activity where datname = current_database() and query ilike 'listen%'`);
    expect((killed as unknown as Array<{ ok: boolean }>).map((r) => r.ok)).toEqual([true]);
    const ids = await ingest(100, 1);
    await untilAssigned(ids, 10_000);
  }, 30_000);

  it('a worker that cannot LISTEN as it starts (the database is down) tries again, and starts the leads once it can', async () => {
    // Only the dispatch under test may start leads from here on.
    await dispatch.stop();
    // Its own LISTEN connection, as a worker starting has: the shared one went through the test above's reconnect.
    const fresh = connectPostgres(database.url, { max: 2 });
    let refusals = 1;
    const flaky: Database = {
      ...pool,
      listen: (channel, onNotify, onListen) => (refusals-- > 0 ? Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:5432')) : fresh.listen!(channel, onNotify, onListen)),
    };
    const warnings: string[] = [];
    const second = await startWorkerDispatch({ database: flaky, connection, namespace: 'default', taskQueue, log: { warn: (m) => warnings.push(m) }, pollMs: 600_000, listenRetryMs: 200 });
    try {
      expect(warnings).toEqual(['outbox: cannot LISTEN for new leads; polling meanwhile']);
      await new Promise((r) => setTimeout(r, 500));
      const ids = await ingest(200, 1);
      await untilAssigned(ids, 10_000, () => `warnings: ${JSON.stringify(warnings)}`);
      expect(second.starts).toEqual({ started: 1, eagerly: 1 });
    } finally {
      await second.stop();
      await fresh.close();
    }
  }, 30_000);
});
