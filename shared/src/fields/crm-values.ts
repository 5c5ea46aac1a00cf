// Values as CRM exports write them, read into what a lead field holds: numbers with thousands separators
// and currencies ("1,200", "$5,000,000.00", "5.000.000 €"), HubSpot's employee ranges ("500-1000"), dates
// in the exports' formats (Salesforce reports' 1/15/2026 and 1/15/2026 9:30 AM, Data Loader's ISO instants,
// HubSpot's 2026-01-15 09:30), and country names as ISO codes. What cannot be read unambiguously is refused
// with the reason, never guessed.

/** A value read, or why it could not be. */
export type CrmValue<T> = { ok: true; value: T } | { ok: false; message: string };

/** How a column writes day and month in numeric dates such as 03/04/2026. */
export type DateOrder = 'month-first' | 'day-first';

const CURRENCY_SYMBOLS = /^[$€£¥₹]|[$€£¥₹]$/g;
const CURRENCY_CODE = /^[A-Z]{3}\s+|\s+[A-Z]{3}$/;
const SPACES = /[\s\u00a0\u202f]/g;

const quote = (t: string) => JSON.stringify(t.length > 40 ? `${t.slice(0, 37)}...` : t);

/**
 * A number as exports write it: thousands separated by "," (1,200), "." (5.000.000), spaces or apostrophes,
 * a decimal "." or "," (12,5 when nothing else says otherwise), with a currency symbol or code before or
 * after. Abbreviations (5M, 10k) and percentages are refused: their meaning is the writer's, not the file's.
 * `whole` refuses fractions (a head count).
 */
