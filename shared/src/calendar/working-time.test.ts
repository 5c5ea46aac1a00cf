import { describe, expect, it } from 'vitest';
import type { WorkingHours } from '../directory/schema';
import { publicHolidays } from './holidays';
import { slaSchedule } from './sla';
import type { WorkCalendar } from './work-calendar';
import { addWorkingMinutes, isWorkingAt } from './working-time';

// Issue #16, item 4: business-hours SLA deadlines, each computed by hand (comment) and checked to the minute.
// Holidays come from the package, as a loaded directory has them.

const weekdays = (spans: { start: string; end: string }[]): WorkingHours => ({ mon: spans, tue: spans, wed: spans, thu: spans, fri: spans });
const closed = (c: { country: string; region?: string }, key: string) =>
  publicHolidays(c, 2026, 2027).map((h) => ({ date: h.date, reason: `public holiday: ${h.name} (${key})` }));

/** Berlin, Monday-Friday 09:00-18:00 with a lunch break 12:00-13:00, German holidays, a company day off. */
const berlin: WorkCalendar = {
  owner: 'Ana Diaz',
  timeZone: 'Europe/Berlin',
  workingHours: weekdays([{ start: '09:00', end: '12:00' }, { start: '13:00', end: '18:00' }]),
  closed: [{ date: '2026-08-14', reason: 'company day off: Summer party' }, ...closed({ country: 'DE' }, 'DE')],
  holidays: 'DE',
};
/** New York, Monday-Friday 09:00-17:00, US holidays. */
const newYork: WorkCalendar = { owner: 'Ben Ode', timeZone: 'America/New_York', workingHours: weekdays([{ start: '09:00', end: '17:00' }]), closed: closed({ country: 'US' }, 'US'), holidays: 'US' };
/** Kolkata, Monday-Friday 09:00-18:00, Indian holidays. */
const kolkata: WorkCalendar = { owner: 'Chitra Rao', timeZone: 'Asia/Kolkata', workingHours: weekdays([{ start: '09:00', end: '18:00' }]), closed: closed({ country: 'IN' }, 'IN'), holidays: 'IN' };
/** Berlin, every hour of the day (no working hours), German holidays. */
const berlinAllHours: WorkCalendar = { ...berlin, workingHours: null };
/** Berlin night shift on Sundays 00:00-06:00 only: spans that contain the clock changes. */
const berlinSundayNights: WorkCalendar = { ...berlin, workingHours: { sun: [{ start: '00:00', end: '06:00' }] }, closed: [] };

const at = (iso: string) => Date.parse(iso);

