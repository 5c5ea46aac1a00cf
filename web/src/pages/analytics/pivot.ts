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

/**
 * The nodes of path rows in the order a lead meets them: from the trigger(s), breadth-first along the counted
 * edges (each node's outcomes in the order given); nodes no counted edge reaches come last, in the order given.
 */
export function flowOrder<E extends { nodeId: string; nodeType: string; next: string | null }>(edges: readonly E[]): string[] {
  const out = new Map<string, string[]>();
  for (const e of edges) {
    const list = out.get(e.nodeId) ?? [];
    if (e.next !== null && !list.includes(e.next)) list.push(e.next);
    out.set(e.nodeId, list);
  }
  const order: string[] = [];
  const seen = new Set<string>();
  const queue = edges.filter((e) => e.nodeType === 'trigger').map((e) => e.nodeId);
  while (queue.length > 0) {
    const id = queue.shift()!;
    if (seen.has(id)) continue;
    seen.add(id);
    if (out.has(id)) order.push(id);
    queue.push(...(out.get(id) ?? []));
  }
  for (const id of out.keys()) if (!seen.has(id)) order.push(id);
  return order;
}

/** Each step's counts as one line to show on the canvas: "else 1 · us 3"; a step without outcomes: "2 steps". */
export function pathCounts<E extends { nodeId: string; outcome: string | null; steps: number }>(edges: readonly E[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [nodeId, rows] of groupBy(edges, (e) => e.nodeId)) {
    out[nodeId] = rows.map((r) => (r.outcome === null ? `${r.steps} step${r.steps === 1 ? '' : 's'}` : `${r.outcome.replaceAll('_', ' ')} ${r.steps}`)).join(' · ');
  }
  return out;
}
