// Working-time arithmetic on a WorkCalendar: is an instant working time, and which instant is N working
// minutes after another. Pure arithmetic on the instants it is given (the workflow passes workflow time) and
// on the zone's rules from ICU (wall-clock.ts), so simulation and the workflow compute the same instants.
// Working time is real elapsed time inside the spans: a span 00:00-24:00 on a day the clocks go forward is
// 23 hours long, and a wall time that does not exist (02:30 that day) starts where the clocks resume.
import type { Weekday } from '../directory/schema';
import { wallClockMs, wallDate, wallMinutes, wallWeekdayIndex, WEEKDAYS_FROM_MONDAY, zoneOffsets, type ZoneOffsets } from '../assignment/wall-clock';
import { hhmmToMinutes } from '../assignment/working-hours';
import type { WorkCalendar } from './work-calendar';

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
/** How far ahead a deadline is looked for: a calendar with no working time in this many days has none. */
const SEARCH_DAYS = 800;

const ALL_DAY: readonly { start: number; end: number }[] = [{ start: 0, end: 1440 }];

// Closed dates as a set per calendar object: a deadline walks day by day and asks for each.
const closedSets = new WeakMap<WorkCalendar, Map<string, string>>();

function closedMap(cal: WorkCalendar): Map<string, string> {
  let m = closedSets.get(cal);
  if (m === undefined) {
    m = new Map();
    for (const c of cal.closed) if (!m.has(c.date)) m.set(c.date, c.reason);
    closedSets.set(cal, m);
  }
  return m;
}

/** Why the date is closed in the calendar, or null. */
export function closedReason(cal: WorkCalendar, date: string): string | null {
  return closedMap(cal).get(date) ?? null;
}

/** The working spans of a weekday in minutes since midnight, sorted; all day when the calendar keeps no hours. */
function spansOf(cal: WorkCalendar, day: Weekday): readonly { start: number; end: number }[] {
  const wh = cal.workingHours;
  if (wh === null) return ALL_DAY;
  return (wh[day] ?? []).map((s) => ({ start: hhmmToMinutes(s.start), end: hhmmToMinutes(s.end) })).sort((a, b) => a.start - b.start);
}

/**
 * The first instant whose wall-clock reading in the zone is at or after `wall` (a wall-clock instant, as
 * wall-clock.ts counts them). Unique on most days; the earlier of two when clocks go back; where clocks
 * jump forward over it, the instant they resume.
 */
export function instantAtWall(zone: ZoneOffsets, wall: number): number {
  // The zone's offsets half a day either side cover any one transition.
  const a = wall - wallClockMs(zone, wall - DAY_MS / 2) + (wall - DAY_MS / 2);
  const b = wall - wallClockMs(zone, wall + DAY_MS / 2) + (wall + DAY_MS / 2);
  const lo = Math.min(a, b);
  const hi = Math.max(a, b);
  if (wallClockMs(zone, lo) === wall) return lo;
  if (wallClockMs(zone, hi) === wall) return hi;
  // In a gap: find the first minute at or after it (offsets change on whole minutes).
  let l = Math.floor(lo / MINUTE_MS);
  let h = Math.ceil(hi / MINUTE_MS);
  while (l < h) {
    const mid = Math.floor((l + h) / 2);
    if (wallClockMs(zone, mid * MINUTE_MS) >= wall) h = mid;
    else l = mid + 1;
  }
  return l * MINUTE_MS;
}

/** The working intervals (instants, [from, until)) of one local date, empty when closed. */
function intervalsOn(cal: WorkCalendar, zone: ZoneOffsets, dayNumber: number): { from: number; until: number }[] {
  const midnight = dayNumber * DAY_MS;
  const date = wallDate(midnight);
  if (closedMap(cal).has(date)) return [];
  const day = WEEKDAYS_FROM_MONDAY[wallWeekdayIndex(midnight)] as Weekday;
  const out: { from: number; until: number }[] = [];
  for (const s of spansOf(cal, day)) {
    const from = instantAtWall(zone, midnight + s.start * MINUTE_MS);
    const until = instantAtWall(zone, midnight + s.end * MINUTE_MS);
    if (until > from) out.push({ from, until });
  }
  return out;
}

/** True when `instant` is working time in the calendar: an open date, inside one of the day's spans. */
export function isWorkingAt(instant: number, cal: WorkCalendar): boolean {
  const zone = zoneOffsets(cal.timeZone);
  const wall = wallClockMs(zone, instant);
  if (closedMap(cal).has(wallDate(wall))) return false;
  const minutes = wallMinutes(wall);
  const day = WEEKDAYS_FROM_MONDAY[wallWeekdayIndex(wall)] as Weekday;
  return spansOf(cal, day).some((s) => s.start <= minutes && minutes < s.end);
}

/**
 * The instant `ms` of working time after `start`: time inside the calendar's spans on open dates counts,
 * nights, breaks, days off, holidays and company days off do not. A deadline that lands on the end of a
 * span is that end (17:45 + 15 minutes with hours until 18:00 is 18:00). Null when the calendar has no
 * working time in the next 800 days. Zero ms is `start` itself.
 */
export function addWorkingTime(start: number, ms: number, cal: WorkCalendar): number | null {
  if (ms <= 0) return start;
  const zone = zoneOffsets(cal.timeZone);
  // Start one day early: a span of yesterday's date can still be running (a night shift to 24:00 is not,
  // but a wall day whose end was pushed by a transition is).
  const first = Math.floor(wallClockMs(zone, start) / DAY_MS) - 1;
  let remaining = ms;
  for (let d = first; d < first + SEARCH_DAYS; d++) {
    for (const iv of intervalsOn(cal, zone, d)) {
      const from = Math.max(iv.from, start);
      if (iv.until <= from) continue;
      const available = iv.until - from;
      if (remaining <= available) return from + remaining;
      remaining -= available;
    }
  }
  return null;
}

/** Minutes as the SLA lines write them. */
export function addWorkingMinutes(start: number, minutes: number, cal: WorkCalendar): number | null {
  return addWorkingTime(start, minutes * MINUTE_MS, cal);
}
