// Periods of the caps: a day, a week (Monday to Sunday) and a calendar month, as ranges of local dates
// (`YYYY-MM-DD`) in the zone the caps count in. Counts are kept per local day (rep_daily_counts in
// production, the memory state in simulation), so a week's or month's count is the sum of its days: one
// set of rows, written under one lock, serves every period, and nothing else needs keeping consistent.
import type { Rep } from '../directory/schema';
import { dayKey } from './working-hours';

const DAY_MS = 86_400_000;
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'] as const;
const SHORT_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;
const SHORT_DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;

/** A range of local dates, both ends included. */
export interface DayRange {
  from: string;
  to: string;
}

/** Days since the epoch of a `YYYY-MM-DD` date (UTC calendar arithmetic, no zone involved). */
function dayNumber(day: string): number {
  return Math.floor(Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10))) / DAY_MS);
}

function dateOf(n: number): string {
  const d = new Date(n * DAY_MS);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + 1;
  const dd = d.getUTCDate();
  return `${String(y).padStart(4, '0')}-${m < 10 ? '0' : ''}${m}-${dd < 10 ? '0' : ''}${dd}`;
}

/** The date `n` days after `day` (before, for negative `n`). */
export function addDays(day: string, n: number): string {
  return dateOf(dayNumber(day) + n);
}

const weeks = new Map<string, DayRange>();
const months = new Map<string, DayRange>();

/** The week (Monday to Sunday) that holds `day`. */
export function weekOf(day: string): DayRange {
  let w = weeks.get(day);
  if (w === undefined) {
    const n = dayNumber(day);
    // 1970-01-01 was a Thursday, index 3 counted from Monday.
    const monday = n - ((((n + 3) % 7) + 7) % 7);
    w = { from: dateOf(monday), to: dateOf(monday + 6) };
    if (weeks.size > 4096) weeks.clear();
    weeks.set(day, w);
  }
  return w;
}

/** The calendar month that holds `day`. */
export function monthOf(day: string): DayRange {
  let m = months.get(day);
  if (m === undefined) {
    const y = Number(day.slice(0, 4));
    const mo = Number(day.slice(5, 7));
    const last = new Date(Date.UTC(y, mo, 0)).getUTCDate();
    m = { from: `${day.slice(0, 7)}-01`, to: `${day.slice(0, 7)}-${String(last).padStart(2, '0')}` };
    if (months.size > 4096) months.clear();
    months.set(day, m);
  }
  return m;
}

function shortDate(day: string): string {
  const n = dayNumber(day);
  const weekday = SHORT_DAYS[(((n + 3) % 7) + 7) % 7] as string;
  return `${weekday} ${Number(day.slice(8, 10))} ${SHORT_MONTHS[Number(day.slice(5, 7)) - 1] as string}`;
}

/** `Mon 30 Nov–Sun 6 Dec`: a week as a reason names it. */
export function describeWeek(w: DayRange): string {
  return `${shortDate(w.from)}–${shortDate(w.to)}`;
}

/** `December 2026`: a month as a reason names it. */
export function describeMonth(m: DayRange): string {
  return `${MONTHS[Number(m.from.slice(5, 7)) - 1] as string} ${m.from.slice(0, 4)}`;
}

/** The time zone a rep's day, week and month caps count in: their own, or the workspace's. */
export function capsZoneOf(rep: Pick<Rep, 'timeZone' | 'capsTimeZone'>, workspaceTimeZone: string): string {
  return rep.capsTimeZone === 'workspace' ? workspaceTimeZone : rep.timeZone;
}

/** The local date a lead assigned to the rep at `now` counts on: the key of its per-day count. */
export function capsDayKey(rep: Pick<Rep, 'timeZone' | 'capsTimeZone'> | undefined, workspaceTimeZone: string, now: number): string {
  return dayKey(now, rep === undefined ? 'UTC' : capsZoneOf(rep, workspaceTimeZone));
}

/** Whether an assignment from this pool counts toward a team's caps: pools of teams only. */
export function isTeamPool(poolKey: string | null | undefined): poolKey is string {
  return typeof poolKey === 'string' && poolKey.startsWith('team:');
}

/** The sum of the per-day counts in a range; `counts` maps local dates to counts. */
export function sumDays(counts: ReadonlyMap<string, number> | undefined, range: DayRange): number {
  if (counts === undefined) return 0;
  let n = 0;
  for (const [day, c] of counts) if (day >= range.from && day <= range.to) n += c;
  return n;
}

/**
 * How far back a period's first day can lie from today, in days: a month's first day is at most 30 days
 * before its last, a week's Monday 6 days before its Sunday. Production reads this many days of counts.
 */
export const PERIOD_REACH_DAYS = 31;
