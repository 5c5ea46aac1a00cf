import { describe, expect, it } from 'vitest';
import { RESERVED_FIELD_KEYS, reservedFieldKey } from './catalog';
import { leadField, LeadRecordSchema } from './lead';
import { buildCatalog } from './catalog';
import { normalizeLead } from './normalize-lead';

describe('lead field names', () => {
  it('reads fields as own properties only', () => {
    expect(leadField({ a: 1 }, 'a')).toBe(1);
    expect(leadField({ a: 1 }, 'constructor')).toBeUndefined();
    expect(leadField({ a: 1 }, 'toString')).toBeUndefined();
    expect(leadField({ constructor: 'x' }, 'constructor')).toBe('x');
  });

  it('reserves every Object.prototype member and `prototype` as a custom field key', () => {
    for (const k of ['constructor', 'toString', 'valueOf', 'hasOwnProperty', 'isPrototypeOf', 'propertyIsEnumerable', 'toLocaleString', '__proto__', '__defineGetter__', 'prototype']) {
      expect(RESERVED_FIELD_KEYS.has(k), k).toBe(true);
      expect(reservedFieldKey(k)).toMatch(/reserved/);
    }
    for (const k of ['budget', 'constructorType', 'Constructor', 'tostring']) expect(reservedFieldKey(k), k).toBeNull();
  });

  it('LeadRecordSchema keeps a lead as sent and refuses what ingestion refuses, with the same words', () => {
    const parsed = JSON.parse('{"__proto__":{"x":1},"constructor":1,"prototype":2,"email":"a@b.io","toString":"fine"}') as Record<string, unknown>;
    const r = LeadRecordSchema.safeParse(parsed);
    expect(r.success).toBe(false);
    const issues = r.error!.issues.map((i) => [i.path.join('.'), i.message]);
    expect(issues).toEqual([
      ['__proto__', '"__proto__" is not allowed as a field name'],
      ['constructor', '"constructor" is not allowed as a field name'],
      ['prototype', '"prototype" is not allowed as a field name'],
    ]);
    const n = normalizeLead(parsed, buildCatalog([]));
    expect(n.ok).toBe(false);
    expect(!n.ok && n.problems.map((p) => [p.field, p.message])).toEqual(issues);
    for (const bad of [null, [], 'a', 1]) expect(LeadRecordSchema.safeParse(bad).success).toBe(false);
    const fine = { email: 'a@b.io', toString: 'x' };
    expect(LeadRecordSchema.parse(fine)).toBe(fine);
  });
});
