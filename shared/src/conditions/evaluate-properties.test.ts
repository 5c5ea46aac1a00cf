import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Territory } from '../directory/schema';
import type { FieldType } from '../fields/catalog';
import type { Lead, LeadValue } from '../fields/lead';
import { OPERATORS, type Clause, type ConditionGroup } from './ast';
import { evaluateClause, evaluateCondition, type ConditionContext } from './evaluate';

const fieldTypes: Record<string, FieldType> = {
  email: 'text',
  country: 'text',
  state: 'text',
  postalCode: 'text',
  employees: 'number',
  isCustomer: 'boolean',
  createdAt: 'date',
  stage: 'picklist',
  location: 'location',
};
const territories: Record<string, Territory> = {
  west: { id: 'west', name: 'West', rules: [{ countries: ['US'], states: ['CA'] }], repIds: [], priority: 1 },
  bay: { id: 'bay', name: 'Bay', rules: [{ postalCodes: ['94*', '10000-19999'] }], repIds: [], priority: 1 },
};
const ctx: ConditionContext = { fieldTypes, territories };

const fieldKey = fc.oneof(
  fc.constantFrom(...Object.keys(fieldTypes), 'industry', 'constructor', '__proto__', 'toString'),
  fc.string({ maxLength: 8 }),
);

const tricky = fc.constantFrom('', '  ', 'true', 'FALSE', '650', ' 1e3 ', '0x10', 'US', 'ca', '94105', '2024-05-01', '2024-05-01T10:00:00Z', '2024-02-30', 'NaN');
const scalar = fc.oneof(tricky, fc.string({ maxLength: 12 }), fc.integer({ min: -1000, max: 1000 }), fc.double(), fc.boolean());
const leadValue: fc.Arbitrary<LeadValue> = fc.oneof(scalar, fc.constant(null));
const lead: fc.Arbitrary<Lead> = fc.dictionary(fieldKey, leadValue, { maxKeys: 8 });
/** Leads as they arrive from bad integrations: any JSON at all where a value should be. */
const wildLead = fc.dictionary(fieldKey, fc.oneof(leadValue, fc.anything()), { maxKeys: 6 }) as fc.Arbitrary<Lead>;

const anyValue = fc.oneof(scalar, fc.array(scalar, { maxLength: 5 }), fc.constant(null), fc.constant(undefined), fc.anything(), fc.constantFrom('west', 'bay', 'north', '(a+)+$', '(a)\\1'));
/** Clauses that may be well formed or not: unknown operators, wrong value shapes, junk fields. */
const anyClause = fc.oneof(
  fc.record(
    {
      field: fc.oneof(fieldKey, fc.anything()),
      operator: fc.oneof(fc.constantFrom(...OPERATORS), fc.string({ maxLength: 6 }), fc.anything()),
      value: anyValue,
      caseSensitive: fc.oneof(fc.boolean(), fc.anything()),
    },
    { requiredKeys: ['field', 'operator'] },
  ),
  fc.anything(),
);

const { group: anyGroup } = fc.letrec<{ group: unknown; item: unknown }>((tie) => ({
  group: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({ match: fc.constantFrom('all', 'any'), conditions: fc.array(tie('item'), { maxLength: 5 }) }),
    fc.record({ match: fc.oneof(fc.constantFrom('all', 'any'), fc.anything()), conditions: fc.oneof(fc.array(tie('item'), { maxLength: 3 }), fc.anything()) }),
  ),
  item: fc.oneof({ depthSize: 'small' }, anyClause, tie('group')),
}));

/** A structural copy of plain data (what fast-check generates), so cached preparations cannot be reused. */
function deepCopy<T>(v: T): T {
  if (Array.isArray(v)) return v.map((x: unknown) => deepCopy(x)) as T;
  if (typeof v === 'object' && v !== null) {
    const out: Record<string, unknown> = Object.getPrototypeOf(v) === null ? Object.create(null) : {};
    for (const k of Object.keys(v)) Object.defineProperty(out, k, { value: deepCopy((v as Record<string, unknown>)[k]), enumerable: true, writable: true, configurable: true });
    return out as T;
  }
  return v;
}

