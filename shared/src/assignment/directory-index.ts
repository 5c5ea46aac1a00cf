import type { Account, Company, Directory, Queue, Rep, Team, Territory } from '../directory/schema';
import type { Lead, LeadValue } from '../fields/lead';
import type { MatchMethod } from '../graph/nodes/match-account';

/** A directory with lookups by id, domain and normalised name, built once per directory snapshot. */
export interface DirectoryIndex {
  reps: Map<string, Rep>;
  teams: Map<string, Team>;
  /** In directory order: territory ties go to the one listed first. */
  territories: Territory[];
  territoriesById: Map<string, Territory>;
  queues: Map<string, Queue>;
  accounts: Map<string, Account>;
  /** Domain (lower case, no `www.`) -> account; the first account listing a domain keeps it. */
  accountsByDomain: Map<string, Account>;
  /** `normalizeCompanyName(name)` -> account; the first account with a name keeps it. */
  accountsByName: Map<string, Account>;
  companiesByDomain: Map<string, Company>;
}

// Legal-form words that say nothing about which company it is. Only stripped from the end of a name,
// so "Co-op Bank" or "AG Barr" keep their meaning.
const LEGAL_SUFFIXES = new Set([
  'inc',
  'incorporated',
  'llc',
  'llp',
  'lp',
  'ltd',
  'limited',
  'gmbh',
  'mbh',
  'corp',
  'corporation',
  'co',
  'company',
  'sa',
  'sas',
  'sarl',
  'srl',
  'spa',
  'ag',
  'kg',
  'bv',
  'nv',
  'plc',
  'pty',
  'pte',
  'pvt',
  'oy',
  'ab',
  'as',
  'aps',
]);

// Character classes of ASCII, for the scanners below: letters and digits are the ASCII part of \p{L}\p{N}.
const isAsciiAlnum = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || (c >= 65 && c <= 90);

/** True when the last word is a legal form or a dangling `and`, which `normalizeCompanyName` drops. */
const isDroppedSuffix = (word: string): boolean => LEGAL_SUFFIXES.has(word) || word === 'and';

/**
 * A company name reduced to what identifies it: lower case, accents and punctuation gone, `&` read as `and`,
 * and trailing legal forms (Inc, LLC, Ltd, GmbH, Corp, Co, SA, AG, BV, PLC...) stripped: `Acme, Inc.` -> `acme`.
 */
