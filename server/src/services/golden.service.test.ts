// The app first: its routes extend zod with .openapi() before shared's schemas are built.
import { setupTestApp, type TestWorkspace } from '../test/harness';
import { compile, type Directory, type Plan } from '@lead-router/shared';
import { demoDirectory, EXAMPLE_LEADS, hybridRoutingGraph } from '@lead-router/shared/fixtures';
import { beforeAll, describe, expect, it } from 'vitest';
import { goldenLeads, poolCursors, repLoads } from '@lead-router/db/schema';
import { createWorkflowWithDraft, seedDirectory } from '../routes/test-runs/test-runs.fixtures';
import { loadDirectory } from '@lead-router/db/directory-snapshot';
import { GOLDEN_DEFAULT_AT, runGoldenSuite } from './golden.service';

const t = setupTestApp();

let ws: TestWorkspace;
let directory: Directory;
let plan: Plan;

beforeAll(async () => {
  ws = await t.workspace();
  await seedDirectory(t.database.db, ws.id, demoDirectory);
  directory = await loadDirectory(t.database.db, ws.id, { companies: true });
  const compiled = compile(hybridRoutingGraph, { directory });
  if (!compiled.ok) throw new Error('fixture graph does not compile');
  plan = compiled.plan;
});

const lead = (id: string) => {
  const l = EXAMPLE_LEADS.find((x) => x.id === id);
  if (!l) throw new Error(id);
  return l;
};

/** A workflow with these golden leads, inserted in order. */
async function workflowWith(rows: Array<{ name: string; lead: Record<string, unknown>; expect: Record<string, string> }>): Promise<string> {
  const id = await createWorkflowWithDraft(t.database.db, ws.id, hybridRoutingGraph);
  for (const r of rows) {
    await t.database.db.insert(goldenLeads).values({ workflowId: id, name: r.name, lead: r.lead as never, expect: r.expect });
  }
  return id;
}

