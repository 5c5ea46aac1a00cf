// Public holidays from the date-holidays package. NOT sandbox-safe to bundle: the package carries every
// country's rules (megabytes), so only code outside the Temporal workflow imports this module (the server and
// the worker's activities, through `@lead-router/shared/holidays`, when they load a directory). What it
// resolves travels on as plain dates (`Directory.holidays`, `WorkCalendar.closed`).
//
// Which holidays count: date-holidays types its days `public`, `bank`, `school`, `optional` and
// `observance`; only `public` ones close a calendar (days off by law for everyone in the country or region,
// with substitute days the package marks public). Bank, school and optional days and observances do not.
import Holidays from 'date-holidays';
import type { Directory, HolidayCalendar, PublicHoliday, Rep } from '../directory/schema';
import { calendarKey, repHolidayCalendar } from './work-calendar';

const DAY_MS = 86_400_000;

// Per calendar and year: the package's answers never change for a given version, and a worker reloads
// its directory every few seconds.
const cache = new Map<string, PublicHoliday[]>();

function holidaysOf(calendar: HolidayCalendar, year: number): PublicHoliday[] {
  const key = `${calendarKey(calendar)}:${year}`;
  let list = cache.get(key);
  if (list === undefined) {
    const hd = calendar.region ? new Holidays(calendar.country, calendar.region, { types: ['public'] }) : new Holidays(calendar.country, { types: ['public'] });
    list = [];
    for (const h of hd.getHolidays(year) || []) {
      if (h.type !== 'public') continue;
      // A holiday of several days (rare) closes each of its dates.
      const days = Math.max(1, Math.round((h.end.getTime() - h.start.getTime()) / DAY_MS));
      const first = Date.UTC(Number(h.date.slice(0, 4)), Number(h.date.slice(5, 7)) - 1, Number(h.date.slice(8, 10)));
      for (let i = 0; i < days; i++) list.push({ date: new Date(first + i * DAY_MS).toISOString().slice(0, 10), name: h.name });
    }
    if (cache.size > 500) cache.clear();
    cache.set(key, list);
  }
  return list;
}

/** The public holidays of a calendar in the given years, by date. An unknown country or region has none. */
export function publicHolidays(calendar: HolidayCalendar, fromYear: number, toYear: number): PublicHoliday[] {
  const out: PublicHoliday[] = [];
  for (let y = fromYear; y <= toYear; y++) out.push(...holidaysOf(calendar, y));
  return out;
}

/**
 * The directory with `holidays` filled for every calendar its workspace and reps use, for `years` (this year
 * and next, when loaded): what eligibility and SLA clocks read instead of the package. Without any calendar
 * in use the directory is returned as it is.
 */
export function withPublicHolidays<D extends Pick<Directory, 'reps' | 'settings'>>(dir: D, years: { from: number; to: number }): D & { holidays?: Record<string, PublicHoliday[]> } {
  const holidays: Record<string, PublicHoliday[]> = {};
  const calendars = [dir.settings?.holidayCalendar ?? null, ...dir.reps.map((r: Pick<Rep, 'holidayCalendar'>) => repHolidayCalendar(r, dir.settings))];
  for (const c of calendars) {
    if (c === null) continue;
    const key = calendarKey(c);
    if (!(key in holidays)) holidays[key] = publicHolidays(c, years.from, years.to);
  }
  // A directory without calendars stays as it was (no empty `holidays`): its document reads as before.
  return Object.keys(holidays).length === 0 ? dir : { ...dir, holidays };
}

/** The years a directory loaded at `now` resolves holidays for: this one and the next. */
export function holidayYears(now: number): { from: number; to: number } {
  const y = new Date(now).getUTCFullYear();
  return { from: y, to: y + 1 };
}

/** Countries the package has calendars for: code -> name (English), sorted by name. */
export function holidayCountries(): { code: string; name: string }[] {
  const all = new Holidays().getCountries('en') as Record<string, string>;
  return Object.entries(all)
    .map(([code, name]) => ({ code, name }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Regions (states) of a country's calendar: code -> name, sorted by name; empty when it has none. */
export function holidayRegions(country: string): { code: string; name: string }[] {
  const all = (new Holidays().getStates(country, 'en') ?? {}) as Record<string, string>;
  return Object.entries(all)
    .map(([code, name]) => ({ code, name }))
    .sort((a, b) => a.name.localeCompare(b.name));
}
