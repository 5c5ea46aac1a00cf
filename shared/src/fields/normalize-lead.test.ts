import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseIsoDate } from '../conditions/values';
import { buildCatalog } from './catalog';
import type { Lead } from './lead';
import { MAX_LEAD_FIELDS, hostOf, normalizeLead, type NormalizeLeadResult } from './normalize-lead';

const catalog = buildCatalog([
  { key: 'isCustomer', label: 'Is customer', type: 'boolean' },
  { key: 'tier', label: 'Tier', type: 'picklist', options: ['Enterprise', 'Mid-Market', 'SMB'] },
  { key: 'renewalDate', label: 'Renewal date', type: 'date' },
  { key: 'seats', label: 'Seats', type: 'number' },
]);

function ok(r: NormalizeLeadResult): { lead: Lead; custom: string[] } {
  if (!r.ok) throw new Error(`expected ok, got ${JSON.stringify(r.problems)}`);
  return r;
}

function problems(r: NormalizeLeadResult) {
  if (r.ok) throw new Error(`expected problems, got ${JSON.stringify(r.lead)}`);
  return r.problems;
}

describe('normalizeLead: email', () => {
  it('takes an address, trimmed', () => {
    expect(ok(normalizeLead({ email: ' ana@acme.co.uk ' }, catalog)).lead.email).toBe('ana@acme.co.uk');
  });

  it('refuses what is not an address, naming the field', () => {
    for (const email of ['not-an-email', 'a@b', 'a@@b.com', '@b.com', 'a b@c.com', 'a@b..com', `${'a'.repeat(250)}@b.com`]) {
      expect(problems(normalizeLead({ email }, catalog)), email).toEqual([{ field: 'email', code: 'invalid_field_value', message: expect.stringMatching(/^email /) }]);
    }
  });
});

describe('normalizeLead: text and picklists', () => {
  it('trims text and turns numbers into text', () => {
    const { lead } = ok(normalizeLead({ firstName: '  Ada ', postalCode: 94105, phone: 4155550100 }, catalog));
    expect(lead).toEqual({ firstName: 'Ada', postalCode: '94105', phone: '4155550100' });
  });

  it('turns empty strings, blank strings and null into null', () => {
    const { lead } = ok(normalizeLead({ company: '', title: '   ', city: null, employees: '', isCustomer: ' ' }, catalog));
    expect(lead).toEqual({ company: null, title: null, city: null, employees: null, isCustomer: null });
  });

  it('refuses structures and booleans in text fields, naming the field', () => {
    const p = problems(normalizeLead({ company: { name: 'Acme' }, city: ['SF'], title: true }, catalog));
    expect(p).toEqual([
      { field: 'company', code: 'invalid_field_value', message: 'company must be text; got an object' },
      { field: 'city', code: 'invalid_field_value', message: 'city must be text; got a list' },
      { field: 'title', code: 'invalid_field_value', message: 'title must be text; got true' },
    ]);
  });

  it('matches picklist options case-insensitively and normalises to the option', () => {
    expect(ok(normalizeLead({ tier: ' enterprise ' }, catalog)).lead).toEqual({ tier: 'Enterprise' });
    expect(ok(normalizeLead({ tier: 'MID-MARKET' }, catalog)).lead).toEqual({ tier: 'Mid-Market' });
  });

  it('refuses a value outside the picklist, listing the options', () => {
    expect(problems(normalizeLead({ tier: 'Startup' }, catalog))).toEqual([
      {
        field: 'tier',
        code: 'invalid_field_value',
        message: 'tier must be one of "Enterprise", "Mid-Market", "SMB"; got "Startup"',
      },
    ]);
  });

  it('strips NUL characters and mends unpaired surrogates, which Postgres cannot store', () => {
    const { lead } = ok(normalizeLead({ company: 'Ac\u0000me \ud800', note: 'x\udc00' }, catalog));
    expect(lead).toEqual({ company: 'Acme \ufffd', note: 'x\ufffd' });
  });
});

