import { describe, expect, it } from 'vitest';
import type { Territory } from '../directory/schema';
import { buildCatalog, type FieldType } from '../fields/catalog';
import type { Lead } from '../fields/lead';
import type { Clause, ConditionGroup } from './ast';
import { evaluateClause, evaluateCondition, type ConditionContext } from './evaluate';

const catalog = buildCatalog([
  { key: 'stage', label: 'Stage', type: 'picklist', options: ['New', 'Working', 'Qualified'] },
  { key: 'isCustomer', label: 'Is customer', type: 'boolean' },
  { key: 'renewalDate', label: 'Renewal date', type: 'date' },
]);
const fieldTypes: Record<string, FieldType> = {};
for (const [k, f] of catalog.fields) fieldTypes[k] = f.type;

const west: Territory = { id: 'west', name: 'West', rules: [{ countries: ['US'], states: ['CA', 'OR', 'WA'] }], repIds: [], priority: 1 };
const bay: Territory = { id: 'bay', name: 'Bay Area', rules: [{ countries: ['US'], postalCodes: ['940*', '941*', '94500-94599'] }], repIds: [], priority: 0 };
const ctx: ConditionContext = { fieldTypes, territories: { west, bay } };

const lead: Lead = {
  email: 'Ana.Diaz@ACME.com',
  company: '  Acme Corp  ',
  employees: 650,
  annualRevenue: '1200000',
  country: 'US',
  state: 'ca',
  postalCode: '94105',
  industry: '',
  stage: 'Working',
  isCustomer: 'true',
  createdAt: '2024-05-01T23:30:00-05:00',
  renewalDate: '2025-01-31',
  title: 'VP Sales',
};

function clause(field: string, operator: Clause['operator'], value?: Clause['value'], caseSensitive?: boolean): Clause {
  const c: Clause = { field, operator };
  if (value !== undefined) c.value = value;
  if (caseSensitive !== undefined) c.caseSensitive = caseSensitive;
  return c;
}

function ev(c: Clause, l: Lead = lead): { result: boolean; text: string } {
  return evaluateClause(c, l, ctx);
}

describe('explanation format', () => {
  it('matches the documented style', () => {
    expect(ev(clause('employees', 'gt', 500)).text).toBe('employees 650 > 500: true');
    expect(ev(clause('country', 'in', ['US', 'CA']), {}).text).toBe('country in [US, CA]: false (country is empty)');
    expect(ev(clause('email', 'ends_with', '@acme.com')).text).toBe('email "Ana.Diaz@ACME.com" ends with "@acme.com": true');
    expect(ev(clause('industry', 'is_set')).text).toBe('industry is set: false');
    expect(ev(clause('employees', 'gt', 500), { employees: 'abc' }).text).toBe('employees "abc" > 500: false (employees is not a number)');
    expect(ev(clause('location', 'in_territory', 'west')).text).toBe('location US / CA / 94105 in territory West: true');
    expect(ev(clause('location', 'in_territory', 'north')).text).toBe('location US / CA / 94105 in territory north: false (territory north is not defined)');
  });

  it('quotes text, shows numbers, booleans and dates bare, and lists in brackets', () => {
    expect(ev(clause('company', 'equals', 'Acme Corp')).text).toBe('company "Acme Corp" = "Acme Corp": true');
    expect(ev(clause('isCustomer', 'equals', true)).text).toBe('isCustomer true = true: true');
    expect(ev(clause('renewalDate', 'before', '2025-02-01')).text).toBe('renewalDate 2025-01-31 before 2025-02-01: true');
    expect(ev(clause('employees', 'in', [100, 650])).text).toBe('employees 650 in [100, 650]: true');
    expect(ev(clause('employees', 'between', [10, 500])).text).toBe('employees 650 between 10 and 500: false');
    expect(ev(clause('email', 'matches', '@acme\\.com$')).text).toBe('email "Ana.Diaz@ACME.com" matches "@acme\\\\.com$": true');
  });

  it('clips long values and long lists', () => {
    const long = 'x'.repeat(500);
    const t = ev(clause('title', 'equals', 'VP'), { title: long }).text;
    expect(t.length).toBeLessThan(200);
    expect(t).toContain('…');
    const list = Array.from({ length: 50 }, (_, i) => `c${i}`);
    expect(ev(clause('country', 'in', list)).text).toBe('country "US" in [c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, … 40 more]: false');
  });
});

