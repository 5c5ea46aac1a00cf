import Holidays from 'date-holidays';
import type { HolidayCalendar } from '@lead-router/shared';
import type { ErrorDetail } from '../errors/domain-error';

// The public-holiday calendars of the date-holidays package, for the settings page: which countries and
// regions exist, and a calendar's next holidays. Served by the API so the web bundle need not ship the
// package's data (about 1 MB).

/** A country or region of a holiday calendar: its code and English name. */
export interface CalendarPlace {
  code: string;
  name: string;
}

/** One public holiday of a calendar. */
export interface UpcomingHoliday {
  date: string;
  name: string;
}

const byName = (a: CalendarPlace, b: CalendarPlace) => a.name.localeCompare(b.name, 'en');
const places = (o: Record<string, string> | undefined): CalendarPlace[] => Object.entries(o ?? {}).map(([code, name]) => ({ code, name })).sort(byName);

/** Every country with a holiday calendar. */
export function holidayCountries(): CalendarPlace[] {
  return places(new Holidays().getCountries('en'));
}

/** The regions (states, provinces) of a country's calendar; null when the country has none. */
export function holidayRegions(country: string): CalendarPlace[] | null {
  const hd = new Holidays();
  if (!hd.getCountries('en')[country]) return null;
  return places(hd.getStates(country, 'en'));
}

/** Problems with a calendar: a country or region date-holidays does not know, each naming its field. */
export function calendarProblems(c: HolidayCalendar, path = 'holidayCalendar'): ErrorDetail[] {
  const regions = holidayRegions(c.country);
  if (regions === null) return [{ path: `${path}.country`, message: `"${c.country}" has no holiday calendar (use an ISO country code such as DE or US)` }];
  if (c.region !== undefined && !regions.some((r) => r.code === c.region)) {
    return [{ path: `${path}.region`, message: `"${c.region}" is not a region of ${c.country}'s holiday calendar${regions.length > 0 ? ` (for example ${regions.slice(0, 3).map((r) => r.code).join(', ')})` : ''}` }];
  }
  return [];
}

/** The calendar's public holidays from `from` (YYYY-MM-DD, inclusive), at most `limit`, in date order. */
export function upcomingHolidays(c: HolidayCalendar, from: string, limit: number): UpcomingHoliday[] {
  const hd = c.region ? new Holidays(c.country, c.region) : new Holidays(c.country);
  const year = Number(from.slice(0, 4));
  const out: UpcomingHoliday[] = [];
  for (const y of [year, year + 1]) {
    for (const h of hd.getHolidays(y, 'en')) {
      const date = h.date.slice(0, 10);
      if (h.type !== 'public' || date < from || out.some((o) => o.date === date)) continue;
      out.push({ date, name: h.name });
    }
  }
  return out.sort((a, b) => a.date.localeCompare(b.date)).slice(0, limit);
}