describe('normalizeLead: numbers', () => {
  it('accepts finite numbers', () => {
    expect(ok(normalizeLead({ employees: 650, annualRevenue: 1.5e6, seats: -0 }, catalog)).lead).toEqual({
      employees: 650,
      annualRevenue: 1_500_000,
      seats: 0,
    });
  });

  it('accepts strictly numeric strings even without coerceStrings', () => {
    expect(ok(normalizeLead({ employees: '650', annualRevenue: ' -12.5 ' }, catalog)).lead).toEqual({
      employees: 650,
      annualRevenue: -12.5,
    });
  });

  it('refuses loosely written numbers without coerceStrings', () => {
    const p = problems(normalizeLead({ employees: '1,200', annualRevenue: '1e3' }, catalog));
    expect(p.map((x) => x.message)).toEqual([
      'employees must be a number; got "1,200"',
      'annualRevenue must be a number; got "1e3"',
    ]);
  });

  it('reads grouped and exponent numbers with coerceStrings', () => {
    const r = normalizeLead({ employees: '1,200', annualRevenue: ' 1e3 ', seats: '650' }, catalog, {
      coerceStrings: true,
    });
    expect(ok(r).lead).toEqual({ employees: 1200, annualRevenue: 1000, seats: 650 });
  });

  it('refuses what is not a number, saying what it got', () => {
    const p = problems(normalizeLead({ employees: 'lots' }, catalog, { coerceStrings: true }));
    expect(p).toEqual([{ field: 'employees', code: 'invalid_field_value', message: 'employees must be a number; got "lots"' }]);
    for (const bad of ['1,20', '12abc', '1e400', 'NaN', 'Infinity', true, [1], { n: 1 }, Number.NaN]) {
      expect(normalizeLead({ employees: bad }, catalog, { coerceStrings: true }).ok).toBe(false);
    }
  });
});

describe('normalizeLead: booleans and dates', () => {
  it('accepts booleans and the usual words for them', () => {
    const cases: [unknown, boolean][] = [
      [true, true],
      [false, false],
      ['TRUE', true],
      ['false', false],
      [' Yes ', true],
      ['no', false],
      ['1', true],
      ['0', false],
      [1, true],
      [0, false],
    ];
    for (const [input, want] of cases) expect(ok(normalizeLead({ isCustomer: input }, catalog)).lead.isCustomer).toBe(want);
  });

  it('refuses other values for booleans', () => {
    expect(problems(normalizeLead({ isCustomer: 'maybe' }, catalog))[0]?.message).toBe(
      'isCustomer must be true or false (or yes/no, 1/0); got "maybe"',
    );
    expect(normalizeLead({ isCustomer: 2 }, catalog).ok).toBe(false);
  });

  it('normalises ISO dates and date-times to one spelling, keeping bare dates and written offsets', () => {
    const cases: [unknown, string][] = [
      // A bare date is a calendar day, not an instant: it stays one.
      [' 2024-05-01 ', '2024-05-01'],
      ['2024-02-29', '2024-02-29'],
      ['2024-05-01T09:30:00Z', '2024-05-01T09:30:00.000Z'],
      ['2024-05-01t09:30:00z', '2024-05-01T09:30:00.000Z'],
      // The offset is kept, so the day the sender meant is kept too.
      ['2024-05-01T01:30:00+05:00', '2024-05-01T01:30:00.000+05:00'],
      ['2024-05-01T09:30-0530', '2024-05-01T09:30:00.000-05:30'],
      ['2024-05-01T09:30:00+00:00', '2024-05-01T09:30:00.000Z'],
      ['2024-05-01 09:30:15.123456', '2024-05-01T09:30:15.123Z'],
      ['2024-05-01T09:30:15,5', '2024-05-01T09:30:15.500Z'],
      // No offset means UTC, on every machine: the server's time zone must not change a lead.
      ['2024-05-01T09:30', '2024-05-01T09:30:00.000Z'],
      [0, '1970-01-01T00:00:00.000Z'],
      [1714555800000, '2024-05-01T09:30:00.000Z'],
      [-62167219200000, '0000-01-01T00:00:00.000Z'],
    ];
    for (const [input, want] of cases) expect(ok(normalizeLead({ createdAt: input }, catalog)).lead.createdAt).toBe(want);
  });

  it('writes dates the condition reader reads as the same instant and day', () => {
    const inputs = ['2024-05-01', '2024-05-01T23:30:00-05:00', '2024-05-01T01:30+0530', '2024-05-01 09:30:15.123456', '2024-05-01T09:30'];
    for (const input of inputs) {
      const value = ok(normalizeLead({ createdAt: input }, catalog)).lead.createdAt;
      expect(parseIsoDate(value)).toEqual(parseIsoDate(input));
    }
  });

  it('refuses impossible or non-ISO dates', () => {
    for (const bad of ['2023-02-29', '2024-13-01', '2024-05-01T24:00', '2024-05-01T09:60', '2024-05-01T09:30+02', '2024-05-01Z', '05/01/2024', 'yesterday', '2024-05-01T09:30+25:00', true]) {
      const p = problems(normalizeLead({ renewalDate: bad }, catalog));
      expect(p[0]?.field).toBe('renewalDate');
      expect(p[0]?.message).toMatch(/^renewalDate must be a date such as 2024-05-01/);
    }
    for (const bad of [8.64e15, -62167219200001, Number.POSITIVE_INFINITY]) expect(normalizeLead({ createdAt: bad }, catalog).ok).toBe(false);
  });

  it('reads epoch-ms digit strings as dates only with coerceStrings', () => {
    expect(normalizeLead({ createdAt: '1714555800000' }, catalog).ok).toBe(false);
    const r = normalizeLead({ createdAt: '1714555800000' }, catalog, { coerceStrings: true });
    expect(ok(r).lead.createdAt).toBe('2024-05-01T09:30:00.000Z');
  });
});

