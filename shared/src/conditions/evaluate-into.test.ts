import { describe, expect, it } from 'vitest';
import type { ConditionGroup } from './ast';
import { evaluateCondition, evaluateConditionInto, type ConditionContext } from './evaluate';

const ctx: ConditionContext = { fieldTypes: { employees: 'number', country: 'text', industry: 'text' }, territories: {} };
const groups: ConditionGroup[] = [
  { match: 'all', conditions: [{ field: 'employees', operator: 'gt', value: 500 }] },
  { match: 'any', conditions: [{ field: 'country', operator: 'in', value: ['US', 'CA'] }, { match: 'all', conditions: [{ field: 'industry', operator: 'is_set' }, { field: 'employees', operator: 'lt', value: 10 }] }] },
  { match: 'all', conditions: [] },
];

describe('evaluateConditionInto', () => {
  for (const [i, g] of groups.entries()) {
    for (const level of [0, 1, 2]) {
      it(`gives evaluateCondition's result and lines, indented ${level} levels (group ${i})`, () => {
        const lead = { employees: 650, country: 'DE', industry: 'Software' };
        const plain = evaluateCondition(g, lead, ctx);
        const lines = ['header'];
        const result = evaluateConditionInto(g, lead, ctx, lines, level);
        expect(result).toBe(plain.result);
        expect(lines).toEqual(['header', ...plain.lines.map((l) => '  '.repeat(level) + l)]);
      });
    }
  }
});
