import { describe, expect, it } from 'vitest';
import { formatWorkingHours } from './working-hours-text';

const nineToFive = [{ start: '09:00', end: '17:00' }];

describe('formatWorkingHours', () => {
  it('lists the days in week order with their hours, joining consecutive days with the same hours', () => {
    // Keys in the order the API returns them (alphabetical), not the week's.
    const hours = { fri: [{ start: '09:00', end: '13:00' }], mon: nineToFive, thu: nineToFive, tue: nineToFive, wed: nineToFive };
    expect(formatWorkingHours(hours, 'Europe/Berlin')).toBe('Mon-Thu 09:00-17:00, Fri 09:00-13:00 (Europe/Berlin)');
  });

  it('does not join days across a day off, and shows split days', () => {
    expect(formatWorkingHours({ mon: nineToFive, wed: nineToFive, sat: [{ start: '10:00', end: '12:00' }, { start: '13:00', end: '14:00' }] })).toBe(
      'Mon 09:00-17:00, Wed 09:00-17:00, Sat 10:00-12:00 & 13:00-14:00',
    );
  });

  it('says "Any hour" without hours and "No working days" when every day is off', () => {
    expect(formatWorkingHours(null, 'Asia/Kolkata')).toBe('Any hour (Asia/Kolkata)');
    expect(formatWorkingHours({}, 'UTC')).toBe('No working days (UTC)');
    expect(formatWorkingHours({ mon: [] })).toBe('No working days');
  });

  it('joins a whole week', () => {
    const all = { mon: nineToFive, tue: nineToFive, wed: nineToFive, thu: nineToFive, fri: nineToFive, sat: nineToFive, sun: nineToFive };
    expect(formatWorkingHours(all)).toBe('Mon-Sun 09:00-17:00');
  });
});