describe('normalizeLead: what is kept, dropped and refused', () => {
  it('drops system fields and the virtual location without complaint', () => {
    const r = normalizeLead(
      { email: 'a@b.co', score: 99, grade: 'A', owner: 'rep-1', accountId: 'x', fitScore: 'bad', location: { country: 'US' } },
      catalog,
    );
    expect(r).toEqual({ ok: true, lead: { email: 'a@b.co', domain: 'b.co' }, custom: [] });
  });

  it('keeps unknown scalar fields as custom data and lists them', () => {
    const r = normalizeLead({ email: 'x@gmail.com', utm_campaign: ' spring ', visits: 3, optIn: true, notes: null, blank: '' }, catalog);
    expect(r).toEqual({
      ok: true,
      lead: { email: 'x@gmail.com', utm_campaign: 'spring', visits: 3, optIn: true, notes: null, blank: null },
      custom: ['utm_campaign', 'visits', 'optIn', 'notes', 'blank'],
    });
  });

  it('refuses objects and lists under unknown keys, naming the field', () => {
    expect(problems(normalizeLead({ meta: { a: 1 }, tags: ['a'] }, catalog))).toEqual([
      { field: 'meta', code: 'invalid_field_value', message: '"meta" must be text, a number, true/false or empty; got an object' },
      { field: 'tags', code: 'invalid_field_value', message: '"tags" must be text, a number, true/false or empty; got a list' },
    ]);
  });

  it('refuses __proto__, constructor and prototype keys and never assigns them', () => {
    const input: unknown = JSON.parse('{"__proto__": {"polluted": 1}, "constructor": "x", "prototype": 1, "email": "a@b.co"}');
    const p = problems(normalizeLead(input, catalog));
    expect(p.map((x) => [x.field, x.code])).toEqual([
      ['__proto__', 'invalid_field_value'],
      ['constructor', 'invalid_field_value'],
      ['prototype', 'invalid_field_value'],
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses strings over 10,000 characters, in catalog and custom fields', () => {
    const long = 'x'.repeat(10_001);
    const p = problems(normalizeLead({ company: long, notes: long, title: 'x'.repeat(10_000) }, catalog));
    expect(p).toEqual([
      { field: 'company', code: 'invalid_field_value', message: 'company is too long (10001 characters; at most 10000)' },
      { field: 'notes', code: 'invalid_field_value', message: '"notes" is too long (10001 characters; at most 10000)' },
    ]);
  });

  it('refuses blank, overlong and control-character field names', () => {
    const p = problems(normalizeLead({ '': 1, '  ': 2, ['k'.repeat(201)]: 3, 'a\nb': 4 }, catalog));
    expect(p.map((x) => x.message)).toEqual([
      'a field needs a name',
      'a field needs a name',
      `the field name "${'k'.repeat(57)}..." is longer than 200 characters`,
      'the field name "a\\nb" contains control or malformed characters',
    ]);
  });

  it('refuses leads with more than 200 fields', () => {
    const big = Object.fromEntries(Array.from({ length: MAX_LEAD_FIELDS + 1 }, (_, i) => [`f${i}`, i]));
    expect(problems(normalizeLead(big, catalog))).toEqual([
      { field: '', code: 'invalid_lead', message: 'a lead may have at most 200 fields; this one has 201' },
    ]);
    const ok200 = Object.fromEntries(Array.from({ length: MAX_LEAD_FIELDS }, (_, i) => [`f${i}`, i]));
    expect(normalizeLead(ok200, catalog).ok).toBe(true);
  });

  it('refuses anything that is not a plain object', () => {
    class LeadLike {
      email = 'a@b.co';
    }
    const cases: [unknown, string][] = [
      [null, 'null'],
      [undefined, 'nothing'],
      [[{ email: 'a@b.co' }], 'a list'],
      ['{"email":"a@b.co"}', '"{\\"email\\":\\"a@b.co\\"}"'],
      [42, '42'],
      [new Date(0), 'an object'],
      [new Map(), 'an object'],
      [new LeadLike(), 'an object'],
    ];
    for (const [input, got] of cases) {
      expect(problems(normalizeLead(input, catalog))).toEqual([
        { field: '', code: 'invalid_lead', message: `a lead must be a JSON object; got ${got}` },
      ]);
    }
  });

  it('accepts a null-prototype object', () => {
    const input = Object.create(null) as Record<string, unknown>;
    input.email = 'a@b.co';
    expect(ok(normalizeLead(input, catalog)).lead).toEqual({ email: 'a@b.co', domain: 'b.co' });
  });

  it('collects every problem, not just the first', () => {
    const p = problems(
      normalizeLead({ employees: 'lots', tier: 'nope', createdAt: 'soon', isCustomer: 'perhaps', meta: {}, __proto__x: 1 }, catalog),
    );
    expect(p.map((x) => x.field)).toEqual(['employees', 'tier', 'createdAt', 'isCustomer', 'meta']);
  });

  it('answers instead of throwing when reading the input throws', () => {
    const hostile = new Proxy(
      {},
      {
        ownKeys() {
          throw new Error('boom');
        },
      },
    );
    expect(problems(normalizeLead(hostile, catalog))).toEqual([
      { field: '', code: 'invalid_lead', message: 'the lead could not be read' },
    ]);
    const getter = {};
    Object.defineProperty(getter, 'email', {
      enumerable: true,
      get() {
        throw new Error('boom');
      },
    });
    expect(normalizeLead(getter, catalog).ok).toBe(false);
  });
});

describe('normalizeLead: domain derivation', () => {
  it('takes the domain from the website host', () => {
    const r = normalizeLead({ website: 'https://www.Acme.com/about?x=1', email: 'bob@acme-mail.io' }, catalog);
    expect(ok(r).lead.domain).toBe('acme.com');
  });

  it('falls back to a non-free-mail email domain', () => {
    expect(ok(normalizeLead({ email: 'Bob@Initech.IO' }, catalog)).lead.domain).toBe('initech.io');
    expect(ok(normalizeLead({ website: 'n/a', email: 'bob@initech.io' }, catalog)).lead.domain).toBe('initech.io');
  });

  it('does not take the domain from a free-mail address', () => {
    for (const email of ['bob@gmail.com', 'bob@Outlook.com', 'bob@yahoo.co.uk', 'bob@qq.com']) {
      expect(ok(normalizeLead({ email }, catalog)).lead).not.toHaveProperty('domain');
    }
  });

  it('keeps a given domain, cleaned to a bare host', () => {
    expect(ok(normalizeLead({ domain: 'WWW.Globex.com', website: 'acme.com' }, catalog)).lead.domain).toBe('globex.com');
    expect(ok(normalizeLead({ domain: 'Globex Corp' }, catalog)).lead.domain).toBe('Globex Corp');
  });

  it('derives when the given domain is empty', () => {
    expect(ok(normalizeLead({ domain: '', website: 'acme.com' }, catalog)).lead.domain).toBe('acme.com');
  });

  it('reads hosts out of the ways people write websites', () => {
    const cases: [string, string | undefined][] = [
      ['acme.com', 'acme.com'],
      ['http://user:pw@Sub.Acme.co.uk:8080/path#x', 'sub.acme.co.uk'],
      ['//www2.acme.com', 'acme.com'],
      ['www.com', 'www.com'],
      ['acme.com.', 'acme.com'],
      ['münchen.de', 'münchen.de'],
      ['localhost', undefined],
      ['192.168.0.1', undefined],
      ['n/a', undefined],
      ['', undefined],
    ];
    for (const [text, want] of cases) expect(hostOf(text)).toBe(want);
  });
});

// Values of every kind a sender might put in a field, including ones that must be refused.
const anyValue = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.constantFrom('', '  ', '650', '1,200', ' 1e3 ', 'yes', 'NO', '0', 'enterprise', 'SMB ', '2024-05-01', '2024-05-01T09:30:00+02:00', 'https://www.acme.com', 'bob@initech.io', 'x@gmail.com', 'www.com', '1714555800000'),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.array(fc.integer(), { maxLength: 2 }),
  fc.dictionary(fc.string({ maxLength: 3 }), fc.integer(), { maxKeys: 2 }),
);
const anyKey = fc.oneof(
  fc.constantFrom(...catalog.fields.keys()),
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', ''),
  fc.string({ maxLength: 12 }),
);
const anyLead = fc.dictionary(anyKey, anyValue, { maxKeys: 25 });
// Scalars only and no forbidden keys, so most of these leads are accepted and idempotence is really exercised.
const scalarLead = fc.dictionary(
  fc.oneof(fc.constantFrom(...catalog.fields.keys()), fc.string({ minLength: 1, maxLength: 12 })),
  fc.oneof(fc.string({ maxLength: 30 }), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null)),
  { maxKeys: 25 },
);