export function normalizeCompanyName(name: string): string {
  const ascii = normalizeAsciiName(name);
  if (ascii !== null) return ascii;
  // NFKD splits accented letters into letter + mark; the marks go. Most names are then plain ASCII.
  const folded = name.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase();
  const foldedAscii = normalizeAsciiName(folded);
  if (foldedAscii !== null) return foldedAscii;
  const words = folded
    .replace(/&/g, ' and ')
    // Dots and apostrophes join their neighbours (S.A. -> sa, O'Neil -> oneil); other punctuation separates.
    .replace(/[.'’]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .split(' ')
    .filter((w) => w !== '');
  // Keep at least one word: a company called "Company" is still called something.
  while (words.length > 1 && isDroppedSuffix(words[words.length - 1] ?? '')) words.pop();
  return words.join(' ');
}

/**
 * The name `normalizeAsciiName` read last, when it holds nothing JSON must escape (ASCII, no control
 * character, quote or backslash): quoting it in a detail then needs no second scan. Null otherwise.
 */
let cleanName: string | null = null;

// Word spans found by `normalizeAsciiName`: start and end in the string, or -1/-1 for an `and` read from `&`.
// Module scratch, reused by every call (the function is synchronous and calls nothing that re-enters it).
const wordStart: number[] = [];
const wordEnd: number[] = [];
const wordJoined: boolean[] = [];

// Name characters of ASCII: 1 lower-case letter or digit, 2 upper-case letter, 3 `.` or `'` (dropped, joining
// what is around them), 4 `&` (the word `and`), 0 anything else (separates words).
const NAME_CHAR = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  NAME_CHAR[c] = (c >= 97 && c <= 122) || (c >= 48 && c <= 57) ? 1 : c >= 65 && c <= 90 ? 2 : c === 46 || c === 39 ? 3 : c === 38 ? 4 : 0;
}

// The dropped suffixes by length, to test a word in place without slicing it out.
const SUFFIXES_BY_LENGTH: string[][] = [];
for (const w of [...LEGAL_SUFFIXES, 'and']) (SUFFIXES_BY_LENGTH[w.length] ??= []).push(w);

/** `isDroppedSuffix` of `s[start, end)` read in lower case; the word holds only ASCII letters and digits. */
function isDroppedSuffixAt(s: string, start: number, end: number): boolean {
  const candidates = SUFFIXES_BY_LENGTH[end - start];
  if (candidates === undefined) return false;
  // Digits have the 0x20 bit set already and never meet a letter; upper-case letters become lower case.
  for (const w of candidates) {
    let j = 0;
    while (j < w.length && (s.charCodeAt(start + j) | 0x20) === w.charCodeAt(j)) j++;
    if (j === w.length) return true;
  }
  return false;
}

/**
 * `normalizeCompanyName` of an ASCII name by one scan, the same steps as the general path: lower case, `&` is
 * ` and `, `.` and `'` are dropped (joining what is around them), any other character but a letter or digit
 * separates words, and trailing legal forms are dropped. Null when the name is not all ASCII.
 */
function normalizeAsciiName(s: string): string | null {
  const n = s.length;
  let words = 0;
  let upper = false;
  let clean = true;
  let i = 0;
  cleanName = null;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c > 127) return null;
    const kind = NAME_CHAR[c] as number;
    if (kind === 0) {
      if (c < 32 || c === 34 /* " */ || c === 92 /* \ */) clean = false;
      i++;
      continue;
    }
    if (kind === 4) {
      wordStart[words] = -1;
      wordEnd[words] = -1;
      wordJoined[words] = false;
      words++;
      i++;
      continue;
    }
    // A run of letters, digits, dots and apostrophes: a word if it holds a letter or digit.
    const start = i;
    let alnum = false;
    let joined = false;
    for (; i < n; i++) {
      const d = s.charCodeAt(i);
      const k = d < 128 ? (NAME_CHAR[d] as number) : 0;
      if (k === 1) alnum = true;
      else if (k === 2) alnum = upper = true;
      else if (k === 3) joined = true;
      else break;
    }
    if (!alnum) continue;
    wordStart[words] = start;
    wordEnd[words] = i;
    wordJoined[words] = joined;
    words++;
  }
  if (clean) cleanName = s;
  // Keep at least one word: a company called "Company" is still called something.
  while (words > 1) {
    const w = words - 1;
    const start = wordStart[w] as number;
    const dropped =
      start === -1 || (wordJoined[w] === true ? isDroppedSuffix(wordText(s, w, upper)) : isDroppedSuffixAt(s, start, wordEnd[w] as number));
    if (!dropped) break;
    words--;
  }
  if (words === 0) return '';
  // Words that are slices of the name, one space apart, are the answer as one slice.
  let plain = true;
  for (let w = 0; w < words && plain; w++) {
    if (wordStart[w] === -1 || wordJoined[w] === true) plain = false;
    else if (w > 0 && (wordStart[w] !== (wordEnd[w - 1] as number) + 1 || s.charCodeAt(wordEnd[w - 1] as number) !== 32)) plain = false;
  }
  let out: string;
  if (plain) {
    out = s.slice(wordStart[0], wordEnd[words - 1]);
    if (upper) out = out.toLowerCase();
  } else {
    out = wordText(s, 0, upper);
    for (let w = 1; w < words; w++) out += ` ${wordText(s, w, upper)}`;
  }
  // A pathological name must not keep a huge scratch alive.
  if (wordStart.length > 1024) wordStart.length = wordEnd.length = wordJoined.length = 0;
  return out;
}

function wordText(s: string, w: number, upper: boolean): string {
  const start = wordStart[w] as number;
  if (start === -1) return 'and';
  let word = s.slice(start, wordEnd[w]);
  if (wordJoined[w] === true) word = word.replaceAll('.', '').replaceAll("'", '');
  return upper ? word.toLowerCase() : word;
}

