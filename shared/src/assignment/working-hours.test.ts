import { describe, expect, it } from 'vitest';
import { at, rep } from './assignment.fixtures';
import { dayKey, isOutOfOffice, isWithinWorkingHours, localTime, localTimeUncached, outOfOfficeUntil } from './working-hours';

const NINE_TO_FIVE = { start: '09:00', end: '17:00' };
const weekdays = { mon: [NINE_TO_FIVE], tue: [NINE_TO_FIVE], wed: [NINE_TO_FIVE], thu: [NINE_TO_FIVE], fri: [NINE_TO_FIVE] };

describe('localTime', () => {
  it('reads UTC', () => {
    expect(localTime(at('2026-03-10T15:04:00Z'), 'UTC')).toEqual({ day: 'tue', minutes: 15 * 60 + 4, date: '2026-03-10' });
  });

  it('renders midnight as 00:00, never 24:00', () => {
    expect(localTime(at('2026-03-10T00:00:00Z'), 'UTC')).toEqual({ day: 'tue', minutes: 0, date: '2026-03-10' });
    expect(localTime(at('2026-03-10T05:00:00Z'), 'America/New_York')).toEqual({ day: 'tue', minutes: 60, date: '2026-03-10' });
  });

  it('follows New York across the March change (02:00 EST jumps to 03:00 EDT)', () => {
    expect(localTime(at('2026-03-08T06:59:00Z'), 'America/New_York')).toEqual({ day: 'sun', minutes: 1 * 60 + 59, date: '2026-03-08' });
    expect(localTime(at('2026-03-08T07:00:00Z'), 'America/New_York')).toEqual({ day: 'sun', minutes: 3 * 60, date: '2026-03-08' });
    // The Monday after: UTC-4 now.
    expect(localTime(at('2026-03-09T13:00:00Z'), 'America/New_York').minutes).toBe(9 * 60);
  });

  it('follows New York across the November change (01:00-02:00 happens twice)', () => {
    expect(localTime(at('2026-11-01T05:30:00Z'), 'America/New_York')).toEqual({ day: 'sun', minutes: 90, date: '2026-11-01' });
    expect(localTime(at('2026-11-01T05:59:00Z'), 'America/New_York').minutes).toBe(119);
    expect(localTime(at('2026-11-01T06:00:00Z'), 'America/New_York').minutes).toBe(60);
    expect(localTime(at('2026-11-01T06:30:00Z'), 'America/New_York')).toEqual({ day: 'sun', minutes: 90, date: '2026-11-01' });
    expect(localTime(at('2026-11-02T14:00:00Z'), 'America/New_York').minutes).toBe(9 * 60);
  });

  it('handles half- and quarter-hour offsets', () => {
    expect(localTime(at('2026-01-05T03:30:00Z'), 'Asia/Kolkata')).toEqual({ day: 'mon', minutes: 9 * 60, date: '2026-01-05' });
    expect(localTime(at('2026-01-04T18:29:00Z'), 'Asia/Kolkata')).toEqual({ day: 'sun', minutes: 23 * 60 + 59, date: '2026-01-04' });
    expect(localTime(at('2026-01-04T18:30:00Z'), 'Asia/Kolkata')).toEqual({ day: 'mon', minutes: 0, date: '2026-01-05' });
    expect(localTime(at('2026-01-05T03:15:00Z'), 'Asia/Kathmandu').minutes).toBe(9 * 60);
  });

  it('throws on an unknown zone', () => {
    expect(() => localTime(0, 'Mars/Olympus_Mons')).toThrow(RangeError);
  });
});

describe('dayKey', () => {
  it('is the local date, which can differ from the UTC date', () => {
    expect(dayKey(at('2026-03-09T03:59:00Z'), 'America/New_York')).toBe('2026-03-08');
    expect(dayKey(at('2026-03-09T04:00:00Z'), 'America/New_York')).toBe('2026-03-09');
    expect(dayKey(at('2026-01-04T18:30:00Z'), 'Asia/Kolkata')).toBe('2026-01-05');
    expect(dayKey(at('2026-01-04T18:30:00Z'), 'UTC')).toBe('2026-01-04');
  });

  it('is stable through the repeated November hour', () => {
    expect(dayKey(at('2026-11-01T04:59:00Z'), 'America/New_York')).toBe('2026-11-01');
    expect(dayKey(at('2026-11-02T04:59:00Z'), 'America/New_York')).toBe('2026-11-01');
    expect(dayKey(at('2026-11-02T05:00:00Z'), 'America/New_York')).toBe('2026-11-02');
  });
});