describe('text operators', () => {
  const cases: Array<[Clause, boolean]> = [
    [clause('company', 'equals', 'acme corp'), true],
    [clause('company', 'equals', 'Acme'), false],
    [clause('company', 'not_equals', 'Acme'), true],
    [clause('company', 'not_equals', 'ACME CORP'), false],
    [clause('country', 'in', ['us', 'ca']), true],
    [clause('country', 'in', ['DE', 'FR']), false],
    [clause('country', 'not_in', ['DE', 'FR']), true],
    [clause('country', 'not_in', ['US']), false],
    [clause('email', 'contains', 'diaz@'), true],
    [clause('email', 'contains', 'smith'), false],
    [clause('email', 'not_contains', 'gmail'), true],
    [clause('email', 'not_contains', 'acme'), false],
    [clause('email', 'starts_with', 'ana.'), true],
    [clause('email', 'starts_with', 'bob'), false],
    [clause('email', 'ends_with', '.COM'), true],
    [clause('email', 'ends_with', '.io'), false],
    [clause('email', 'matches', '^[a-z.]+@acme\\.com$'), true],
    [clause('email', 'matches', '@gmail\\.'), false],
    [clause('company', 'starts_with', 'acme'), true],
    [clause('company', 'ends_with', 'corp'), true],
  ];
  it.each(cases)('%j -> %s', (c, expected) => {
    expect(ev(c).result).toBe(expected);
  });

  it('compares trimmed values', () => {
    expect(ev(clause('company', 'equals', '  Acme Corp')).result).toBe(true);
    expect(ev(clause('company', 'in', [' acme corp '])).result).toBe(true);
  });

  it('compares case-sensitively only when asked', () => {
    expect(ev(clause('company', 'equals', 'acme corp', true)).result).toBe(false);
    expect(ev(clause('company', 'equals', 'Acme Corp', true)).result).toBe(true);
    expect(ev(clause('email', 'contains', 'acme', true)).result).toBe(false);
    expect(ev(clause('email', 'contains', 'ACME', true)).result).toBe(true);
    expect(ev(clause('country', 'in', ['us'], true)).result).toBe(false);
    expect(ev(clause('country', 'not_in', ['us'], true)).result).toBe(true);
    expect(ev(clause('email', 'starts_with', 'ana', true)).result).toBe(false);
    expect(ev(clause('email', 'ends_with', 'ACME.com', true)).result).toBe(true);
    expect(ev(clause('email', 'matches', 'acme', true)).result).toBe(false);
    expect(ev(clause('email', 'matches', 'ACME', true)).result).toBe(true);
  });

  it('reads numbers and booleans held by text fields as text', () => {
    expect(ev(clause('postalCode', 'equals', '94105'), { postalCode: 94105 }).text).toBe('postalCode 94105 = "94105": true');
    expect(ev(clause('title', 'equals', 'true'), { title: true }).result).toBe(true);
  });

  it('treats fields the plan does not know as text', () => {
    expect(ev(clause('utm_campaign', 'contains', 'spring'), { utm_campaign: 'Spring-Promo' }).result).toBe(true);
  });

  it('treats picklists as text', () => {
    expect(ev(clause('stage', 'equals', 'working')).result).toBe(true);
    expect(ev(clause('stage', 'in', ['New', 'Qualified'])).result).toBe(false);
    expect(ev(clause('stage', 'not_in', ['New', 'Qualified'])).result).toBe(true);
    expect(ev(clause('stage', 'contains', 'ork')).result).toBe(true);
    expect(ev(clause('stage', 'starts_with', 'work')).result).toBe(true);
    expect(ev(clause('stage', 'matches', '^w')).result).toBe(true);
  });
});

