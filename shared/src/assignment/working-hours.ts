import type { Rep, Weekday, WorkingHours } from '../directory/schema';

/** One span of working time, `HH:MM` to `HH:MM` (end exclusive), in the rep's zone. */
export type TimeSpan = NonNullable<WorkingHours[Weekday]>[number];

/** A wall-clock reading in some time zone. */
export interface LocalTime {
  day: Weekday;
  /** Minutes since local midnight, 0..1439. */
  minutes: number;
  /** The local calendar date, YYYY-MM-DD. */
  date: string;
}

const WEEKDAY_BY_SHORT: Readonly<Record<string, Weekday>> = {
  Mon: 'mon',
  Tue: 'tue',
  Wed: 'wed',
  Thu: 'thu',
  Fri: 'fri',
  Sat: 'sat',
  Sun: 'sun',
};

// Building a DateTimeFormat costs far more than using one, and a team check asks for the same zones
// over and over, so formatters are kept per zone for the life of the module.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (f === undefined) {
    // hourCycle h23 rather than hour12:false: some ICU versions render midnight as "24" with the latter.
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      weekday: 'short',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

function localTimeFromIcu(now: number, timeZone: string): LocalTime {
  let weekday = '';
  let year = '';
  let month = '';
  let day = '';
  let hour = 0;
  let minute = 0;
  // The zone's own rules (DST, half-hour offsets) come from ICU; no offset tables of ours to get wrong.
  for (const part of formatterFor(timeZone).formatToParts(now)) {
    switch (part.type) {
      case 'weekday':
        weekday = part.value;
        break;
      case 'year':
        year = part.value;
        break;
      case 'month':
        month = part.value;
        break;
      case 'day':
        day = part.value;
        break;
      case 'hour':
        hour = Number(part.value) % 24;
        break;
      case 'minute':
        minute = Number(part.value);
        break;
      default:
        break;
    }
  }
  const wd = WEEKDAY_BY_SHORT[weekday];
  if (wd === undefined) throw new RangeError(`cannot read the weekday in time zone ${timeZone}`);
  return { day: wd, minutes: hour * 60 + minute, date: `${year.padStart(4, '0')}-${month}-${day}` };
}

/**
 * Asking ICU costs microseconds and an assignment asks for every candidate's zone, so each zone's UTC
 * offset is asked once per 15-minute slot of UTC time and the wall clock is then plain arithmetic.
 * Exact because zones change offset only at quarter-hour instants of UTC (DST and every modern rule).
 */
const OFFSET_SLOT_MS = 15 * 60_000;
const offsetCache = new Map<string, Map<number, number>>();
const WEEKDAY_BY_UTC_DAY: readonly Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

function offsetMs(now: number, timeZone: string): number {
  const slot = Math.floor(now / OFFSET_SLOT_MS);
  let zone = offsetCache.get(timeZone);
  if (zone === undefined) {
    zone = new Map();
    offsetCache.set(timeZone, zone);
  }
  const cached = zone.get(slot);
  if (cached !== undefined) return cached;
  const minuteStart = Math.floor(now / 60_000) * 60_000;
  const lt = localTimeFromIcu(minuteStart, timeZone);
  const [y, m, d] = lt.date.split('-').map(Number) as [number, number, number];
  const offset = Date.UTC(y, m - 1, d, 0, lt.minutes) - minuteStart;
  if (zone.size > 2000) zone.clear(); // bounded: a long simulation walks through many slots
  zone.set(slot, offset);
  return offset;
}

/** The weekday, minutes since midnight and date on the wall clock of `timeZone` at instant `now` (ms since epoch). */
export function localTime(now: number, timeZone: string): LocalTime {
  const wall = new Date(now + offsetMs(now, timeZone));
  const y = wall.getUTCFullYear();
  const mo = wall.getUTCMonth() + 1;
  const d = wall.getUTCDate();
  return {
    day: WEEKDAY_BY_UTC_DAY[wall.getUTCDay()] as Weekday,
    minutes: wall.getUTCHours() * 60 + wall.getUTCMinutes(),
    date: `${String(y).padStart(4, '0')}-${mo < 10 ? '0' : ''}${mo}-${d < 10 ? '0' : ''}${d}`,
  };
}

