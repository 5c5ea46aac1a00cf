import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Territory } from '../directory/schema';
import type { Problem } from '../errors';
import { buildCatalog, type FieldType } from '../fields/catalog';
import { MAX_CONDITION_DEPTH, OPERATORS, type Clause, type ConditionGroup } from './ast';
import { checkCondition, conditionFields, type CheckContext } from './check';
import { evaluateCondition } from './evaluate';

const catalog = buildCatalog([
  { key: 'stage', label: 'Stage', type: 'picklist', options: ['New', 'Working', 'Qualified'] },
  { key: 'isCustomer', label: 'Is customer', type: 'boolean' },
  { key: 'renewalDate', label: 'Renewal date', type: 'date' },
]);

const base: CheckContext = {
  catalog,
  territoryIds: new Set(['west', 'east-coast']),
  nodeId: 'branch-1',
  path: 'config.cases.0.condition',
  allowEmpty: false,
};

const all = (...conditions: ConditionGroup['conditions']): ConditionGroup => ({ match: 'all', conditions });
const any = (...conditions: ConditionGroup['conditions']): ConditionGroup => ({ match: 'any', conditions });

function check(group: ConditionGroup, ctx: Partial<CheckContext> = {}): Problem[] {
  return checkCondition(group, { ...base, ...ctx });
}

/** Checks a single clause placed second in its group, so paths show the index. */
function one(c: unknown, ctx: Partial<CheckContext> = {}): Problem[] {
  return check(all({ field: 'email', operator: 'is_set' }, c as Clause), ctx);
}

const P = 'config.cases.0.condition.conditions.1';

