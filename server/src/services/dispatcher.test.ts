// The app first: it loads @hono/zod-openapi before any shared zod schema is built.
import { setupTestApp } from '../test/harness';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { outbox } from '@lead-router/db/schema';
import { createTestLead, createTestWorkflow } from '../routes/leads/leads.fixtures';
import { backoffMs, isUnreachable, kickDispatcher, OutboxDispatcher, setDispatcherFor } from '@lead-router/db/outbox-dispatcher';

const t = setupTestApp();
const db = t.database.db;

async function pendingLeads(n: number) {
  const ws = await t.workspace();
  const wf = await createTestWorkflow(db, ws.id);
  const ids: string[] = [];
  for (let i = 0; i < n; i++) ids.push(await createTestLead(db, wf, ws.id));
  return { ws, ids };
}

const dispatcherFor = (workspaceId: string, options: { batchSize?: number; pollMs?: number } = {}) =>
  new OutboxDispatcher({ db, engine: t.deps.engine, log: t.deps.log, now: () => new Date() }, { ...options, workspaceId });

async function rowsOf(workspaceId: string) {
  return db.select().from(outbox).where(eq(outbox.workspaceId, workspaceId));
}

describe('backoffMs', () => {
  it('doubles from 250 ms and stops at 30 s', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 50].map(backoffMs)).toEqual([250, 500, 1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000]);
    expect(backoffMs(0)).toBe(250);
  });
});

describe('isUnreachable', () => {
  it("tells Temporal being down from a refusal of one lead", async () => {
    let err: unknown;
    await t.deps.engine.start({ leadId: 'x', workspaceId: 'y', versionId: 'z' }).catch((e: unknown) => {
      err = e;
    });
    expect(err).toBeInstanceOf(Error);
    expect(isUnreachable(err)).toBe(true);
    expect(isUnreachable(Object.assign(new Error('14 UNAVAILABLE: no healthy upstream'), { code: 14 }))).toBe(true);
    expect(isUnreachable(new Error('Namespace lead-routing is not found.'))).toBe(false);
    expect(isUnreachable('nope')).toBe(false);
  });
});

