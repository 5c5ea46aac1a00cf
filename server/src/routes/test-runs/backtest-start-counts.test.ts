import type { DirectoryInput, Graph } from '@lead-router/shared';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { poolCursors, poolDailyCounts, repDailyCounts, versions, workflows } from '@lead-router/db/schema';
import { setupTestApp } from '../../test/harness';
import { createWorkflowWithDraft, insertHistory, insertVersion, roundRobinDirectory, roundRobinGraph, seedDirectory } from './test-runs.fixtures';

// A backtest starts from the routing state as it was at its window's start. Weekly and monthly caps (a rep's
// and a team's) look further back than the two days of assignment steps the start walks: they start from
// the router's own day counts. A balanced pool starts from its stored fairness counts when it has not moved
// since. Real PostgreSQL, through the HTTP API.

const t = setupTestApp();

// Thursday 5 March 2026; the week began on Monday the 2nd, three days before: beyond the steps walked.
const SINCE = '2026-03-05T00:00:00Z';
const UNTIL = '2026-03-06T00:00:00Z';
const MONDAY = '2026-03-02';
const RR_PATH = ['trigger', 'assign', 'end-assigned'];

/** A routed lead as ingestion and the worker store it: the lead, its run, its trace (assign step named). */
const routed = (workspaceId: string, workflowId: string, at: string, assignee: string) =>
  insertHistory(t.database.db, workflowId, workspaceId, at, { assignee, path: assignee.startsWith('q-') ? ['trigger', 'assign', 'park', 'end-queued'] : RR_PATH });

/**
 * A workspace whose team took six leads on Monday (rep-1, rep-2 in turn: three each, rep-2 last), as the
 * router counted them, and one lead in the window (Thursday 10:00) that really went to `actual`.
 */
async function setup(directory: DirectoryInput, graph: Graph, actual: string) {
  const ws = await t.workspace();
  await seedDirectory(t.database.db, ws.id, directory);
  const workflowId = await createWorkflowWithDraft(t.database.db, ws.id, graph);
  await insertVersion(t.database.db, workflowId, 1, graph, directory);
  const [v] = await t.database.db.select({ id: versions.id }).from(versions).where(and(eq(versions.workflowId, workflowId), eq(versions.number, 1)));
  await t.database.db.update(workflows).set({ activeVersionId: v!.id }).where(eq(workflows.id, workflowId));
  for (let h = 0; h < 6; h++) await routed(ws.id, workflowId, `${MONDAY}T${String(9 + h).padStart(2, '0')}:00:00Z`, h % 2 === 0 ? 'rep-1' : 'rep-2');
  await t.database.db.insert(repDailyCounts).values([
    { workspaceId: ws.id, repId: 'rep-1', day: MONDAY, assigned: 3 },
    { workspaceId: ws.id, repId: 'rep-2', day: MONDAY, assigned: 3 },
  ]);
  await t.database.db.insert(poolDailyCounts).values({ workspaceId: ws.id, poolKey: 'team:team-rr', day: MONDAY, assigned: 6 });
  // The pool's cursor has not moved since Monday: its turn (and fairness counts) are taken as stored.
  await t.database.db.insert(poolCursors).values({ workspaceId: ws.id, poolKey: 'team:team-rr', lastChosen: 'rep-2', updatedAt: new Date(`${MONDAY}T14:00:00Z`) });
  await routed(ws.id, workflowId, '2026-03-05T10:00:00Z', actual);
  return { ws, workflowId };
}

async function backtest(s: Awaited<ReturnType<typeof setup>>) {
  const r = await t.call('POST', `/api/workflows/${s.workflowId}/backtest`, { key: s.ws.keys.editor, body: { since: SINCE, until: UNTIL } });
  expect(r.status).toBe(200);
  return r.body as { leads: Array<{ active: { assignee: string | null }; reproduced: boolean | null }>; assumptions: Array<{ id: string; text: string }> };
}

describe('a backtest starts from the caps counted before its window', () => {
  it("a rep at their weekly cap since Monday gets no lead on Thursday, in the replay as in reality", async () => {
    const directory = roundRobinDirectory(2);
    directory.reps = (directory.reps ?? []).map((r) => (r.id === 'rep-1' ? { ...r, caps: { perWeek: 3 } } : r));
    const s = await setup(directory, roundRobinGraph(), 'rep-2');
    const r = await backtest(s);
    // rep-1's turn (after rep-2), but Monday's three leads fill the week.
    expect(r.leads.map((l) => [l.active.assignee, l.reproduced])).toEqual([['rep-2', true]]);
    expect(r.assumptions.find((a) => a.id === 'daily-counts')?.text).toMatch(/weekly and monthly caps/);
  });

  it("a team at its weekly cap since Monday hands out nothing on Thursday: the lead goes to the queue, as it really did", async () => {
    const directory = roundRobinDirectory(2);
    directory.teams = directory.teams?.map((team) => ({ ...team, caps: { perWeek: 6 } }));
    const s = await setup(directory, roundRobinGraph(), 'q-none');
    const r = await backtest(s);
    expect(r.leads.map((l) => [l.active.assignee, l.reproduced])).toEqual([['q-none', true]]);
  });

  it('a balanced pool that has not moved since starts from its stored fairness counts', async () => {
    const graph = roundRobinGraph();
    graph.nodes = graph.nodes.map((n) => (n.id === 'assign' && n.type === 'assign' ? { ...n, config: { ...n.config, fairness: { mode: 'balanced', maxInARow: 2, resetWindow: 'weekly', creditBack: false } } } : n));
    const s = await setup(roundRobinDirectory(2), graph, 'rep-2');
    // This week the pool gave rep-1 five leads and rep-2 one (other workflows' too): rep-2 is behind.
    await t.database.db
      .update(poolCursors)
      .set({ fairness: { window: `week:${MONDAY}`, counts: { 'rep-1': 5, 'rep-2': 1 }, streak: { repId: 'rep-2', n: 1 } } })
      .where(eq(poolCursors.workspaceId, s.ws.id));
    const r = await backtest(s);
    // Rotation alone would give rep-1 the turn after rep-2; the counts give it to rep-2.
    expect(r.leads.map((l) => [l.active.assignee, l.reproduced])).toEqual([['rep-2', true]]);
  });
});