describe('checkCondition', () => {
  it('accepts well-formed conditions on every operator and type', () => {
    const g = all(
      { field: 'email', operator: 'ends_with', value: '@acme.com' },
      { field: 'company', operator: 'equals', value: 'Acme', caseSensitive: true },
      { field: 'country', operator: 'in', value: ['US', 'CA'] },
      { field: 'country', operator: 'not_in', value: ['DE'] },
      { field: 'title', operator: 'contains', value: 'VP' },
      { field: 'title', operator: 'not_contains', value: 'intern' },
      { field: 'title', operator: 'starts_with', value: 'Head' },
      { field: 'email', operator: 'matches', value: '^[^@]+@(acme|globex)\\.com$' },
      { field: 'employees', operator: 'gt', value: 500 },
      { field: 'employees', operator: 'gte', value: 500 },
      { field: 'employees', operator: 'lt', value: 500 },
      { field: 'employees', operator: 'lte', value: 500.5 },
      { field: 'employees', operator: 'between', value: [10, 10] },
      { field: 'employees', operator: 'in', value: [1, 2] },
      { field: 'employees', operator: 'not_equals', value: 0 },
      { field: 'isCustomer', operator: 'equals', value: false },
      { field: 'createdAt', operator: 'after', value: '2024-01-01' },
      { field: 'createdAt', operator: 'before', value: '2024-01-01T09:00:00Z' },
      { field: 'renewalDate', operator: 'between', value: ['2024-01-01T10:00:00Z', '2024-01-01'] },
      { field: 'renewalDate', operator: 'equals', value: '2025-01-31' },
      { field: 'stage', operator: 'in', value: ['new', 'Working'] },
      { field: 'stage', operator: 'contains', value: 'ork' },
      { field: 'industry', operator: 'is_empty' },
      { field: 'employees', operator: 'is_set', value: 'leftover from an old operator' },
      { field: 'location', operator: 'in_territory', value: 'west' },
      { field: 'location', operator: 'not_in_territory', value: 'east-coast' },
      { field: 'location', operator: 'is_set' },
      any({ field: 'score', operator: 'gte', value: 80 }, all({ field: 'grade', operator: 'equals', value: 'A' })),
    );
    expect(check(g)).toEqual([]);
  });

  describe('unknown_field', () => {
    it('suggests the closest field key', () => {
      expect(one({ field: 'employes', operator: 'gt', value: 5 })).toEqual([
        {
          code: 'unknown_field',
          severity: 'error',
          nodeId: 'branch-1',
          path: `${P}.field`,
          message: 'There is no field "employes" in this workspace. Did you mean employees?',
        },
      ]);
      expect(one({ field: 'Annual Revenue', operator: 'gt', value: 5 })[0]?.message).toMatch(/Did you mean annualRevenue\?/);
      expect(one({ field: 'Stage', operator: 'equals', value: 'New' })[0]?.message).toMatch(/Did you mean stage\?/);
    });

    it('says how to fix it when nothing is close', () => {
      expect(one({ field: 'favouriteColour', operator: 'equals', value: 'red' })[0]?.message).toBe(
        'There is no field "favouriteColour" in this workspace. Add it as a custom field, or choose another field.',
      );
    });

    it('asks for a field when there is none', () => {
      expect(one({ field: '', operator: 'is_set' })).toMatchObject([{ code: 'unknown_field', path: `${P}.field`, message: 'Choose the field this condition looks at.' }]);
    });

    it('still checks what does not depend on the field type', () => {
      expect(one({ field: 'emial', operator: 'matches', value: '(a)\\1' }).map((p) => p.code)).toEqual(['unknown_field', 'pattern_rejected']);
      expect(one({ field: 'loc', operator: 'in_territory', value: 'nowhere' }).map((p) => p.code)).toEqual(['unknown_field', 'unknown_territory']);
    });
  });

  describe('operator_type_mismatch', () => {
    it('names the field, its type and the operators that fit', () => {
      expect(one({ field: 'employees', operator: 'contains', value: '5' })).toEqual([
        {
          code: 'operator_type_mismatch',
          severity: 'error',
          nodeId: 'branch-1',
          path: `${P}.operator`,
          message:
            '"Employees" is a number field, so "contains" cannot be used. Use one of: equals, does not equal, is one of, is not one of, is greater than, is at least, is less than, is at most, is between, is set, is empty.',
        },
      ]);
    });

    it.each([
      ['company', 'gt', 5, '"Company" is a text field, so "is greater than" cannot be used.'],
      ['isCustomer', 'in', [true], '"Is customer" is a true/false field, so "is one of" cannot be used.'],
      ['createdAt', 'gt', 5, '"Created at" is a date field, so "is greater than" cannot be used.'],
      ['stage', 'between', [1, 2], '"Stage" is a picklist field, so "is between" cannot be used.'],
      ['location', 'equals', 'US', '"Location" is a location field, so "equals" cannot be used. Use one of: is set, is empty, is in territory, is not in territory.'],
      ['country', 'in_territory', 'west', '"Country" is a text field, so "is in territory" cannot be used.'],
    ])('%s %s', (field, operator, value, message) => {
      const problems = one({ field, operator, value });
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatchObject({ code: 'operator_type_mismatch', path: `${P}.operator` });
      expect(problems[0]?.message.startsWith(message)).toBe(true);
    });

    it('reports an operator the product does not know', () => {
      expect(one({ field: 'employees', operator: 'greater', value: 5 })).toMatchObject([
        { code: 'operator_type_mismatch', path: `${P}.operator`, message: expect.stringMatching(/^"greater" is not an operator this product knows\. For "Employees" use one of: equals/) },
      ]);
      expect(one({ field: 'employees' })[0]?.message).toMatch(/^Choose an operator\./);
    });
  });

  describe('invalid_value', () => {
    it.each([
      [{ field: 'employees', operator: 'gt', value: '500' }, 'value', '"Employees" is a number field, so the value must be a number, like 500 (got the text "500").'],
      [{ field: 'employees', operator: 'equals', value: true }, 'value', '"Employees" is a number field, so the value must be a number, like 500 (got true).'],
      [{ field: 'company', operator: 'equals', value: 5 }, 'value', '"Company" is a text field, so the value must be text, like "Acme" (got the number 5).'],
      [{ field: 'isCustomer', operator: 'equals', value: 'yes' }, 'value', '"Is customer" is a true/false field, so the value must be true or false (got the text "yes").'],
      [
        { field: 'createdAt', operator: 'after', value: '01/05/2024' },
        'value',
        '"Created at" is a date field, so the value must be a date like 2024-05-01 or a date and time like 2024-05-01T09:00:00Z (got the text "01/05/2024").',
      ],
      [{ field: 'createdAt', operator: 'before', value: '2023-02-29' }, 'value', expect.stringContaining('must be a date')],
      [{ field: 'employees', operator: 'gt' }, 'value', 'Enter a value to compare "Employees" with.'],
      [{ field: 'employees', operator: 'gt', value: null }, 'value', 'Enter a value to compare "Employees" with.'],
      [{ field: 'employees', operator: 'equals', value: [1, 2] }, 'value', '"equals" compares "Employees" with a single value, not a list. To check several values use "is one of".'],
      [{ field: 'email', operator: 'contains', value: '  ' }, 'value', 'The value for "Email" is blank. Enter the text to compare with, or use "is empty" / "is set".'],
      [{ field: 'country', operator: 'in', value: 'US' }, 'value', '"is one of" needs a list of values for "Country".'],
      [{ field: 'country', operator: 'in', value: [] }, 'value', 'Add at least one value to the list for "Country".'],
      [{ field: 'country', operator: 'not_in', value: ['US', 7] }, 'value.1', '"Country" is a text field, so the value must be text, like "Acme" (got the number 7).'],
      [{ field: 'employees', operator: 'in', value: [1, 'two'] }, 'value.1', expect.stringContaining('must be a number')],
      [{ field: 'stage', operator: 'equals', value: 'Qualifed' }, 'value', '"Stage" has no option "Qualifed". Did you mean Qualified? Choose one of: New, Working, Qualified.'],
      [{ field: 'stage', operator: 'not_in', value: ['New', 'Lost'] }, 'value.1', '"Stage" has no option "Lost". Choose one of: New, Working, Qualified.'],
      [{ field: 'stage', operator: 'equals', value: 'new', caseSensitive: true }, 'value', expect.stringContaining('Did you mean New?')],
      [{ field: 'employees', operator: 'between', value: [500, 10] }, 'value', 'The low end (500) is greater than the high end (10). Swap them.'],
      [{ field: 'employees', operator: 'between', value: [10] }, 'value', '"is between" needs two values for "Employees", the low end and the high end, like [10, 500].'],
      [{ field: 'employees', operator: 'between', value: 10 }, 'value', expect.stringContaining('needs two values')],
      [{ field: 'employees', operator: 'between', value: [10, '500'] }, 'value.1', '"Employees" is a number field, so the high end must be a number (got the text "500").'],
      [{ field: 'createdAt', operator: 'between', value: ['2024-03-01', '2024-01-01'] }, 'value', 'The start (2024-03-01) is after the end (2024-01-01). Swap them.'],
      [{ field: 'createdAt', operator: 'between', value: ['soon', '2024-01-01'] }, 'value.0', expect.stringContaining('the low end must be a date')],
      [{ field: 'email', operator: 'matches', value: '' }, 'value', 'Enter the pattern "Email" should match.'],
      [{ field: 'location', operator: 'in_territory', value: '' }, 'value', 'Choose a territory.'],
      [{ field: 'email', operator: 'equals', value: 'a', caseSensitive: 'yes' }, 'caseSensitive', 'Case sensitivity must be on or off (true or false).'],
    ])('%j', (c, at, message) => {
      const problems = one(c);
      expect(problems).toEqual([{ code: 'invalid_value', severity: 'error', nodeId: 'branch-1', path: `${P}.${at}`, message }]);
    });

    it('reports every bad item of a list', () => {
      expect(one({ field: 'employees', operator: 'in', value: ['a', 2, 'c'] }).map((p) => p.path)).toEqual([`${P}.value.0`, `${P}.value.2`]);
    });

    it('reports malformed shapes instead of throwing', () => {
      expect(one(null)).toMatchObject([{ code: 'invalid_value', path: P }]);
      expect(one('employees > 5')).toMatchObject([{ code: 'invalid_value', path: P }]);
      expect(check({ match: 'most', conditions: [{ field: 'email', operator: 'is_set' }] } as unknown as ConditionGroup)).toMatchObject([
        { code: 'invalid_value', path: 'config.cases.0.condition.match' },
      ]);
      expect(check({ match: 'all' } as unknown as ConditionGroup)).toMatchObject([{ code: 'invalid_value', path: 'config.cases.0.condition.conditions' }]);
      expect(check(null as unknown as ConditionGroup)).toMatchObject([{ code: 'invalid_value', path: 'config.cases.0.condition' }]);
    });

    it('limits how many items a group holds', () => {
      const many = Array.from({ length: 101 }, () => ({ field: 'email', operator: 'is_set' }) as Clause);
      expect(check(all(...many))).toMatchObject([{ code: 'invalid_value', path: 'config.cases.0.condition.conditions' }]);
    });
  });

  describe('pattern_rejected', () => {
    it.each([
      ['(a)\\1', /backreferences/],
      ['x(?=y)', /lookahead/],
      ['x'.repeat(201), /at most 200/],
      ['[unclosed', /not valid/],
    ])('%s', (value, reason) => {
      const problems = one({ field: 'email', operator: 'matches', value });
      expect(problems).toMatchObject([{ code: 'pattern_rejected', path: `${P}.value` }]);
      expect(problems[0]?.message).toMatch(/^The pattern for "Email" cannot be used: /);
      expect(problems[0]?.message).toMatch(reason);
    });
  });

  describe('unknown_territory', () => {
    it('is reported, with a suggestion, when the directory is known', () => {
      expect(one({ field: 'location', operator: 'in_territory', value: 'east_coast' })).toEqual([
        {
          code: 'unknown_territory',
          severity: 'error',
          nodeId: 'branch-1',
          path: `${P}.value`,
          message: 'There is no territory "east_coast" in the directory. Did you mean east-coast?',
        },
      ]);
    });

    it('is skipped when no directory was given', () => {
      expect(one({ field: 'location', operator: 'not_in_territory', value: 'east_coast' }, { territoryIds: null })).toEqual([]);
    });
  });

  describe('condition_too_deep', () => {
    function nest(levels: number): ConditionGroup {
      let g: ConditionGroup = all({ field: 'email', operator: 'is_set' });
      for (let i = 1; i < levels; i++) g = all(g);
      return g;
    }

    it('allows the maximum depth, counting the top group as 1', () => {
      expect(check(nest(MAX_CONDITION_DEPTH))).toEqual([]);
    });

    it('reports the first group that is too deep, once', () => {
      const problems = check(nest(MAX_CONDITION_DEPTH + 3));
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatchObject({
        code: 'condition_too_deep',
        nodeId: 'branch-1',
        path: `config.cases.0.condition${'.conditions.0'.repeat(MAX_CONDITION_DEPTH)}`,
        message: 'Conditions are nested 9 groups deep; at most 8 are allowed. Move some conditions up into the group above.',
      });
    });

    it('terminates on a cyclic group', () => {
      const g: ConditionGroup = { match: 'any', conditions: [] };
      g.conditions.push(g);
      expect(check(g).map((p) => p.code)).toEqual(['condition_too_deep']);
    });
  });

  describe('empty_condition_group', () => {
    it('reports an empty top-level group unless it is allowed', () => {
      expect(check(all())).toEqual([
        { code: 'empty_condition_group', severity: 'error', nodeId: 'branch-1', path: 'config.cases.0.condition.conditions', message: 'Add at least one condition.' },
      ]);
      expect(check(all(), { allowEmpty: true })).toEqual([]);
    });

    it('always reports an empty nested group', () => {
      expect(check(all({ field: 'email', operator: 'is_set' }, any()), { allowEmpty: true })).toEqual([
        {
          code: 'empty_condition_group',
          severity: 'error',
          nodeId: 'branch-1',
          path: 'config.cases.0.condition.conditions.1.conditions',
          message: 'This group has no conditions. Add a condition to it or remove the group.',
        },
      ]);
    });
  });

  it('returns every problem at once, in order, with exact paths', () => {
    const g = all(
      { field: 'employes', operator: 'gt', value: 5 },
      any({ field: 'employees', operator: 'contains', value: 'x' }, { field: 'stage', operator: 'in', value: ['New', 'Nope'] }),
      { field: 'location', operator: 'in_territory', value: 'mars' },
      all(),
    );
    expect(check(g).map((p) => `${p.code} @ ${p.path}`)).toEqual([
      'unknown_field @ config.cases.0.condition.conditions.0.field',
      'operator_type_mismatch @ config.cases.0.condition.conditions.1.conditions.0.operator',
      'invalid_value @ config.cases.0.condition.conditions.1.conditions.1.value.1',
      'unknown_territory @ config.cases.0.condition.conditions.2.value',
      'empty_condition_group @ config.cases.0.condition.conditions.3.conditions',
    ]);
  });

  it('uses paths without a leading dot when the prefix is empty', () => {
    expect(check(all({ field: 'nope', operator: 'is_set' }), { path: '' })[0]?.path).toBe('conditions.0.field');
  });
});

