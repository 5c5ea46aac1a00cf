import { sql, type SQL } from 'drizzle-orm';

// The log-spaced histograms of the per-day rollups (rollup_durations, rollup_accept_times; the migration's
// analytics_bin() puts each duration in its bin) and the percentiles read back from them over long ranges.

/** Each bin b >= 1 holds the durations in [BIN_RATIO^(b-1), BIN_RATIO^b) ms; negative bins mirror them; bin 0 is |v| < 1 ms. */
export const BIN_RATIO = 1.04;

/**
 * The most a percentile read from the histograms differs from percentile_cont over the rows: a bin's value is
 * its geometric middle, within sqrt(1.04) - 1 = 1.98% of every duration in it (and within 1 ms in bin 0), and
 * interpolating between two such values keeps that bound.
 */
export const MAX_RELATIVE_ERROR = Math.sqrt(BIN_RATIO) - 1;

/** The value a bin stands for: its geometric middle, ms. */
export function binValue(bin: number): number {
  if (bin === 0) return 0;
  const v = BIN_RATIO ** (Math.abs(bin) - 1) * Math.sqrt(BIN_RATIO);
  return bin < 0 ? -v : v;
}

/**
 * For each group of `histogram` (rows of `groups...`, `bin`, `n`): the count (`total`) and, per fraction, the
 * bins holding the values percentile_cont interpolates between (ranks floor(p (n - 1)) and the next: `b<i>a`,
 * `b<i>b`). Group columns are trusted SQL names.
 */
export function percentileBinsSql(histogram: SQL, groups: string[], fractions: readonly number[]): SQL {
  const g = groups.map((c) => `h.${c}`).join(', ');
  const picks = fractions
    .map((p, i) => {
      const rank = `floor(${p}::float8 * (c.total - 1))`;
      return `min(c.bin) filter (where c.cum > ${rank}) as b${i}a, min(c.bin) filter (where c.cum > ${rank} + 1) as b${i}b`;
    })
    .join(', ');
  return sql`select ${sql.raw(groups.map((c) => `c.${c}`).join(', '))}, max(c.total)::int as total, ${sql.raw(picks)}
    from (select h.*, sum(h.n) over (partition by ${sql.raw(g)} order by h.bin) as cum, sum(h.n) over (partition by ${sql.raw(g)}) as total
      from (${histogram}) h where h.n > 0) c
    group by ${sql.raw(groups.map((c) => `c.${c}`).join(', '))}`;
}

/** The percentiles (as percentile_cont would interpolate them) from a row of percentileBinsSql; null over nothing. */
export function percentilesFromBins(row: Record<string, unknown>, fractions: readonly number[]): Array<number | null> {
  const total = Number(row.total ?? 0);
  return fractions.map((p, i) => {
    const a = row[`b${i}a`];
    if (total === 0 || a === null || a === undefined) return null;
    const pos = p * (total - 1);
    const frac = pos - Math.floor(pos);
    const lo = binValue(Number(a));
    const b = row[`b${i}b`];
    if (frac === 0 || b === null || b === undefined) return lo;
    return lo + (binValue(Number(b)) - lo) * frac;
  });
}