describe('number operators', () => {
  const cases: Array<[Clause, boolean]> = [
    [clause('employees', 'equals', 650), true],
    [clause('employees', 'equals', 651), false],
    [clause('employees', 'not_equals', 651), true],
    [clause('employees', 'in', [100, 650]), true],
    [clause('employees', 'not_in', [100, 650]), false],
    [clause('employees', 'gt', 650), false],
    [clause('employees', 'gt', 649), true],
    [clause('employees', 'gte', 650), true],
    [clause('employees', 'lt', 650), false],
    [clause('employees', 'lt', 651), true],
    [clause('employees', 'lte', 650), true],
    [clause('employees', 'between', [650, 1000]), true],
    [clause('employees', 'between', [100, 650]), true],
    [clause('employees', 'between', [651, 1000]), false],
  ];
  it.each(cases)('%j -> %s', (c, expected) => {
    expect(ev(c).result).toBe(expected);
  });

  it('coerces numeric strings in the lead', () => {
    expect(ev(clause('annualRevenue', 'gte', 1_000_000)).text).toBe('annualRevenue 1200000 >= 1000000: true');
    expect(ev(clause('annualRevenue', 'in', [1_200_000])).result).toBe(true);
  });

  it('is false with a note when the lead value is not a number, even for negative operators', () => {
    for (const op of ['equals', 'not_equals', 'gt', 'gte', 'lt', 'lte'] as const) {
      const r = ev(clause('employees', op, 5), { employees: 'lots' });
      expect(r).toEqual({ result: false, text: expect.stringContaining('(employees is not a number)') });
    }
    expect(ev(clause('employees', 'not_in', [5]), { employees: true }).text).toBe('employees true not in [5]: false (employees is not a number)');
    expect(ev(clause('employees', 'between', [1, 5]), { employees: '1,000' }).result).toBe(false);
  });
});

describe('boolean operators', () => {
  it('compares true/false and the words "true"/"false"', () => {
    expect(ev(clause('isCustomer', 'equals', true)).result).toBe(true);
    expect(ev(clause('isCustomer', 'not_equals', true)).result).toBe(false);
    expect(ev(clause('isCustomer', 'equals', false), { isCustomer: false }).result).toBe(true);
    expect(ev(clause('isCustomer', 'equals', false), { isCustomer: 'FALSE' }).result).toBe(true);
    expect(ev(clause('isCustomer', 'not_equals', false), { isCustomer: true }).result).toBe(true);
  });

  it('is false with a note for anything else', () => {
    expect(ev(clause('isCustomer', 'equals', true), { isCustomer: 'yes' }).text).toBe('isCustomer "yes" = true: false (isCustomer is not true or false)');
    expect(ev(clause('isCustomer', 'not_equals', true), { isCustomer: 1 }).result).toBe(false);
  });
});

describe('date operators', () => {
  it('compares instants for before and after a date-time', () => {
    const created = clause('createdAt', 'before', '2024-05-02T05:00:00Z');
    expect(ev(created).result).toBe(true); // 23:30 at -05:00 is 04:30 UTC the next day
    expect(ev(clause('createdAt', 'after', '2024-05-02T04:29:59Z')).result).toBe(true);
    expect(ev(clause('createdAt', 'after', '2024-05-02T04:30:00Z')).result).toBe(false);
  });

  it('treats a bare date as the whole calendar day, in the lead value’s own offset', () => {
    expect(ev(clause('createdAt', 'equals', '2024-05-01')).result).toBe(true);
    expect(ev(clause('createdAt', 'not_equals', '2024-05-01')).result).toBe(false);
    expect(ev(clause('createdAt', 'equals', '2024-05-02')).result).toBe(false);
    expect(ev(clause('createdAt', 'before', '2024-05-01')).result).toBe(false);
    expect(ev(clause('createdAt', 'before', '2024-05-02')).result).toBe(true);
    expect(ev(clause('createdAt', 'after', '2024-05-01')).result).toBe(false);
    expect(ev(clause('createdAt', 'after', '2024-04-30')).result).toBe(true);
  });

  it('equals on a date-time compares the instant', () => {
    expect(ev(clause('createdAt', 'equals', '2024-05-02T04:30:00Z')).result).toBe(true);
    expect(ev(clause('createdAt', 'equals', '2024-05-02T04:30:01Z')).result).toBe(false);
  });

  it('between is inclusive, and a bare end date covers its whole day', () => {
    expect(ev(clause('renewalDate', 'between', ['2025-01-01', '2025-01-31'])).result).toBe(true);
    expect(ev(clause('renewalDate', 'between', ['2025-01-31', '2025-02-28'])).result).toBe(true);
    expect(ev(clause('renewalDate', 'between', ['2025-02-01', '2025-02-28'])).result).toBe(false);
    expect(ev(clause('createdAt', 'between', ['2024-04-01', '2024-05-01'])).result).toBe(true);
    expect(ev(clause('createdAt', 'between', ['2024-05-02T04:30:00Z', '2024-05-02T04:30:00Z'])).result).toBe(true);
    expect(ev(clause('createdAt', 'between', ['2024-05-02T04:30:01Z', '2024-06-01'])).result).toBe(false);
  });

  it('reads a lead date-time without an offset as UTC', () => {
    expect(ev(clause('createdAt', 'after', '2024-05-01T09:59:59Z'), { createdAt: '2024-05-01T10:00' }).result).toBe(true);
  });

  it('is false with a note when the lead value is not a date', () => {
    expect(ev(clause('createdAt', 'after', '2024-01-01'), { createdAt: 'last Tuesday' }).text).toBe(
      'createdAt "last Tuesday" after 2024-01-01: false (createdAt is not a date)',
    );
    expect(ev(clause('createdAt', 'not_equals', '2024-01-01'), { createdAt: 1714600000000 }).result).toBe(false);
  });
});

