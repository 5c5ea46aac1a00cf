// Who works when, as plain data: the holiday calendar that applies to a rep, the dates closed for them
// (public holidays of that calendar, company days off) and the weekly hours. Pure and sandbox-safe: the
// holiday dates were resolved from date-holidays when the directory was loaded (`holidays.ts`), so this
// module (and the Temporal workflow, which receives a `WorkCalendar` from an activity) never loads it.
import type { Assignee } from '../assignment/types';
import type { Directory, HolidayCalendar, PublicHoliday, Rep, WorkingHours, WorkspaceSettings } from '../directory/schema';

/** Key of a holiday calendar in `Directory.holidays`: `DE`, or `DE-BY` with a region. */
export function calendarKey(c: HolidayCalendar): string {
  return c.region ? `${c.country}-${c.region}` : c.country;
}

/** The holiday calendar a rep keeps: their own, none (null), or absent the workspace's. */
export function repHolidayCalendar(rep: Pick<Rep, 'holidayCalendar'>, settings: WorkspaceSettings | undefined): HolidayCalendar | null {
  if (rep.holidayCalendar !== undefined) return rep.holidayCalendar;
  return settings?.holidayCalendar ?? null;
}

/** A closed date and why: `public holiday: Tag der Deutschen Einheit (DE)`, `company day off: Summer party`. */
export interface ClosedDate {
  date: string;
  reason: string;
}

/**
 * Working time as plain JSON, enough to count an SLA in: the zone, the weekly spans (breaks are the gaps
 * between spans) and the closed dates. Travels through Temporal as an activity's answer, so a run replays
 * with the calendar it saw.
 */
export interface WorkCalendar {
  /** Whose time it is, for the trace: a rep's name, or `the workspace`. */
  owner: string;
  timeZone: string;
  /** null: every hour of an open day is working time. */
  workingHours: WorkingHours | null;
  /** Dates (YYYY-MM-DD on the zone's wall clock) nobody counts: holidays of the calendar and company days off. */
  closed: ClosedDate[];
  /** The holiday calendar the closed dates came from (`DE-BY`), or null. */
  holidays: string | null;
}

/** Hours a queue (or a lead with no assignee) counts an SLA in: Monday to Friday, 09:00-17:00 in the workspace's zone. */
export const WORKSPACE_WORKING_HOURS: WorkingHours = {
  mon: [{ start: '09:00', end: '17:00' }],
  tue: [{ start: '09:00', end: '17:00' }],
  wed: [{ start: '09:00', end: '17:00' }],
  thu: [{ start: '09:00', end: '17:00' }],
  fri: [{ start: '09:00', end: '17:00' }],
};

/** The closed dates of a calendar: company days off first (they win a date both name), then the calendar's public holidays. */
function closedDates(calendar: HolidayCalendar | null, settings: WorkspaceSettings | undefined, holidays: Directory['holidays']): ClosedDate[] {
  const out: ClosedDate[] = [];
  const seen = new Set<string>();
  for (const d of settings?.daysOff ?? []) {
    if (seen.has(d.date)) continue;
    seen.add(d.date);
    out.push({ date: d.date, reason: `company day off: ${d.name}` });
  }
  if (calendar !== null) {
    const key = calendarKey(calendar);
    for (const h of holidays?.[key] ?? ([] as PublicHoliday[])) {
      if (seen.has(h.date)) continue;
      seen.add(h.date);
      out.push({ date: h.date, reason: `public holiday: ${h.name} (${key})` });
    }
  }
  return out;
}

/** What the calendar lookups need of a directory. */
export type CalendarSource = Partial<Pick<Directory, 'settings' | 'holidays'>>;

/** A rep's working calendar: their zone and hours, their holiday calendar's holidays and the company days off. */
export function repWorkCalendar(rep: Rep, dir: CalendarSource): WorkCalendar {
  const calendar = repHolidayCalendar(rep, dir.settings);
  return {
    owner: rep.name,
    timeZone: rep.timeZone,
    workingHours: rep.workingHours ?? null,
    closed: closedDates(calendar, dir.settings, dir.holidays),
    holidays: calendar ? calendarKey(calendar) : null,
  };
}

/** The workspace's calendar: its zone, Monday-Friday 09:00-17:00, its holiday calendar and days off. */
export function workspaceWorkCalendar(dir: CalendarSource): WorkCalendar {
  const calendar = dir.settings?.holidayCalendar ?? null;
  return {
    owner: 'the workspace',
    timeZone: dir.settings?.timeZone ?? 'UTC',
    workingHours: WORKSPACE_WORKING_HOURS,
    closed: closedDates(calendar, dir.settings, dir.holidays),
    holidays: calendar ? calendarKey(calendar) : null,
  };
}

/**
 * The calendar an SLA counts in for `assignee`: a rep's own (a rep not in the directory, a queue or nobody
 * fall back to the workspace's).
 */
export function workCalendarFor(assignee: Assignee | null, reps: ReadonlyMap<string, Rep>, dir: CalendarSource): WorkCalendar {
  const rep = assignee?.type === 'rep' ? reps.get(assignee.id) : undefined;
  return rep ? repWorkCalendar(rep, dir) : workspaceWorkCalendar(dir);
}

/**
 * Why a date is closed for a rep, per rep and date, for eligibility: built once per directory snapshot.
 * Reads `settings` and `holidays` of the directory it was made from.
 */
export interface Closures {
  /** Why `date` (YYYY-MM-DD in the rep's zone) is closed for the rep, or null when it is a working date. */
  closedFor(rep: Rep, date: string): string | null;
}

/** The closures of a directory: company days off for everyone, each rep's holiday calendar for them. */
export function closuresOf(dir: CalendarSource): Closures {
  const daysOff = new Map<string, string>();
  for (const d of dir.settings?.daysOff ?? []) if (!daysOff.has(d.date)) daysOff.set(d.date, `company day off: ${d.name}`);
  const byKey = new Map<string, Map<string, string>>();
  const holidaysOf = (key: string): Map<string, string> => {
    let m = byKey.get(key);
    if (m === undefined) {
      m = new Map();
      for (const h of dir.holidays?.[key] ?? []) if (!m.has(h.date)) m.set(h.date, `public holiday: ${h.name} (${key})`);
      byKey.set(key, m);
    }
    return m;
  };
  const none = daysOff.size === 0 && Object.keys(dir.holidays ?? {}).length === 0;
  return {
    closedFor(rep, date) {
      if (none) return null;
      const off = daysOff.get(date);
      if (off !== undefined) return off;
      const calendar = repHolidayCalendar(rep, dir.settings);
      return calendar === null ? null : (holidaysOf(calendarKey(calendar)).get(date) ?? null);
    },
  };
}
