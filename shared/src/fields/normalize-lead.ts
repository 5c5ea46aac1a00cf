import type { FieldCatalog, FieldDef } from './catalog';
import { isFreeMailDomain } from './free-mail';
import { forbiddenLeadKey, isMissing, type Lead, type LeadValue } from './lead';

/** The most fields one lead may carry, counted on the input. */
export const MAX_LEAD_FIELDS = 200;

/** The longest text a lead value may hold, in UTF-16 code units. */
export const MAX_LEAD_TEXT_LENGTH = 10_000;

/** The longest name an uncatalogued (custom) field may have. */
export const MAX_CUSTOM_FIELD_NAME_LENGTH = 200;

/** One thing wrong with a lead: the field it concerns ('' for the lead as a whole), a code and a message. */
export interface FieldProblem {
  field: string;
  code: 'invalid_lead' | 'invalid_field_value';
  message: string;
}

/** How lenient normalizeLead is. */
export interface NormalizeLeadOptions {
  /** Also read loosely written numbers from text ("1,200", " 1e3 ") and epoch-ms timestamps from digit strings (CSV imports). */
  coerceStrings?: boolean;
}

/** What normalizeLead returns: the clean lead, or every problem found. */
export type NormalizeLeadResult =
  | { ok: true; lead: Lead; custom: string[] }
  | { ok: false; problems: FieldProblem[] };

// Year 0000 to year 9999 in UTC: inside it toISOString always writes a 4-digit year, so it re-parses.
const MIN_DATE_MS = -62_167_219_200_000;
const MAX_DATE_MS = 253_402_300_799_999;

const STRICT_NUMBER = /^[+-]?\d+(?:\.\d+)?$/;
const GROUPED_NUMBER = /^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$/;
const LOOSE_NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;
const BOOLEAN_WORDS: ReadonlyMap<string, boolean> = new Map([
  ['true', true],
  ['false', false],
  ['yes', true],
  ['no', false],
  ['1', true],
  ['0', false],
]);
// Postgres text and jsonb cannot store NUL, and jsonb rejects unpaired surrogates: clean them before they get there.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const HAS_LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

type Parsed = { ok: true; value: LeadValue } | { ok: false; message: string };

/**
 * Validates and normalises an incoming lead against the field catalog. Never throws: anything that is
 * not a usable lead comes back as problems, all of them at once.
 */
export function normalizeLead(
  input: unknown,
  catalog: FieldCatalog,
  options?: NormalizeLeadOptions,
): NormalizeLeadResult {
  try {
    return normalize(input, catalog, options?.coerceStrings === true);
  } catch {
    // Only hostile inputs get here (a Proxy or getter that throws): still an answer, not a crash.
    return { ok: false, problems: [{ field: '', code: 'invalid_lead', message: 'the lead could not be read' }] };
  }
}

function normalize(input: unknown, catalog: FieldCatalog, coerce: boolean): NormalizeLeadResult {
  if (!isPlainObject(input)) {
    return fail('', 'invalid_lead', `a lead must be a JSON object; got ${describe(input)}`);
  }
  const keys = Object.keys(input);
  if (keys.length > MAX_LEAD_FIELDS) {
    return fail('', 'invalid_lead', `a lead may have at most ${MAX_LEAD_FIELDS} fields; this one has ${keys.length}`);
  }

  const lead: Lead = {};
  const custom: string[] = [];
  const problems: FieldProblem[] = [];
  const refuse = (field: string, message: string): void => {
    problems.push({ field, code: 'invalid_field_value', message });
  };

  for (const key of keys) {
    const forbidden = forbiddenLeadKey(key);
    if (forbidden !== null) {
      refuse(key, forbidden);
      continue;
    }
    const raw = input[key];
    // An undefined property is an absent one (JSON cannot even express it).
    if (raw === undefined) continue;
    const def = catalog.fields.get(key);
    if (def) {
      // Routers set system fields and `location` is computed: what a sender puts there is not trusted.
      if (def.system === true || def.type === 'location') continue;
      const r = parseField(def, raw, coerce);
      if (r.ok) lead[key] = r.value;
      else refuse(key, r.message);
      continue;
    }
    const name = showKey(key);
    if (key.trim() === '') {
      refuse(key, 'a field needs a name');
      continue;
    }
    if (key.length > MAX_CUSTOM_FIELD_NAME_LENGTH) {
      refuse(key, `the field name ${name} is longer than ${MAX_CUSTOM_FIELD_NAME_LENGTH} characters`);
      continue;
    }
    if (hasControlChar(key) || HAS_LONE_SURROGATE.test(key)) {
      refuse(key, `the field name ${name} contains control or malformed characters`);
      continue;
    }
    const r = parseCustom(name, raw);
    if (r.ok) {
      lead[key] = r.value;
      custom.push(key);
    } else refuse(key, r.message);
  }

  if (problems.length > 0) return { ok: false, problems };
  deriveDomain(lead, catalog);
  return { ok: true, lead, custom };
}