const cases: [string, WorkCalendar, string, number, string][] = [
  // 17:55, hours until 18:00: 5 minutes today, 10 tomorrow from 09:00.
  ['17:55 + 15 min -> 09:10 the next working day', berlin, '2026-12-08T17:55:00+01:00', 15, '2026-12-09T09:10:00+01:00'],
  // Friday 17:30: 30 minutes Friday, 30 Monday.
  ['Friday evening -> Monday', berlin, '2026-12-04T17:30:00+01:00', 60, '2026-12-07T09:30:00+01:00'],
  // Friday 2026-05-22 17:45: 15 minutes, then Pfingstmontag (Monday 25th) is closed: Tuesday 09:15.
  ['a holiday Monday -> Tuesday', berlin, '2026-05-22T17:45:00+02:00', 30, '2026-05-26T09:15:00+02:00'],
  // Thursday before Easter 17:50: 10 minutes; Karfreitag, the weekend and Ostermontag closed: Tuesday 09:10.
  ['Easter: Good Friday to Easter Monday closed', berlin, '2026-04-02T17:50:00+02:00', 20, '2026-04-07T09:10:00+02:00'],
  // 11:50: 10 minutes before the break, 10 after it.
  ['across the lunch break 12:00-13:00', berlin, '2026-12-09T11:50:00+01:00', 20, '2026-12-09T13:10:00+01:00'],
  // Landing on the end of a span is that end.
  ['exactly to the start of the break', berlin, '2026-12-09T11:45:00+01:00', 15, '2026-12-09T12:00:00+01:00'],
  ['started in the break', berlin, '2026-12-09T12:30:00+01:00', 10, '2026-12-09T13:10:00+01:00'],
  ['started before hours', berlin, '2026-12-09T07:00:00+01:00', 30, '2026-12-09T09:30:00+01:00'],
  ['started on a Saturday', berlin, '2026-12-05T10:00:00+01:00', 15, '2026-12-07T09:15:00+01:00'],
  // 09:00-12:00 is 3 hours, 13:00-18:00 five: a working day of 8 hours ends at 18:00, 9 hours on Tuesday 10:00.
  ['8 working hours fill the day', berlin, '2026-12-07T09:00:00+01:00', 480, '2026-12-07T18:00:00+01:00'],
  ['9 working hours run into the next day', berlin, '2026-12-07T09:00:00+01:00', 540, '2026-12-08T10:00:00+01:00'],
  // Company day off Friday 2026-08-14: Thursday 17:50 + 20 is Monday 09:10.
  ['a company day off', berlin, '2026-08-13T17:50:00+02:00', 20, '2026-08-17T09:10:00+02:00'],
  // Europe/Berlin goes to summer time on Sunday 2026-03-29: Friday 17:00 CET + 2 h is Monday 10:00 CEST.
  ['Berlin, across the spring change', berlin, '2026-03-27T17:00:00+01:00', 120, '2026-03-30T10:00:00+02:00'],
  // ... and back on Sunday 2026-10-25: Friday 17:30 CEST + 1 h is Monday 09:30 CET.
  ['Berlin, across the autumn change', berlin, '2026-10-23T17:30:00+02:00', 60, '2026-10-26T09:30:00+01:00'],
  // All hours count: Saturday 23:00 CET + 4 real hours (the night loses one) is Sunday 04:00 CEST.
  ['Berlin all hours, the night the clocks go forward', berlinAllHours, '2026-03-28T23:00:00+01:00', 240, '2026-03-29T04:00:00+02:00'],
  // Sunday 00:00-06:00 lasts 5 real hours on 2026-03-29 (00:00 CET to 06:00 CEST), 7 on 2026-10-25.
  ['a span that contains the spring change', berlinSundayNights, '2026-03-29T00:00:00+01:00', 240, '2026-03-29T05:00:00+02:00'],
  ['a span that contains the autumn change', berlinSundayNights, '2026-10-25T00:00:00+02:00', 360, '2026-10-25T05:00:00+01:00'],
  ['the whole autumn span is 7 hours', berlinSundayNights, '2026-10-25T00:00:00+02:00', 420, '2026-10-25T06:00:00+01:00'],
  // Holidays close all-hours calendars too: Saturday 2026-10-03 (Tag der Deutschen Einheit) counts nothing.
  ['a holiday on an all-hours calendar', berlinAllHours, '2026-10-03T23:30:00+02:00', 60, '2026-10-04T01:00:00+02:00'],
  // America/New_York goes to daylight time on Sunday 2026-03-08: Friday 16:45 EST + 30 min is Monday 09:15 EDT.
  ['New York, across the spring change', newYork, '2026-03-06T16:45:00-05:00', 30, '2026-03-09T09:15:00-04:00'],
  // ... and back on Sunday 2026-11-01: Friday 16:50 EDT + 20 min is Monday 09:10 EST.
  ['New York, across the autumn change', newYork, '2026-10-30T16:50:00-04:00', 20, '2026-11-02T09:10:00-05:00'],
  // Thanksgiving (Thursday 26th) is public; the day after is an observance only, so it is a working day.
  ['Thanksgiving closed, the day after open', newYork, '2026-11-25T16:30:00-05:00', 60, '2026-11-27T09:30:00-05:00'],
  // Republic Day, Monday 2026-01-26: Friday 17:55 + 15 min is Tuesday 09:10 in Kolkata (UTC+05:30).
  ['India, Republic Day Monday', kolkata, '2026-01-23T17:55:00+05:30', 15, '2026-01-27T09:10:00+05:30'],
];

