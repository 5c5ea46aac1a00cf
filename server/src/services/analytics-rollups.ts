import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '@lead-router/db/client';
import { bucketSql, rowsOf, type AnalyticsScope } from './analytics-context';
import { Histogram } from './analytics-histogram';
import { BUCKET_MS, type RollupDays } from './analytics-range';
import { SPEED_KEYS, SPEED_VALUES } from './analytics-speed';

// Long ranges (analytics-range.ts's rangeSource): the whole UTC days from the per-day rollups
// (db/src/analytics-schema.ts, kept by triggers as the rows are written), the partial days at the range's ends
// from the rows themselves, by the same (workspace, workflow, received_at) index. Counts equal the rows'
// exactly; percentiles come from the merged histograms (analytics-histogram.ts: within 2%). Each function
// answers rows shaped as the rows' query of analytics.service.ts does, so the section builds its answer alike.

type Rollups = RollupDays;

/** The range's whole days in a rollup table aliased `x`. */
const days = (s: AnalyticsScope, r: Rollups): SQL =>
  sql`x.workspace_id = ${s.workspaceId} and x.workflow_id = ${s.workflow.id} and x.day >= ${r.firstDay}::date and x.day < ${r.endDay}::date`;

/** The start of a rollup row's day. */
const dayStart = sql.raw(`(x.day::timestamp at time zone 'UTC')`);

/**
 * The rows of the range's partial days (before the first whole day, from the last one on), each read by the
 * index on its own; `body` makes the select of one part from its condition on the table aliased `x`.
 */
function partialDays(s: AnalyticsScope, r: Rollups, body: (cond: SQL) => SQL, alias = 'x'): SQL[] {
  const t = sql.raw(alias);
  const part = (from: Date, to: Date) =>
    sql`${t}.workspace_id = ${s.workspaceId} and ${t}.workflow_id = ${s.workflow.id} and ${t}.received_at >= ${from.toISOString()}::timestamptz and ${t}.received_at < ${to.toISOString()}::timestamptz`;
  const parts: SQL[] = [];
  if (s.range.from < r.wholeFrom) parts.push(body(part(s.range.from, r.wholeFrom)));
  if (r.wholeTo < s.range.to) parts.push(body(part(r.wholeTo, s.range.to)));
  return parts;
}

const unionAll = (parts: SQL[]): SQL => sql.join(parts.map((p) => sql`(${p})`), sql` union all `);

interface CountSpec {
  rollup: string;
  rows: string;
  /** Output column, its expression over the rollup (alias x), its expression over the rows (alias x). */
  keys: Array<[name: string, rollupExpr: string, rowExpr: string]>;
  rollupWhere?: string;
  rowWhere?: string;
  /** Also group by the bucket (column `bucket`). */
  bucket?: boolean;
}

/** Counts by `keys` (column `n`): the rollup's whole days plus the partial days' rows, groups with nothing left out. */
export async function rollupCounts(db: Db, s: AnalyticsScope, r: Rollups, spec: CountSpec): Promise<Array<Record<string, unknown>>> {
  const names = spec.keys.map(([name]) => name);
  const cols = (i: 1 | 2) => sql.raw(spec.keys.map((k) => `${k[i]} as ${k[0]}`).join(', '));
  const and = (w?: string) => (w ? sql.raw(` and ${w}`) : sql``);
  const bucket = (column: SQL) => (spec.bucket ? sql`${bucketSql(s, column)} as bucket, ` : sql``);
  const parts = [
    sql`select ${bucket(dayStart)}${cols(1)}, x.n::bigint as n from ${sql.raw(spec.rollup)} x where ${days(s, r)}${and(spec.rollupWhere)}`,
    ...partialDays(s, r, (cond) => sql`select ${bucket(sql.raw('x.received_at'))}${cols(2)}, 1::bigint as n from ${sql.raw(spec.rows)} x where ${cond}${and(spec.rowWhere)}`),
  ];
  const group = sql.raw([...(spec.bucket ? ['bucket'] : []), ...names].join(', '));
  return rowsOf(db, sql`select ${group}, sum(n)::int as n from (${unionAll(parts)}) u group by ${group} having sum(n) > 0 order by ${group}`);
}

const FRACTIONS = [0.5, 0.9, 0.99] as const;

/** Histograms by key, made on first use. */
class Histograms extends Map<string, Histogram> {
  of(key: string): Histogram {
    let h = this.get(key);
    if (!h) this.set(key, (h = new Histogram()));
    return h;
  }
}

