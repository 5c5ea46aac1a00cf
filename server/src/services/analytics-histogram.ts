// The log-spaced histograms of the per-day rollups (rollup_durations, rollup_accept_times; the migration's
// analytics_bin() puts each duration in its bin), merged here over a range and read back as percentiles.

/** Each bin b >= 1 holds the durations in [BIN_RATIO^(b-1), BIN_RATIO^b) ms; negative bins mirror them; bin 0 is |v| < 1 ms. */
export const BIN_RATIO = 1.04;

/**
 * The most a percentile read from the histograms differs from percentile_cont over the rows, relatively: a
 * bin's value is its geometric middle, within sqrt(1.04) - 1 = 1.98% of every duration in it (and within 1 ms
 * in bin 0), and interpolating between two such values keeps that bound.
 */
export const MAX_RELATIVE_ERROR = Math.sqrt(BIN_RATIO) - 1;

// Bins -767 .. 767 cover durations up to 1.04^767 ms (10^13 ms, 400 years); beyond, the last bin.
const OFFSET = 767;
const SIZE = 2 * OFFSET + 1;

/** The value a bin stands for: its geometric middle, ms. */
export function binValue(bin: number): number {
  if (bin === 0) return 0;
  const v = BIN_RATIO ** (Math.abs(bin) - 1) * Math.sqrt(BIN_RATIO);
  return bin < 0 ? -v : v;
}

/** A histogram over bins, added to from rollup rows and rows of the partial days alike. */
export class Histogram {
  private readonly counts = new Float64Array(SIZE);
  total = 0;

  add(bin: number, n: number): void {
    this.counts[Math.max(0, Math.min(SIZE - 1, bin + OFFSET))]! += n;
    this.total += n;
  }

  /** Adds a rollup row's histogram: text `bin,count,bin,count,...`. */
  addText(hist: string): void {
    if (hist === '') return;
    const a = hist.split(',');
    for (let i = 0; i + 1 < a.length; i += 2) this.add(Number(a[i]), Number(a[i + 1]));
  }

  /** The bin holding the value of rank `rank` (0-based, ascending). */
  private binAt(rank: number): number {
    let cum = 0;
    for (let i = 0; i < SIZE; i++) {
      cum += this.counts[i]!;
      if (cum > rank) return i - OFFSET;
    }
    return SIZE - 1 - OFFSET;
  }

  /** The percentiles as percentile_cont interpolates them (between the values of ranks floor(p (n - 1)) and the next), or null over nothing. */
  percentiles(fractions: readonly number[]): Array<number | null> {
    const n = this.total;
    return fractions.map((p) => {
      if (n <= 0) return null;
      const pos = p * (n - 1);
      const k = Math.floor(pos);
      const lo = binValue(this.binAt(k));
      return pos === k ? lo : lo + (binValue(this.binAt(k + 1)) - lo) * (pos - k);
    });
  }
}