describe('is set / is empty', () => {
  it.each(['email', 'employees', 'isCustomer', 'createdAt', 'stage', 'nope'])('are complements on %s', (field) => {
    for (const value of ['x', '', '   ', 0, false, null, undefined]) {
      const l: Lead = value === undefined ? {} : { [field]: value };
      const set = ev(clause(field, 'is_set'), l).result;
      expect(ev(clause(field, 'is_empty'), l).result).toBe(!set);
      expect(set).toBe(!(value === undefined || value === null || (typeof value === 'string' && value.trim() === '')));
    }
  });

  it('shows the value when there is one, and ignores a leftover value', () => {
    expect(ev(clause('employees', 'is_set', 5)).text).toBe('employees 650 is set: true');
    expect(ev(clause('industry', 'is_empty')).text).toBe('industry is empty: true');
  });

  it('on location, looks at country, state and postal code', () => {
    expect(ev(clause('location', 'is_set')).text).toBe('location US / CA / 94105 is set: true');
    expect(ev(clause('location', 'is_set'), { state: 'NY' }).text).toBe('location - / NY / - is set: true');
    expect(ev(clause('location', 'is_empty'), { city: 'Paris' }).text).toBe('location is empty: true');
  });
});

describe('missing values', () => {
  const negative = new Set(['not_equals', 'not_in', 'not_contains', 'not_in_territory']);
  const clauses: Clause[] = [
    clause('company', 'equals', 'x'),
    clause('company', 'not_equals', 'x'),
    clause('company', 'in', ['x']),
    clause('company', 'not_in', ['x']),
    clause('company', 'contains', 'x'),
    clause('company', 'not_contains', 'x'),
    clause('company', 'starts_with', 'x'),
    clause('company', 'ends_with', 'x'),
    clause('company', 'matches', 'x'),
    clause('employees', 'gt', 1),
    clause('employees', 'gte', 1),
    clause('employees', 'lt', 1),
    clause('employees', 'lte', 1),
    clause('employees', 'between', [1, 2]),
    clause('employees', 'not_equals', 1),
    clause('createdAt', 'before', '2024-01-01'),
    clause('createdAt', 'after', '2024-01-01'),
    clause('isCustomer', 'equals', true),
    clause('location', 'in_territory', 'west'),
    clause('location', 'not_in_territory', 'west'),
  ];
  it.each(clauses)('%j on a missing value', (c) => {
    for (const l of [{}, { [c.field]: null }, { [c.field]: '  ' }] as Lead[]) {
      const r = ev(c, l);
      expect(r.result).toBe(negative.has(c.operator));
      expect(r.text.endsWith(`(${c.field} is empty)`)).toBe(true);
    }
  });
});

describe('territories', () => {
  it('uses the territory name and the normalised location', () => {
    expect(ev(clause('location', 'in_territory', 'bay')).text).toBe('location US / CA / 94105 in territory Bay Area: true');
    expect(ev(clause('location', 'not_in_territory', 'bay')).result).toBe(false);
    expect(ev(clause('location', 'in_territory', 'west'), { country: 'us', state: 'NY' }).text).toBe('location US / NY / - in territory West: false');
    expect(ev(clause('location', 'not_in_territory', 'west'), { country: 'us', state: 'NY' }).result).toBe(true);
    expect(ev(clause('location', 'in_territory', 'bay'), { country: 'US', postalCode: '945 20' }).result).toBe(true);
  });

  it('is false with a note for a territory the plan does not define, for both operators', () => {
    expect(ev(clause('location', 'not_in_territory', 'north')).text).toBe('location US / CA / 94105 not in territory north: false (territory north is not defined)');
    expect(ev(clause('location', 'in_territory', 'toString')).result).toBe(false);
  });

  it('survives a territory that is not in the directory shape', () => {
    const bad = { ...ctx, territories: { odd: { id: 'odd', name: 'Odd', rules: 'all' } as unknown as Territory } };
    expect(evaluateClause(clause('location', 'in_territory', 'odd'), lead, bad)).toEqual({
      result: false,
      text: 'location US / CA / 94105 in territory Odd: false (territory Odd could not be read)',
    });
  });
});

