import type { Rep, Weekday, WorkingHours } from '../directory/schema';
import { absenceEnd, outOfOfficePeriods } from './absence';
import { localTimeFromIcu, wallClockMs, wallDate, wallMinutes, wallWeekdayIndex, WEEKDAYS_FROM_MONDAY, zoneOffsets, zoneWallDate } from './wall-clock';

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

/** The weekday, minutes since midnight and date on the wall clock of `timeZone` at instant `now` (ms since epoch). */
export function localTime(now: number, timeZone: string): LocalTime {
  const wall = wallClockMs(zoneOffsets(timeZone), now);
  return { day: WEEKDAYS_FROM_MONDAY[wallWeekdayIndex(wall)] as Weekday, minutes: wallMinutes(wall), date: wallDate(wall) };
}

/** The same reading straight from ICU, without the offset cache; tests hold `localTime` to it. */
export function localTimeUncached(now: number, timeZone: string): LocalTime {
  return localTimeFromIcu(now, timeZone);
}

/** The local calendar date (YYYY-MM-DD) in `timeZone` at `now`: the key of per-day caps. */
export function dayKey(now: number, timeZone: string): string {
  const zone = zoneOffsets(timeZone);
  return zoneWallDate(zone, wallClockMs(zone, now));
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
export function outOfOfficeUntil(rep: Rep, now: number): number | null {
  return absenceEnd(outOfOfficePeriods(rep), now);
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
