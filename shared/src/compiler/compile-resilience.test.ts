import { describe, expect, it, vi } from 'vitest';
import { compile, validateGraph } from './index';
import { minimalGraph, node } from './test-graphs';

// One rule with a bug: the compiler must report it as a problem and still run every other rule.
vi.mock('./rules/split', () => ({
  checkSplits: () => {
    throw new Error('kaboom');
  },
}));

describe('compile with a failing rule', () => {
  it('turns the failure into a problem instead of throwing, and keeps the other rules', () => {
    const g = minimalGraph();
    g.edges.pop();
    g.nodes.push(node('x', 'teleport', {}));
    const r = compile(g);
    expect(r.ok).toBe(false);
    const codes = r.problems.map((p) => p.code);
    expect(codes).toContain('unconnected_outcome');
    expect(codes).toContain('unknown_node_type');
    const failure = r.problems.find((p) => p.message.includes('kaboom'));
    expect(failure).toMatchObject({ code: 'internal_error', severity: 'error' });
    expect(failure?.message).toContain('the split rule failed');
    expect(validateGraph(g).some((p) => p.message.includes('kaboom'))).toBe(true);
  });

  it('never compiles a plan while a rule is failing', () => {
    expect(compile(minimalGraph()).ok).toBe(false);
  });
});