describe('evaluateCondition properties', () => {
  it('never throws, and gives the same answer on every run and for a copy of the condition', () => {
    fc.assert(
      fc.property(anyGroup, fc.oneof(lead, wildLead), (group, l) => {
        const g = group as ConditionGroup;
        const first = evaluateCondition(g, l, ctx);
        expect(typeof first.result).toBe('boolean');
        for (const line of first.lines) expect(typeof line).toBe('string');
        expect(evaluateCondition(g, l, ctx)).toEqual(first);
        // A structural copy defeats the per-clause preparation cache: the answer must not depend on it.
        expect(evaluateCondition(deepCopy(g), deepCopy(l), ctx)).toEqual(first);
      }),
      { numRuns: 1500 },
    );
  });

  it('evaluateClause never throws and always explains itself in one line', () => {
    fc.assert(
      fc.property(anyClause, fc.oneof(lead, wildLead), (c, l) => {
        const r = evaluateClause(c as Clause, l, ctx);
        expect(typeof r.result).toBe('boolean');
        expect(r.text).toMatch(/: (true|false)( \(.*\))?$/s);
        expect(evaluateClause(c as Clause, l, ctx)).toEqual(r);
      }),
      { numRuns: 1500 },
    );
  });

  it('"is one of" and "is not one of" are complements for any set value of the field type', () => {
    const textCase = fc.record({
      field: fc.constantFrom('email', 'country', 'stage', 'unknownField'),
      value: fc.oneof(fc.string({ minLength: 1, maxLength: 8 }).filter((s) => s.trim() !== ''), fc.integer(), fc.boolean(), tricky.filter((s) => s.trim() !== '')),
      list: fc.array(scalar, { maxLength: 6 }),
    });
    const numberCase = fc.record({
      field: fc.constant('employees'),
      value: fc.oneof(fc.integer({ min: -5, max: 5 }), fc.integer({ min: -5, max: 5 }).map((n) => ` ${n} `), fc.double({ noNaN: true, noDefaultInfinity: true })),
      list: fc.array(fc.oneof(fc.integer({ min: -5, max: 5 }), fc.integer({ min: -5, max: 5 }).map(String), scalar), { maxLength: 6 }),
    });
    const booleanCase = fc.record({
      field: fc.constant('isCustomer'),
      value: fc.oneof(fc.boolean(), fc.constantFrom('true', 'False')),
      list: fc.array(fc.oneof(fc.boolean(), scalar), { maxLength: 4 }),
    });
    fc.assert(
      fc.property(fc.oneof(textCase, numberCase, booleanCase), fc.option(fc.boolean(), { nil: undefined }), ({ field, value, list }, cs) => {
        const l: Lead = { [field]: value };
        const inside = evaluateClause({ field, operator: 'in', value: list, caseSensitive: cs } as Clause, l, ctx);
        const outside = evaluateClause({ field, operator: 'not_in', value: list, caseSensitive: cs } as Clause, l, ctx);
        expect(outside.result).toBe(!inside.result);
      }),
      { numRuns: 2000 },
    );
  });

  it('"is set" and "is empty" are complements for any lead and field', () => {
    fc.assert(
      fc.property(fieldKey, fc.oneof(lead, wildLead), (field, l) => {
        if (field === '') return;
        const set = evaluateClause({ field, operator: 'is_set' }, l, ctx).result;
        const empty = evaluateClause({ field, operator: 'is_empty' }, l, ctx).result;
        expect(empty).toBe(!set);
      }),
      { numRuns: 1500 },
    );
  });

  it('"equals" and "does not equal" are complements whenever the lead value fits the field', () => {
    const cases = fc.oneof(
      fc.record({ field: fc.constant('email'), value: fc.string({ minLength: 1 }).filter((s) => s.trim() !== ''), operand: fc.string() }),
      fc.record({ field: fc.constant('employees'), value: fc.integer(), operand: fc.integer() }),
      fc.record({ field: fc.constant('createdAt'), value: fc.constantFrom('2024-05-01', '2024-05-01T23:00:00-05:00', '2024-05-02T04:00:00Z'), operand: fc.constantFrom('2024-05-01', '2024-05-02', '2024-05-02T04:00:00Z') }),
    );
    fc.assert(
      fc.property(cases, ({ field, value, operand }) => {
        const l: Lead = { [field]: value };
        const eq = evaluateClause({ field, operator: 'equals', value: operand }, l, ctx).result;
        const ne = evaluateClause({ field, operator: 'not_equals', value: operand }, l, ctx).result;
        expect(ne).toBe(!eq);
      }),
    );
  });
});