describe('normalizeLead: properties', () => {
  it('never throws, whatever it is given', () => {
    fc.assert(
      fc.property(fc.anything({ withNullPrototype: true, withMap: true, withDate: true, withTypedArray: true, withBigInt: true }), fc.boolean(), (input, coerceStrings) => {
        const r = normalizeLead(input, catalog, { coerceStrings });
        expect(typeof r.ok).toBe('boolean');
      }),
      { numRuns: 500 },
    );
  });

  it('never throws on objects with dangerous keys, and never pollutes prototypes', () => {
    const dangerous = fc.dictionary(
      fc.oneof(fc.constantFrom('__proto__', 'constructor', 'prototype'), fc.string({ maxLength: 5 })),
      fc.anything({ withNullPrototype: true }),
      { maxKeys: 6 },
    );
    fc.assert(
      fc.property(fc.oneof(dangerous, fc.object({ withNullPrototype: true }), anyLead), (input) => {
        const r = normalizeLead(input, catalog);
        if (r.ok) {
          expect(Object.getPrototypeOf(r.lead)).toBe(Object.prototype);
          for (const key of ['__proto__', 'constructor', 'prototype']) expect(Object.hasOwn(r.lead, key)).toBe(false);
        }
      }),
      { numRuns: 500 },
    );
    expect(Object.keys(Object.prototype)).toEqual([]);
  });

  it('returns only lead values and lists exactly the uncatalogued keys as custom', () => {
    fc.assert(
      fc.property(anyLead, fc.boolean(), (input, coerceStrings) => {
        const r = normalizeLead(input, catalog, { coerceStrings });
        if (!r.ok) {
          expect(r.problems.length).toBeGreaterThan(0);
          return;
        }
        for (const v of Object.values(r.lead)) {
          expect(v === null || ['string', 'number', 'boolean'].includes(typeof v)).toBe(true);
          if (typeof v === 'number') expect(Number.isFinite(v)).toBe(true);
          if (typeof v === 'string') expect(v).toBe(v.trim());
        }
        expect(r.custom).toEqual(Object.keys(r.lead).filter((k) => !catalog.fields.has(k)));
      }),
      { numRuns: 1000 },
    );
  });

  it('is idempotent: a normalised lead normalises to itself', () => {
    let accepted = 0;
    fc.assert(
      fc.property(fc.oneof(anyLead, scalarLead), fc.boolean(), fc.boolean(), (input, first, second) => {
        const r = normalizeLead(input, catalog, { coerceStrings: first });
        if (!r.ok) return;
        accepted++;
        const again = normalizeLead(r.lead, catalog, { coerceStrings: second });
        expect(again).toEqual(r);
      }),
      { numRuns: 2000 },
    );
    // Guards the generators: a property that only ever sees refused leads proves nothing.
    expect(accepted).toBeGreaterThan(400);
  });

  it('reads any valid ISO date-time as the condition reader does, and re-reads its own output unchanged', () => {
    const two = (max: number) => fc.integer({ min: 0, max }).map((n) => String(n).padStart(2, '0'));
    const iso = fc
      .tuple(
        fc.integer({ min: 0, max: 9999 }).map((n) => String(n).padStart(4, '0')),
        fc.integer({ min: 1, max: 12 }).map((n) => String(n).padStart(2, '0')),
        fc.integer({ min: 1, max: 28 }).map((n) => String(n).padStart(2, '0')),
        fc.option(fc.tuple(two(23), two(59), fc.option(fc.tuple(two(59), fc.option(fc.stringMatching(/^[0-9]{1,9}$/)))))),
        fc.constantFrom('', 'Z', '+00:00', '-00:00', '+05:30', '-0800', '+14:00'),
      )
      .map(([y, mo, d, time, zone]) => {
        if (time === null) return `${y}-${mo}-${d}`;
        const [h, mi, sec] = time;
        const s = sec === null ? '' : `:${sec[0]}${sec[1] === null ? '' : `.${sec[1]}`}`;
        return `${y}-${mo}-${d}T${h}:${mi}${s}${zone}`;
      });
    fc.assert(
      fc.property(iso, (input) => {
        const value = ok(normalizeLead({ createdAt: input }, catalog)).lead.createdAt;
        expect(parseIsoDate(value)).toEqual(parseIsoDate(input));
        expect(ok(normalizeLead({ createdAt: value }, catalog)).lead.createdAt).toBe(value);
      }),
      { numRuns: 500 },
    );
  });

  it('is idempotent even when deriving the domain meets the field limit', () => {
    const full: Record<string, unknown> = { email: 'bob@initech.io' };
    for (let i = 1; i < MAX_LEAD_FIELDS; i++) full[`f${i}`] = i;
    const r = ok(normalizeLead(full, catalog));
    expect(r.lead).not.toHaveProperty('domain');
    expect(normalizeLead(r.lead, catalog)).toEqual({ ok: true, lead: r.lead, custom: r.custom });
  });
});
