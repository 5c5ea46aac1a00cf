import type { Graph } from '@lead-router/shared';
import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditLog, outbox, routingRuns, versions, workflows } from '@lead-router/db/schema';
import { runHistory } from '@lead-router/db/history-schema';
import { backfillItems, backfillJobs } from '@lead-router/db/backfill-schema';
import { createLogger } from '../../http/logger';
import { BackfillRunner } from '../../services/backfill-runner';
import { OutboxDispatcher } from '@lead-router/db/outbox-dispatcher';
import { setupTestApp, type TestWorkspace } from '../../test/harness';
import { createWorkflowWithDraft, insertVersion, roundRobinDirectory, roundRobinGraph, seedDirectory } from '../test-runs/test-runs.fixtures';
import { seedFinishedLeads } from './backfills.fixtures';

// /api/backfills against the real database; Temporal is unreachable here, so the runner is stepped by hand
// on leads whose runs have ended (nothing to end in Temporal). The whole path through Temporal, a restart
// mid-job and live leads meanwhile is tests/reliability/backfill-restart.test.ts.

const t = setupTestApp();
const db = t.database.db;
const directory = roundRobinDirectory(3);

let ws: TestWorkspace;
let wfId: string;
let v1: string;

/** Everything to queue q-none. */
function queueGraph(): Graph {
  const g = roundRobinGraph();
  return { ...g, nodes: g.nodes.map((n) => (n.id === 'assign' && n.type === 'assign' ? { ...n, config: { ...n.config, strategy: { type: 'queue' as const, queueId: 'q-none' } } } : n)) };
}

const FROM = new Date('2026-03-02T10:00:00Z');

beforeAll(async () => {
  ws = await t.workspace();
  await seedDirectory(db, ws.id, directory);
  wfId = await createWorkflowWithDraft(db, ws.id, roundRobinGraph(), 'Inbound EMEA');
  await insertVersion(db, wfId, 1, roundRobinGraph(), directory);
  await insertVersion(db, wfId, 2, queueGraph(), directory);
  const [row] = await db.select({ id: versions.id }).from(versions).where(and(eq(versions.workflowId, wfId), eq(versions.number, 1)));
  v1 = row!.id;
  await db.update(workflows).set({ activeVersionId: v1 }).where(eq(workflows.id, wfId));
  // 30 leads held by rep-1, 30 by rep-2, one second apart.
  await seedFinishedLeads(db, { workspaceId: ws.id, workflowId: wfId, versionId: v1, n: 30, from: FROM, assigneeId: 'rep-1' });
  await seedFinishedLeads(db, { workspaceId: ws.id, workflowId: wfId, versionId: v1, n: 30, from: new Date(FROM.getTime() + 60_000), assigneeId: 'rep-2' });
});

const post = (path: string, body: unknown, key = ws.keys.editor) => t.call('POST', `/api/backfills${path}`, { key, body });

