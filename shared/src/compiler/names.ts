import type { FieldCatalog } from '../fields/catalog';
import { nodeLabel, outcomesOf, type GraphNode } from '../graph/node';

/** A node's name as messages show it: its label in quotes, e.g. `'Assign to SDRs'`. */
export function stepName(node: GraphNode): string {
  return quote(nodeLabel(node));
}

/** Text in single quotes, shortened so one odd label cannot flood a message. */
export function quote(text: string): string {
  const short = text.length > 80 ? `${text.slice(0, 77)}...` : text;
  return `'${short}'`;
}

/** The label of one of a node's outcomes, in quotes; the raw id when the node has no such outcome. */
export function outcomeName(node: GraphNode, outcomeId: string): string {
  const spec = outcomesOf(node).find((o) => o.id === outcomeId);
  return quote(spec ? spec.label : outcomeId);
}

/** `a, b and c`, for lists inside sentences. */
export function listWords(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1] as string}`;
}

/** A number without floating-point noise: 33.333333333333336 -> 33.333333333333. */
export function formatNumber(n: number): string {
  return String(Number(n.toPrecision(14)));
}

// A hostile graph can name thousands of unknown fields against a catalog of hundreds, so one suggester
// answers at most this many distinct keys (the rest get no suggestion), and the distance gives up as soon
// as a candidate cannot be close enough. The budget lives in the suggester, made once per compile, so a
// compile never depends on earlier ones.
const MAX_SUGGESTIONS = 100;

/** Finds the catalog field closest to a mistyped key; null when nothing is close enough to suggest. */
export type Suggester = (key: string) => string | null;

/** A suggester over one catalog, with its own cache and budget. */
export function createSuggester(catalog: FieldCatalog): Suggester {
  const cache = new Map<string, string | null>();
  const rows = new Rows();
  return (key) => {
    const hit = cache.get(key);
    if (hit !== undefined) return hit;
    if (cache.size >= MAX_SUGGESTIONS || key.length > 64) return null;
    const wanted = key.toLowerCase();
    const limit = key.length <= 4 ? 1 : key.length <= 10 ? 2 : 3;
    let best: string | null = null;
    let bestDistance = limit + 1;
    for (const def of catalog.fields.values()) {
      for (const candidate of [def.key, def.label]) {
        // Only strictly closer candidates matter, so ties go to the first field in catalog order.
        const d = distanceWithin(wanted, candidate.toLowerCase(), bestDistance - 1, rows);
        if (d < bestDistance) {
          bestDistance = d;
          best = def.key;
        }
      }
    }
    cache.set(key, best);
    return best;
  };
}

/** ` Did you mean 'email'?` or the empty string. */
export function didYouMean(key: string, suggest: Suggester): string {
  const s = suggest(key);
  return s === null ? '' : ` Did you mean ${quote(s)}?`;
}

/** Three reusable rows for distanceWithin, so thousands of comparisons do not each allocate. */
export class Rows {
  private buffers: [Int32Array, Int32Array, Int32Array] = [new Int32Array(0), new Int32Array(0), new Int32Array(0)];

  /** Three rows of at least `width` cells, filled with `value`. */
  take(width: number, value: number): [Int32Array, Int32Array, Int32Array] {
    if ((this.buffers[0].length as number) < width) {
      this.buffers = [new Int32Array(width), new Int32Array(width), new Int32Array(width)];
    }
    for (const row of this.buffers) row.fill(value, 0, width);
    return [this.buffers[0], this.buffers[1], this.buffers[2]];
  }
}

/**
 * Edit distance where swapping two neighbouring letters counts as one edit (optimal string alignment),
 * or `limit + 1` when it is more than `limit`. Only cells within `limit` of the diagonal can stay under the
 * limit, so only those are computed: O(length x limit), whatever the strings.
 */
export function distanceWithin(a: string, b: string, limit: number, rows: Rows = new Rows()): number {
  if (a === b) return 0;
  const over = limit + 1;
  if (Math.abs(a.length - b.length) > limit) return over;
  const width = b.length + 1;
  let [twoBack, prev, cur] = rows.take(width, over);
  for (let j = 0; j <= Math.min(b.length, limit); j++) prev[j] = j;
  let prevRowMin = 0;
  for (let i = 1; i <= a.length; i++) {
    const lo = Math.max(1, i - limit);
    const hi = Math.min(b.length, i + limit);
    // The cells just outside the band are read by this row and the next; everything further out never is.
    cur[lo - 1] = lo === 1 ? Math.min(i, over) : over;
    if (hi + 1 <= b.length) cur[hi + 1] = over;
    let rowMin = cur[lo - 1] as number;
    for (let j = lo; j <= hi; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let v = Math.min((prev[j] as number) + 1, (cur[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a.charCodeAt(i - 1) === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === b.charCodeAt(j - 1)) {
        v = Math.min(v, (twoBack[j - 2] as number) + 1);
      }
      v = Math.min(v, over);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    // A row's minimum is at least min(the previous row's, the one before's + 1) (a swap reaches back two
    // rows), so once two rows are past the limit no later row can come back under it.
    if (rowMin > limit && prevRowMin >= limit) return over;
    prevRowMin = rowMin;
    [twoBack, prev, cur] = [prev, cur, twoBack];
  }
  return Math.min(prev[b.length] as number, over);
}
