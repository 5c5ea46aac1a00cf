import { coreTokens } from './company-name';

// How alike two company names are, 0..1, on their normalised words. Two parts, the larger wins:
//  - word overlap (a Dice coefficient weighted by word length): each word of one name is paired with the
//    most alike word of the other (equal, or one edit in 5 letters for words of 5 letters or more), and the
//    paired letters count against all letters. "Delta Air Lines" and "Delta Faucet" share only "delta":
//    10 of 24 letters, 0.42. Short words must be equal: "Ford" is not "Fort".
//  - the same letters spaced differently score 0.98: "FedEx" and "Fed Ex", "Coca-Cola" and "CocaCola".
//  - the words that name (not the generic ones: Group, Technologies, Bank...) must overlap as much: the score
//    is the lower of the two overlaps. "Slack Technologies" and "Slick Technologies" are two companies.
// The threshold a fuzzy match needs is `DEFAULT_FUZZY_THRESHOLD`: the bench (bench/matching.ts) shows the
// precision and recall it gives on real name pairs.

/** The score a fuzzy name match needs by default. */
export const DEFAULT_FUZZY_THRESHOLD = 0.85;

/** Most words of a name compared (bounded cost: at most MAX_WORDS^2 word comparisons). */
const MAX_WORDS = 12;

/** Longest word compared letter by letter (longer words must be equal). */
const MAX_WORD = 40;

/**
 * Edits between two short words, a swap of neighbours counting as one (optimal string alignment):
 * "Microsfot" is one edit from "Microsoft", not two.
 */
export function wordEdits(a: string, b: string): number {
  const n = a.length;
  const m = b.length;
  let prev2: number[] = new Array<number>(m + 1).fill(0);
  let prev: number[] = Array.from({ length: m + 1 }, (_, j) => j);
  for (let i = 1; i <= n; i++) {
    const cur: number[] = [i];
    for (let j = 1; j <= m; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min((prev[j] as number) + 1, (cur[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, (prev2[j - 2] as number) + 1);
      cur.push(d);
    }
    prev2 = prev;
    prev = cur;
  }
  return prev[m] as number;
}

/** How alike two words are (0..1): equal 1; else 1 - edits/length, only for words of 5 letters or more, and 0 below 0.8. */
function wordSimilarity(a: string, b: string): number {
  if (a === b) return 1;
  if (a.length < 5 || b.length < 5 || a.length > MAX_WORD || b.length > MAX_WORD) return 0;
  const longer = Math.max(a.length, b.length);
  // At least |length difference| edits: past a fifth of the longer word the pair cannot reach 0.8.
  if (Math.abs(a.length - b.length) > longer * 0.2) return 0;
  const key = a < b ? `${a} ${b}` : `${b} ${a}`;
  const known = seenPairs.get(key);
  if (known !== undefined) return known;
  const s = 1 - wordEdits(a, b) / longer;
  const v = s >= 0.8 ? s : 0;
  // A memo of word pairs (names share words: "systems", "global"...); cleared when full, so bounded.
  if (seenPairs.size >= MAX_SEEN_PAIRS) seenPairs.clear();
  seenPairs.set(key, v);
  return v;
}

const MAX_SEEN_PAIRS = 100_000;
const seenPairs = new Map<string, number>();

// Words that describe rather than name a company: two names that differ in their other words are two
// companies, however much of this they share ("Slack Technologies" / "Slick Technologies").
const GENERIC = new Set([
  'group', 'holding', 'holdings', 'intl', 'global', 'worldwide', 'technologies', 'technology', 'tech', 'systems',
  'solutions', 'services', 'software', 'industries', 'enterprises', 'partners', 'bank', 'of', 'and', 'the', 'de',
  'la', 'le', 'del', 'der', 'und', 'et', 'y', 'e', 'di', 'da', 'do', 'co', 'corp', 'inc', 'ltd',
]);
const GENERIC_LONG = [...GENERIC].filter((w) => w.length >= 5);

/** A generic word, or one misspelt ("Sofware"). */
function isGeneric(w: string): boolean {
  return GENERIC.has(w) || (w.length >= 5 && GENERIC_LONG.some((g) => wordSimilarity(w, g) > 0));
}

/** Dice over words weighted by length, each word paired at most once (greedy, best pair first, stable). */
function wordOverlap(a: readonly string[], b: readonly string[]): number {
  const pairs: Array<{ i: number; j: number; s: number }> = [];
  for (let i = 0; i < a.length; i++) {
    for (let j = 0; j < b.length; j++) {
      const s = wordSimilarity(a[i] as string, b[j] as string);
      if (s > 0) pairs.push({ i, j, s });
    }
  }
  pairs.sort((x, y) => y.s - x.s || x.i - y.i || x.j - y.j);
  const usedA = new Set<number>();
  const usedB = new Set<number>();
  let shared = 0;
  for (const p of pairs) {
    if (usedA.has(p.i) || usedB.has(p.j)) continue;
    usedA.add(p.i);
    usedB.add(p.j);
    shared += p.s * ((a[p.i] as string).length + (b[p.j] as string).length);
  }
  const total = a.reduce((n, w) => n + w.length, 0) + b.reduce((n, w) => n + w.length, 0);
  return total === 0 ? 0 : shared / total;
}

/** A name prepared for comparing: its core words (at most MAX_WORDS), and what the comparison reuses. */
export interface PreparedName {
  words: readonly string[];
  key: string;
  compact: string;
  /** The words that name the company (not generic ones). */
  distinct: readonly string[];
  /** Letters in all words. */
  letters: number;
}

/** Prepares core words for `preparedSimilarity` (done once per account, once per lead). */
export function prepareName(words: readonly string[]): PreparedName {
  const w = words.slice(0, MAX_WORDS);
  return { words: w, key: w.join(' '), compact: w.join(''), distinct: w.filter((x) => !isGeneric(x)), letters: w.reduce((n, x) => n + x.length, 0) };
}

/** The highest score two names of these letter counts could reach (to skip hopeless comparisons). */
export function similarityBound(a: PreparedName, b: PreparedName): number {
  return a.letters + b.letters === 0 ? 0 : (2 * Math.min(a.letters, b.letters)) / (a.letters + b.letters);
}

/** `tokenSimilarity` of prepared names. */
export function preparedSimilarity(x: PreparedName, y: PreparedName): number {
  if (x.words.length === 0 || y.words.length === 0) return 0;
  // The same order whichever name comes first, so the score is symmetric.
  const [a, b] = x.key <= y.key ? [x, y] : [y, x];
  if (a.compact === b.compact) return a.words.length === b.words.length ? 1 : 0.98;
  let score = wordOverlap(a.words, b.words);
  if (a.distinct.length > 0 && b.distinct.length > 0) score = Math.min(score, wordOverlap(a.distinct, b.distinct));
  return Math.round(score * 1000) / 1000;
}

/** Similarity of two names already reduced to their core words (see companySimilarity). */
export function tokenSimilarity(a: readonly string[], b: readonly string[]): number {
  return preparedSimilarity(prepareName(a), prepareName(b));
}

/**
 * How alike two company names are, 0..1 (rounded to 3 decimals), after `normalizeCompanyName`: 1 for the same
 * normalised name, 0.98 for the same letters spaced differently, else the larger of word overlap and letter
 * similarity. Symmetric and deterministic. `DEFAULT_FUZZY_THRESHOLD` is where "the same company" starts.
 */
export function companySimilarity(a: string, b: string): number {
  return tokenSimilarity(coreTokens(a), coreTokens(b));
}
