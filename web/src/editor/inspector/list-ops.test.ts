import { describe, expect, it } from 'vitest';
import { problemAtPath } from './config-problems';
import { moveItem, nextLocalId, recordOf, removeItem, rowsOf, setItem } from './list-ops';

describe('list edits of the rule-table forms', () => {
  it('moves, sets and removes without touching the input', () => {
    const list = ['a', 'b', 'c'] as const;
    expect(moveItem(list, 2, 0)).toEqual(['c', 'a', 'b']);
    expect(moveItem(list, 0, 1)).toEqual(['b', 'a', 'c']);
    expect(moveItem(list, 0, -1)).toEqual(['a', 'b', 'c']);
    expect(moveItem(list, 2, 3)).toEqual(['a', 'b', 'c']);
    expect(setItem(list, 1, 'x')).toEqual(['a', 'x', 'c']);
    expect(removeItem(list, 0)).toEqual(['b', 'c']);
    expect(list).toEqual(['a', 'b', 'c']);
  });

  it('gives fresh local ids that are never taken', () => {
    expect(nextLocalId([], 'rule')).toBe('rule-1');
    expect(nextLocalId(['rule-1', 'rule-2'], 'rule')).toBe('rule-3');
    expect(nextLocalId(['rule-3'], 'rule')).toBe('rule-2');
    expect(nextLocalId(['rule-2', 'x'], 'rule')).toBe('rule-3');
  });

  it('turns records into rows and back, the later row winning on a repeated name', () => {
    expect(rowsOf({ a: '1', b: '2' })).toEqual([
      { key: 'a', value: '1' },
      { key: 'b', value: '2' },
    ]);
    expect(rowsOf(undefined)).toEqual([]);
    expect(recordOf([{ key: 'a', value: '1' }, { key: 'a', value: '2' }])).toEqual({ a: '2' });
  });

  it("finds the compiler's problem at a config path or under it", () => {
    const problems = [
      { code: 'invalid_node', severity: 'error' as const, message: 'points too big', nodeId: 's', path: 'config.rules.1.points' },
      { code: 'unknown_field', severity: 'error' as const, message: 'no such field', nodeId: 's', path: 'config.rules.0.condition.conditions.0.field' },
    ];
    expect(problemAtPath(problems, 'rules.1.points')).toBe('points too big');
    expect(problemAtPath(problems, 'rules.0.condition')).toBe('no such field');
    expect(problemAtPath(problems, 'rules.0.points')).toBeUndefined();
    expect(problemAtPath(problems, 'rules.1.point')).toBeUndefined();
  });
});
