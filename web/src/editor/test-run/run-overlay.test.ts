import { hybridRoutingGraph } from '@lead-router/shared/fixtures';
import { describe, expect, it } from 'vitest';
import { directoryProblems, goldenProblems } from '../hooks/use-autosave';
import { batchOverlay, leadOverlay } from './run-overlay';

const graph = hybridRoutingGraph;
const [first, second, third] = graph.edges;

describe('test-run overlays', () => {
  it("lights one lead's path from its steps: the edges it took and each node's decision and why", () => {
    if (!first) throw new Error('fixture changed');
    const o = leadOverlay(graph, {
      path: [first.source, first.target],
      steps: [
        { nodeId: first.source, decision: 'Received', explanation: [], outcome: first.sourceHandle, next: first.target },
        { nodeId: first.target, decision: 'Case 1', explanation: ['employees 650 > 500: true'], outcome: null, next: null },
      ],
    });
    expect([...o.nodeIds]).toEqual([first.source, first.target]);
    expect([...o.edgeIds]).toEqual([`${first.source}:${first.sourceHandle}->${first.target}`]);
    expect(o.decisions[first.target]).toBe('Case 1 (employees 650 > 500: true)');
  });

  it('falls back to the edges between consecutive path nodes when only the path is known', () => {
    if (!first) throw new Error('fixture changed');
    const o = leadOverlay(graph, { path: [first.source, first.target] });
    expect([...o.edgeIds]).toEqual([first.id]);
  });

  it('draws batch counts on the edges taken, keyed by source and outcome', () => {
    if (!first || !second || !third) throw new Error('fixture changed');
    const o = batchOverlay(graph, {
      byNode: { [first.source]: 10, [first.target]: 7 },
      byEdge: { [`${first.source}:${first.sourceHandle}`]: 7, 'ghost:next': 3 },
    });
    expect(o.edgeCounts).toEqual({ [`${first.source}:${first.sourceHandle}->${first.target}`]: 7 });
    expect(o.decisions[first.source]).toBe('10 leads');
    expect(o.nodeIds.has(first.target)).toBe(true);
  });

  it('turns failing golden leads into problems, and a skipped suite into none', () => {
    expect(goldenProblems({ skipped: true, reason: 'does not compile' })).toEqual([]);
    const problems = goldenProblems([
      { name: 'Acme', passed: false, message: 'expected rep-ana, got rep-bo', expected: { node: 'assign-1' } },
      { name: 'Globex', passed: true, message: 'ok', expected: {} },
    ]);
    expect(problems).toEqual([{ code: 'golden_failed', severity: 'error', message: 'Golden lead "Acme": expected rep-ana, got rep-bo', nodeId: 'assign-1' }]);
  });

  it('keeps from a save only the problems the browser cannot find: directory references', () => {
    const unknownTeam = { code: 'unknown_team', severity: 'error' as const, message: 'no team', nodeId: 'assign-1' };
    expect(directoryProblems([unknownTeam, { code: 'branch_missing_else', severity: 'error', message: 'else', nodeId: 'b' }])).toEqual([unknownTeam]);
  });
});
