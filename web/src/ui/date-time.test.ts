import { describe, expect, it } from 'vitest';
import { formatDateTime } from './date-time';

describe('formatDateTime', () => {
  it('shows the day and the time, today included', () => {
    const now = new Date().toISOString();
    const text = formatDateTime(now, 'en-US');
    expect(text).toMatch(/\b\d{4}\b/);
    expect(text).toMatch(/\d{1,2}:\d{2}/);
    expect(formatDateTime('2026-11-21T14:03:27Z', 'en-US')).toMatch(/^Nov 2[01], 2026, \d{2}:\d{2}( [AP]M)?$/);
  });

  it('shows a dash for no date or a broken one', () => {
    expect(formatDateTime(null)).toBe('—');
    expect(formatDateTime(undefined)).toBe('—');
    expect(formatDateTime('not a date')).toBe('—');
  });
});
