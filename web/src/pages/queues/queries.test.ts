import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api/client';
import { capOf, formatAge, isOverThreshold } from './queries';

describe('formatAge', () => {
  it('reads as seconds, minutes, hours and days', () => {
    expect(formatAge(-5)).toBe('0 s');
    expect(formatAge(59_999)).toBe('59 s');
    expect(formatAge(60_000)).toBe('1 min');
    expect(formatAge(3_599_000)).toBe('59 min');
    expect(formatAge(3_600_000 + 5 * 60_000)).toBe('1 h 5 min');
    expect(formatAge(3 * 86_400_000 + 4 * 3_600_000)).toBe('3 d 4 h');
  });
});

describe('capOf', () => {
  it('names the cap of a 422 cap_reached, and nothing for any other error', () => {
    const cap = (c: string) => new ApiError(422, 'cap_reached', 'Ana Diaz: at the open-lead cap', [], { error: { code: 'cap_reached', details: { cap: c } } });
    expect(capOf(cap('open_leads'))).toBe('open-lead cap');
    expect(capOf(cap('per_day'))).toBe('daily cap');
    expect(capOf(cap('something_new'))).toBe('something_new');
    expect(capOf(new ApiError(409, 'not_in_queue', 'Ben has it'))).toBeNull();
    expect(capOf(new Error('boom'))).toBeNull();
    expect(capOf(null)).toBeNull();
  });
});

describe('isOverThreshold', () => {
  it('is over only past the threshold, never for an empty queue', () => {
    expect(isOverThreshold(null, 60)).toBe(false);
    expect(isOverThreshold(60 * 60_000, 60)).toBe(false);
    expect(isOverThreshold(60 * 60_000 + 1, 60)).toBe(true);
  });
});
