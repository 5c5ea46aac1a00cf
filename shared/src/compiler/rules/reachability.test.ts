import { describe, expect, it } from 'vitest';
import { validateGraph } from '../index';
import { assignQueue, edge, end, graph, minimalGraph, node, trigger } from '../test-graphs';

describe('reachability rule', () => {
  it('reports unreachable_node for every node the trigger cannot reach', () => {
    const g = minimalGraph();
    g.nodes.push(assignQueue('lost', 'q', 'Lost assign'), end('lost-end'));
    g.edges.push(edge('lost', 'assigned', 'lost-end'), edge('lost', 'no_eligible_rep', 'lost-end'));
    const problems = validateGraph(g);
    expect(problems.map((p) => [p.code, p.nodeId, p.path])).toEqual([
      ['unreachable_node', 'lost', undefined],
      ['unreachable_node', 'lost-end', undefined],
    ]);
    expect(problems[0]?.message).toContain("No route from the trigger 'Trigger' reaches 'Lost assign'");
  });

  it('is skipped without exactly one trigger', () => {
    const g = graph([trigger('a'), trigger('b'), end()], [edge('a', 'next', 'end')]);
    expect(validateGraph(g).map((p) => p.code)).toEqual(['multiple_triggers', 'unconnected_outcome']);
  });

  it('follows edges through a broken node so its successors are not reported', () => {
    const g = graph(
      [trigger(), node('x', 'assign', { strategy: { type: 'nope' } }), end()],
      [edge('trigger', 'next', 'x'), edge('x', 'assigned', 'end')],
    );
    expect(validateGraph(g).map((p) => p.code)).toEqual(['invalid_node']);
  });

  it('follows edges from unknown outcomes so one mistake does not cascade', () => {
    const g = graph([trigger(), end()], [edge('trigger', 'nxt', 'end')]);
    expect(validateGraph(g).map((p) => p.code).sort()).toEqual(['unconnected_outcome', 'unknown_outcome']);
  });
});