/**
 * Speed to lead over rollups: rows as the rows' query answers them (`bucket`, `total` 1 for the range's row,
 * `<key>_n` and `<key>_p` [p50, p90, p99] per duration): the whole days' histograms (one row a day and metric)
 * and the partial days' runs binned alike, merged per bucket and over the range.
 */
export async function rollupSpeedRows(db: Db, s: AnalyticsScope, r: Rollups): Promise<Array<Record<string, unknown>>> {
  const values = SPEED_KEYS.map(({ metric, clock, key }) => `('${key}', (${SPEED_VALUES[metric][clock]})::float8)`).join(', ');
  const [dayRows, partial] = await Promise.all([
    rowsOf<{ day: string; metric: string; hist: string }>(db, sql`select x.day::text as day, x.metric, x.hist from rollup_durations x where ${days(s, r)}`),
    partialRows(
      db,
      partialDays(
        s,
        r,
        (cond) => sql`select ${bucketSql(s, sql.raw('r.received_at'))} as bucket, m.metric as key, analytics_bin(m.v) as bin, count(*)::int as n
          from routing_runs r cross join lateral (values ${sql.raw(values)}) m(metric, v) where ${cond} and m.v is not null group by 1, 2, 3`,
        'r',
      ),
    ),
  ]);
  const origin = s.source.bucketOrigin.getTime();
  const size = BUCKET_MS[s.range.bucket];
  const hist = new Histograms();
  for (const d of dayRows) {
    const bucket = origin + Math.floor((Date.parse(`${d.day}T00:00:00Z`) - origin) / size) * size;
    hist.of(`${bucket}|${d.metric}`).addText(d.hist);
    hist.of(`|${d.metric}`).addText(d.hist);
  }
  for (const p of partial) {
    hist.of(`${new Date(p.bucket as string).getTime()}|${String(p.key)}`).add(Number(p.bin), Number(p.n));
    hist.of(`|${String(p.key)}`).add(Number(p.bin), Number(p.n));
  }
  const byBucket = new Map<string, Record<string, unknown>>();
  for (const [key, h] of hist) {
    const [bucket, metric] = key.split('|') as [string, string];
    let row = byBucket.get(bucket);
    if (!row) byBucket.set(bucket, (row = { bucket: bucket === '' ? null : new Date(Number(bucket)).toISOString(), total: bucket === '' ? 1 : 0 }));
    row[`${metric}_n`] = h.total;
    row[`${metric}_p`] = h.percentiles(FRACTIONS);
  }
  return [...byBucket.values()].sort((a, b) => Number(b.total) - Number(a.total) || String(a.bucket).localeCompare(String(b.bucket)));
}

/** The partial days' rows, both parts at once. */
const partialRows = async (db: Db, parts: SQL[]): Promise<Array<Record<string, unknown>>> => (parts.length === 0 ? [] : rowsOf(db, unionAll(parts)));

/** Time to accept per rep over rollups: [p50, p90, p99] by rep (rollup_accept_times and the partial days' accepted waits). */
export async function rollupAcceptPercentiles(db: Db, s: AnalyticsScope, r: Rollups): Promise<Map<string, Array<number | null>>> {
  const [dayRows, partial] = await Promise.all([
    rowsOf<{ rep_id: string; hist: string }>(db, sql`select x.rep_id, x.hist from rollup_accept_times x where ${days(s, r)}`),
    partialRows(
      db,
      partialDays(
        s,
        r,
        (cond) => sql`select x.assignee_id as rep_id, analytics_bin(x.elapsed_ms::float8) as bin, count(*)::int as n from run_waits x
          where ${cond} and x.assignee_type = 'rep' and x.assignee_id is not null and x.outcome = 'accepted' group by 1, 2`,
      ),
    ),
  ]);
  const hist = new Histograms();
  for (const d of dayRows) hist.of(d.rep_id).addText(d.hist);
  for (const p of partial) hist.of(String(p.rep_id)).add(Number(p.bin), Number(p.n));
  return new Map([...hist].map(([rep, h]) => [rep, h.percentiles(FRACTIONS)]));
}

/** Waits per rep and outcome over rollups: `rep_id`, `waits`, `met`, `breached`, `rejected`. */
export async function rollupWaitCounts(db: Db, s: AnalyticsScope, r: Rollups): Promise<Array<Record<string, unknown>>> {
  const rows = await rollupCounts(db, s, r, {
    rollup: 'rollup_waits',
    rows: 'run_waits',
    keys: [
      ['rep_id', 'x.rep_id', 'x.assignee_id'],
      ['outcome', 'x.outcome', 'x.outcome'],
    ],
    rowWhere: `x.assignee_type = 'rep' and x.assignee_id is not null`,
  });
  const byRep = new Map<string, Record<string, unknown> & { waits: number; met: number; breached: number; rejected: number }>();
  for (const row of rows) {
    const id = String(row.rep_id);
    let rep = byRep.get(id);
    if (!rep) byRep.set(id, (rep = { rep_id: id, waits: 0, met: 0, breached: 0, rejected: 0 }));
    const n = Number(row.n);
    rep.waits += n;
    if (row.outcome === 'accepted') rep.met += n;
    else if (row.outcome === 'timed_out') rep.breached += n;
    else if (row.outcome === 'rejected') rep.rejected += n;
  }
  return [...byRep.values()];
}

