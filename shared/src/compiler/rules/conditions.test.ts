import { describe, expect, it } from 'vitest';
import { validateGraph } from '../index';
import { all, clause, edge, end, graph, node, trigger, testDirectory } from '../test-graphs';

const branchGraph = (cases: unknown[]) =>
  graph(
    [trigger(), node('b', 'branch', { cases }, 'Route'), end()],
    [edge('trigger', 'next', 'b'), ...[...new Set([...cases.map((c) => (c as { id: string }).id), 'else'])].map((id) => edge('b', id, 'end'))],
  );

const scoreGraph = (rules: unknown[]) =>
  graph([trigger(), node('s', 'score', { rules }, 'Score'), end()], [edge('trigger', 'next', 's'), edge('s', 'next', 'end')]);

describe('conditions rule', () => {
  it('checks the trigger filter against the catalog', () => {
    const g = graph([trigger('t', { source: 'webhook', filter: all(clause('emplyees', 'gt', 10)) }), end()], [edge('t', 'next', 'end'), edge('t', 'filtered', 'end')]);
    expect(validateGraph(g)).toEqual([expect.objectContaining({ code: 'unknown_field', nodeId: 't', path: 'config.filter.conditions.0.field' })]);
  });

  it('allows an empty trigger filter', () => {
    const g = graph([trigger('t', { source: 'webhook', filter: all() }), end()], [edge('t', 'next', 'end'), edge('t', 'filtered', 'end')]);
    expect(validateGraph(g)).toEqual([]);
  });

  it('reports operator_type_mismatch and invalid_value in branch cases with their paths', () => {
    const problems = validateGraph(
      branchGraph([
        { id: 'a', label: 'A', condition: all(clause('company', 'gt', 500)) },
        { id: 'b', label: 'B', condition: all(clause('employees', 'gt', 'many')) },
      ]),
    );
    expect(problems.map((p) => [p.code, p.nodeId, p.path])).toEqual([
      ['operator_type_mismatch', 'b', 'config.cases.0.condition.conditions.0.operator'],
      ['invalid_value', 'b', 'config.cases.1.condition.conditions.0.value'],
    ]);
  });

  it('reports an empty case as empty_condition_group and says it would match every lead', () => {
    const problems = validateGraph(branchGraph([{ id: 'a', label: 'Anyone', condition: all() }]));
    expect(problems).toEqual([expect.objectContaining({ code: 'empty_condition_group', nodeId: 'b', path: 'config.cases.0.condition.conditions' })]);
    expect(problems[0]?.message).toContain("Case 'Anyone' of 'Route' has no conditions, so it would match every lead");
  });

  it('reports nested empty groups through checkCondition', () => {
    const problems = validateGraph(branchGraph([{ id: 'a', label: 'A', condition: all(clause('employees', 'gt', 1), all()) }]));
    expect(problems).toEqual([expect.objectContaining({ code: 'empty_condition_group', path: 'config.cases.0.condition.conditions.1.conditions' })]);
  });

  it('reports condition_too_deep', () => {
    let group: unknown = all(clause('employees', 'gt', 1));
    for (let i = 0; i < 9; i++) group = all(group);
    const problems = validateGraph(branchGraph([{ id: 'a', label: 'A', condition: group }]));
    expect(problems.map((p) => [p.code, p.nodeId])).toEqual([['condition_too_deep', 'b']]);
  });

  it('reports pattern_rejected', () => {
    const problems = validateGraph(branchGraph([{ id: 'a', label: 'A', condition: all(clause('email', 'matches', '(a+)+\\1')) }]));
    expect(problems.map((p) => [p.code, p.path])).toEqual([['pattern_rejected', 'config.cases.0.condition.conditions.0.value']]);
  });

  it('reports unknown_territory only with a directory', () => {
    const g = branchGraph([{ id: 'a', label: 'A', condition: all(clause('location', 'in_territory', 'terr-mars')) }]);
    expect(validateGraph(g)).toEqual([]);
    expect(validateGraph(g, { directory: testDirectory() })).toEqual([
      expect.objectContaining({ code: 'unknown_territory', nodeId: 'b', path: 'config.cases.0.condition.conditions.0.value' }),
    ]);
  });

  it('reports duplicate_case_id on the later case, and a case named else', () => {
    const c = (id: string, label: string) => ({ id, label, condition: all(clause('employees', 'gt', 1)) });
    const problems = validateGraph(branchGraph([c('x', 'One'), c('x', 'Two'), c('else', 'Three')]));
    expect(problems.map((p) => [p.code, p.nodeId, p.path])).toEqual([
      ['duplicate_case_id', 'b', 'config.cases.1.id'],
      ['duplicate_case_id', 'b', 'config.cases.2.id'],
    ]);
    expect(problems[0]?.message).toContain("Cases 'One' and 'Two' of 'Route' share the id 'x'");
    expect(problems[1]?.message).toContain("uses the id 'else'");
  });

  it('checks score rules, refusing empty ones', () => {
    const problems = validateGraph(
      scoreGraph([
        { id: 'r1', category: 'fit', condition: all(), points: 10 },
        { id: 'r2', category: 'fit', condition: all(clause('grade', 'gt', 1)), points: 5 },
      ]),
    );
    expect(problems.map((p) => [p.code, p.nodeId, p.path])).toEqual([
      ['empty_condition_group', 's', 'config.rules.0.condition.conditions'],
      ['operator_type_mismatch', 's', 'config.rules.1.condition.conditions.0.operator'],
    ]);
    expect(problems[0]?.message).toContain('would give its 10 points to every lead');
  });

  it('reports duplicate score rule ids', () => {
    const rule = { id: 'r', category: 'fit', condition: all(clause('employees', 'gt', 1)), points: 5 };
    const problems = validateGraph(scoreGraph([rule, rule]));
    expect(problems).toEqual([expect.objectContaining({ code: 'duplicate_rule_id', nodeId: 's', path: 'config.rules.1.id' })]);
    expect(problems[0]?.message).toContain("Rules 1 and 2 of 'Score' share the id 'r'");
  });

  it('knows custom fields', () => {
    const g = branchGraph([{ id: 'a', label: 'A', condition: all(clause('tier', 'equals', 'gold')) }]);
    expect(validateGraph(g).map((p) => p.code)).toEqual(['unknown_field']);
    expect(validateGraph(g, { customFields: [{ key: 'tier', label: 'Tier', type: 'text' }] })).toEqual([]);
    const dir = testDirectory({ customFields: [{ key: 'tier', label: 'Tier', type: 'text' }] });
    expect(validateGraph(g, { directory: dir })).toEqual([]);
  });
});
