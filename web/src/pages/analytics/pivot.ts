import type { LeadFilter } from './analytics-view';

/** One bucket of a chart over time: each series' value and the leads behind it. */
export interface PivotRow {
  bucketStart: string;
  values: Record<string, number>;
  filters: Record<string, LeadFilter>;
}

/** A series of a pivoted chart: its key and the name to show. */
export interface PivotSeries {
  key: string;
  name: string;
}

/**
 * Turns the API's long rows (one per bucket and series, e.g. per bucket and rep) into one row per bucket with
 * every series' value, the shape a stacked bar chart reads; buckets in time order, series by name.
 */
export function pivotByBucket<R extends { bucketStart: string }>(
  rows: readonly R[],
  series: (r: R) => PivotSeries,
  value: (r: R) => number,
  filter: (r: R) => LeadFilter,
): { rows: PivotRow[]; series: PivotSeries[] } {
  const byBucket = new Map<string, PivotRow>();
  const names = new Map<string, string>();
  for (const r of rows) {
    const s = series(r);
    names.set(s.key, s.name);
    let row = byBucket.get(r.bucketStart);
    if (!row) byBucket.set(r.bucketStart, (row = { bucketStart: r.bucketStart, values: {}, filters: {} }));
    row.values[s.key] = (row.values[s.key] ?? 0) + value(r);
    row.filters[s.key] = filter(r);
  }
  return {
    rows: [...byBucket.values()].sort((a, b) => Date.parse(a.bucketStart) - Date.parse(b.bucketStart)),
    series: [...names].map(([key, name]) => ({ key, name })).sort((a, b) => a.name.localeCompare(b.name) || a.key.localeCompare(b.key)),
  };
}

/** Groups rows by a key, keeping the first-seen order of the groups. */
export function groupBy<R>(rows: readonly R[], key: (r: R) => string): [string, R[]][] {
  const groups = new Map<string, R[]>();
  for (const r of rows) {
    const k = key(r);
    const g = groups.get(k);
    if (g) g.push(r);
    else groups.set(k, [r]);
  }
  return [...groups];
}
