import { describe, expect, it } from 'vitest';
import { compile, validateGraph } from '../index';
import { all, clause, edge, end, graph, minimalGraph, node, trigger, wait } from '../test-graphs';

const branch = (cases: Array<[string, string]>, elseLabel?: string) =>
  node(
    'b',
    'branch',
    { cases: cases.map(([id, label]) => ({ id, label, condition: all(clause('employees', 'gt', 10)) })), ...(elseLabel ? { elseLabel } : {}) },
    'Route by size',
  );

describe('outcomes rule', () => {
  it('reports unconnected_outcome for a required outcome, with advice', () => {
    const g = minimalGraph();
    g.edges.pop();
    const problems = validateGraph(g);
    expect(problems).toEqual([expect.objectContaining({ code: 'unconnected_outcome', nodeId: 'assign' })]);
    expect(problems[0]?.path).toBeUndefined();
    expect(problems[0]?.message).toBe(
      "'Assign to queue' -> 'No eligible rep' leads nowhere. Connect 'No eligible rep' to a step, e.g. an Assign to a fallback queue.",
    );
  });

  it('points an unconnected case at the case', () => {
    const g = graph([trigger(), branch([['big', 'Big'], ['small', 'Small']]), end()], [edge('trigger', 'next', 'b'), edge('b', 'big', 'end'), edge('b', 'else', 'end')]);
    expect(validateGraph(g)).toEqual([expect.objectContaining({ code: 'unconnected_outcome', nodeId: 'b', path: 'config.cases.1' })]);
  });

  it('reports branch_missing_else for the else outcome, by its label', () => {
    const g = graph([trigger(), branch([['big', 'Big']], 'Everyone else'), end()], [edge('trigger', 'next', 'b'), edge('b', 'big', 'end')]);
    const problems = validateGraph(g);
    expect(problems).toEqual([expect.objectContaining({ code: 'branch_missing_else', nodeId: 'b' })]);
    expect(problems[0]?.path).toBeUndefined();
    expect(problems[0]?.message).toContain("Connect 'Everyone else' to a step, e.g. an Assign to a fallback queue");
  });

  it('needs the filtered outcome connected once the trigger has a filter', () => {
    const g = minimalGraph();
    (g.nodes[0] as { config: Record<string, unknown> }).config.filter = all(clause('country', 'equals', 'US'));
    expect(validateGraph(g)).toEqual([expect.objectContaining({ code: 'unconnected_outcome', nodeId: 'trigger' })]);
  });

  it('lets an optional outcome stay open and points it where its fallback goes', () => {
    const g = graph(
      [trigger(), wait('w'), end('ok'), end('late')],
      [edge('trigger', 'next', 'w'), edge('w', 'accepted', 'ok'), edge('w', 'timed_out', 'late')],
    );
    const r = compile(g);
    expect(r.ok && r.plan.nodes.w?.next).toEqual({ accepted: 'ok', timed_out: 'late', rejected: 'late' });
  });

  it('uses the rejected edge when it is connected', () => {
    const g = graph(
      [trigger(), wait('w'), end('ok'), end('late'), end('no')],
      [edge('trigger', 'next', 'w'), edge('w', 'accepted', 'ok'), edge('w', 'timed_out', 'late'), edge('w', 'rejected', 'no')],
    );
    const r = compile(g);
    expect(r.ok && r.plan.nodes.w?.next).toEqual({ accepted: 'ok', timed_out: 'late', rejected: 'no' });
  });
});