describe('addWorkingMinutes: business-hours deadlines computed by hand', () => {
  it.each(cases)('%s', (_name, cal, start, minutes, due) => {
    const deadline = addWorkingMinutes(at(start), minutes, cal);
    expect(deadline === null ? null : new Date(deadline).toISOString()).toBe(new Date(at(due)).toISOString());
  });

  it('a calendar with no working time has no deadline; zero minutes is the start', () => {
    const never: WorkCalendar = { ...berlin, workingHours: {} };
    expect(addWorkingMinutes(at('2026-12-08T10:00:00Z'), 15, never)).toBeNull();
    expect(addWorkingMinutes(at('2026-12-08T22:00:00Z'), 0, berlin)).toBe(at('2026-12-08T22:00:00Z'));
  });
});

describe('isWorkingAt', () => {
  it('inside the spans of an open date only', () => {
    expect(isWorkingAt(at('2026-12-09T09:00:00+01:00'), berlin)).toBe(true);
    expect(isWorkingAt(at('2026-12-09T12:00:00+01:00'), berlin)).toBe(false); // the break
    expect(isWorkingAt(at('2026-12-09T18:00:00+01:00'), berlin)).toBe(false); // end is exclusive
    expect(isWorkingAt(at('2026-05-25T10:00:00+02:00'), berlin)).toBe(false); // Pfingstmontag
    expect(isWorkingAt(at('2026-08-14T10:00:00+02:00'), berlin)).toBe(false); // company day off
    expect(isWorkingAt(at('2026-11-27T10:00:00-05:00'), newYork)).toBe(true);
    expect(isWorkingAt(at('2026-11-26T10:00:00-05:00'), newYork)).toBe(false);
  });
});

describe('slaSchedule', () => {
  const config = { until: 'accepted' as const, timeout: { amount: 30, unit: 'minutes' as const }, clock: 'business' as const, reminders: { atPercent: [80, 50], notify: { channel: 'in_app' as const, recipient: { type: 'assignee' as const }, message: 'x' } } };

  it('counts the deadline and the reminders in working time, reminders in order', () => {
    // Tuesday 17:50: 10 minutes today; 50% (15 min) is Wednesday 09:05, 80% (24 min) 09:14, the deadline 09:20.
    const s = slaSchedule(at('2026-12-08T17:50:00+01:00'), config, berlin);
    expect(s.clock).toBe('business');
    expect(new Date(s.deadline).toISOString()).toBe('2026-12-09T08:20:00.000Z');
    expect(s.reminders.map((r) => [r.percent, new Date(r.at).toISOString()])).toEqual([
      [50, '2026-12-09T08:05:00.000Z'],
      [80, '2026-12-09T08:14:00.000Z'],
    ]);
    expect(s.line).toBe("SLA 30 minutes of Ana Diaz's working time (Europe/Berlin, holidays DE): due 2026-12-09 09:20 Europe/Berlin");
  });

  it('a calendar clock counts every minute', () => {
    const s = slaSchedule(at('2026-12-08T17:50:00+01:00'), { ...config, clock: 'calendar' }, berlin);
    expect(s.deadline - at('2026-12-08T17:50:00+01:00')).toBe(30 * 60_000);
    expect(s.reminders.map((r) => r.at - at('2026-12-08T17:50:00+01:00'))).toEqual([15 * 60_000, 24 * 60_000]);
  });

  it('a calendar without working time falls back to calendar time, and says so', () => {
    const s = slaSchedule(at('2026-12-08T17:50:00+01:00'), config, { ...berlin, workingHours: {} });
    expect(s.clock).toBe('calendar');
    expect(s.timeoutMs).toBe(30 * 60_000);
    expect(s.line).toMatch(/no working time/);
  });
});
