import { randomUUID } from 'node:crypto';
import type { Graph } from '@lead-router/shared';
import { beforeAll, describe, expect, it } from 'vitest';
import { leads, routingRuns, traceSteps } from '@lead-router/db/schema';
import { setupTestApp, type TestWorkspace } from '../../test/harness';
import { createWorkflowWithDraft, insertVersion, roundRobinDirectory, roundRobinGraph, seedDirectory, workspaceFingerprint } from './test-runs.fixtures';

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

/**
 * Stores a lead as ingestion and the worker would have: the lead, its run (if routed) and its trace steps,
 * inserted out of order so the path must be read by `seq`.
 */
async function history(workflowId: string, workspaceId: string, receivedAt: string, actual: { assignee: string | null; path: string[] } | null, data: Record<string, unknown> = {}) {
  const [lead] = await t.database.db
    .insert(leads)
    .values({ workspaceId, workflowId, data: data as never, receivedAt: new Date(receivedAt) })
    .returning({ id: leads.id });
  if (!lead) throw new Error('lead insert');
  if (actual) {
    await t.database.db.insert(routingRuns).values({
      leadId: lead.id,
      workspaceId,
      workflowId,
      versionId: randomUUID(),
      temporalWorkflowId: `lead-${lead.id}`,
      status: 'completed',
      assigneeType: actual.assignee?.startsWith('q-') ? 'queue' : actual.assignee ? 'rep' : null,
      assigneeId: actual.assignee,
      outcome: 'assigned',
      receivedAt: new Date(receivedAt),
    });
    const steps = actual.path.map((nodeId, i) => ({
      leadId: lead.id,
      seq: i + 1,
      nodeId,
      nodeType: 'assign',
      label: nodeId,
      at: new Date(receivedAt),
      input: {},
      decision: 'x',
      explanation: [],
      output: {},
    }));
    for (const s of steps.reverse()) await t.database.db.insert(traceSteps).values(s);
  }
  return lead.id;
}

const RR_PATH = ['trigger', 'assign', 'end-assigned'];
let ids: string[];

beforeAll(async () => {
  ws = await t.workspace();
  other = await t.workspace();
  await seedDirectory(t.database.db, ws.id, roundRobinDirectory(5));
  wfId = await createWorkflowWithDraft(t.database.db, ws.id, roundRobinGraph());
  otherWfId = await createWorkflowWithDraft(t.database.db, ws.id, roundRobinGraph(), 'Another workflow');
  await insertVersion(t.database.db, wfId, 1, queueGraph(), roundRobinDirectory(5));
  // Inserted out of time order: the backtest must sort by received_at.
  const c = await history(wfId, ws.id, '2026-03-02T12:00:00Z', { assignee: 'q-none', path: ['trigger', 'assign', 'park', 'end-queued'] });
  const a = await history(wfId, ws.id, '2026-03-02T10:00:00Z', { assignee: 'rep-1', path: RR_PATH });
  const b = await history(wfId, ws.id, '2026-03-02T11:00:00Z', { assignee: 'rep-2', path: RR_PATH });
  const d = await history(wfId, ws.id, '2026-03-02T13:00:00Z', null);
  ids = [a, b, c, d];
  // Outside the window (until is exclusive), and another workflow's lead inside it.
  await history(wfId, ws.id, '2026-03-01T23:59:59Z', { assignee: 'rep-5', path: RR_PATH });
  await history(wfId, ws.id, UNTIL, { assignee: 'rep-5', path: RR_PATH });
  await history(otherWfId, ws.id, '2026-03-02T10:30:00Z', { assignee: 'rep-5', path: RR_PATH });
});

const post = (body: unknown, key = ws.keys.editor, id = wfId) => t.call('POST', `/api/workflows/${id}/backtest`, { key, body });

