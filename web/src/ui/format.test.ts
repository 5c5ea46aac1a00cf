import { describe, expect, it } from 'vitest';
import { formatCountdown, formatDuration, formatInstant, formatInstantFull } from './format';

describe('formatDuration', () => {
  it('picks the unit by size', () => {
    expect(formatDuration(null)).toBe('—');
    expect(formatDuration(0)).toBe('0 ms');
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(4200)).toBe('4.2 s');
    expect(formatDuration(185_000)).toBe('3 min 5 s');
    expect(formatDuration(2 * 3600_000 + 10 * 60_000)).toBe('2 h 10 min');
  });
});

describe('formatCountdown', () => {
  const deadline = '2026-01-01T10:00:00.000Z';
  const at = (iso: string) => Date.parse(iso);
  it('counts down in m:ss, then h:mm:ss, and says overdue once passed', () => {
    expect(formatCountdown(deadline, at('2026-01-01T09:55:01.000Z'))).toBe('4:59');
    expect(formatCountdown(deadline, at('2026-01-01T09:59:59.400Z'))).toBe('0:01');
    expect(formatCountdown(deadline, at('2026-01-01T08:57:57.000Z'))).toBe('1:02:03');
    expect(formatCountdown(deadline, at('2026-01-01T10:00:00.000Z'))).toBe('overdue');
    expect(formatCountdown(deadline, at('2026-01-01T10:05:00.000Z'))).toBe('overdue');
  });
});

describe('formatInstant', () => {
  const now = new Date(2026, 2, 4, 12, 0, 0);
  it('always shows the day: "today" and "yesterday" by name, other days by date, on a 24-hour clock', () => {
    expect(formatInstant(null, { now })).toBe('—');
    expect(formatInstant(undefined, { now })).toBe('—');
    expect(formatInstant('not a date', { now })).toBe('—');
    expect(formatInstant(new Date(2026, 2, 4, 14, 3, 27).toISOString(), { now })).toBe('today 14:03');
    expect(formatInstant(new Date(2026, 2, 4, 9, 8, 7).toISOString(), { now, seconds: true })).toBe('today 09:08:07');
    expect(formatInstant(new Date(2026, 2, 3, 23, 59, 0).toISOString(), { now })).toBe('yesterday 23:59');
    expect(formatInstant(new Date(2026, 2, 1, 9, 8, 7).toISOString(), { now })).toBe('Mar 1, 09:08');
    expect(formatInstant(new Date(2026, 2, 5, 0, 0, 0).toISOString(), { now })).toBe('Mar 5, 00:00');
    expect(formatInstant(new Date(2025, 10, 21, 14, 3, 0).toISOString(), { now })).toBe('Nov 21, 2025, 14:03');
  });

  it('knows yesterday across a month and a year boundary', () => {
    expect(formatInstant(new Date(2026, 1, 28, 8, 0).toISOString(), { now: new Date(2026, 2, 1, 8, 0) })).toBe('yesterday 08:00');
    expect(formatInstant(new Date(2025, 11, 31, 8, 0).toISOString(), { now: new Date(2026, 0, 1, 8, 0) })).toBe('yesterday 08:00');
  });
});

describe('formatInstantFull', () => {
  it('names the year, the seconds and the time zone', () => {
    const full = formatInstantFull(new Date(2026, 2, 4, 14, 3, 27).toISOString());
    expect(full).toMatch(/2026/);
    expect(full).toMatch(/14:03:27/);
  });
});
