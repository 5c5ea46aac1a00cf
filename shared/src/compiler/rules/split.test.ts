import { describe, expect, it } from 'vitest';
import { compile, validateGraph } from '../index';
import { edge, end, graph, node, trigger } from '../test-graphs';

const splitGraph = (variants: Array<[string, number]>) =>
  graph(
    [trigger(), node('s', 'split', { variants: variants.map(([id, percent]) => ({ id, label: id.toUpperCase(), percent })) }, 'A/B test'), end()],
    [edge('trigger', 'next', 's'), ...variants.map(([id]) => edge('s', id, 'end'))],
  );

describe('split rule', () => {
  it('reports weights_do_not_add_up with the current total', () => {
    const problems = validateGraph(splitGraph([['a', 50], ['b', 20]]));
    expect(problems).toEqual([expect.objectContaining({ code: 'weights_do_not_add_up', nodeId: 's', path: 'config.variants' })]);
    expect(problems[0]?.message).toContain("The variants of 'A/B test' add up to 70%, not 100%");
  });

  it('accepts decimals that add up to 100 within floating-point error', () => {
    expect(compile(splitGraph([['a', 33.3], ['b', 33.3], ['c', 33.4]])).ok).toBe(true);
    expect(compile(splitGraph([['a', 0.1], ['b', 0.2], ['c', 99.7]])).ok).toBe(true);
  });

  it('shows a total without floating-point noise', () => {
    const problems = validateGraph(splitGraph([['a', 33.333333333333336], ['b', 33.333333333333336]]));
    expect(problems[0]?.message).toContain('add up to 66.666666666667%');
  });

  it('reports duplicate_variant_id on the later variant', () => {
    const problems = validateGraph(splitGraph([['a', 50], ['a', 50]]));
    expect(problems.map((p) => [p.code, p.nodeId, p.path])).toContainEqual(['duplicate_variant_id', 's', 'config.variants.1.id']);
  });
});
