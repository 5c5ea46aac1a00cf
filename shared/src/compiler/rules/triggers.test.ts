import { describe, expect, it } from 'vitest';
import { validateGraph } from '../index';
import { edge, end, graph, minimalGraph, trigger } from '../test-graphs';

describe('triggers rule', () => {
  it('reports no_trigger for a graph without one', () => {
    const problems = validateGraph(graph([end()], []));
    expect(problems).toEqual([expect.objectContaining({ code: 'no_trigger', severity: 'error' })]);
    expect(problems[0]?.nodeId).toBeUndefined();
    expect(problems[0]?.message).toContain('Add one');
  });

  it('reports multiple_triggers on every extra trigger, not the first', () => {
    const g = minimalGraph();
    g.nodes.push(trigger('t2', { source: 'form' }, 'Form'), trigger('t3', { source: 'crm' }));
    g.edges.push(edge('t2', 'next', 'end'), edge('t3', 'next', 'end'));
    const problems = validateGraph(g).filter((p) => p.code === 'multiple_triggers');
    expect(problems.map((p) => [p.nodeId, p.path])).toEqual([
      ['t2', undefined],
      ['t3', undefined],
    ]);
    expect(problems[0]?.message).toContain("'Form' is a second trigger");
  });

  it('counts a trigger that did not parse, so there is no false no_trigger', () => {
    const problems = validateGraph(graph([trigger('t', { source: 'carrier-pigeon' }), end()], [edge('t', 'next', 'end')]));
    expect(problems.map((p) => p.code)).toEqual(['invalid_node']);
  });

  it('reports trigger_has_incoming with the trigger and the edge', () => {
    const g = minimalGraph();
    g.edges[2] = edge('assign', 'no_eligible_rep', 'trigger');
    const problems = validateGraph(g).filter((p) => p.code === 'trigger_has_incoming');
    expect(problems).toEqual([expect.objectContaining({ nodeId: 'trigger', edgeId: 'assign:no_eligible_rep->trigger' })]);
    expect(problems[0]?.path).toBeUndefined();
    expect(problems[0]?.message).toContain("'Assign to queue' leads back into the trigger 'Trigger'");
  });
});