describe('isWithinWorkingHours', () => {
  const ny = rep('ny', { timeZone: 'America/New_York', workingHours: weekdays });

  it('treats null or absent working hours as always available', () => {
    expect(isWithinWorkingHours(rep('a', { workingHours: null }), at('2026-03-08T03:00:00Z'))).toBe(true);
    expect(isWithinWorkingHours(rep('b'), at('2026-03-08T03:00:00Z'))).toBe(true);
  });

  it('treats an absent day as a day off, and no days as never', () => {
    expect(isWithinWorkingHours(ny, at('2026-03-07T15:00:00Z'))).toBe(false); // Saturday 10:00
    expect(isWithinWorkingHours(rep('c', { workingHours: {} }), at('2026-03-10T15:00:00Z'))).toBe(false);
    expect(isWithinWorkingHours(rep('d', { workingHours: { tue: [] } }), at('2026-03-10T15:00:00Z'))).toBe(false);
  });

  it('uses [start, end): start is in, end is out', () => {
    expect(isWithinWorkingHours(ny, at('2026-03-10T12:59:00Z'))).toBe(false); // 08:59 EDT
    expect(isWithinWorkingHours(ny, at('2026-03-10T13:00:00Z'))).toBe(true); // 09:00 EDT
    expect(isWithinWorkingHours(ny, at('2026-03-10T20:59:00Z'))).toBe(true); // 16:59 EDT
    expect(isWithinWorkingHours(ny, at('2026-03-10T21:00:00Z'))).toBe(false); // 17:00 EDT
  });

  it('moves with DST: 09:00 local is 14:00Z in winter and 13:00Z in summer', () => {
    expect(isWithinWorkingHours(ny, at('2026-03-06T13:59:00Z'))).toBe(false); // Fri 08:59 EST
    expect(isWithinWorkingHours(ny, at('2026-03-06T14:00:00Z'))).toBe(true); // Fri 09:00 EST
    expect(isWithinWorkingHours(ny, at('2026-03-09T12:59:00Z'))).toBe(false); // Mon 08:59 EDT
    expect(isWithinWorkingHours(ny, at('2026-03-09T13:00:00Z'))).toBe(true); // Mon 09:00 EDT
    expect(isWithinWorkingHours(ny, at('2026-10-30T13:00:00Z'))).toBe(true); // Fri 09:00 EDT
    expect(isWithinWorkingHours(ny, at('2026-11-02T13:59:00Z'))).toBe(false); // Mon 08:59 EST
    expect(isWithinWorkingHours(ny, at('2026-11-02T14:00:00Z'))).toBe(true); // Mon 09:00 EST
  });

  it('handles spans on the transition days themselves', () => {
    const night = rep('n', { timeZone: 'America/New_York', workingHours: { sun: [{ start: '01:00', end: '04:00' }] } });
    expect(isWithinWorkingHours(night, at('2026-03-08T06:30:00Z'))).toBe(true); // 01:30 EST
    expect(isWithinWorkingHours(night, at('2026-03-08T07:30:00Z'))).toBe(true); // 03:30 EDT
    expect(isWithinWorkingHours(night, at('2026-03-08T08:00:00Z'))).toBe(false); // 04:00 EDT
    // 02:00-03:00 does not exist that night.
    const gap = rep('g', { timeZone: 'America/New_York', workingHours: { sun: [{ start: '02:00', end: '03:00' }] } });
    for (let m = 0; m < 24 * 60; m += 15) expect(isWithinWorkingHours(gap, at('2026-03-08T00:00:00Z') + m * 60_000)).toBe(false);
    // 01:00-02:00 happens twice in November, and both count.
    const twice = rep('t', { timeZone: 'America/New_York', workingHours: { sun: [{ start: '01:00', end: '02:00' }] } });
    expect(isWithinWorkingHours(twice, at('2026-11-01T05:30:00Z'))).toBe(true);
    expect(isWithinWorkingHours(twice, at('2026-11-01T06:30:00Z'))).toBe(true);
    expect(isWithinWorkingHours(twice, at('2026-11-01T07:00:00Z'))).toBe(false);
  });

  it('handles Kolkata (UTC+05:30)', () => {
    const kol = rep('k', { timeZone: 'Asia/Kolkata', workingHours: weekdays });
    expect(isWithinWorkingHours(kol, at('2026-01-05T03:29:00Z'))).toBe(false); // Mon 08:59 IST
    expect(isWithinWorkingHours(kol, at('2026-01-05T03:30:00Z'))).toBe(true); // Mon 09:00 IST
    expect(isWithinWorkingHours(kol, at('2026-01-05T11:29:00Z'))).toBe(true); // Mon 16:59 IST
    expect(isWithinWorkingHours(kol, at('2026-01-05T11:30:00Z'))).toBe(false); // Mon 17:00 IST
  });

  it('supports split days and 24:00', () => {
    const split = rep('s', {
      workingHours: { tue: [{ start: '09:00', end: '12:00' }, { start: '13:00', end: '24:00' }] },
    });
    expect(isWithinWorkingHours(split, at('2026-03-10T11:59:00Z'))).toBe(true);
    expect(isWithinWorkingHours(split, at('2026-03-10T12:30:00Z'))).toBe(false);
    expect(isWithinWorkingHours(split, at('2026-03-10T23:59:00Z'))).toBe(true);
    expect(isWithinWorkingHours(split, at('2026-03-11T00:00:00Z'))).toBe(false); // Wednesday
  });
});