const HOST = /^[\p{L}\p{N}-]+(\.[\p{L}\p{N}-]+)+$/u;

/** `/^mailto:/i` by hand: ASCII letters in either case (a non-Unicode `i` flag folds no other letter to them). */
function startsWithMailto(s: string): boolean {
  if (s.length < 7 || s.charCodeAt(6) !== 58 /* : */) return false;
  for (let i = 0; i < 6; i++) if ((s.charCodeAt(i) | 0x20) !== 'mailto'.charCodeAt(i)) return false;
  return true;
}

/** Where a `scheme://` prefix ends, or -1: `/^[a-z][a-z0-9+.-]*:\/\//i` by hand (ASCII only, as that regex is). */
function schemeEnd(s: string): number {
  const first = s.charCodeAt(0) | 0x20;
  if (first < 97 || first > 122) return -1;
  let i = 1;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // Letters, digits, `+`, `.` and `-`.
    if (!(isAsciiAlnum(c) || c === 43 || c === 46 || c === 45)) break;
  }
  return s.startsWith('://', i) ? i + 3 : -1;
}

/**
 * The domain of an email address (`ana@Acme.com` -> `acme.com`) or of a URL or bare domain
 * (`https://www.acme.com/pricing` -> `acme.com`): lower case, without `www.`. Null when there is none.
 */
export function domainOf(emailOrUrl: string): string | null {
  let s = emailOrUrl.trim();
  if (s === '') return null;
  // `Ana Diaz <ana@acme.com>`: the address is inside the first `<...>` that holds no other bracket.
  let open = s.indexOf('<');
  while (open >= 0) {
    let j = open + 1;
    for (; j < s.length; j++) {
      const c = s.charCodeAt(j);
      if (c === 60 /* < */ || c === 62 /* > */) break;
    }
    if (j < s.length && s.charCodeAt(j) === 62) {
      s = s.slice(open + 1, j).trim();
      break;
    }
    open = j < s.length ? j : -1;
  }
  // The host is worked out as a range [from, to) of `s`; only the answer is sliced out. Native searches
  // (`indexOf` and kin) do the scanning: they are several times quicker than a loop over the characters.
  let from = 0;
  // Without a colon there is no `mailto:`, scheme or port to look for.
  const colons = s.indexOf(':') >= 0;
  if (colons) {
    if (startsWithMailto(s)) from = 7;
    const afterScheme = schemeEnd(from === 0 ? s : s.slice(from));
    if (afterScheme >= 0) from += afterScheme;
    else if (s.startsWith('//', from)) from += 2;
  } else if (s.startsWith('//')) {
    from = 2;
  }
  // Host ends at the first path, query or fragment; what is before the last `@` is the user (email or URL
  // userinfo), and a trailing port (`:8080`, or a bare `:`) goes.
  let to = s.length;
  let k = s.indexOf('/', from);
  if (k >= 0) to = k;
  k = s.indexOf('?', from);
  if (k >= 0 && k < to) to = k;
  k = s.indexOf('#', from);
  if (k >= 0 && k < to) to = k;
  if (to === from) return null;
  const at = s.lastIndexOf('@', to - 1);
  if (at >= from) from = at + 1;
  if (colons && to > from) {
    const colon = s.lastIndexOf(':', to - 1);
    if (colon >= from) {
      let digits = true;
      for (let i = colon + 1; i < to && digits; i++) {
        const c = s.charCodeAt(i);
        digits = c >= 48 && c <= 57;
      }
      if (digits) to = colon;
    }
  }
  return hostOf(s, from, to);
}

/**
 * `s[from, to)` lower-cased, less one trailing dot and a leading `www.`, when it is a host name (labels of
 * letters, digits and `-`, at least two); else null. ASCII by one scan; a name with other characters as the
 * regex says (they never change what the dots and ASCII characters decide, only whether they are letters).
 */
