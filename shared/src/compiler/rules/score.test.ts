import { describe, expect, it } from 'vitest';
import { validateGraph } from '../index';
import { edge, end, graph, node, trigger } from '../test-graphs';

const scoreGraph = (grades: Array<[string, number]>) =>
  graph(
    [trigger(), node('s', 'score', { rules: [], grades: grades.map(([grade, min]) => ({ grade, min })) }, 'Grade'), end()],
    [edge('trigger', 'next', 's'), edge('s', 'next', 'end')],
  );

describe('score rule', () => {
  it('reports invalid_grade_thresholds for a repeated minimum', () => {
    const problems = validateGraph(scoreGraph([['A', 80], ['B', 80]]));
    expect(problems).toEqual([expect.objectContaining({ code: 'invalid_grade_thresholds', nodeId: 's', path: 'config.grades.1.min' })]);
    expect(problems[0]?.message).toContain("Grades 'A' and 'B' of 'Grade' both start at 80 points");
  });

  it('reports invalid_grade_thresholds for a repeated grade name, ignoring case and spaces', () => {
    const problems = validateGraph(scoreGraph([['A', 80], [' a', 50]]));
    expect(problems).toEqual([expect.objectContaining({ code: 'invalid_grade_thresholds', nodeId: 's', path: 'config.grades.1.grade' })]);
  });

  it('accepts distinct grades', () => {
    expect(validateGraph(scoreGraph([['A', 80], ['B', 50], ['C', -100000]]))).toEqual([]);
  });
});
