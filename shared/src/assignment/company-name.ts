// Company names as the match compares them: legal-form suffixes, punctuation and case dropped
// (`normalizeCompanyName`). Hot path of account matching: ASCII names are scanned in place.

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
export const isAsciiAlnum = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || (c >= 65 && c <= 90);

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

/** The name the last `normalizeCompanyName` call read, when it was clean (see above), else null. */
export function lastCleanName(): string | null {
  return cleanName;
}

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