function hostOf(s: string, start: number, end: number): string | null {
  let from = start;
  let to = end;
  if (to > from && s.charCodeAt(to - 1) === 46 /* . */) to--;
  if (to - from >= 4 && s.charCodeAt(from + 3) === 46 && isW(s, from) && isW(s, from + 1) && isW(s, from + 2)) from += 4;
  let upper = false;
  let labels = 0;
  let len = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    const kind = c < 128 ? (HOST_CHAR[c] as number) : 3;
    if (kind === 1) {
      len++;
    } else if (kind === 2) {
      len++;
      upper = true;
    } else if (kind === 4) {
      if (len === 0) return null;
      labels++;
      len = 0;
    } else if (kind === 3) {
      return hostOfUnicode(s.slice(start, end));
    } else {
      return null;
    }
  }
  if (len === 0 || labels === 0) return null;
  const host = s.slice(from, to);
  return upper ? host.toLowerCase() : host;
}

// Host characters of ASCII: 1 lower-case letter, digit or `-`; 2 upper-case letter; 4 dot; 0 anything else.
const HOST_CHAR = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  HOST_CHAR[c] = (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 45 ? 1 : c >= 65 && c <= 90 ? 2 : c === 46 ? 4 : 0;
}

/** `w` in either case (0x20 turns `W` into `w` and no other character into it). */
const isW = (s: string, i: number): boolean => (s.charCodeAt(i) | 0x20) === 119;

function hostOfUnicode(host: string): string | null {
  let s = host.toLowerCase();
  if (s.endsWith('.')) s = s.slice(0, -1);
  if (s.startsWith('www.')) s = s.slice(4);
  return HOST.test(s) ? s : null;
}

function normalizeDomain(domain: string): string | null {
  return domainOf(domain);
}

/** Builds the lookups of a directory. Earlier entries win when two claim the same domain or name. */
export function indexDirectory(d: Directory): DirectoryIndex {
  const byId = <T extends { id: string }>(items: readonly T[]): Map<string, T> => {
    const m = new Map<string, T>();
    for (const it of items) if (!m.has(it.id)) m.set(it.id, it);
    return m;
  };
  const accountsByDomain = new Map<string, Account>();
  const accountsByName = new Map<string, Account>();
  for (const a of d.accounts ?? []) {
    for (const raw of a.domains ?? []) {
      const dom = normalizeDomain(raw);
      if (dom !== null && !accountsByDomain.has(dom)) accountsByDomain.set(dom, a);
    }
    const name = normalizeCompanyName(a.name);
    if (name !== '' && !accountsByName.has(name)) accountsByName.set(name, a);
  }
  const companiesByDomain = new Map<string, Company>();
  for (const c of d.companies ?? []) {
    const dom = normalizeDomain(c.domain);
    if (dom !== null && !companiesByDomain.has(dom)) companiesByDomain.set(dom, c);
  }
  const territories = [...(d.territories ?? [])];
  return {
    reps: byId(d.reps ?? []),
    teams: byId(d.teams ?? []),
    territories,
    territoriesById: byId(territories),
    queues: byId(d.queues ?? []),
    accounts: byId(d.accounts ?? []),
    accountsByDomain,
    accountsByName,
    companiesByDomain,
  };
}

/**
 * The key under which an account owns a domain, trying parent domains too (`eu.acme.com` -> `acme.com`),
 * never a bare TLD; null when none does.
 */
function accountKeyForDomain(domain: string, index: DirectoryIndex): string | null {
  let d = domain;
  let from = 0;
  for (;;) {
    if (index.accountsByDomain.get(d) !== undefined) return d;
    const dot = domain.indexOf('.', from);
    if (dot < 0 || domain.indexOf('.', dot + 1) < 0) return null;
    from = dot + 1;
    d = domain.slice(from);
  }
}

/** A lead value as trimmed text, or null when missing. */
function text(v: LeadValue | undefined): string | null {
  if (typeof v === 'string') {
    const t = v.trim();
    return t === '' ? null : t;
  }
  return v === undefined || v === null ? null : String(v).trim();
}

const METHOD_LABEL: Record<MatchMethod, string> = {
  email_domain: 'email domain',
  website_domain: 'website',
  company_name: 'company name',
};

// The methods text of the list used last: a step's config passes the same list for every lead.
let lastMethods: readonly MatchMethod[] | null = null;
let lastMethodsCopy: MatchMethod[] = [];
let lastMethodsText = '';

