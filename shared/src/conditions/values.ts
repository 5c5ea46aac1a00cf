/**
 * Reading condition operands and lead values as numbers, booleans and dates. Shared by the static checker
 * and the evaluator so that what the compiler accepts is exactly what runs.
 */

/** A date read from an ISO 8601 string. */
export interface IsoDate {
  /** The instant, ms since the epoch (a date-only value is midnight UTC). */
  ms: number;
  /** The calendar date as written, `YYYY-MM-DD`: the day in the value's own offset, not in UTC. */
  day: string;
  /** True for a bare `YYYY-MM-DD`, which means a whole calendar day rather than an instant. */
  dateOnly: boolean;
}

// Strict decimal only: Number() would also take '0x1A', '  ', 'Infinity' and '1_000'-like surprises.
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** A finite number from a number or a decimal string (trimmed); null for anything else. */
export function toNumber(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v !== 'string') return null;
  const s = v.trim();
  if (s === '' || !DECIMAL.test(s)) return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : null;
}

/** A boolean from true/false or the strings "true"/"false" (trimmed, any case); null for anything else. */
export function toBoolean(v: unknown): boolean | null {
  if (typeof v === 'boolean') return v;
  if (typeof v !== 'string') return null;
  const s = v.trim().toLowerCase();
  return s === 'true' ? true : s === 'false' ? false : null;
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

/** Days from 1970-01-01 to a proleptic Gregorian date (Hinnant's days_from_civil): pure arithmetic, no host clock or zone. */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const mp = (m + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Reads `len` ASCII digits at `i`, or -1. Hand-rolled: this runs per lead on the hot path. */
function digits(s: string, i: number, len: number): number {
  if (i + len > s.length) return -1;
  let n = 0;
  for (let k = i; k < i + len; k++) {
    const c = s.charCodeAt(k) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

/**
 * Parses an ISO 8601 date (`2024-05-01`) or date-time (`2024-05-01T09:30`, `...:15`, `...:15.250`, with `Z`
 * or `+02:00` / `+0200`). A date-time without an offset is read as UTC: `Date.parse` would read it in the
 * host's zone, and the same lead must route the same way on every machine. Null when not a valid date.
 */
export function parseIsoDate(v: unknown): IsoDate | null {
  if (typeof v !== 'string') return null;
  const s = v.trim();
  const y = digits(s, 0, 4);
  if (y < 0 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return null;
  const mo = digits(s, 5, 2);
  const d = digits(s, 8, 2);
  if (mo < 1 || mo > 12 || d < 1) return null;
  const dim = mo === 2 && !isLeap(y) ? 28 : (DAYS_IN_MONTH[mo - 1] ?? 0);
  if (d > dim) return null;
  const day = s.slice(0, 10);
  const dayMs = daysFromCivil(y, mo, d) * 86_400_000;
  if (s.length === 10) return { ms: dayMs, day, dateOnly: true };

  const sep = s.charCodeAt(10);
  if (sep !== 84 /* T */ && sep !== 116 /* t */ && sep !== 32 /* space */) return null;
  const hh = digits(s, 11, 2);
  const mi = digits(s, 14, 2);
  if (hh < 0 || hh > 23 || s.charCodeAt(13) !== 58 || mi < 0 || mi > 59) return null;
  let i = 16;
  let sec = 0;
  let frac = 0;
  if (s.charCodeAt(i) === 58 /* : */) {
    sec = digits(s, i + 1, 2);
    if (sec < 0 || sec > 59) return null;
    i += 3;
    if (s.charCodeAt(i) === 46 /* . */ || s.charCodeAt(i) === 44 /* , */) {
      i++;
      // Milliseconds are the first three fraction digits; finer digits are read and dropped, not rounded.
      let count = 0;
      while (i < s.length) {
        const c = s.charCodeAt(i) - 48;
        if (c < 0 || c > 9) break;
        if (count < 3) frac = frac * 10 + c;
        count++;
        i++;
      }
      if (count === 0 || count > 9) return null;
      if (count === 1) frac *= 100;
      else if (count === 2) frac *= 10;
    }
  }
  let offsetMin = 0;
  if (i < s.length) {
    const c = s.charCodeAt(i);
    if ((c === 90 /* Z */ || c === 122 /* z */) && i === s.length - 1) {
      offsetMin = 0;
    } else if (c === 43 /* + */ || c === 45 /* - */) {
      const oh = digits(s, i + 1, 2);
      const colon = s.charCodeAt(i + 3) === 58;
      const om = digits(s, colon ? i + 4 : i + 3, 2);
      const end = colon ? i + 6 : i + 5;
      if (oh < 0 || oh > 23 || om < 0 || om > 59 || end !== s.length) return null;
      offsetMin = (c === 45 ? -1 : 1) * (oh * 60 + om);
    } else {
      return null;
    }
  }
  const ms = dayMs + ((hh * 60 + mi - offsetMin) * 60 + sec) * 1000 + frac;
  return { ms, day, dateOnly: false };
}