function fail(field: string, code: FieldProblem['code'], message: string): NormalizeLeadResult {
  return { ok: false, problems: [{ field, code, message }] };
}

// Plain means a `{...}` literal or JSON.parse result from any realm (the workflow sandbox is another realm),
// or a null-prototype object: never an array, Date, Map or class instance.
function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  if (Object.prototype.toString.call(v) !== '[object Object]') return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === null || Object.getPrototypeOf(proto) === null;
}

function parseField(def: FieldDef, raw: unknown, coerce: boolean): Parsed {
  const name = def.key;
  if (raw === null) return { ok: true, value: null };
  if (typeof raw === 'string' && raw.length > MAX_LEAD_TEXT_LENGTH) return tooLong(name, raw);
  switch (def.type) {
    case 'text':
      return name === 'email' ? parseEmail(raw) : parseText(name, raw);
    case 'number':
      return parseNumber(name, raw, coerce);
    case 'boolean':
      return parseBoolean(name, raw);
    case 'date':
      return parseDate(name, raw, coerce);
    case 'picklist':
      return parsePicklist(name, raw, def.options ?? []);
    case 'location':
      return { ok: true, value: null };
  }
}

/** One address: a local part, an @ and a dotted domain, nothing blank; routing reads its domain and mails it. */
const EMAIL_SHAPE = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;
const MAX_EMAIL_LENGTH = 254;

function parseEmail(raw: unknown): Parsed {
  const text = parseText('email', raw);
  if (!text.ok || typeof text.value !== 'string' || text.value === '') return text;
  const v = text.value;
  if (v.length > MAX_EMAIL_LENGTH) return { ok: false, message: `email is ${v.length} characters long; an email address has at most ${MAX_EMAIL_LENGTH}` };
  if (!EMAIL_SHAPE.test(v)) return { ok: false, message: `email must be an email address such as name@example.com; got ${JSON.stringify(v.length > 60 ? `${v.slice(0, 60)}…` : v)}` };
  return text;
}

function parseText(name: string, raw: unknown): Parsed {
  if (typeof raw === 'string') return { ok: true, value: cleanText(raw) };
  // Webhooks send postal codes, phone numbers and ids as numbers: the text is what was meant.
  if (typeof raw === 'number' && Number.isFinite(raw)) return { ok: true, value: String(raw) };
  return { ok: false, message: `${name} must be text; got ${describe(raw)}` };
}

function parseNumber(name: string, raw: unknown, coerce: boolean): Parsed {
  if (typeof raw === 'number') {
    if (Number.isFinite(raw)) return { ok: true, value: raw === 0 ? 0 : raw };
  } else if (typeof raw === 'string') {
    const t = raw.trim();
    if (t === '') return { ok: true, value: null };
    const n = readNumber(t, coerce);
    if (n !== undefined) return { ok: true, value: n };
  }
  return { ok: false, message: `${name} must be a number; got ${describe(raw)}` };
}

// Strict: what a webhook writes when it quotes a number ("650", "-12.5"). Loose adds "1,200" and "1e3".
function readNumber(t: string, coerce: boolean): number | undefined {
  let s: string;
  if (STRICT_NUMBER.test(t)) s = t;
  else if (!coerce) return undefined;
  else if (GROUPED_NUMBER.test(t)) s = t.replace(/,/g, '');
  else if (LOOSE_NUMBER.test(t)) s = t;
  else return undefined;
  const n = Number(s);
  if (!Number.isFinite(n)) return undefined;
  return n === 0 ? 0 : n;
}

