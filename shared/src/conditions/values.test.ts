import { describe, expect, it } from 'vitest';
import { parseIsoDate, toBoolean, toNumber } from './values';

describe('toNumber', () => {
  it('takes numbers and decimal strings', () => {
    expect(toNumber(650)).toBe(650);
    expect(toNumber(' 650 ')).toBe(650);
    expect(toNumber('-1.5')).toBe(-1.5);
    expect(toNumber('.5')).toBe(0.5);
    expect(toNumber('1e3')).toBe(1000);
  });
  it('refuses everything else', () => {
    for (const v of ['abc', '', ' ', '0x1A', 'Infinity', '1,000', '12abc', NaN, Infinity, true, null, undefined, [], {}]) {
      expect(toNumber(v)).toBeNull();
    }
  });
});

describe('toBoolean', () => {
  it('takes booleans and the words true / false', () => {
    expect(toBoolean(true)).toBe(true);
    expect(toBoolean(' TRUE ')).toBe(true);
    expect(toBoolean('False')).toBe(false);
  });
  it('refuses everything else', () => {
    for (const v of ['yes', '1', 1, 0, '', null]) expect(toBoolean(v)).toBeNull();
  });
});

describe('parseIsoDate', () => {
  it('reads a bare date as a whole calendar day', () => {
    expect(parseIsoDate('2024-05-01')).toEqual({ ms: Date.UTC(2024, 4, 1), day: '2024-05-01', dateOnly: true });
  });

  it('agrees with Date.parse on instants with an offset', () => {
    for (const s of ['2024-05-01T09:30:00Z', '2024-05-01T09:30:00.250+02:00', '2024-12-31T23:59:59-05:00', '1999-01-01T00:00Z', '2400-02-29T12:00:00+0530', '1970-01-01T00:00:00.5Z']) {
      expect(parseIsoDate(s)?.ms).toBe(Date.parse(s.replace(/([+-]\d{2})(\d{2})$/, '$1:$2')));
    }
  });

  it('keeps the calendar day as written, not the UTC day', () => {
    expect(parseIsoDate('2024-05-01T23:00:00-05:00')?.day).toBe('2024-05-01');
  });

  it('reads a date-time without an offset as UTC, whatever the host zone', () => {
    expect(parseIsoDate('2024-05-01T09:30')?.ms).toBe(Date.UTC(2024, 4, 1, 9, 30));
  });

  it('refuses impossible or non-ISO dates', () => {
    for (const v of ['2023-02-29', '2024-13-01', '2024-04-31', '2024-05-01T24:00', '2024-05-01T10:60', '05/01/2024', 'May 1 2024', '2024-5-1', '2024-05-01Tx', '2024-05-01T10:00:00+25:00', '2024-05-01T10:00:00.Z', '', 20240501, null]) {
      expect(parseIsoDate(v)).toBeNull();
    }
    expect(parseIsoDate('2024-02-29')).not.toBeNull();
  });
});