describe('OutboxDispatcher with Temporal unreachable', () => {
  it('records the failure on every claimed row, keeps them undispatched, and backs off', async () => {
    const { ws, ids } = await pendingLeads(3);
    const before = Date.now();
    expect(await dispatcherFor(ws.id).drainOnce()).toEqual({ dispatched: 0, failed: 3 });
    const rows = await rowsOf(ws.id);
    expect(rows.map((r) => r.leadId).sort()).toEqual([...ids].sort());
    for (const r of rows) {
      expect(r).toMatchObject({ attempts: 1, dispatchedAt: null });
      expect(r.lastError).toContain('Failed to connect');
      expect(r.nextAttemptAt.getTime()).toBeGreaterThanOrEqual(before + 250);
      expect(r.nextAttemptAt.getTime()).toBeLessThan(Date.now() + 1000);
    }
  });

  it('backs off further with each attempt', async () => {
    const { ws } = await pendingLeads(1);
    let clock = Date.now();
    const d = new OutboxDispatcher({ db, engine: t.deps.engine, log: t.deps.log, now: () => new Date(clock) }, { workspaceId: ws.id });
    const waits: number[] = [];
    for (let i = 0; i < 3; i++) {
      expect(await d.drainOnce()).toEqual({ dispatched: 0, failed: 1 });
      const [row] = await rowsOf(ws.id);
      waits.push(row!.nextAttemptAt.getTime() - clock);
      clock = row!.nextAttemptAt.getTime();
    }
    expect(waits).toEqual([250, 500, 1000]);
  });

  it('two dispatchers draining at once never take the same row (SKIP LOCKED)', async () => {
    const { ws } = await pendingLeads(6);
    const a = dispatcherFor(ws.id, { batchSize: 3 });
    const b = dispatcherFor(ws.id, { batchSize: 3 });
    const [ra, rb] = await Promise.all([a.drainOnce(), b.drainOnce()]);
    expect(ra.failed + rb.failed).toBe(6);
    expect(ra.dispatched + rb.dispatched).toBe(0);
    const rows = await rowsOf(ws.id);
    expect(rows.map((r) => r.attempts)).toEqual([1, 1, 1, 1, 1, 1]);
  });

  it('a claimed row is leased, not held in a transaction: nobody else takes it, and after a crash it is due when the lease ends', async () => {
    const { ws, ids } = await pendingLeads(1);
    const started: string[] = [];
    // A start that never answers: the dispatcher "crashed" while starting (no transaction stays open).
    const engine = {
      ...t.deps.engine,
      start: (input: { leadId: string }) => {
        started.push(input.leadId);
        return new Promise<void>(() => {});
      },
    };
    const hung = new OutboxDispatcher({ db, engine, log: t.deps.log, now: () => new Date() }, { workspaceId: ws.id, startTimeoutMs: 60_000 });
    void hung.drainOnce();
    await expect.poll(() => started).toEqual(ids);
    const [leased] = await rowsOf(ws.id);
    expect(leased!.nextAttemptAt.getTime()).toBeGreaterThan(Date.now() + 60_000);
    // Another dispatcher now: the row is not due.
    expect(await dispatcherFor(ws.id).drainOnce()).toEqual({ dispatched: 0, failed: 0 });
    // Once the lease has run out, it is (the test engine cannot reach Temporal: one failed attempt recorded).
    const later = new OutboxDispatcher({ db, engine: t.deps.engine, log: t.deps.log, now: () => new Date(leased!.nextAttemptAt.getTime() + 1) }, { workspaceId: ws.id });
    expect(await later.drainOnce()).toEqual({ dispatched: 0, failed: 1 });
    expect(await rowsOf(ws.id)).toMatchObject([{ leadId: ids[0], attempts: 1, dispatchedAt: null }]);
  });

  it('start() drains on a kick through the registry; stop() waits for the drain in flight', async () => {
    const { ws } = await pendingLeads(2);
    const d = dispatcherFor(ws.id, { pollMs: 60_000 });
    setDispatcherFor(db, d);
    try {
      d.start();
      kickDispatcher(db);
      const deadline = Date.now() + 10_000;
      let rows = await rowsOf(ws.id);
      while (rows.some((r) => r.attempts === 0) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 100));
        rows = await rowsOf(ws.id);
      }
      expect(rows.map((r) => r.attempts)).toEqual([1, 1]);
      kickDispatcher(db);
      await d.stop();
      // Stopped: kicks do nothing, and the rows wait in the outbox.
      kickDispatcher(db);
      expect((await rowsOf(ws.id)).every((r) => r.dispatchedAt === null)).toBe(true);
    } finally {
      setDispatcherFor(db, null);
      await d.stop();
    }
  });

  it('with minAgeMs (an API server whose workers start the leads) it takes only rows due that long ago', async () => {
    const { ws, ids } = await pendingLeads(2);
    const [old] = ids as [string, string];
    await db.update(outbox).set({ nextAttemptAt: new Date(Date.now() - 11_000) }).where(eq(outbox.leadId, old));
    const d = new OutboxDispatcher({ db, engine: t.deps.engine, log: t.deps.log, now: () => new Date() }, { workspaceId: ws.id, minAgeMs: 10_000 });
    // Temporal is unreachable here: a row taken is a row that failed once.
    expect(await d.drainOnce()).toEqual({ dispatched: 0, failed: 1 });
    const rows = await rowsOf(ws.id);
    expect(rows.filter((r) => r.attempts === 1).map((r) => r.leadId)).toEqual([old]);
  });

  it('kickDispatcher without a registered dispatcher is a no-op', () => {
    expect(() => kickDispatcher(db)).not.toThrow();
  });
});
