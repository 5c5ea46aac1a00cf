// Out-of-office periods, parsed once per list, and when the absence covering an instant ends. Internal to
// assignment/ (not re-exported by the package); `outOfOfficeUntil` in `working-hours.ts` is the public face.
import type { Rep } from '../directory/schema';

/** An out-of-office period as instants: [from, until). */
export interface Period {
  from: number;
  until: number;
}

// Parsed out-of-office periods per list object: eligibility asks for every candidate on every assignment.
const parsedPeriods = new WeakMap<object, readonly Period[]>();
const NO_PERIODS: readonly Period[] = [];

/** The rep's out-of-office periods, parsed once per list; unreadable or empty periods left out. */
export function outOfOfficePeriods(rep: Rep): readonly Period[] {
  const list = rep.outOfOffice;
  if (list === undefined || list === null || list.length === 0) return NO_PERIODS;
  let periods = parsedPeriods.get(list);
  if (periods === undefined) {
    periods = list
      .map((o) => ({ from: Date.parse(o.from), until: Date.parse(o.until) }))
      .filter((p) => Number.isFinite(p.from) && Number.isFinite(p.until) && p.from < p.until);
    parsedPeriods.set(list, periods);
  }
  return periods;
}

/** When the absence covering `now` ends, through overlapping or touching periods; null when none covers it. */
export function absenceEnd(periods: readonly Period[], now: number): number | null {
  const n = periods.length;
  if (n === 0) return null;
  let found = false;
  let until = 0;
  for (let i = 0; i < n; i++) {
    const p = periods[i] as Period;
    if (p.from <= now && now < p.until && (!found || p.until > until)) {
      until = p.until;
      found = true;
    }
  }
  if (!found) return null;
  // Extend through later periods that start before (or exactly when) the current one ends.
  let extended = true;
  while (extended) {
    extended = false;
    for (let i = 0; i < n; i++) {
      const p = periods[i] as Period;
      if (p.from <= until && p.until > until) {
        until = p.until;
        extended = true;
      }
    }
  }
  return until;
}

