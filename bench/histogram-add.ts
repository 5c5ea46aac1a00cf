// analytics_hist_add, both sides in one run: the SQL function of migration 0012 (recreated here in pg_temp) and
// the PL/pgSQL merge of migration 0020, on histograms of a day's sizes (the rollups call it for every lead's
// first assignment, twice: wall and working time). HIST_CALLS (default 500) calls per size and function.
import { sql } from 'drizzle-orm';
import { createTestDatabase } from '../worker/src/test/test-db';
import { report, type BenchRow } from './results';

const CALLS = Number(process.env.HIST_CALLS ?? 500);
const SIZES = [10, 50, 134, 300];

// Migration 0012's definition, verbatim but for its name.
const OLD = sql.raw(`CREATE FUNCTION pg_temp.analytics_hist_add_0012(h1 text, h2 text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$
  SELECT coalesce(string_agg(s.bin || ',' || s.n, ',' ORDER BY s.bin), '')
  FROM (SELECT u.bin, sum(u.n) AS n FROM (SELECT * FROM analytics_hist_pairs(h1) UNION ALL SELECT * FROM analytics_hist_pairs(h2)) u GROUP BY u.bin HAVING sum(u.n) <> 0) s
$fn$`);

/** A histogram of `bins` bins, ascending, as the rollups keep it. */
const histogram = (bins: number): string => Array.from({ length: bins }, (_, i) => `${i * 2 - 20},${(i % 7) + 1}`).join(',');

export async function runHistogramAddBench(): Promise<void> {
  // One connection: the pg_temp function lives in its session.
  const database = await createTestDatabase({ max: 1 });
  const rows: BenchRow[] = [];
  try {
    const db = database.db;
    await db.execute(OLD);
    /** Microseconds per call of `fn` adding one bin to `h` (the sums are checked equal below). */
    const perCall = async (fn: 'pg_temp.analytics_hist_add_0012' | 'analytics_hist_add', h: string): Promise<{ us: number; sum: string }> => {
      await db.execute(sql`select ${sql.raw(fn)}(${h}, '31,1') from generate_series(1, 20)`);
      const started = process.hrtime.bigint();
      const [row] = (await db.execute(sql`select max(${sql.raw(fn)}(${h}, '31,' || (g % 3 + 1)::text)) as sum from generate_series(1, ${CALLS}) g`)) as unknown as Array<{ sum: string }>;
      return { us: Number(process.hrtime.bigint() - started) / 1000 / CALLS, sum: row?.sum ?? '' };
    };
    for (const bins of SIZES) {
      const h = histogram(bins);
      const old = await perCall('pg_temp.analytics_hist_add_0012', h);
      const merged = await perCall('analytics_hist_add', h);
      if (old.sum !== merged.sum) throw new Error(`the two functions disagree on ${bins} bins: ${old.sum} vs ${merged.sum}`);
      rows.push({
        name: `add one bin to a histogram of ${bins} bins`,
        value: `0012 SQL function ${old.us.toFixed(0)} µs a call, 0020 PL/pgSQL merge ${merged.us.toFixed(0)} µs (${(old.us / merged.us).toFixed(1)}x less)`,
        target: 'none (cost per lead of the rollups)',
        met: null,
      });
    }
  } finally {
    await database.drop();
  }
  report('Rollup histogram add (bench/histogram-add.ts)', rows, [`${CALLS} calls per size and function, in one statement each, on this machine's PostgreSQL; both answers compared equal.`]);
}
