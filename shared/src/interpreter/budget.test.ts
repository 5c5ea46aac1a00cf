// Issue 14, item 2: one lead's conditions have a budget. Every pattern is bounded at compile time, and so
// is a graph's sum of patterns (compiler/rules/patterns.ts), so a graph that compiles today cannot reach the
// budget on one pass; the budget still holds for plans built without that rule (a version published before
// it) and any future path that evaluates conditions more often: a lead that would spend more than the budget
// fails at that step, explained, and the run ends instead of holding a worker or a test run.
import { describe, expect, it } from 'vitest';
import { buildPlan } from '../compiler/build-plan';
import { compile } from '../compiler/index';
import { buildCatalog } from '../fields/catalog';
import { MAX_GRAPH_PATTERN_WORK } from '../compiler/rules/patterns';
import { DirectorySchema } from '../directory/schema';
import { demoDirectory } from '../fixtures/index';
import { edgeId, GRAPH_SCHEMA_VERSION, type Graph } from '../graph/graph';
import { SimulationEffects } from '../simulation/sim-effects';
import { interpretSync, isPaused, LEAD_PATTERN_BUDGET } from './interpret';

const directory = DirectorySchema.parse(demoDirectory);

/** trigger -> score (rules patterns on the title) -> end. */
function scoringGraph(rules: number, pattern: string): Graph {
  return {
    schemaVersion: GRAPH_SCHEMA_VERSION,
    nodes: [
      { id: 't', type: 'trigger', position: { x: 0, y: 0 }, config: { source: 'webhook' } },
      {
        id: 's',
        type: 'score',
        position: { x: 0, y: 100 },
        config: {
          rules: Array.from({ length: rules }, (_, i) => ({ id: `r${i}`, category: 'fit' as const, points: 1, condition: { match: 'all' as const, conditions: [{ field: 'title', operator: 'matches' as const, value: `${pattern}${i}` }] } })),
          grades: [{ grade: 'A', min: 0 }],
        },
      },
      { id: 'e', type: 'end', position: { x: 0, y: 200 }, config: { outcome: 'done' } },
    ],
    edges: [
      { id: edgeId('t', 'next', 's'), source: 't', sourceHandle: 'next', target: 's' },
      { id: edgeId('s', 'next', 'e'), source: 's', sourceHandle: 'next', target: 'e' },
    ],
  };
}

/** Compiles the graph, or with `unchecked` builds its plan without the compiler's rules. */
function run(graph: Graph, title: string, unchecked = false) {
  let plan;
  if (unchecked) plan = buildPlan(graph, buildCatalog(), directory);
  else {
    const compiled = compile(graph, { directory });
    if (!compiled.ok) throw new Error(compiled.problems.map((p) => p.message).join('; '));
    plan = compiled.plan;
  }
  const r = interpretSync(plan, { email: 'a@acme.com', title }, new SimulationEffects({ directory, startTime: Date.UTC(2026, 2, 10, 15) }), { leadId: 'budget' });
  if (isPaused(r)) throw new Error('paused');
  return r;
}

describe('the pattern budget of one lead', () => {
  it('fails a lead whose conditions would spend more than the budget, at that step, with the reason', () => {
    // 200 costly-but-allowed patterns on a 1,000-character title: about 200 x 290 x 1,000 units, past the budget.
    const graph = scoringGraph(200, '.{1,140}x');
    expect(compile(graph, { directory }).ok).toBe(false);
    const r = run(graph, 'a'.repeat(5_000), true);
    expect(r.status).toBe('failed');
    expect(r.outcome).toBe('failed');
    const last = r.steps[r.steps.length - 1]!;
    expect(last.nodeId).toBe('s');
    expect(last.decision).toBe('Stopped: the conditions are too costly for one lead');
    expect(last.explanation[0]).toContain('the pattern budget ran out at title');
    expect(r.error).toContain('too costly');
  });

  it('leaves ordinary leads and graphs alone', () => {
    const r = run(scoringGraph(20, '\\b(vp|director|chief)\\b'), 'VP of Sales');
    expect(r.status).toBe('completed');
    expect(LEAD_PATTERN_BUDGET).toBeGreaterThan(9 * 300 * 1_000);
  });

  it('is never reached on one pass by a graph the compiler accepts', () => {
    expect(MAX_GRAPH_PATTERN_WORK).toBeLessThanOrEqual(LEAD_PATTERN_BUDGET);
    // The costliest graph the compiler still accepts: as many of the largest allowed patterns as fit.
    const graph = scoringGraph(10, '.{1,140}x');
    expect(compile(graph, { directory }).ok).toBe(true);
    const r = run(graph, 'a'.repeat(5_000));
    expect(r.status).toBe('completed');
  });
});
