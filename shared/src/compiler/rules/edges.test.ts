import { describe, expect, it } from 'vitest';
import { validateGraph } from '../index';
import { edge, end, graph, minimalGraph, node, trigger } from '../test-graphs';

const only = (code: string, g: unknown) => validateGraph(g).filter((p) => p.code === code);

describe('edges rule', () => {
  it('reports dangling_edge when the target is missing, on the source', () => {
    const g = minimalGraph();
    g.edges[2] = edge('assign', 'no_eligible_rep', 'ghost');
    const problems = only('dangling_edge', g);
    expect(problems).toEqual([expect.objectContaining({ nodeId: 'assign', edgeId: 'assign:no_eligible_rep->ghost' })]);
    expect(problems[0]?.path).toBeUndefined();
    expect(problems[0]?.message).toBe(
      "'Assign to queue' -> 'No eligible rep' leads to a step with the id 'ghost', which is not in the graph. Connect it to another step.",
    );
  });

  it('reports dangling_edge when the source is missing, on the target', () => {
    const g = minimalGraph();
    g.edges.push(edge('ghost', 'next', 'end'));
    expect(only('dangling_edge', g)).toEqual([expect.objectContaining({ nodeId: 'end', edgeId: 'ghost:next->end' })]);
  });

  it('does not call an edge to a node that failed to parse dangling', () => {
    const g = minimalGraph();
    (g.nodes[1] as { config: unknown }).config = { strategy: { type: 'nope' } };
    expect(validateGraph(g).map((p) => p.code)).toEqual(['invalid_node']);
  });

  it('reports unknown_outcome and lists the valid outcomes', () => {
    const g = minimalGraph();
    g.edges[1] = edge('assign', 'done', 'end');
    const problems = only('unknown_outcome', g);
    expect(problems).toEqual([expect.objectContaining({ nodeId: 'assign', edgeId: 'assign:done->end' })]);
    expect(problems[0]?.message).toContain("'Assign to queue' has no outcome 'done'; its outcomes are 'Assigned' and 'No eligible rep'");
  });

  it('reports duplicate_edge for the same outcome connected twice, on the later edge', () => {
    const g = minimalGraph();
    g.nodes.push(end('end2'));
    g.edges.push(edge('assign', 'assigned', 'end2'));
    const problems = only('duplicate_edge', g);
    expect(problems).toEqual([expect.objectContaining({ nodeId: 'assign', edgeId: 'assign:assigned->end2' })]);
    expect(problems[0]?.message).toContain("connected to both 'End' and 'End'");
  });

  it('reports an exact duplicate edge as duplicate_edge', () => {
    const g = minimalGraph();
    g.edges.push({ ...edge('assign', 'assigned', 'end'), id: 'copy' });
    expect(only('duplicate_edge', g)).toEqual([expect.objectContaining({ nodeId: 'assign', edgeId: 'copy' })]);
  });

  it('reports end_has_outgoing', () => {
    const g = graph([trigger(), end('a', 'done', 'Done'), end('b')], [edge('trigger', 'next', 'a'), edge('a', 'next', 'b')]);
    const problems = only('end_has_outgoing', g);
    expect(problems).toEqual([expect.objectContaining({ nodeId: 'a', edgeId: 'a:next->b' })]);
    expect(problems[0]?.message).toContain("'Done' is an End");
  });

  it('reports a self-loop as a cycle, not as an edge problem', () => {
    const g = graph([trigger(), node('n', 'notify', { channel: 'in_app', message: 'hi' })], [edge('trigger', 'next', 'n'), edge('n', 'next', 'n')]);
    expect(validateGraph(g).map((p) => p.code)).toEqual(['cycle_without_wait']);
  });
});
