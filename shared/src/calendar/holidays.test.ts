import { describe, expect, it } from 'vitest';
import { holidayCountries, holidayRegions, publicHolidays, withPublicHolidays } from './holidays';
import { defaultWorkspaceSettings } from '../directory/schema';

// Issue #16, item 3: public holidays come from the date-holidays package's calendars, public days only.

const on = (country: string, date: string, region?: string) =>
  publicHolidays(region ? { country, region } : { country }, 2026, 2026).find((h) => h.date === date)?.name ?? null;

describe('publicHolidays (date-holidays)', () => {
  it('names the national days of DE, FR, US, IN and BR', () => {
    expect(on('DE', '2026-10-03')).toBe('Tag der Deutschen Einheit');
    expect(on('FR', '2026-07-14')).toBe('Fête Nationale de la France');
    expect(on('US', '2026-11-26')).toBe('Thanksgiving Day');
    expect(on('IN', '2026-01-26')).toBe('Republic Day');
    expect(on('BR', '2026-09-07')).toBe('Dia da Independência');
  });

  it('counts public holidays only: observances, optional and bank days do not close a calendar', () => {
    expect(on('US', '2026-11-27')).toBeNull(); // Day after Thanksgiving: an observance
    expect(on('US', '2026-12-24')).toBeNull(); // Christmas Eve: optional
    expect(on('US', '2026-07-03')).toBe('Independence Day (substitute day)');
  });

  it('a region adds its own days; an unknown region or country has none', () => {
    expect(on('DE', '2026-01-06')).toBeNull();
    expect(on('DE', '2026-01-06', 'BY')).toBe('Heilige Drei Könige');
    expect(publicHolidays({ country: 'ZZ' }, 2026, 2026)).toEqual([]);
  });

  it('lists countries and regions for the pickers', () => {
    expect(holidayCountries().find((c) => c.code === 'DE')?.name).toBe('Germany');
    expect(holidayRegions('DE').find((r) => r.code === 'BY')?.name).toBe('Bayern');
    expect(holidayRegions('ZZ')).toEqual([]);
  });

  it('fills a directory with the calendars its workspace and reps use', () => {
    const rep = (id: string, holidayCalendar?: { country: string } | null) => ({
      id, name: id, email: `${id}@x.io`, timeZone: 'UTC', outOfOffice: [], skills: [], caps: {}, active: true, ...(holidayCalendar !== undefined ? { holidayCalendar } : {}),
    });
    const dir = withPublicHolidays(
      { reps: [rep('a'), rep('b', { country: 'FR' }), rep('c', null)], settings: { ...defaultWorkspaceSettings(), holidayCalendar: { country: 'DE' } } },
      { from: 2026, to: 2027 },
    );
    expect(Object.keys(dir.holidays ?? {}).sort()).toEqual(['DE', 'FR']);
    expect(dir.holidays?.['FR']?.some((h) => h.date === '2027-07-14')).toBe(true);
  });
});
