import type { Graph } from '@lead-router/shared';
import { beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { poolCursors, versions, workflows } from '@lead-router/db/schema';
import { setupTestApp, type TestWorkspace } from '../../test/harness';
import { createWorkflowWithDraft, insertHistory, insertVersion, roundRobinDirectory, roundRobinGraph, seedDirectory, workspaceFingerprint } from './test-runs.fixtures';

const t = setupTestApp();

let ws: TestWorkspace;
let other: TestWorkspace;
let wfId: string;
let otherWfId: string;

const SINCE = '2026-03-02T00:00:00Z';
const UNTIL = '2026-03-03T00:00:00Z';

/** Everything to queue q-none. */
function queueGraph(): Graph {
  const g = roundRobinGraph();
  return {
    ...g,
    nodes: g.nodes.map((n) =>
      n.id === 'assign' && n.type === 'assign' ? { ...n, config: { ...n.config, strategy: { type: 'queue' as const, queueId: 'q-none' } } } : n,
    ),
  };
}

/** A lead of the test database's history (test-runs.fixtures.ts `insertHistory`). */
const history = (workflowId: string, workspaceId: string, receivedAt: string, actual: Parameters<typeof insertHistory>[4], data?: Record<string, unknown>) =>
  insertHistory(t.database.db, workflowId, workspaceId, receivedAt, actual, data);

const RR_PATH = ['trigger', 'assign', 'end-assigned'];
let ids: string[];

beforeAll(async () => {
  ws = await t.workspace();
  other = await t.workspace();
  await seedDirectory(t.database.db, ws.id, roundRobinDirectory(5));
  wfId = await createWorkflowWithDraft(t.database.db, ws.id, roundRobinGraph());
  otherWfId = await createWorkflowWithDraft(t.database.db, ws.id, roundRobinGraph(), 'Another workflow');
  // Version 1 is the draft's graph, and active; version 2 parks everything in a queue.
  await insertVersion(t.database.db, wfId, 1, roundRobinGraph(), roundRobinDirectory(5));
  await insertVersion(t.database.db, wfId, 2, queueGraph(), roundRobinDirectory(5));
  await activate(wfId, 1);
  // Before the window: a lead long settled with rep-5; another workflow's lead to rep-4, then this one's to
  // rep-1 (the pool's last turn). All three are open at the window's start.
  await history(otherWfId, ws.id, '2026-02-20T09:00:00Z', { assignee: 'rep-5', path: RR_PATH });
  await history(otherWfId, ws.id, '2026-03-01T20:00:00Z', { assignee: 'rep-4', path: RR_PATH });
  await history(wfId, ws.id, '2026-03-01T23:59:59Z', { assignee: 'rep-1', path: RR_PATH });
  // The window, inserted out of time order: the backtest must sort by received_at. After rep-1: rep-2; at
  // 10:30 another workflow's lead takes rep-3 from the same pool; so rep-4 at 11:00, rep-5 at 12:00. The
  // lead of 13:00 is not routed yet.
  const c = await history(wfId, ws.id, '2026-03-02T12:00:00Z', { assignee: 'rep-5', path: RR_PATH }, { firstName: 'Cleo', lastName: 'Three' });
  const a = await history(wfId, ws.id, '2026-03-02T10:00:00Z', { assignee: 'rep-2', path: RR_PATH }, { firstName: 'Ada', lastName: 'One', email: 'ada@example.com' });
  const b = await history(wfId, ws.id, '2026-03-02T11:00:00Z', { assignee: 'rep-4', path: RR_PATH }, { email: 'bo@example.com' });
  const d = await history(wfId, ws.id, '2026-03-02T13:00:00Z', null);
  ids = [a, b, c, d];
  await history(otherWfId, ws.id, '2026-03-02T10:30:00Z', { assignee: 'rep-3', path: RR_PATH });
  // After the window (until is exclusive).
  await history(wfId, ws.id, UNTIL, { assignee: 'rep-1', path: RR_PATH });
  // Today's cursor has moved on since: the replay must not start from it.
  await t.database.db.insert(poolCursors).values({ workspaceId: ws.id, poolKey: 'team:team-rr', lastChosen: 'rep-2', updatedAt: new Date() });
});

async function activate(workflowId: string, number: number) {
  const [v] = await t.database.db.select({ id: versions.id }).from(versions).where(and(eq(versions.workflowId, workflowId), eq(versions.number, number)));
  await t.database.db.update(workflows).set({ activeVersionId: v!.id }).where(eq(workflows.id, workflowId));
}

const post = (body: unknown, key = ws.keys.editor, id = wfId) => t.call('POST', `/api/workflows/${id}/backtest`, { key, body });
const replayed = (r: { body: { leads: Array<{ active: { assignee: string } | null; candidate: { assignee: string } }> } }) =>
  r.body.leads.map((l) => [l.active?.assignee ?? null, l.candidate.assignee]);

describe('POST /api/workflows/{id}/backtest', () => {
  it('replays the window through the active version and the unchanged draft from the state at its start: nothing moves, and the model reproduces every real assignment', async () => {
    const r = await post({ since: SINCE, until: UNTIL });
    expect(r.status).toBe(200);
    expect(r.body.window).toEqual({ since: '2026-03-02T00:00:00.000Z', until: '2026-03-03T00:00:00.000Z', total: 4, replayed: 4, limit: 1000 });
    expect(r.body.active).toEqual({ version: 1 });
    expect(r.body.candidate).toEqual({ source: 'draft' });
    expect(r.body.leads[0]).toEqual({
      leadId: ids[0],
      label: 'Ada One',
      receivedAt: '2026-03-02T10:00:00.000Z',
      actual: { assignee: 'rep-2', path: RR_PATH, status: 'completed' },
      active: { assignee: 'rep-2', assigneeType: 'rep', path: RR_PATH, outcome: 'assigned' },
      candidate: { assignee: 'rep-2', assigneeType: 'rep', path: RR_PATH, outcome: 'assigned' },
      moved: false,
      reproduced: true,
    });
    expect(r.body.leads.map((l: { label: string }) => l.label)).toEqual(['Ada One', 'bo@example.com', 'Cleo Three', ids[3]]);
    expect(replayed(r)).toEqual([
      ['rep-2', 'rep-2'],
      ['rep-4', 'rep-4'],
      ['rep-5', 'rep-5'],
      ['rep-1', 'rep-1'],
    ]);
    expect(r.body.leads.map((l: { reproduced: boolean | null }) => l.reproduced)).toEqual([true, true, true, null]);
    expect(r.body.summary).toEqual({
      leads: 4,
      moved: 0,
      assignees: [
        { id: 'rep-1', type: 'rep', actual: 0, active: 1, candidate: 1 },
        { id: 'rep-2', type: 'rep', actual: 1, active: 1, candidate: 1 },
        { id: 'rep-4', type: 'rep', actual: 1, active: 1, candidate: 1 },
        { id: 'rep-5', type: 'rep', actual: 1, active: 1, candidate: 1 },
        { id: null, type: null, actual: 1, active: 0, candidate: 0 },
      ],
    });
    expect(r.body.fidelity).toEqual({ compared: 3, matched: 3, notRouted: 1 });
    const notes = r.body.assumptions.map((a: { id: string }) => a.id);
    expect(notes).toEqual(expect.arrayContaining(['directory', 'same-start', 'open-loads', 'daily-counts', 'turns', 'order', 'waits', 'other-leads', 'not-routed']));
    const text = (id: string) => r.body.assumptions.find((a: { id: string }) => a.id === id).text as string;
    expect(text('open-loads')).toContain('3 leads held by reps then');
    expect(text('turns')).toContain('rebuilt from the last turn taken before it');
    expect(text('other-leads')).toContain('1 assignment in the window');
  });

  it('a version that parks everything in a queue moves every lead', async () => {
    const r = await post({ since: SINCE, until: UNTIL, source: 2 });
    expect(r.status).toBe(200);
    expect(r.body.candidate).toEqual({ source: 2 });
    expect(replayed(r)).toEqual([
      ['rep-2', 'q-none'],
      ['rep-4', 'q-none'],
      ['rep-5', 'q-none'],
      ['rep-1', 'q-none'],
    ]);
    expect(r.body.leads[0].candidate).toEqual({ assignee: 'q-none', assigneeType: 'queue', path: ['trigger', 'assign', 'end-assigned'], outcome: 'assigned' });
    expect(r.body.summary.moved).toBe(4);
    expect(r.body.summary.assignees.find((a: { id: string }) => a.id === 'q-none')).toEqual({ id: 'q-none', type: 'queue', actual: 0, active: 0, candidate: 4 });
    // Fidelity is the active version's, whatever is tested.
    expect(r.body.fidelity).toEqual({ compared: 3, matched: 3, notRouted: 1 });
    expect((await post({ since: SINCE, until: UNTIL, source: 7 })).status).toBe(404);
  });

  it('replays at most `limit` leads, the oldest; the later ones take reps as they really did; until defaults to now', async () => {
    const r = await post({ since: SINCE, until: UNTIL, limit: 2 });
    expect(r.status).toBe(200);
    expect(r.body.leads.map((l: { leadId: string }) => l.leadId)).toEqual([ids[0], ids[1]]);
    expect(r.body.window).toMatchObject({ total: 4, replayed: 2, limit: 2 });
    expect(r.body.assumptions.map((a: { id: string }) => a.id)).toContain('limit');
    const recent = await post({ since: new Date(Date.now() - 86_400_000).toISOString() });
    expect(recent.status).toBe(200);
    expect(recent.body.window.total).toBe(0);
    expect(Date.parse(recent.body.window.until)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('without an active version the draft is compared with what really happened', async () => {
    const id = await createWorkflowWithDraft(t.database.db, ws.id, roundRobinGraph(), 'First publish');
    await history(id, ws.id, '2026-03-02T10:00:00Z', { assignee: 'rep-5', path: RR_PATH });
    const r = await post({ since: SINCE, until: UNTIL }, ws.keys.editor, id);
    expect(r.status).toBe(200);
    expect(r.body.active).toBeNull();
    expect(r.body.fidelity).toBeNull();
    expect(r.body.leads[0]).toMatchObject({ active: null, moved: true, reproduced: null });
    expect(r.body.summary.moved).toBe(1);
  });

  it('replays each lead at the instant it was received', async () => {
    const dayWs = await t.workspace();
    const weekdays = { mon: [{ start: '09:00', end: '17:00' }], tue: [{ start: '09:00', end: '17:00' }] };
    await seedDirectory(t.database.db, dayWs.id, {
      reps: [
        { id: 'rep-1', name: 'Day', email: 'day@example.com', timeZone: 'UTC', workingHours: weekdays },
        { id: 'rep-2', name: 'Night', email: 'night@example.com', timeZone: 'UTC' },
      ],
      teams: [{ id: 'team-rr', name: 'Pair', members: [{ repId: 'rep-1' }, { repId: 'rep-2' }] }],
      queues: [{ id: 'q-none', name: 'Nobody' }],
    });
    const id = await createWorkflowWithDraft(t.database.db, dayWs.id, roundRobinGraph());
    // 03:00 Tuesday: only the night rep works. 10:00: the day rep's turn, and she works then.
    await history(id, dayWs.id, '2026-03-03T03:00:00Z', null);
    await history(id, dayWs.id, '2026-03-03T10:00:00Z', null);
    const r = await post({ since: '2026-03-03T00:00:00Z', until: '2026-03-04T00:00:00Z' }, dayWs.keys.editor, id);
    expect(r.status).toBe(200);
    expect(r.body.leads.map((l: { candidate: { assignee: string } }) => l.candidate.assignee)).toEqual(['rep-2', 'rep-1']);
  });

  it('writes nothing', async () => {
    const before = await workspaceFingerprint(t.database.db, ws.id);
    expect((await post({ since: SINCE, until: UNTIL })).status).toBe(200);
    expect((await post({ since: SINCE, until: UNTIL, source: 2 })).status).toBe(200);
    expect(await workspaceFingerprint(t.database.db, ws.id)).toEqual(before);
  });

  it('422 invalid_graph when the draft does not compile', async () => {
    const broken = await createWorkflowWithDraft(t.database.db, ws.id, { schemaVersion: 1, nodes: [], edges: [] });
    const r = await post({ since: SINCE, until: UNTIL }, ws.keys.editor, broken);
    expect(r.status).toBe(422);
    expect(r.body.error.code).toBe('invalid_graph');
    expect(r.body.error.details[0]).toMatchObject({ code: 'no_trigger' });
  });

  it('roles: 401 without credentials, 403 below editor, 404 for another workspace', async () => {
    const body = { since: SINCE, until: UNTIL };
    expect((await t.call('POST', `/api/workflows/${wfId}/backtest`, { body })).status).toBe(401);
    expect((await post(body, ws.keys.viewer)).status).toBe(403);
    const foreign = await post(body, other.keys.admin);
    expect(foreign.status).toBe(404);
    expect(foreign.body.error.code).toBe('not_found');
  });

  it('validates the body, naming each field', async () => {
    const cases: Array<[unknown, string]> = [
      [{}, 'since'],
      [{ since: 'last week' }, 'since'],
      [{ since: SINCE, until: 'now' }, 'until'],
      [{ since: SINCE, limit: 0 }, 'limit'],
      [{ since: SINCE, limit: 10_001 }, 'limit'],
      [{ since: SINCE, limit: 1.5 }, 'limit'],
      [{ since: SINCE, source: 'v1' }, 'source'],
      [{ since: UNTIL, until: SINCE }, 'until'],
      [{ since: SINCE, until: SINCE }, 'until'],
      [{ since: '2999-01-01T00:00:00Z' }, 'since'],
      // A window of at most 92 days.
      [{ since: '2026-01-01T00:00:00Z', until: '2026-04-03T00:00:01Z' }, 'until'],
      [{ since: '2020-01-01T00:00:00Z' }, 'since'],
    ];
    for (const [body, path] of cases) {
      const r = await post(body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error.code).toBe('invalid_request');
      expect(r.body.error.details.map((d: { path: string }) => d.path), JSON.stringify(body)).toContain(path);
    }
    expect((await post({ since: '2026-01-01T00:00:00Z', until: '2026-04-03T00:00:00Z' })).status).toBe(200);
    const huge = await post({ since: SINCE, padding: 'x'.repeat(100_000) });
    expect(huge.status).toBe(413);
    expect(huge.body.error.code).toBe('payload_too_large');
    const malformed = await t.call('POST', `/api/workflows/${wfId}/backtest`, { key: ws.keys.editor, rawBody: 'since=yesterday' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe('malformed_json');
  });
});

describe('a backtest of a window in another year', () => {
  it('reads the public holidays of the window’s year, not of today’s', async () => {
    const w = await t.workspace();
    const directory = roundRobinDirectory(1);
    const withHolidays = { ...directory, reps: directory.reps!.map((r) => ({ ...r, holidayCalendar: { country: 'DE' } })) };
    await seedDirectory(t.database.db, w.id, withHolidays);
    const id = await createWorkflowWithDraft(t.database.db, w.id, roundRobinGraph());
    await insertVersion(t.database.db, id, 1, roundRobinGraph(), withHolidays);
    await activate(id, 1);
    // Christmas Day 2025, a public holiday in Germany: the lead really went to the queue.
    await history(id, w.id, '2025-12-25T10:00:00Z', { assignee: 'q-none', path: ['trigger', 'assign', 'park', 'end-queued'] });
    const r = await t.call('POST', `/api/workflows/${id}/backtest`, { key: w.keys.editor, body: { since: '2025-12-25T00:00:00Z', until: '2025-12-26T00:00:00Z' } });
    expect(r.status).toBe(200);
    // Before, holidays were read for this year and the next: the replay gave the lead to rep-1.
    expect(replayed(r)).toEqual([['q-none', 'q-none']]);
  });
});