describe('malformed clauses never throw', () => {
  const bad: unknown[] = [
    null,
    42,
    'employees > 5',
    {},
    { field: '' },
    { field: 'employees' },
    { field: 'employees', operator: 'greater' },
    { field: 'employees', operator: 'gt' },
    { field: 'employees', operator: 'gt', value: [1, 2] },
    { field: 'employees', operator: 'gt', value: 'many' },
    { field: 'employees', operator: 'in', value: 5 },
    { field: 'employees', operator: 'between', value: [1] },
    { field: 'employees', operator: 'between', value: ['a', 'b'] },
    { field: 'createdAt', operator: 'before', value: 'soon' },
    { field: 'createdAt', operator: 'between', value: ['2024-01-01', 'later'] },
    { field: 'isCustomer', operator: 'equals', value: 'maybe' },
    { field: 'email', operator: 'matches', value: '(a)\\1' },
    { field: 'email', operator: 'matches', value: 5 },
    { field: 'email', operator: 'equals', value: { a: 1 } },
    { field: 'location', operator: 'in_territory' },
    { field: 'location', operator: 'in_territory', value: ['west'] },
  ];
  it.each(bad)('%j is false with a note', (c) => {
    const r = evaluateClause(c as Clause, lead, ctx);
    expect(r.result).toBe(false);
    expect(r.text).toMatch(/: false \(.+\)$/);
  });

  it('explains what is wrong', () => {
    expect(evaluateClause({ field: 'employees', operator: 'greater' } as unknown as Clause, lead, ctx).text).toBe('employees 650 greater: false (unknown operator "greater")');
    expect(ev(clause('employees', 'gt', 'many')).text).toBe('employees 650 > "many": false (the value should be a number)');
    expect(ev(clause('email', 'matches', '(a)\\1')).text).toMatch(/\(the pattern is not allowed: backreferences/);
  });

  it('survives a cyclic value', () => {
    const cyc: unknown[] = [];
    cyc.push(cyc);
    expect(evaluateClause({ field: 'country', operator: 'in', value: cyc } as unknown as Clause, lead, ctx).text).toBe('country "US" in [[…]]: false');
  });

  it('reads only the lead’s own fields', () => {
    expect(ev(clause('constructor', 'is_set')).result).toBe(false);
    expect(ev(clause('__proto__', 'equals', 'x')).result).toBe(false);
    expect(ev(clause('toString', 'contains', 'function')).text).toBe('toString contains "function": false (toString is empty)');
  });

  it('treats a lead value of an unexpected kind as a mismatch', () => {
    const odd = { tags: ['a', 'b'] } as unknown as Lead;
    expect(ev(clause('tags', 'contains', 'a'), odd).text).toBe('tags contains "a": false (tags holds something other than text, a number or true/false)');
    expect(ev(clause('tags', 'is_set'), odd).result).toBe(true);
  });

  it('survives a lead that is not an object', () => {
    expect(evaluateClause(clause('email', 'is_empty'), null as unknown as Lead, ctx).result).toBe(true);
  });
});

describe('evaluateCondition', () => {
  const all = (...conditions: ConditionGroup['conditions']): ConditionGroup => ({ match: 'all', conditions });
  const any = (...conditions: ConditionGroup['conditions']): ConditionGroup => ({ match: 'any', conditions });

  it('explains every clause of a small group, even after the result is decided', () => {
    const r = evaluateCondition(all(clause('employees', 'gt', 1000), clause('country', 'equals', 'US'), clause('industry', 'is_set')), lead, ctx);
    expect(r).toEqual({
      result: false,
      lines: ['employees 650 > 1000: false', 'country "US" = "US": true', 'industry is set: false'],
    });
    expect(evaluateCondition(any(clause('employees', 'gt', 1000), clause('country', 'equals', 'US')), lead, ctx).result).toBe(true);
  });

  it('heads nested groups and indents their items two more spaces per level', () => {
    const r = evaluateCondition(
      all(
        clause('country', 'equals', 'US'),
        any(clause('employees', 'gt', 1000), all(clause('stage', 'equals', 'Working'), clause('isCustomer', 'equals', true)), clause('industry', 'is_set')),
        clause('email', 'ends_with', '@acme.com'),
      ),
      lead,
      ctx,
    );
    expect(r).toEqual({
      result: true,
      lines: [
        'country "US" = "US": true',
        'any of 3: true',
        '  employees 650 > 1000: false',
        '  all of 2: true',
        '    stage "Working" = "Working": true',
        '    isCustomer true = true: true',
        '  industry is set: false',
        'email "Ana.Diaz@ACME.com" ends with "@acme.com": true',
      ],
    });
  });

  it('short-circuits groups of more than 20 items and says how many were not checked', () => {
    const many = Array.from({ length: 30 }, (_, i) => clause('employees', 'equals', i === 4 ? 650 : i));
    const r = evaluateCondition(any(...many), lead, ctx);
    expect(r.result).toBe(true);
    expect(r.lines).toHaveLength(6);
    expect(r.lines[4]).toBe('employees 650 = 650: true');
    expect(r.lines[5]).toBe('(25 more not checked)');

    const nested = evaluateCondition(all(clause('country', 'equals', 'US'), all(...many)), lead, ctx);
    expect(nested.result).toBe(false);
    expect(nested.lines.slice(0, 3)).toEqual(['country "US" = "US": true', 'all of 30: false', '  employees 650 = 0: false']);
    expect(nested.lines[3]).toBe('  (29 more not checked)');

    const twenty = Array.from({ length: 20 }, (_, i) => clause('employees', 'equals', i));
    expect(evaluateCondition(all(...twenty), lead, ctx).lines).toHaveLength(20);
  });

  it('does not mention unchecked items when the deciding item is the last one', () => {
    const many = Array.from({ length: 21 }, (_, i) => clause('employees', 'equals', i === 20 ? 650 : i));
    const r = evaluateCondition(any(...many), lead, ctx);
    expect(r.result).toBe(true);
    expect(r.lines).toHaveLength(21);
  });

  it('lets every lead through an empty group', () => {
    expect(evaluateCondition(all(), lead, ctx)).toEqual({ result: true, lines: ['no conditions: true'] });
    expect(evaluateCondition(any(), lead, ctx).result).toBe(true);
    expect(evaluateCondition(all(any()), lead, ctx)).toEqual({ result: true, lines: ['any of 0: true'] });
  });

  it('is false for groups nested deeper than allowed, and for cyclic groups', () => {
    let g: ConditionGroup = all(clause('country', 'equals', 'US'));
    for (let i = 0; i < 8; i++) g = all(g);
    const r = evaluateCondition(g, lead, ctx);
    expect(r.result).toBe(false);
    expect(r.lines.at(-1)).toMatch(/^ {14}all of 1: false \(conditions are nested more than 8 levels deep\)$/);

    const cyclic: ConditionGroup = { match: 'any', conditions: [] };
    cyclic.conditions.push(cyclic);
    expect(evaluateCondition(cyclic, lead, ctx).result).toBe(false);
  });

  it('is false for a malformed group', () => {
    expect(evaluateCondition({ match: 'some' } as unknown as ConditionGroup, lead, ctx)).toEqual({ result: false, lines: ['malformed condition group: false'] });
    expect(evaluateCondition(null as unknown as ConditionGroup, lead, ctx).result).toBe(false);
    const r = evaluateCondition(any({ match: 'any', conditions: 'x' } as unknown as ConditionGroup, clause('country', 'equals', 'US')), lead, ctx);
    expect(r).toEqual({ result: true, lines: ['malformed condition group: false', 'country "US" = "US": true'] });
  });

  it('uses the context it is given, not a stale preparation', () => {
    const c = clause('score', 'equals', '10');
    expect(evaluateClause(c, { score: 10 }, { fieldTypes: { score: 'number' }, territories: {} }).text).toBe('score 10 = 10: true');
    expect(evaluateClause(c, { score: 10 }, { fieldTypes: {}, territories: {} }).text).toBe('score 10 = "10": true');
    expect(evaluateClause(c, { score: ' 10.0' }, { fieldTypes: { score: 'number' }, territories: {} }).result).toBe(true);
    expect(evaluateClause(c, { score: ' 10.0' }, { fieldTypes: {}, territories: {} }).result).toBe(false);
  });

  it('gives the same answer on every run', () => {
    const g = all(clause('email', 'matches', 'acme'), any(clause('location', 'in_territory', 'west'), clause('createdAt', 'after', '2024-01-01')));
    const first = evaluateCondition(g, lead, ctx);
    for (let i = 0; i < 5; i++) expect(evaluateCondition(g, lead, ctx)).toEqual(first);
  });
});
