// The wall clock of a time zone, read fast: ICU is asked for a zone's UTC offset once per 15-minute slot and
// the weekday, minutes and date then come from arithmetic. Internal to assignment/ (not re-exported by the
// package): `working-hours.ts` holds the public readings built on it.
import type { Weekday } from '../directory/schema';
import type { LocalTime } from './working-hours';

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

export function localTimeFromIcu(now: number, timeZone: string): LocalTime {
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
const DAY_MS = 86_400_000;
/** Largest time value a Date can hold. */
const MAX_TIME = 8.64e15;
/** Weekdays in the order of `WEEKDAYS` (the schema's), as `wallWeekdayIndex` numbers them. */
export const WEEKDAYS_FROM_MONDAY: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** One zone's offset cache: the slot asked last (most readings fall in it) and the slots asked before. */
export interface ZoneOffsets {
  readonly timeZone: string;
  lastSlot: number;
  lastOffset: number;
  readonly slots: Map<number, number>;
  /** The wall-clock day (days since the epoch) read last in this zone, and its date. */
  lastDay: number;
  lastDate: string;
}

const zones = new Map<string, ZoneOffsets>();

/** The offset cache of a zone, made on first use; holding it skips the lookup by name on every reading. */
export function zoneOffsets(timeZone: string): ZoneOffsets {
  let zone = zones.get(timeZone);
  if (zone === undefined) {
    zone = { timeZone, lastSlot: NaN, lastOffset: 0, slots: new Map(), lastDay: NaN, lastDate: '' };
    zones.set(timeZone, zone);
  }
  return zone;
}

function offsetFromIcu(zone: ZoneOffsets, now: number, slot: number): number {
  const cached = zone.slots.get(slot);
  if (cached !== undefined) return cached;
  const minuteStart = Math.floor(now / 60_000) * 60_000;
  const lt = localTimeFromIcu(minuteStart, zone.timeZone);
  const [y, m, d] = lt.date.split('-').map(Number) as [number, number, number];
  const offset = Date.UTC(y, m - 1, d, 0, lt.minutes) - minuteStart;
  if (zone.slots.size > 2000) zone.slots.clear(); // bounded: a long simulation walks through many slots
  zone.slots.set(slot, offset);
  return offset;
}

/** The zone's UTC offset (ms) at `now`. */
export function zoneOffsetMs(zone: ZoneOffsets, now: number): number {
  const slot = Math.floor(now / OFFSET_SLOT_MS);
  if (slot === zone.lastSlot) return zone.lastOffset;
  const offset = offsetFromIcu(zone, now, slot);
  zone.lastSlot = slot;
  zone.lastOffset = offset;
  return offset;
}

/**
 * The wall-clock instant of `now` in the zone, as ms since the epoch of a UTC clock showing that wall time;
 * whole milliseconds, as a Date holds it, and NaN beyond a Date's range (a Date then reads NaN everywhere).
 * `wallWeekdayIndex`, `wallMinutes` and `wallDate` read it with plain arithmetic.
 */
export function wallClockMs(zone: ZoneOffsets, now: number): number {
  const wall = Math.trunc(now + zoneOffsetMs(zone, now));
  return wall >= -MAX_TIME && wall <= MAX_TIME ? wall : NaN;
}

/** Weekday index of a wall-clock instant, 0 = Monday ... 6 = Sunday (the order of `WEEKDAYS`). */
export function wallWeekdayIndex(wall: number): number {
  const day = Math.floor(wall / DAY_MS);
  // 1970-01-01 was a Thursday (index 3 from Monday).
  return (((day + 3) % 7) + 7) % 7;
}

/** Minutes since local midnight of a wall-clock instant. */
export function wallMinutes(wall: number): number {
  return Math.floor((wall - Math.floor(wall / DAY_MS) * DAY_MS) / 60_000);
}

// Day number -> `YYYY-MM-DD`. Every reading on one day names the same date; building the string (and
// hashing a fresh one in each per-day lookup) costs more than finding it here. Keyed by the calendar only.
const dateByDay = new Map<number, string>();

export function formatUtcDate(ms: number): string {
  const wall = new Date(ms);
  const y = wall.getUTCFullYear();
  const mo = wall.getUTCMonth() + 1;
  const d = wall.getUTCDate();
  return `${String(y).padStart(4, '0')}-${mo < 10 ? '0' : ''}${mo}-${d < 10 ? '0' : ''}${d}`;
}

/** The calendar date (`YYYY-MM-DD`) of a wall-clock instant. */
export function wallDate(wall: number): string {
  const day = Math.floor(wall / DAY_MS);
  let date = dateByDay.get(day);
  if (date === undefined) {
    date = formatUtcDate(day * DAY_MS);
    if (dateByDay.size > 4096) dateByDay.clear();
    dateByDay.set(day, date);
  }
  return date;
}


/** `wallDate` of a wall-clock instant of the zone; most readings in a zone fall on the day read before. */
export function zoneWallDate(zone: ZoneOffsets, wall: number): string {
  const day = Math.floor(wall / DAY_MS);
  if (day === zone.lastDay) return zone.lastDate;
  const date = wallDate(wall);
  zone.lastDay = day;
  zone.lastDate = date;
  return date;
}