describe('POST /api/backfills/preview', () => {
  it("counts the set and gives the backtest's counts by assignee, by name, for exactly that set", async () => {
    const since = FROM.toISOString();
    const until = new Date(FROM.getTime() + 3_600_000).toISOString();
    const r = await post('/preview', { workflowId: wfId, version: 2, filter: { since, until } });
    expect(r.status, r.text).toBe(200);
    expect(r.body).toMatchObject({ workflowId: wfId, version: { number: 2 }, activeVersion: 1, total: 60, replayed: 60 });
    // The same window through the backtest: the very same counts.
    const bt = await t.call('POST', `/api/workflows/${wfId}/backtest`, { key: ws.keys.editor, body: { since, until, source: 2 } });
    expect(bt.status, bt.text).toBe(200);
    const counts = (rows: Array<{ id: string | null; target?: number; candidate?: number; active: number | null }>) =>
      Object.fromEntries(rows.map((a) => [a.id ?? 'nobody', [a.target ?? a.candidate, a.active]]));
    expect(counts(r.body.assignees)).toEqual(counts(bt.body.summary.assignees));
    expect(r.body.assignees.find((a: { id: string }) => a.id === 'q-none')).toMatchObject({ type: 'queue', name: 'Nobody', target: 60 });
    expect(r.body.moved).toBe(bt.body.summary.moved);
  });

  it("replays only the set, not its window: rep-2's leads among rep-1's", async () => {
    const r = await post('/preview', { workflowId: wfId, filter: { assignee: 'rep-2' } });
    expect(r.status, r.text).toBe(200);
    expect(r.body).toMatchObject({ total: 30, replayed: 30, version: { number: 1 } });
    const sum = r.body.assignees.reduce((s: number, a: { target: number }) => s + a.target, 0);
    expect(sum).toBe(30);
    expect(r.body.assignees.find((a: { id: string }) => a.id === 'rep-2')).toMatchObject({ name: 'Rep rep-2', actual: 30 });
    expect(r.body.assignees.some((a: { id: string; actual: number }) => a.id === 'rep-1' && a.actual > 0)).toBe(false);
  });

  it('names the bad field: unknown filter keys, another workflow, a bad instant, a missing workflow', async () => {
    const unknown = await post('/preview', { workflowId: wfId, filter: { colour: 'red' } });
    expect(unknown.status).toBe(400);
    expect(JSON.stringify(unknown.body.error.details)).toContain('filter');
    const other = await post('/preview', { workflowId: wfId, filter: { workflow: '00000000-0000-4000-8000-000000000000' } });
    expect(other.status).toBe(400);
    expect(other.body.error.details[0].path).toBe('filter.workflow');
    const since = await post('/preview', { workflowId: wfId, filter: { since: 'yesterday' } });
    expect(since.status).toBe(400);
    expect(since.body.error.details[0].path).toBe('filter.since');
    const missing = await post('/preview', { filter: {} });
    expect(missing.status).toBe(400);
    expect(missing.body.error.details[0].path).toBe('workflowId');
    const noVersion = await post('/preview', { workflowId: wfId, version: 9 });
    expect(noVersion.status).toBe(422);
    expect(noVersion.body.error.details[0].path).toBe('version');
  });

  it('refuses a set of more than 100,000 leads (422 naming filter), for the preview and the start alike', async () => {
    const big = await t.workspace();
    const bigWf = await createWorkflowWithDraft(db, big.id, roundRobinGraph());
    await insertVersion(db, bigWf, 1, roundRobinGraph(), directory);
    await seedFinishedLeads(db, { workspaceId: big.id, workflowId: bigWf, versionId: v1, n: 100_001, from: FROM });
    for (const path of ['/preview', '']) {
      const r = await post(path, { workflowId: bigWf, version: 1 }, big.keys.editor);
      expect(r.status, r.text).toBe(422);
      expect(r.body.error.code).toBe('too_many_leads');
      expect(r.body.error.details[0].path).toBe('filter');
    }
    expect(await db.select().from(backfillJobs).where(eq(backfillJobs.workspaceId, big.id))).toHaveLength(0);
    // One fewer fits.
    const ok = await post('/preview', { workflowId: bigWf, version: 1, filter: { until: new Date(FROM.getTime() + 100_000_000).toISOString() } }, big.keys.editor);
    expect(ok.status, ok.text).toBe(200);
    expect(ok.body.total).toBe(100_000);
    expect(ok.body.replayed).toBe(2000);
    expect(ok.body.method).toContain('oldest 2,000 of the 100,000');
  }, 60_000);
});

describe('roles', () => {
  it('viewers read backfills; editors and above preview, start and cancel them', async () => {
    const body = { workflowId: wfId, filter: { assignee: 'nobody-at-all' } };
    expect((await t.call('POST', '/api/backfills/preview', { body })).status).toBe(401);
    expect((await post('/preview', body, ws.keys.viewer)).status).toBe(403);
    expect((await post('', body, ws.keys.viewer)).status).toBe(403);
    const started = await post('', body, ws.keys.admin);
    expect(started.status, started.text).toBe(202);
    expect((await t.call('GET', '/api/backfills', { key: ws.keys.viewer })).status).toBe(200);
    expect((await t.call('GET', `/api/backfills/${started.body.id}`, { key: ws.keys.viewer })).status).toBe(200);
    expect((await post(`/${started.body.id}/cancel`, {}, ws.keys.viewer)).status).toBe(403);
    const other = await t.workspace();
    expect((await t.call('GET', `/api/backfills/${started.body.id}`, { key: other.keys.admin })).status).toBe(404);
  });
});