/** The same reading straight from ICU, without the offset cache; tests hold `localTime` to it. */
export function localTimeUncached(now: number, timeZone: string): LocalTime {
  return localTimeFromIcu(now, timeZone);
}

/** The local calendar date (YYYY-MM-DD) in `timeZone` at `now`: the key of per-day caps. */
export function dayKey(now: number, timeZone: string): string {
  return localTime(now, timeZone).date;
}

/** `HH:MM` as minutes since midnight; `24:00` is 1440, the end of the day. */
export function hhmmToMinutes(hhmm: string): number {
  const [h = '0', m = '0'] = hhmm.split(':');
  return Number(h) * 60 + Number(m);
}

/** Minutes since midnight as `HH:MM`. */
export function minutesToHhmm(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
}

/** The spans a rep works on a weekday: null when they keep no hours (always available), [] on a day off. */
export function spansOn(rep: Rep, day: Weekday): readonly TimeSpan[] | null {
  const wh = rep.workingHours;
  if (wh === null || wh === undefined) return null;
  return wh[day] ?? [];
}

/** True when the local reading falls inside one of the spans; spans are [start, end). */
export function withinSpans(spans: readonly TimeSpan[], minutes: number): boolean {
  return spans.some((s) => hhmmToMinutes(s.start) <= minutes && minutes < hhmmToMinutes(s.end));
}

/** True when `now` falls inside the rep's working hours in their own zone; no working hours means always. */
export function isWithinWorkingHours(rep: Rep, now: number): boolean {
  if (rep.workingHours === null || rep.workingHours === undefined) return true;
  const lt = localTime(now, rep.timeZone);
  return withinSpans(spansOn(rep, lt.day) ?? [], lt.minutes);
}

/**
 * When the rep's current absence ends (ms since epoch), or null when they are not out of office at `now`.
 * Periods that overlap or touch are one absence, so the answer is when they are really back.
 */
// Parsed out-of-office periods per rep object: eligibility asks for every candidate on every assignment.
const parsedPeriods = new WeakMap<object, Array<{ from: number; until: number }>>();

function periodsOf(rep: Rep): Array<{ from: number; until: number }> {
  const list = rep.outOfOffice ?? [];
  let periods = parsedPeriods.get(list);
  if (periods === undefined) {
    periods = list
      .map((o) => ({ from: Date.parse(o.from), until: Date.parse(o.until) }))
      .filter((p) => Number.isFinite(p.from) && Number.isFinite(p.until) && p.from < p.until);
    parsedPeriods.set(list, periods);
  }
  return periods;
}

export function outOfOfficeUntil(rep: Rep, now: number): number | null {
  const periods = periodsOf(rep);
  if (periods.length === 0) return null;
  let until: number | null = null;
  for (const p of periods) {
    if (p.from <= now && now < p.until && (until === null || p.until > until)) until = p.until;
  }
  if (until === null) return null;
  // Extend through later periods that start before (or exactly when) the current one ends.
  let extended = true;
  while (extended) {
    extended = false;
    for (const p of periods) {
      if (p.from <= until && p.until > until) {
        until = p.until;
        extended = true;
      }
    }
  }
  return until;
}

/** True when one of the rep's out-of-office periods covers `now` (`from` inclusive, `until` exclusive). */
export function isOutOfOffice(rep: Rep, now: number): boolean {
  return outOfOfficeUntil(rep, now) !== null;
}

/** An instant as `YYYY-MM-DD HH:MM` on the wall clock of `timeZone`. */
export function formatLocalDateTime(instant: number, timeZone: string): string {
  const lt = localTime(instant, timeZone);
  return `${lt.date} ${minutesToHhmm(lt.minutes)}`;
}
