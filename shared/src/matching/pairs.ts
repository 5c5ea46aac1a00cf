import { companySimilarity, DEFAULT_FUZZY_THRESHOLD } from './similarity';

// Labelled company name pairs (fixtures/company-name-pairs.tsv) and how well the name matcher tells them
// apart. Tests and bench/matching.ts read the file and hand its text here.

/** One labelled pair: the same company written two ways, or two different companies. */
export interface NamePair {
  same: boolean;
  a: string;
  b: string;
}

/** The pairs of a TSV text (`same|different<TAB>name<TAB>name`, `#` comments). Throws on a malformed line. */
export function parseNamePairs(text: string): NamePair[] {
  const pairs: NamePair[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '' || line.startsWith('#')) return;
    const [label, a, b] = line.split('\t');
    if ((label !== 'same' && label !== 'different') || !a || !b) throw new Error(`line ${i + 1}: expected "same|different<TAB>name<TAB>name"`);
    pairs.push({ same: label === 'same', a, b });
  });
  return pairs;
}

/** Precision and recall of "score >= threshold means the same company" over labelled pairs, with the misses. */
export interface PairScores {
  pairs: number;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  precision: number;
  recall: number;
  /** The pairs judged wrongly, with their score. */
  wrong: Array<NamePair & { score: number }>;
}

/** Scores the name matcher on `pairs` at `threshold` (default: the fuzzy match's default threshold). */
export function scoreNamePairs(pairs: readonly NamePair[], threshold = DEFAULT_FUZZY_THRESHOLD): PairScores {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  const wrong: PairScores['wrong'] = [];
  for (const p of pairs) {
    const score = companySimilarity(p.a, p.b);
    const said = score >= threshold;
    if (said && p.same) tp++;
    else if (said) fp++;
    else if (p.same) fn++;
    if (said !== p.same) wrong.push({ ...p, score });
  }
  return {
    pairs: pairs.length,
    truePositives: tp,
    falsePositives: fp,
    falseNegatives: fn,
    precision: tp + fp === 0 ? 1 : tp / (tp + fp),
    recall: tp + fn === 0 ? 1 : tp / (tp + fn),
    wrong,
  };
}