describe('POST /api/workflows/{id}/backtest', () => {
  it("re-runs the window's leads through the draft, oldest first, and compares each", async () => {
    const r = await post({ since: SINCE, until: UNTIL });
    expect(r.status).toBe(200);
    expect(r.body.leads).toEqual([
      {
        leadId: ids[0],
        receivedAt: '2026-03-02T10:00:00.000Z',
        actual: { assignee: 'rep-1', path: RR_PATH },
        predicted: { assignee: 'rep-1', assigneeType: 'rep', path: RR_PATH, outcome: 'assigned' },
        moved: false,
      },
      {
        leadId: ids[1],
        receivedAt: '2026-03-02T11:00:00.000Z',
        actual: { assignee: 'rep-2', path: RR_PATH },
        predicted: { assignee: 'rep-2', assigneeType: 'rep', path: RR_PATH, outcome: 'assigned' },
        moved: false,
      },
      {
        leadId: ids[2],
        receivedAt: '2026-03-02T12:00:00.000Z',
        actual: { assignee: 'q-none', path: ['trigger', 'assign', 'park', 'end-queued'] },
        predicted: { assignee: 'rep-3', assigneeType: 'rep', path: RR_PATH, outcome: 'assigned' },
        moved: true,
      },
      {
        leadId: ids[3],
        receivedAt: '2026-03-02T13:00:00.000Z',
        actual: { assignee: null, path: [] },
        predicted: { assignee: 'rep-4', assigneeType: 'rep', path: RR_PATH, outcome: 'assigned' },
        moved: true,
      },
    ]);
    expect(r.body.summary).toEqual({
      leads: 4,
      moved: 2,
      fallback: 0,
      shareBefore: { 'rep-1': 1, 'rep-2': 1, 'q-none': 1 },
      shareAfter: { 'rep-1': 1, 'rep-2': 1, 'rep-3': 1, 'rep-4': 1 },
    });
  });

  it('counts fallbacks: a version that parks everything in a queue', async () => {
    const r = await post({ since: SINCE, until: UNTIL, source: 1 });
    expect(r.status).toBe(200);
    expect(r.body.leads.map((l: { predicted: { assignee: string } }) => l.predicted.assignee)).toEqual(['q-none', 'q-none', 'q-none', 'q-none']);
    expect(r.body.leads[0].predicted).toEqual({ assignee: 'q-none', assigneeType: 'queue', path: ['trigger', 'assign', 'end-assigned'], outcome: 'assigned' });
    expect(r.body.summary).toEqual({ leads: 4, moved: 3, fallback: 4, shareBefore: { 'rep-1': 1, 'rep-2': 1, 'q-none': 1 }, shareAfter: { 'q-none': 4 } });
    expect((await post({ since: SINCE, source: 7 })).status).toBe(404);
  });

  it('takes at most `limit` leads, the oldest, and defaults until to now', async () => {
    const r = await post({ since: SINCE, limit: 2 });
    expect(r.status).toBe(200);
    expect(r.body.leads.map((l: { leadId: string }) => l.leadId)).toEqual([ids[0], ids[1]]);
    // Without until, the window runs to now and takes the lead received at UNTIL as well.
    const all = await post({ since: SINCE });
    expect(all.body.summary.leads).toBe(5);
  });

  it('predicts each lead at the instant it was received', async () => {
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
    expect(r.body.leads.map((l: { predicted: { assignee: string } }) => l.predicted.assignee)).toEqual(['rep-2', 'rep-1']);
  });

  it('writes nothing', async () => {
    const before = await workspaceFingerprint(t.database.db, ws.id);
    expect((await post({ since: SINCE, until: UNTIL })).status).toBe(200);
    expect((await post({ since: SINCE, source: 1 })).status).toBe(200);
    expect(await workspaceFingerprint(t.database.db, ws.id)).toEqual(before);
  });

  it('422 invalid_graph when the draft does not compile', async () => {
    const broken = await createWorkflowWithDraft(t.database.db, ws.id, { schemaVersion: 1, nodes: [], edges: [] });
    const r = await post({ since: SINCE }, ws.keys.editor, broken);
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
      [{ since: '2999-01-01T00:00:00Z' }, 'since'],
    ];
    for (const [body, path] of cases) {
      const r = await post(body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error.code).toBe('invalid_request');
      expect(r.body.error.details.map((d: { path: string }) => d.path), JSON.stringify(body)).toContain(path);
    }
    const huge = await post({ since: SINCE, padding: 'x'.repeat(100_000) });
    expect(huge.status).toBe(413);
    expect(huge.body.error.code).toBe('payload_too_large');
    const malformed = await t.call('POST', `/api/workflows/${wfId}/backtest`, { key: ws.keys.editor, rawBody: 'since=yesterday' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe('malformed_json');
  });
});
