import { describe, expect, it } from 'vitest';
import { countryCode, dateOrderOf, parseCrmDate, parseCrmNumber } from './crm-values';

describe('parseCrmNumber', () => {
  it('reads numbers with thousands separators, decimals and currencies', () => {
    const cases: [string, number][] = [
      ['1200', 1200],
      ['1,200', 1200],
      ['1,200,000', 1_200_000],
      ['$5,000,000', 5_000_000],
      ['$5,000,000.00', 5_000_000],
      ['USD 5,000,000.50', 5_000_000.5],
      ['5.000.000 €', 5_000_000],
      ['€5.000.000,75', 5_000_000.75],
      ['5 000 000 EUR', 5_000_000],
      ["1'250'000", 1_250_000],
      ['12.5', 12.5],
      ['12,5', 12.5],
      ['£ 950', 950],
      ['-42', -42],
      [' 0 ', 0],
    ];
    for (const [text, n] of cases) expect(parseCrmNumber(text), text).toEqual({ ok: true, value: n });
  });

  it('refuses what it cannot read unambiguously, saying why', () => {
    expect(parseCrmNumber('5M')).toEqual({ ok: false, message: '"5M" is abbreviated; write the number in full, e.g. 5000000' });
    expect(parseCrmNumber('12 people')).toEqual({ ok: false, message: '"12 people" is not a number' });
    expect(parseCrmNumber('15%')).toEqual({ ok: false, message: '"15%" is a percentage, not a number' });
    expect(parseCrmNumber('1,20,0')).toMatchObject({ ok: false });
    expect(parseCrmNumber('1.200,5.5')).toMatchObject({ ok: false });
    expect(parseCrmNumber('500-1000')).toMatchObject({ ok: false });
  });

  it('a head count is whole; HubSpot ranges read as their lowest value when asked', () => {
    expect(parseCrmNumber('1.5', { whole: true })).toEqual({ ok: false, message: '"1.5" is not a whole number' });
    expect(parseCrmNumber('500-1000', { whole: true, ranges: true })).toEqual({ ok: true, value: 500 });
    expect(parseCrmNumber('1000+', { whole: true, ranges: true })).toEqual({ ok: true, value: 1000 });
    expect(parseCrmNumber('1,000+', { whole: true, ranges: true })).toEqual({ ok: true, value: 1000 });
  });
});

describe('parseCrmDate and dateOrderOf', () => {
  it('reads the exports’ formats', () => {
    const cases: [string, string][] = [
      ['1/15/2026', '2026-01-15'],
      ['01/15/2026', '2026-01-15'],
      ['1/15/2026 9:30 AM', '2026-01-15T09:30:00Z'],
      ['1/15/2026 12:05 AM', '2026-01-15T00:05:00Z'],
      ['1/15/2026, 4:12 PM', '2026-01-15T16:12:00Z'],
      ['1/15/2026 16:12', '2026-01-15T16:12:00Z'],
      ['2026-01-15', '2026-01-15'],
      ['2026-01-15 09:30', '2026-01-15T09:30'],
      ['2026-01-15T09:30:00.000Z', '2026-01-15T09:30:00.000Z'],
      ['2026-01-15T09:30:00.000+0000', '2026-01-15T09:30:00.000+0000'],
    ];
    for (const [text, iso] of cases) expect(parseCrmDate(text, 'month-first'), text).toEqual({ ok: true, value: iso });
    expect(parseCrmDate('15/01/2026', 'day-first')).toEqual({ ok: true, value: '2026-01-15' });
    expect(parseCrmDate('15.01.2026 14:00', 'day-first')).toEqual({ ok: true, value: '2026-01-15T14:00:00Z' });
  });

  it('refuses what is not a date', () => {
    expect(parseCrmDate('yesterday', 'month-first')).toEqual({ ok: false, message: '"yesterday" is not a date; write it as 2026-01-15, 1/15/2026 or 1/15/2026 9:30 AM' });
    expect(parseCrmDate('2/30/2026', 'month-first')).toEqual({ ok: false, message: '"2/30/2026" is not a date (month/day/year)' });
    expect(parseCrmDate('1/15/2026 13:00 PM', 'month-first')).toMatchObject({ ok: false });
  });

  it('tells the column’s order from its values', () => {
    expect(dateOrderOf(['1/2/2026', '3/4/2026'])).toBe('month-first');
    expect(dateOrderOf(['1/2/2026', '12/31/2026'])).toBe('month-first');
    expect(dateOrderOf(['1/2/2026', '31/12/2026'])).toBe('day-first');
    expect(dateOrderOf(['01.02.2026'])).toBe('day-first');
    expect(dateOrderOf(['2026-01-02', ''])).toBe('month-first');
    expect(dateOrderOf(['12/31/2026', '31/12/2026'])).toEqual({ mixed: ['12/31/2026', '31/12/2026'] });
  });
});

describe('countryCode', () => {
  it('turns names and codes into ISO codes and keeps what it does not know', () => {
    const cases: [string, string][] = [
      ['United States', 'US'],
      ['USA', 'US'],
      ['us', 'US'],
      ['United Kingdom', 'GB'],
      ['UK', 'GB'],
      ['Germany', 'DE'],
      ['  Brazil ', 'BR'],
      ['Atlantis', 'Atlantis'],
    ];
    for (const [text, code] of cases) expect(countryCode(text), text).toBe(code);
  });
});
