// Issue 14, item 2: a graph's patterns are bounded as a whole, not only one by one.
import { describe, expect, it } from 'vitest';
import { validateGraph } from '../index';
import { all, clause, edge, end, graph, node, trigger } from '../test-graphs';
import { MAX_PATTERN_CLAUSES, MAX_PATTERN_STEPS_PER_GRAPH } from './patterns';

/** trigger -> score with one `matches` rule per pattern -> end. */
const scoreGraph = (patterns: string[]) =>
  graph(
    [trigger(), node('s', 'score', { rules: patterns.map((p, i) => ({ id: `r${i}`, category: 'fit', points: 1, condition: all(clause('title', 'matches', p)) })), grades: [{ grade: 'A', min: 0 }] }, 'Score'), end()],
    [edge('trigger', 'next', 's'), edge('s', 'next', 'end')],
  );

const simple = (count: number) => Array.from({ length: count }, (_, i) => `^vp${i}$`);
const costly = (count: number) => Array.from({ length: count }, (_, i) => `.{1,140}x${i}`);

describe('patterns rule', () => {
  it(`accepts ${MAX_PATTERN_CLAUSES} patterns and refuses one more, saying how many`, () => {
    expect(validateGraph(scoreGraph(simple(MAX_PATTERN_CLAUSES)))).toEqual([]);
    const problems = validateGraph(scoreGraph(simple(MAX_PATTERN_CLAUSES + 1)));
    expect(problems).toEqual([expect.objectContaining({ code: 'patterns_too_costly', path: 'nodes' })]);
    expect(problems[0]?.message).toContain(`${MAX_PATTERN_CLAUSES + 1} "matches pattern" conditions`);
  });

  it('refuses allowed patterns whose automata add up past the graph budget', () => {
    // Each of these is allowed alone (about 284 steps); 10 fit in the budget, 11 do not.
    expect(validateGraph(scoreGraph(costly(10)))).toEqual([]);
    const problems = validateGraph(scoreGraph(costly(11)));
    expect(problems).toEqual([expect.objectContaining({ code: 'patterns_too_costly' })]);
    expect(problems[0]?.message).toContain(`at most ${MAX_PATTERN_STEPS_PER_GRAPH} are allowed`);
  });

  it('counts patterns in trigger filters and branch cases too', () => {
    const g = graph(
      [
        trigger('trigger', { source: 'webhook', filter: all(...costly(6).map((p) => clause('title', 'matches', p))) }),
        node('b', 'branch', { cases: [{ id: 'a', label: 'A', condition: all(...costly(6).map((p) => clause('company', 'matches', p))) }] }, 'Route'),
        end(),
      ],
      [edge('trigger', 'next', 'b'), edge('trigger', 'filtered', 'end'), edge('b', 'a', 'end'), edge('b', 'else', 'end')],
    );
    expect(validateGraph(g).map((p) => p.code)).toEqual(['patterns_too_costly']);
  });
});
