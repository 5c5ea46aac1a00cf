import { describe, expect, it } from 'vitest';
import { formatCountdown, formatDuration, formatInstant } from './format';

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
  it('shows the time alone today and the date on other days', () => {
    const now = new Date('2026-03-04T12:00:00');
    expect(formatInstant(null, now)).toBe('—');
    expect(formatInstant(new Date('2026-03-04T09:08:07').toISOString(), now)).toMatch(/09:08:07/);
    expect(formatInstant(new Date('2026-03-01T09:08:07').toISOString(), now)).toMatch(/Mar/);
  });
});