function parseBoolean(name: string, raw: unknown): Parsed {
  if (typeof raw === 'boolean') return { ok: true, value: raw };
  if (raw === 1 || raw === 0) return { ok: true, value: raw === 1 };
  if (typeof raw === 'string') {
    const t = raw.trim().toLowerCase();
    if (t === '') return { ok: true, value: null };
    const b = BOOLEAN_WORDS.get(t);
    if (b !== undefined) return { ok: true, value: b };
  }
  return { ok: false, message: `${name} must be true or false (or yes/no, 1/0); got ${describe(raw)}` };
}

function parseDate(name: string, raw: unknown, coerce: boolean): Parsed {
  if (typeof raw === 'number') {
    const iso = epochToIso(raw);
    if (iso !== undefined) return { ok: true, value: iso };
  } else if (typeof raw === 'string') {
    const t = raw.trim();
    if (t === '') return { ok: true, value: null };
    const iso = canonicalIsoDate(t) ?? (coerce && /^-?\d{1,16}$/.test(t) ? epochToIso(Number(t)) : undefined);
    if (iso !== undefined) return { ok: true, value: iso };
  }
  return {
    ok: false,
    message: `${name} must be a date such as 2024-05-01 or 2024-05-01T09:30:00Z, or a time in epoch milliseconds; got ${describe(raw)}`,
  };
}

// Epoch ms as a UTC ISO string, for instants toISOString writes with a 4-digit year (so they re-parse).
function epochToIso(ms: number): string | undefined {
  if (!Number.isFinite(ms) || ms < MIN_DATE_MS || ms > MAX_DATE_MS) return undefined;
  return new Date(Math.floor(ms)).toISOString();
}

/**
 * The canonical spelling of an ISO 8601 date or date-time, or undefined when `t` is not a valid one.
 * A bare date stays a bare date (conditions treat it as a whole day, not an instant). A date-time is written
 * out in full, `YYYY-MM-DDTHH:mm:ss.sss` plus `Z` or its own `±HH:MM` offset: keeping the offset keeps the
 * calendar day the sender meant. No offset means UTC, on every machine, unlike Date.parse.
 */
function canonicalIsoDate(t: string): string | undefined {
  const m = ISO_DATE.exec(t);
  if (!m) return undefined;
  const [, ys = '', mos = '', ds = '', hs, mis, ss, frac, zone] = m;
  const y = Number(ys);
  const mo = Number(mos);
  const d = Number(ds);
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return undefined;
  const date = `${ys}-${mos}-${ds}`;
  if (hs === undefined || mis === undefined) return date;
  const sec = ss ?? '00';
  if (Number(hs) > 23 || Number(mis) > 59 || Number(sec) > 59) return undefined;
  // Milliseconds are the first three fraction digits; finer ones are dropped, as the condition reader does.
  const ms = (frac ?? '').slice(0, 3).padEnd(3, '0');
  let offset = 'Z';
  if (zone !== undefined && zone.toUpperCase() !== 'Z') {
    const oh = zone.slice(1, 3);
    const om = zone.slice(-2);
    if (Number(oh) > 23 || Number(om) > 59) return undefined;
    if (oh !== '00' || om !== '00') offset = `${zone[0] ?? '+'}${oh}:${om}`;
  }
  return `${date}T${hs}:${mis}:${sec}.${ms}${offset}`;
}