describe('out of office', () => {
  const away = rep('a', {
    outOfOffice: [
      { from: '2026-11-20T09:00:00Z', until: '2026-11-24T09:00:00Z' },
      { from: '2026-12-24T00:00:00+01:00', until: '2026-12-26T00:00:00+01:00' },
    ],
  });

  it('covers [from, until)', () => {
    expect(isOutOfOffice(away, at('2026-11-20T08:59:59Z'))).toBe(false);
    expect(isOutOfOffice(away, at('2026-11-20T09:00:00Z'))).toBe(true);
    expect(isOutOfOffice(away, at('2026-11-24T08:59:59Z'))).toBe(true);
    expect(isOutOfOffice(away, at('2026-11-24T09:00:00Z'))).toBe(false);
  });

  it('reads offsets in the instants', () => {
    expect(isOutOfOffice(away, at('2026-12-23T22:59:00Z'))).toBe(false);
    expect(isOutOfOffice(away, at('2026-12-23T23:00:00Z'))).toBe(true);
    expect(outOfOfficeUntil(away, at('2026-12-25T12:00:00Z'))).toBe(at('2026-12-25T23:00:00Z'));
  });

  it('reports the end of back-to-back or overlapping absences as one', () => {
    const chained = rep('c', {
      outOfOffice: [
        { from: '2026-06-01T00:00:00Z', until: '2026-06-05T00:00:00Z' },
        { from: '2026-06-05T00:00:00Z', until: '2026-06-08T00:00:00Z' },
        { from: '2026-06-07T00:00:00Z', until: '2026-06-10T00:00:00Z' },
        { from: '2026-06-20T00:00:00Z', until: '2026-06-21T00:00:00Z' },
      ],
    });
    expect(outOfOfficeUntil(chained, at('2026-06-02T00:00:00Z'))).toBe(at('2026-06-10T00:00:00Z'));
    expect(outOfOfficeUntil(chained, at('2026-06-15T00:00:00Z'))).toBeNull();
  });

  it('is never out of office without periods', () => {
    expect(isOutOfOffice(rep('x'), 0)).toBe(false);
  });
});

describe('localTime offset cache', () => {
  it('agrees with ICU minute by minute across DST changes and odd offsets', () => {
    const zones = ['America/New_York', 'Europe/London', 'Asia/Kolkata', 'Asia/Kathmandu', 'Australia/Lord_Howe', 'America/St_Johns', 'Pacific/Chatham', 'UTC'];
    // Around the 2026 transitions (March, April, October, November) and a plain day, every 7 minutes.
    const windows = ['2026-03-08T00:00:00Z', '2026-03-29T00:00:00Z', '2026-04-05T00:00:00Z', '2026-09-27T00:00:00Z', '2026-10-04T00:00:00Z', '2026-10-25T00:00:00Z', '2026-11-01T00:00:00Z', '2026-06-15T00:00:00Z'];
    for (const tz of zones) {
      for (const w of windows) {
        const start = Date.parse(w);
        for (let t = start; t < start + 36 * 3_600_000; t += 7 * 60_000 + 13_000) {
          expect(localTime(t, tz)).toEqual(localTimeUncached(t, tz));
        }
      }
    }
  });
});