describe('conditionFields', () => {
  it('lists the fields read, once each, in first-use order', () => {
    const g = all(
      { field: 'employees', operator: 'gt', value: 5 },
      any({ field: 'country', operator: 'equals', value: 'US' }, { field: 'email', operator: 'is_set' }),
      { field: 'employees', operator: 'lt', value: 50 },
    );
    expect(conditionFields(g)).toEqual(['employees', 'country', 'email']);
  });

  it('expands location into country, state and postal code', () => {
    const g = all({ field: 'email', operator: 'is_set' }, { field: 'location', operator: 'in_territory', value: 'west' }, { field: 'state', operator: 'is_set' });
    expect(conditionFields(g)).toEqual(['email', 'country', 'state', 'postalCode']);
    expect(conditionFields(all({ field: 'location', operator: 'is_empty' }))).toEqual(['country', 'state', 'postalCode']);
  });

  it('skips malformed items and survives cycles', () => {
    const g = { match: 'all', conditions: [null, { field: 5 }, { field: 'email', operator: 'is_set' }] } as unknown as ConditionGroup;
    expect(conditionFields(g)).toEqual(['email']);
    const cyc: ConditionGroup = { match: 'any', conditions: [{ field: 'title', operator: 'is_set' }] };
    cyc.conditions.push(cyc);
    expect(conditionFields(cyc)).toEqual(['title']);
  });
});