// The suite's server tests share one database, and no dispatcher drains it: other files' live outbox rows wait
// there. The runners here look past them (the throttle on a live backlog is checked on its own below).
const OTHER_TESTS_BACKLOG = 1_000_000;

describe('a backfill job', () => {
  it('re-routes each lead of its set once, as a re-route does, the live outbox rows started first; cancel stops it', async () => {
    const until = new Date(FROM.getTime() + 30_000).toISOString();
    const r = await post('', { workflowId: wfId, version: 2, filter: { until }, note: 'Queue everything' });
    expect(r.status, r.text).toBe(202);
    expect(r.body).toMatchObject({ status: 'running', total: 30, done: 0, version: 2, workflowName: 'Inbound EMEA', createdByName: expect.any(String) });
    const jobId: string = r.body.id;
    const [entry] = await db.select().from(auditLog).where(and(eq(auditLog.entityId, jobId), eq(auditLog.action, 'backfill.started')));
    expect(entry?.details).toMatchObject({ total: 30, version: 2 });

    const log = createLogger('silent');
    const runner = new BackfillRunner({ db, engine: t.deps.engine, log, now: () => new Date() }, { batchSize: 10, maxInFlight: 1000, maxLiveBacklog: OTHER_TESTS_BACKLOG });
    const other = new BackfillRunner({ db, engine: t.deps.engine, log, now: () => new Date() }, { batchSize: 10, maxInFlight: 1000, maxLiveBacklog: OTHER_TESTS_BACKLOG });
    expect(await runner.step()).toMatchObject({ kind: 'batch', jobId, done: 10, skipped: 0, left: 20 });
    // Another server process finds the job leased: it does not work it.
    expect(await other.step()).toEqual({ kind: 'idle' });

    // A live lead arrives: it is started before the backfill's rows.
    const [live] = await db.select({ leadId: routingRuns.leadId }).from(routingRuns).where(and(eq(routingRuns.workflowId, wfId), eq(routingRuns.assigneeId, 'rep-2'))).limit(1);
    await db.insert(outbox).values({ leadId: live!.leadId, workspaceId: ws.id, versionId: v1, nextAttemptAt: new Date() });
    const dispatcher = new OutboxDispatcher({ db, engine: t.deps.engine, log, now: () => new Date() }, { batchSize: 1, workspaceId: ws.id, startTimeoutMs: 500 });
    await dispatcher.drainOnce();
    const tried = await db.select({ leadId: outbox.leadId, job: outbox.backfillJobId }).from(outbox).where(and(eq(outbox.workspaceId, ws.id), eq(outbox.attempts, 1)));
    expect(tried).toEqual([{ leadId: live!.leadId, job: null }]);

    // The lead of a batch already done is never taken again; a lead queued since is skipped, with the reason.
    const [next] = await db.select({ leadId: backfillItems.leadId }).from(backfillItems).where(and(eq(backfillItems.jobId, jobId), eq(backfillItems.state, 'pending'))).orderBy(asc(backfillItems.seq)).limit(1);
    await db.update(routingRuns).set({ status: 'queued' }).where(eq(routingRuns.leadId, next!.leadId));
    expect(await runner.step()).toMatchObject({ kind: 'batch', done: 9, skipped: 1, left: 10 });
    const progress = await t.call('GET', `/api/backfills/${jobId}`, { key: ws.keys.viewer });
    expect(progress.body).toMatchObject({ done: 19, skipped: 1, skippedReasons: { still_routing: 1 }, total: 30, status: 'running' });

    const items = await db.select().from(backfillItems).where(and(eq(backfillItems.jobId, jobId), eq(backfillItems.state, 'done')));
    const ids = items.map((i) => i.leadId);
    expect(ids).toHaveLength(19);
    const runs = await db.select().from(routingRuns).where(inArray(routingRuns.leadId, ids));
    expect(runs.every((x) => x.status === 'queued' && x.runNumber === 2)).toBe(true);
    const earlier = await db.select().from(runHistory).where(inArray(runHistory.leadId, ids));
    expect(earlier).toHaveLength(19);
    expect(earlier.every((h) => h.endedBy === `job:${jobId}` && h.runNumber === 1 && h.note === 'Queue everything')).toBe(true);
    const rows = await db.select().from(outbox).where(and(inArray(outbox.leadId, ids), eq(outbox.retry, true)));
    expect(rows).toHaveLength(19);
    expect(rows.every((o) => o.backfillJobId === jobId)).toBe(true);

    // Cancelled: the runner stops at once; a second cancel is refused.
    const cancelled = await post(`/${jobId}/cancel`, {});
    expect(cancelled.status, cancelled.text).toBe(200);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', finishedAt: expect.any(String), etaSeconds: null });
    expect(await runner.step()).toEqual({ kind: 'idle' });
    expect(await db.select().from(backfillItems).where(and(eq(backfillItems.jobId, jobId), eq(backfillItems.state, 'pending')))).toHaveLength(10);
    const again = await post(`/${jobId}/cancel`, {});
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('job_ended');
    const list = await t.call('GET', `/api/backfills?workflow=${wfId}`, { key: ws.keys.viewer });
    expect(list.body.items[0]).toMatchObject({ id: jobId, status: 'cancelled' });
  });

  it('pauses and resumes; a finished set completes the job, audited', async () => {
    const r = await post('', { workflowId: wfId, version: 1, filter: { assignee: 'rep-2', until: new Date(FROM.getTime() + 65_000).toISOString() } });
    expect(r.status, r.text).toBe(202);
    const jobId: string = r.body.id;
    expect(r.body.total).toBe(5);
    const log = createLogger('silent');
    const runner = new BackfillRunner({ db, engine: t.deps.engine, log, now: () => new Date() }, { batchSize: 50, maxInFlight: 1000, maxLiveBacklog: OTHER_TESTS_BACKLOG });
    expect((await post(`/${jobId}/pause`, {})).body.status).toBe('paused');
    expect(await runner.step()).toEqual({ kind: 'idle' });
    expect((await post(`/${jobId}/pause`, {})).status).toBe(409);
    expect((await post(`/${jobId}/resume`, {})).body.status).toBe('running');
    // A live lead waits in the outbox, due now, over no backlog allowed: hold back while it does.
    const [live] = await db.select({ leadId: routingRuns.leadId }).from(routingRuns).where(eq(routingRuns.workflowId, wfId)).limit(1);
    await db.insert(outbox).values({ leadId: live!.leadId, workspaceId: ws.id, versionId: v1, nextAttemptAt: new Date() });
    const throttled = new BackfillRunner({ db, engine: t.deps.engine, log, now: () => new Date() }, { maxLiveBacklog: 0 });
    expect(await throttled.step()).toMatchObject({ kind: 'throttled', reason: 'live_backlog' });
    await throttled.stop();
    await db.update(outbox).set({ dispatchedAt: new Date() }).where(and(eq(outbox.workspaceId, ws.id), isNull(outbox.backfillJobId)));
    const step = await runner.step();
    expect(step).toMatchObject({ kind: 'batch', done: 5, left: 0 });
    expect(await runner.step()).toEqual({ kind: 'completed', jobId });
    const done = await t.call('GET', `/api/backfills/${jobId}`, { key: ws.keys.viewer });
    expect(done.body).toMatchObject({ status: 'completed', done: 5, total: 5 });
    const actions = (await db.select({ action: auditLog.action }).from(auditLog).where(eq(auditLog.entityId, jobId)).orderBy(asc(auditLog.id))).map((a) => a.action);
    expect(actions).toEqual(['backfill.started', 'backfill.paused', 'backfill.resumed', 'backfill.completed']);
    await runner.stop();
  });
});