/** Per lead over rollups: the totals row and the re-assignment distribution, as the rows' queries answer them. */
export async function rollupRunFigures(db: Db, s: AnalyticsScope, r: Rollups): Promise<{ totals: Record<string, unknown>; distribution: Array<Record<string, unknown>> }> {
  const parts = [
    sql`select x.reassignment_class as n_class, x.met, x.breached, x.escalated, x.leads::bigint as leads, x.reassignments::bigint as reassignments, x.escalations::bigint as escalations
      from rollup_runs x where ${days(s, r)}`,
    ...partialDays(
      s,
      r,
      (cond) => sql`select least(x.reassignments, 3)::smallint, x.sla_met > 0, x.sla_breached > 0, x.escalations > 0, 1::bigint, x.reassignments::bigint, x.escalations::bigint from routing_runs x where ${cond}`,
    ),
  ];
  const rows = await rowsOf<Record<string, unknown>>(
    db,
    sql`select u.n_class, u.met, u.breached, u.escalated, sum(u.leads)::int as leads, sum(u.reassignments)::int as reassignments, sum(u.escalations)::int as escalations
      from (${unionAll(parts)}) u group by 1, 2, 3, 4`,
  );
  const totals = { leads: 0, leads_met: 0, leads_breached: 0, reassignments: 0, leads_reassigned: 0, escalations: 0, leads_escalated: 0 };
  const classes = new Map<number, number>();
  for (const row of rows) {
    const leads = Number(row.leads);
    const cls = Number(row.n_class);
    totals.leads += leads;
    if (row.met === true) totals.leads_met += leads;
    if (row.breached === true) totals.leads_breached += leads;
    totals.reassignments += Number(row.reassignments);
    if (cls > 0) totals.leads_reassigned += leads;
    totals.escalations += Number(row.escalations);
    if (row.escalated === true) totals.leads_escalated += leads;
    classes.set(cls, (classes.get(cls) ?? 0) + leads);
  }
  const distribution = [...classes.entries()].filter(([, leads]) => leads > 0).sort(([a], [b]) => a - b).map(([n, leads]) => ({ n, leads }));
  return { totals, distribution };
}

const FAIR = `x.node_type = 'assign' and x.assignee_type = 'rep'`;
const node = ['node_id', 'x.node_id', 'x.node_id'] as [string, string, string];
const assignee = ['assignee_id', 'x.assignee_id', 'x.assignee_id'] as [string, string, string];

/** Fairness over rollups: leads per (node, pool, rep), per (bucket, node, rep), and passed over per (node, rep, verdict). */
export function rollupFairnessRows(db: Db, s: AnalyticsScope, r: Rollups): [Promise<Array<Record<string, unknown>>>, Promise<Array<Record<string, unknown>>>, Promise<Array<Record<string, unknown>>>] {
  const assignments = { rollup: 'rollup_assignments', rows: 'run_assignments', rollupWhere: FAIR, rowWhere: FAIR };
  return [
    rollupCounts(db, s, r, { ...assignments, keys: [node, ['pool_key', `nullif(x.pool_key, '')`, 'x.pool_key'], assignee] }),
    rollupCounts(db, s, r, { ...assignments, keys: [node, assignee], bucket: true }),
    rollupCounts(db, s, r, { rollup: 'rollup_passed_over', rows: 'run_passed_over', keys: [node, ['rep_id', 'x.rep_id', 'x.rep_id'], ['verdict', 'x.verdict', 'x.verdict']] }),
  ];
}

/** Queue inflow over rollups: per queue, and per (bucket, queue). */
export function rollupQueueInflow(db: Db, s: AnalyticsScope, r: Rollups): Promise<[Array<Record<string, unknown>>, Array<Record<string, unknown>>]> {
  const queued = { rollup: 'rollup_assignments', rows: 'run_assignments', keys: [assignee], rollupWhere: `x.assignee_type = 'queue'`, rowWhere: `x.assignee_type = 'queue'` };
  return Promise.all([rollupCounts(db, s, r, queued), rollupCounts(db, s, r, { ...queued, bucket: true })]);
}