describe('checkCondition properties', () => {
  const fields = [...catalog.fields.values()];
  const scalarPool = fc.constantFrom<unknown>('Acme', '', 'New', 'Qualifed', 5, -1, 1.5, true, false, '2024-05-01', '2024-05-01T09:00:00Z', '2024-02-30', 'west', 'mars', '(a+)+$', '(a)\\1', null);
  const valuePool = fc.oneof(scalarPool, fc.array(scalarPool, { maxLength: 3 }), fc.constant(undefined));
  const plausibleClause = fc.record({
    field: fc.constantFrom(...fields.map((f) => f.key), 'nope'),
    operator: fc.constantFrom(...OPERATORS),
    value: valuePool,
    caseSensitive: fc.option(fc.boolean(), { nil: undefined }),
  });
  const fieldTypes: Record<string, FieldType> = {};
  for (const f of fields) fieldTypes[f.key] = f.type;
  const west: Territory = { id: 'west', name: 'West', rules: [{ countries: ['US'] }], repIds: [], priority: 1 };

  it('never throws, whatever it is given', () => {
    fc.assert(
      fc.property(fc.anything(), fc.boolean(), (g, allowEmpty) => {
        const problems = check(g as ConditionGroup, { allowEmpty });
        for (const p of problems) expect(p).toMatchObject({ nodeId: 'branch-1', severity: 'error', message: expect.any(String) });
        expect(Array.isArray(conditionFields(g as ConditionGroup))).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('what it accepts, the evaluator can run without a malformed-clause note', () => {
    fc.assert(
      fc.property(fc.array(plausibleClause, { minLength: 1, maxLength: 3 }), (clauses) => {
        const g = all(...(clauses as Clause[]));
        fc.pre(check(g, { territoryIds: new Set(['west']) }).length === 0);
        const r = evaluateCondition(g, { email: 'a@acme.com', employees: 5, createdAt: '2024-05-01' }, { fieldTypes, territories: { west } });
        for (const line of r.lines) {
          expect(line).not.toMatch(/the value should|unknown operator|malformed|not allowed|no territory|not defined|there is no value/);
        }
      }),
      { numRuns: 500 },
    );
  });
});