export function parseCrmNumber(text: string, options?: { whole?: boolean; ranges?: boolean }): CrmValue<number> {
  const original = text.trim();
  let t = original.replace(CURRENCY_CODE, '').replace(CURRENCY_SYMBOLS, '').replace(SPACES, '');
  // HubSpot writes its contacts' "Number of Employees" as ranges: the least the company can have.
  const range = options?.ranges === true ? /^(\d[\d,.]*)(?:-\d[\d,.]*|\+)$/.exec(t) : null;
  if (range) t = range[1] ?? t;
  const negative = t.startsWith('-');
  if (negative || t.startsWith('+')) t = t.slice(1);
  if (/^\d+(?:[.,]\d+)?[kmb]n?$/i.test(t)) return { ok: false, message: `${quote(original)} is abbreviated; write the number in full, e.g. 5000000` };
  if (t.endsWith('%')) return { ok: false, message: `${quote(original)} is a percentage, not a number` };
  const digits = readDigits(t.replace(/'/g, ''));
  if (digits === undefined) return { ok: false, message: `${quote(original)} is not a number` };
  const n = Number(digits) * (negative ? -1 : 1);
  if (!Number.isFinite(n)) return { ok: false, message: `${quote(original)} is not a number` };
  if (options?.whole === true && !Number.isInteger(n)) return { ok: false, message: `${quote(original)} is not a whole number` };
  return { ok: true, value: n === 0 ? 0 : n };
}

// The plain decimal spelling of a separated number, or undefined when the separators do not make sense.
function readDigits(t: string): string | undefined {
  if (/^\d+$/.test(t)) return t;
  const lastDot = t.lastIndexOf('.');
  const lastComma = t.lastIndexOf(',');
  if (lastDot >= 0 && lastComma >= 0) {
    // Both: the later one is the decimal mark, the other groups thousands (1,234.56 or 1.234,56).
    const [group, decimal] = lastDot > lastComma ? [',', '.'] : ['.', ','];
    const [int = '', frac = ''] = t.split(decimal);
    if (t.split(decimal).length !== 2 || !/^\d+$/.test(frac) || !grouped(int, group)) return undefined;
    return `${int.split(group).join('')}.${frac}`;
  }
  const mark = lastDot >= 0 ? '.' : ',';
  const parts = t.split(mark);
  if (parts.some((p) => !/^\d+$/.test(p))) return undefined;
  // Two or more marks group thousands (5.000.000, 1,200,000); so does one comma before exactly three digits
  // (1,200, as US exports write it). Otherwise one mark is the decimal one (12.5, 5000000.00, 12,5).
  if (parts.length > 2) return grouped(t, mark) ? parts.join('') : undefined;
  if (mark === ',' && (parts[1] ?? '').length === 3) return parts.join('');
  return parts.join('.');
}

function grouped(int: string, sep: string): boolean {
  const parts = int.split(sep);
  return /^\d{1,3}$/.test(parts[0] ?? '') && parts.slice(1).every((p) => /^\d{3}$/.test(p));
}

const ISO = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/i;
const NUMERIC = /^(\d{1,2})([/.])(\d{1,2})\2(\d{4})(?:,?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?)?$/;

/**
 * The order a date column writes day and month in: day-first when one of its numeric dates has a first
 * part over 12 (or uses dots, 15.01.2026), month-first when one has a second part over 12 or nothing tells
 * (Salesforce's US default). Both seen in one column is a problem the caller reports.
 */
export function dateOrderOf(values: readonly string[]): DateOrder | { mixed: [string, string] } {
  let dayFirst: string | undefined;
  let monthFirst: string | undefined;
  for (const v of values) {
    const m = NUMERIC.exec(v.trim());
    if (!m) continue;
    if (Number(m[1]) > 12 || (m[2] === '.' && Number(m[3]) <= 12)) dayFirst ??= v.trim();
    else if (Number(m[3]) > 12) monthFirst ??= v.trim();
  }
  if (dayFirst !== undefined && monthFirst !== undefined) return { mixed: [monthFirst, dayFirst] };
  return dayFirst !== undefined ? 'day-first' : 'month-first';
}

/**
 * A date or date-time as ISO 8601 text: ISO as it is (2026-01-15T09:30:00.000Z, HubSpot's 2026-01-15 09:30),
 * and numeric dates in the column's order with an optional time, 12- or 24-hour (1/15/2026 9:30 AM).
 * A time without a zone is read as UTC, as ingestion reads one.
 */
export function parseCrmDate(text: string, order: DateOrder): CrmValue<string> {
  const t = text.trim();
  if (ISO.test(t)) return { ok: true, value: t.replace(' ', 'T') };
  const m = NUMERIC.exec(t);
  const bad = { ok: false as const, message: `${quote(t)} is not a date; write it as 2026-01-15, 1/15/2026 or 1/15/2026 9:30 AM` };
  if (!m) return bad;
  const [, a = '', , b = '', y = '', hs, mins, secs, ampm] = m;
  const [month, day] = order === 'month-first' ? [Number(a), Number(b)] : [Number(b), Number(a)];
  if (month < 1 || month > 12 || day < 1 || day > daysIn(Number(y), month)) return { ok: false, message: `${quote(t)} is not a date (${order === 'month-first' ? 'month/day/year' : 'day/month/year'})` };
  const date = `${y}-${pad(month)}-${pad(day)}`;
  if (hs === undefined || mins === undefined) return { ok: true, value: date };
  let hour = Number(hs);
  if (ampm !== undefined) {
    if (hour < 1 || hour > 12) return bad;
    hour = (hour % 12) + (ampm.toLowerCase() === 'pm' ? 12 : 0);
  }
  if (hour > 23 || Number(mins) > 59 || Number(secs ?? 0) > 59) return bad;
  return { ok: true, value: `${date}T${pad(hour)}:${mins}:${secs ?? '00'}Z` };
}

const pad = (n: number) => String(n).padStart(2, '0');

function daysIn(y: number, month: number): number {
  if (month === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

// Country names (English, as both CRMs' picklists write them) -> ISO 3166 alpha-2, built once from Intl.
let countries: Map<string, string> | undefined;
const COUNTRY_ALIASES: ReadonlyArray<readonly [string, string]> = [
  ['usa', 'US'],
  ['unitedstatesofamerica', 'US'],
  ['us', 'US'],
  ['uk', 'GB'],
  ['england', 'GB'],
  ['greatbritain', 'GB'],
  ['thenetherlands', 'NL'],
  ['czechrepublic', 'CZ'],
  ['russianfederation', 'RU'],
  ['korearepublicof', 'KR'],
];

function countryTable(): Map<string, string> {
  if (countries) return countries;
  const table = new Map<string, string>(COUNTRY_ALIASES);
  const names = new Intl.DisplayNames(['en'], { type: 'region' });
  for (let i = 0; i < 26 * 26; i++) {
    const code = String.fromCharCode(65 + Math.floor(i / 26), 65 + (i % 26));
    const name = names.of(code);
    const key = name?.toLowerCase().replace(/[^\p{L}]+/gu, '');
    // Withdrawn and reserved codes (DD, UK, SU) carry today's names too: only current codes are kept.
    if (key === undefined || name === code || name === 'Unknown Region' || new Intl.Locale('und', { region: code }).region !== code) continue;
    if (!table.has(key)) table.set(key, code);
  }
  countries = table;
  return table;
}

/** The ISO 3166 alpha-2 code of a country name or code ("United States", "USA", "de"), else the text as it is. */
export function countryCode(text: string): string {
  const t = text.trim();
  const key = t.toLowerCase().replace(/[^\p{L}]+/gu, '');
  if (/^[A-Za-z]{2}$/.test(t)) return COUNTRY_ALIASES.find(([alias]) => alias === key)?.[1] ?? t.toUpperCase();
  return countryTable().get(key) ?? t;
}