describe('runGoldenSuite', () => {
  it('passes when every given expectation holds: assignee, team, node, outcome', async () => {
    const id = await workflowWith([
      { name: 'owner', lead: lead('L-1'), expect: { assignee: 'rep-ana' } },
      { name: 'team', lead: lead('L-2'), expect: { team: 'team-enterprise' } },
      { name: 'node', lead: lead('L-7'), expect: { node: 'assign-pool' } },
      { name: 'outcome', lead: lead('L-9'), expect: { outcome: 'filtered' } },
      { name: 'all', lead: lead('L-3'), expect: { assignee: 'rep-fay', node: 'assign-territory', outcome: 'routed' } },
    ]);
    const results = await runGoldenSuite(t.database.db, t.deps.simulations, ws.id, id, plan, directory);
    expect(results.map((r) => [r.name, r.passed])).toEqual([
      ['owner', true],
      ['team', true],
      ['node', true],
      ['outcome', true],
      ['all', true],
    ]);
    expect(results[3]).toMatchObject({ expected: { outcome: 'filtered' }, actual: { assignee: null, outcome: 'filtered', path: ['trigger', 'end-filtered'] } });
    expect(results[3]?.message).toBe('Passed: nobody, outcome filtered, via trigger > end-filtered');
  });

  it('fails with a message naming each broken expectation and the path taken', async () => {
    const id = await workflowWith([
      { name: 'assignee', lead: lead('L-1'), expect: { assignee: 'q-unassigned' } },
      { name: 'team', lead: lead('L-3'), expect: { team: 'team-enterprise' } },
      { name: 'node', lead: lead('L-1'), expect: { node: 'fast-lane' } },
      { name: 'outcome', lead: lead('L-9'), expect: { outcome: 'routed', assignee: 'rep-ana' } },
      { name: 'unknown team', lead: lead('L-1'), expect: { team: 'team-ghosts' } },
    ]);
    const results = await runGoldenSuite(t.database.db, t.deps.simulations, ws.id, id, plan, directory);
    const via = 'via trigger > enrich > score > match > assign-owner > notify-rep > sla > end-routed';
    expect(results.map((r) => r.passed)).toEqual([false, false, false, false, false]);
    expect(results.map((r) => r.message)).toEqual([
      `expected q-unassigned, got rep-ana ${via}`,
      'expected a member of Enterprise AEs (team-enterprise), got rep-fay via trigger > enrich > score > match > fast-lane > assign-territory > notify-rep > sla > end-routed',
      `expected the path to pass fast-lane, it did not ${via}`,
      'expected rep-ana, got nobody; expected outcome routed, got filtered via trigger > end-filtered',
      `expected a member of team team-ghosts, but that team is not in the directory ${via}`,
    ]);
    expect(results[0]).toMatchObject({ expected: { assignee: 'q-unassigned' }, actual: { assignee: 'rep-ana', outcome: 'routed' } });
  });

  it('runs each lead on a fresh state: results do not depend on order or on production loads', async () => {
    // In one batch L-2 and L-4 would take successive enterprise turns; alone, each gets the first turn.
    const rows = [
      { name: 'L-2', lead: lead('L-2'), expect: { assignee: 'rep-ana' } },
      { name: 'L-4', lead: lead('L-4'), expect: { assignee: 'rep-ana' } },
    ];
    const forward = await runGoldenSuite(t.database.db, t.deps.simulations, ws.id, await workflowWith(rows), plan, directory);
    const backward = await runGoldenSuite(t.database.db, t.deps.simulations, ws.id, await workflowWith([...rows].reverse()), plan, directory);
    expect(forward.map((r) => r.passed)).toEqual([true, true]);
    expect(backward.map((r) => [r.name, r.passed])).toEqual([
      ['L-4', true],
      ['L-2', true],
    ]);
    // Production has Ana at her open-lead cap and the enterprise pool's cursor on her: still no effect.
    await t.database.db.insert(repLoads).values({ workspaceId: ws.id, repId: 'rep-ana', openLeads: 25 });
    await t.database.db.insert(poolCursors).values({ workspaceId: ws.id, poolKey: 'team:team-enterprise', lastChosen: 'rep-ana', wrrCurrent: { 'rep-ana': -3, 'rep-bo': 2, 'rep-cara': 1 } });
    const again = await runGoldenSuite(t.database.db, t.deps.simulations, ws.id, (await workflowWith(rows)) as string, plan, directory);
    expect(again.map((r) => r.passed)).toEqual([true, true]);
  });

  it('is deterministic and runs at the fixed instant of the row (expect.at), by default a Tuesday afternoon UTC', async () => {
    expect(GOLDEN_DEFAULT_AT).toBe('2026-01-06T15:00:00Z');
    const id = await workflowWith([
      { name: 'afternoon', lead: lead('L-2'), expect: { assignee: 'rep-ana' } },
      // 22:00 in New York: Ana is outside her working hours, so the enterprise turn goes to Bo.
      { name: 'night', lead: lead('L-2'), expect: { assignee: 'rep-ana', at: '2026-01-06T03:00:00Z' } },
    ]);
    const first = await runGoldenSuite(t.database.db, t.deps.simulations, ws.id, id, plan, directory);
    expect(first[0]?.passed).toBe(true);
    expect(first[1]?.passed).toBe(false);
    expect(first[1]?.actual.assignee).toBe('rep-bo');
    expect(first[1]?.expected).toEqual({ assignee: 'rep-ana' });
    expect(await runGoldenSuite(t.database.db, t.deps.simulations, ws.id, id, plan, directory)).toEqual(first);
  });

  it('reports a stored lead that no longer validates instead of running it', async () => {
    const id = await workflowWith([{ name: 'stale', lead: { email: 'a@acme.com', employees: 'lots' }, expect: { outcome: 'routed' } }]);
    const [r] = await runGoldenSuite(t.database.db, t.deps.simulations, ws.id, id, plan, directory);
    expect(r).toMatchObject({ passed: false, actual: { assignee: null, outcome: 'invalid', path: [] } });
    expect(r?.message).toBe('The golden lead is no longer a valid lead: employees: employees must be a number; got "lots"');
  });

  it("sees nothing of another workspace's workflow", async () => {
    const id = await workflowWith([{ name: 'x', lead: lead('L-1'), expect: { assignee: 'rep-ana' } }]);
    const stranger = await t.workspace();
    expect(await runGoldenSuite(t.database.db, t.deps.simulations, stranger.id, id, plan, directory)).toEqual([]);
  });
});
