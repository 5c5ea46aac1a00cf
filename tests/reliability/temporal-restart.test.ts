// Temporal stopped while 200 leads are posted, end to end: the API server and a worker run as real
// processes; the Temporal dev server (on a database file) is stopped, 200 leads are posted to the real
// trigger endpoint, then the dev server is started again on the same port and file. Every post is 202,
// every lead is kept (lead, run and outbox row), and once Temporal is back every lead is routed: its
// assignment committed and its outbox row dispatched, each exactly once.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DirectorySchema } from '@lead-router/shared';
import { demoDirectory, generateSampleLeads, hybridRoutingGraph } from '@lead-router/shared/fixtures';
import { Connection } from '@temporalio/client';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workflows } from '@lead-router/db/schema';
import { createApiKey, createWorkspace } from '../../server/src/services/workspaces.service';
import { freePort, TEMPORAL_CLI } from '@lead-router/testkit/temporal-dev-server';
import { createTestDatabase, insertVersion, seedDirectory, type TestDatabase } from '../../worker/src/test/test-db';
import { killAllTestProcesses, startServerAndWorker, type TestProcess, waitFor } from '../../worker/src/e2e/processes';

const LEADS = 200;
/** Every rep available at any hour and uncapped: the result must not depend on when the suite runs. */
const uncappedDirectory = { ...demoDirectory, reps: demoDirectory.reps.map((r) => ({ ...r, workingHours: null, outOfOffice: [], caps: {} })) };
const taskQueue = `restart-${process.pid}`;
const dir = mkdtempSync(join(tmpdir(), 'temporal-restart-'));
let port: number;
let temporal: ChildProcess | null = null;
let database: TestDatabase;
const started: TestProcess[] = [];

/** The dev server on `port`, keeping its state in a file so a restart finds its namespace and history. */
async function startTemporal(): Promise<void> {
  temporal = spawn(TEMPORAL_CLI, ['server', 'start-dev', '--headless', '--ip', '127.0.0.1', '--port', String(port), '--db-filename', join(dir, 'temporal.db'), '--log-level', 'error'], { stdio: 'ignore' });
  const child = temporal;
  await waitFor(
    `the Temporal dev server on ${port}`,
    async () => {
      if (child.exitCode !== null) throw new Error(`the dev server exited with ${child.exitCode}`);
      const c = await Connection.connect({ address: `127.0.0.1:${port}`, connectTimeout: '1s' }).catch(() => null);
      if (!c) return false;
      try {
        await c.workflowService.getSystemInfo({});
        return true;
      } catch {
        return false;
      } finally {
        await c.close();
      }
    },
    { timeoutMs: 60_000, intervalMs: 250 },
  );
}

async function stopTemporal(): Promise<void> {
  const child = temporal;
  temporal = null;
  if (!child || child.exitCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 5000).unref();
  });
}

let base: string;
let key: string;
let workflowId: string;

beforeAll(async () => {
  port = await freePort();
  await startTemporal();
  database = await createTestDatabase({ max: 5 });
  const db = database.db;
  const ws = await createWorkspace(db, 'temporal-restart');
  key = (await createApiKey(db, { workspaceId: ws.id, name: 'ingest', role: 'ingest' })).key;
  await seedDirectory(db, ws.id, uncappedDirectory);
  const [wf] = await db.insert(workflows).values({ workspaceId: ws.id, name: 'restart', webhookSecret: 'x' }).returning({ id: workflows.id });
  workflowId = wf!.id;
  const { versionId } = await insertVersion(db, workflowId, hybridRoutingGraph, DirectorySchema.parse(uncappedDirectory));
  await db.update(workflows).set({ activeVersionId: versionId }).where(eq(workflows.id, workflowId));

  const httpPort = await freePort();
  const env = { DATABASE_URL: database.url, TEMPORAL_ADDRESS: `127.0.0.1:${port}`, TEMPORAL_TASK_QUEUE: taskQueue, LOG_LEVEL: 'warn', PORT: String(httpPort), HOST: '127.0.0.1' };
  const stack = await startServerAndWorker(env);
  base = stack.base;
  started.push(stack.server, stack.worker);
}, 240_000);

afterAll(async () => {
  await killAllTestProcesses();
  await stopTemporal();
  await database?.drop();
  rmSync(dir, { recursive: true, force: true });
}, 60_000);

describe('Temporal stopped while 200 leads are posted', () => {
  it('answers 202 to every lead, keeps them all, and routes every one once Temporal is back', async () => {
    await stopTemporal();
    const leads = generateSampleLeads(LEADS * 2, 3).filter((l) => l.email).slice(0, LEADS);
    expect(leads).toHaveLength(LEADS);
    const answers = await Promise.all(
      leads.map(async (lead, i) => {
        const res = await fetch(`${base}/api/workflows/${workflowId}/leads`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify({ ...lead, id: `restart-${i}` }) });
        return { status: res.status, body: (await res.json()) as { leadId: string } };
      }),
    );
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 202));
    const ids = answers.map((a) => a.body.leadId);
    expect(new Set(ids).size).toBe(LEADS);

    const state = async () => {
      const [r] = (await database.db.execute(sql`select (select count(*) from leads)::int as leads,
        (select count(*) from routing_runs)::int as runs,
        (select count(*) from routing_runs where assigned_at is not null)::int as assigned,
        (select count(*) from outbox)::int as outbox,
        (select count(*) from outbox where dispatched_at is not null)::int as dispatched`)) as unknown as Array<Record<string, number>>;
      return r!;
    };
    // Down: all kept, none routed.
    await new Promise((r) => setTimeout(r, 2000));
    expect(await state()).toEqual({ leads: LEADS, runs: LEADS, assigned: 0, outbox: LEADS, dispatched: 0 });

    await startTemporal();
    await waitFor(
      'every lead to be assigned after Temporal is back',
      async () => {
        const s = await state();
        return s.assigned === LEADS && s.dispatched === LEADS;
      },
      { timeoutMs: 150_000, intervalMs: 1000, describe: () => started.map((p) => `${p.name}: ${p.output().slice(-2000)}`).join('\n') },
    );
    expect(await state()).toEqual({ leads: LEADS, runs: LEADS, assigned: LEADS, outbox: LEADS, dispatched: LEADS });
    // Each lead routed once: every lead has assignment steps, none of its assignment nodes ran twice
    // (a second run of a lead would repeat them), and the reps' open loads add up to the leads.
    const [steps] = (await database.db.execute(sql`select count(distinct lead_id)::int as leads,
      (select count(*) from (select lead_id, node_id from trace_steps where node_type = 'assign' group by 1, 2 having count(*) > 1) d)::int as repeated
      from trace_steps where node_type = 'assign'`)) as unknown as Array<{ leads: number; repeated: number }>;
    expect(steps).toEqual({ leads: LEADS, repeated: 0 });
    const [loads] = (await database.db.execute(sql`select coalesce(sum(open_leads), 0)::int as n from rep_loads`)) as unknown as Array<{ n: number }>;
    const [queued] = (await database.db.execute(sql`select count(*)::int as n from routing_runs where assignee_type = 'queue'`)) as unknown as Array<{ n: number }>;
    expect(loads!.n + queued!.n).toBe(LEADS);
  }, 240_000);
});