/** `email domain, website, company name`: the methods a detail says were tried. */
function methodsText(by: readonly MatchMethod[]): string {
  if (by === lastMethods && by.length === lastMethodsCopy.length) {
    let same = true;
    for (let i = 0; i < by.length && same; i++) same = by[i] === lastMethodsCopy[i];
    if (same) return lastMethodsText;
  }
  let t = '';
  for (let i = 0; i < by.length; i++) {
    const m = by[i] as MatchMethod;
    const label = METHOD_LABEL[m] ?? String(m);
    t = i === 0 ? label : `${t}, ${label}`;
  }
  lastMethods = by;
  lastMethodsCopy = by.slice();
  lastMethodsText = t;
  return t;
}

/**
 * `JSON.stringify` of a string: quoted, and for the usual text that needs no escape (no quote, backslash,
 * control character or surrogate) without going through the serializer.
 */
function quoted(s: string): string {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 32 || c === 34 /* " */ || c === 92 /* \ */ || (c >= 0xd800 && c <= 0xdfff)) return JSON.stringify(s);
  }
  return `"${s}"`;
}

const viaNote = (domain: string, via: string): string => (via === domain ? domain : `${domain} (via ${via})`);

/**
 * Finds the lead's account by the methods given, in order; the first that finds one wins.
 * Email domains of free-mail providers are skipped. `detail` says what matched, or what each method tried.
 */
export function matchAccount(
  lead: Lead,
  by: readonly MatchMethod[],
  index: DirectoryIndex,
  isFreeMail: (domain: string) => boolean,
): { account: Account | null; method: MatchMethod | null; detail: string } {
  // What each method tried, `; `-joined as the detail lists them.
  let tried = '';
  for (let i = 0; i < by.length; i++) {
    const method = by[i] as MatchMethod;
    let miss: string;
    switch (method) {
      case 'email_domain': {
        const email = text(lead.email);
        if (email === null) {
          miss = 'no email';
          break;
        }
        const dom = email.includes('@') ? domainOf(email) : null;
        if (dom === null) miss = `email ${quoted(email)} has no domain`;
        else if (isFreeMail(dom)) miss = `email domain ${dom} is free mail`;
        else {
          const via = accountKeyForDomain(dom, index);
          const account = via === null ? undefined : index.accountsByDomain.get(via);
          if (via !== null && account !== undefined) {
            return { account, method, detail: `Email domain ${viaNote(dom, via)} matched account ${account.name}` };
          }
          miss = `no account has email domain ${dom}`;
        }
        break;
      }
      case 'website_domain': {
        // `domain` is the router's own copy of the website's host; used when the website itself is empty.
        const site = text(lead.website) ?? text(lead.domain);
        if (site === null) {
          miss = 'no website';
          break;
        }
        const dom = domainOf(site);
        if (dom === null) miss = `website ${quoted(site)} has no domain`;
        else {
          const via = accountKeyForDomain(dom, index);
          const account = via === null ? undefined : index.accountsByDomain.get(via);
          if (via !== null && account !== undefined) {
            return { account, method, detail: `Website ${viaNote(dom, via)} matched account ${account.name}` };
          }
          miss = `no account has website ${dom}`;
        }
        break;
      }
      case 'company_name': {
        const company = text(lead.company);
        if (company === null) {
          miss = 'no company name';
          break;
        }
        const norm = normalizeCompanyName(company);
        // The name was just scanned: if it needs no escaping, quoting it is only adding the quotes.
        const q = cleanName === company ? `"${company}"` : quoted(company);
        if (norm === '') miss = `company name ${q} has no letters or digits`;
        else {
          const a = index.accountsByName.get(norm);
          if (a !== undefined) {
            return { account: a, method, detail: `Company name ${q} matched account ${a.name}` };
          }
          miss = `no account named like ${q}`;
        }
        break;
      }
      default:
        miss = `unknown method ${String(method)}`;
    }
    tried = tried === '' ? miss : `${tried}; ${miss}`;
  }
  return { account: null, method: null, detail: `No account matched by ${methodsText(by)}: ${tried}` };
}