function daysInMonth(y: number, mo: number): number {
  if (mo === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return mo === 4 || mo === 6 || mo === 9 || mo === 11 ? 30 : 31;
}

function parsePicklist(name: string, raw: unknown, options: readonly string[]): Parsed {
  let s: string | undefined;
  if (typeof raw === 'string') s = cleanText(raw) ?? '';
  else if (typeof raw === 'number' && Number.isFinite(raw)) s = String(raw);
  if (s === undefined) return { ok: false, message: `${name} must be one of ${listOptions(options)}; got ${describe(raw)}` };
  if (s === '') return { ok: true, value: null };
  // A picklist declared without options cannot refuse anything meaningfully: keep the text.
  if (options.length === 0) return { ok: true, value: s };
  const exact = options.find((o) => o === s);
  if (exact !== undefined) return { ok: true, value: exact };
  const lower = s.toLowerCase();
  const loose = options.find((o) => o.trim().toLowerCase() === lower);
  if (loose !== undefined) return { ok: true, value: loose };
  return { ok: false, message: `${name} must be one of ${listOptions(options)}; got ${describe(raw)}` };
}

function listOptions(options: readonly string[]): string {
  const shown = options.slice(0, 8).map((o) => JSON.stringify(o));
  const more = options.length - shown.length;
  return more > 0 ? `${shown.join(', ')} and ${more} more` : shown.join(', ');
}

function parseCustom(name: string, raw: unknown): Parsed {
  if (raw === null || typeof raw === 'boolean') return { ok: true, value: raw };
  if (typeof raw === 'number') {
    if (Number.isFinite(raw)) return { ok: true, value: raw === 0 ? 0 : raw };
  } else if (typeof raw === 'string') {
    if (raw.length > MAX_LEAD_TEXT_LENGTH) return tooLong(name, raw);
    return { ok: true, value: cleanText(raw) };
  }
  return { ok: false, message: `${name} must be text, a number, true/false or empty; got ${describe(raw)}` };
}

function tooLong(name: string, raw: string): Parsed {
  return {
    ok: false,
    message: `${name} is too long (${raw.length} characters; at most ${MAX_LEAD_TEXT_LENGTH})`,
  };
}

// Trimmed, storable text; blank becomes null so "missing" has one spelling.
function cleanText(raw: string): string | null {
  const t = raw.replaceAll('\u0000', '').replace(LONE_SURROGATE, '\ufffd').trim();
  return t === '' ? null : t;
}

function hasControlChar(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}

// Custom field names come from senders: quote them and keep them short inside messages.
function showKey(key: string): string {
  return JSON.stringify(key.length > 60 ? `${key.slice(0, 57)}...` : key);
}

/** A received value as a message shows it: text quoted and shortened, structures by kind. */
function describe(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 37)}...` : v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v === null) return 'null';
  if (v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'an object';
  return `a ${typeof v}`;
}

/**
 * Fills `domain` when it is missing: from the website's host, else from the email address unless that is a
 * free-mail address. A given domain is cleaned to a bare host the same way, so the result re-normalises to itself.
 */
function deriveDomain(lead: Lead, catalog: FieldCatalog): void {
  const def = catalog.fields.get('domain');
  if (!def || def.system === true || def.type !== 'text') return;
  const given = lead.domain;
  if (typeof given === 'string' && !isMissing(given)) {
    lead.domain = hostOf(given) ?? given;
    return;
  }
  // Adding a key must not push a lead over the field limit it was accepted under.
  if (given === undefined && Object.keys(lead).length >= MAX_LEAD_FIELDS) return;
  const website = lead.website;
  const fromSite = typeof website === 'string' ? hostOf(website) : undefined;
  if (fromSite !== undefined) {
    lead.domain = fromSite;
    return;
  }
  const email = lead.email;
  if (typeof email !== 'string') return;
  const at = email.lastIndexOf('@');
  if (at < 1) return;
  const fromEmail = hostOf(email.slice(at + 1));
  if (fromEmail !== undefined && !isFreeMailDomain(fromEmail)) lead.domain = fromEmail;
}

const HOST = /^(?=.{1,253}$)(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?\.)+[\p{L}][\p{L}\p{N}-]{0,62}$/u;

/** The bare, lower-case host of a website or domain ("https://www.Acme.com/x" -> "acme.com"), if it has one. */
export function hostOf(text: string): string | undefined {
  let h = text.trim().toLowerCase();
  h = h.replace(/^[a-z][a-z0-9+.-]*:\/\//, '').replace(/^\/\//, '');
  const end = h.search(/[/?#\s]/);
  if (end >= 0) h = h.slice(0, end);
  const at = h.lastIndexOf('@');
  if (at >= 0) h = h.slice(at + 1);
  h = h.replace(/:\d*$/, '').replace(/\.$/, '');
  const bare = h.replace(/^www\d*\./, '');
  if (bare.includes('.')) h = bare;
  return HOST.test(h) ? h : undefined;
}
