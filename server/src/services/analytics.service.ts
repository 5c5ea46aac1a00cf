import { sql } from 'drizzle-orm';
import type { Db, Tx } from '@lead-router/db/client';
import { bucketSql, head, inRange, loadScope, ratio, rowsOf, type AnalyticsScope, type LeadFilter, type SectionHead } from './analytics-context';
import { BUCKET_MS, rangeDays, resolveRange, type Bucket, type RollupDays } from './analytics-range';

export type { SectionHead } from './analytics-context';
import { rollupAcceptPercentiles, rollupFairnessRows, rollupQueueInflow, rollupRunFigures, rollupSpeedRows, rollupWaitCounts } from './analytics-rollups';
import { SPEED_KEYS, SPEED_VALUES, type Clock, type SpeedMetric } from './analytics-speed';
import { expectedShares } from './analytics-weights';

export { SPEED_METRICS, type Clock, type SpeedMetric } from './analytics-speed';

// Routing analytics (issue 15, item 3): SQL aggregates over the columns and small tables the worker keeps as
// leads move (routing_runs' analytics columns, run_waits, run_assignments, run_passed_over, path_counts;
// db/src/analytics-schema.ts), each read by its (workspace, workflow, received_at) index. Never the trace.
// Every figure counts the leads received in [from, to) and carries the lead list's filter for its leads.
// With day or week buckets, counts read the per-day rollups for the range's whole UTC days and the rows for
// its partial days (analytics-rollups.ts): equal to the rows' counts, and fast over any range. Percentiles come
// from the rows (exact) up to EXACT_MAX_LEADS leads, beyond from the rollups' histograms (within 2%); each
// answer says which (`source`, `precision`).

export const ANALYTICS_SECTIONS = ['speed-to-lead', 'sla', 'acceptance', 'fairness', 'paths', 'queues'] as const;
export type AnalyticsSection = (typeof ANALYTICS_SECTIONS)[number];

/** p50, p90 and p99 as percentile_cont computes them (linear between the two nearest values), ms. */
export interface Percentiles {
  count: number;
  p50Ms: number | null;
  p90Ms: number | null;
  p99Ms: number | null;
}

export interface SpeedRow extends Percentiles {
  metric: SpeedMetric;
  clock: Clock;
  leads: LeadFilter;
}
export interface SpeedBucketRow extends SpeedRow {
  bucketStart: string;
  bucketEnd: string;
}

const FRACTIONS = sql.raw(`array[0.5, 0.9, 0.99]::float8[]`); // Percentiles sort every value: enough memory not to spill.
const SORT_MEMORY = sql.raw(`set local work_mem = '64MB'`);

const num = (v: unknown): number => Number(v ?? 0);
const pct = (p: unknown, count: number): Omit<Percentiles, 'count'> => {
  const a = count > 0 && Array.isArray(p) ? (p as unknown[]).map(Number) : null;
  return { p50Ms: a?.[0] ?? null, p90Ms: a?.[1] ?? null, p99Ms: a?.[2] ?? null };
};
/** A bucket of a row (its date_bin start) cut to the range: [start, end) as ms. */
const bucketOfRow = (s: AnalyticsScope, start: unknown) => {
  const at = new Date(start as string).getTime();
  return { start: Math.max(at, s.range.from.getTime()), end: Math.min(at + BUCKET_MS[s.range.bucket], s.range.to.getTime()) };
};
const bucketStart = (s: AnalyticsScope, start: unknown): string => new Date(bucketOfRow(s, start).start).toISOString();
const bucketEnd = (s: AnalyticsScope, start: unknown): string => new Date(bucketOfRow(s, start).end).toISOString();

/** Speed to lead: received -> first assignment, -> accepted, -> first contact; p50/p90/p99 overall and per bucket. */
export async function speedToLead(db: Db, s: AnalyticsScope): Promise<SectionHead & { summary: SpeedRow[]; overTime: SpeedBucketRow[] }> {
  const values = SPEED_KEYS.map(({ metric, clock, key }) => sql.raw(`(${SPEED_VALUES[metric][clock]})::float8 as "${key}"`));
  const aggregates = SPEED_KEYS.map(({ key }) => sql.raw(`count("${key}")::int as "${key}_n", percentile_cont(array[0.5, 0.9, 0.99]::float8[]) within group (order by "${key}") as "${key}_p"`));
  const rollups = s.source.approximate ? s.source.rollups : null;
  const rows = rollups ? await rollupSpeedRows(db, s, rollups) : await db.transaction(async (tx) => {
    await tx.execute(SORT_MEMORY);
    return rowsOf<Record<string, unknown>>(
      tx,
      sql`select v.bucket, grouping(v.bucket) as total, ${sql.join(aggregates, sql`, `)}
        from (select ${bucketSql(s, sql`r.received_at`)} as bucket, ${sql.join(values, sql`, `)} from routing_runs r where ${inRange(s, 'r')}) v
        group by grouping sets ((), (v.bucket)) order by 2 desc, 1`,
    );
  });
  const summary: SpeedRow[] = [];
  const overTime: SpeedBucketRow[] = [];
  for (const row of rows) {
    const isTotal = num(row.total) === 1;
    for (const { metric, clock, key } of SPEED_KEYS) {
      const count = num(row[`${key}_n`]);
      if (isTotal) summary.push({ metric, clock, count, ...pct(row[`${key}_p`], count), leads: s.leads() });
      else if (count > 0) overTime.push({ bucketStart: bucketStart(s, row.bucket), bucketEnd: bucketEnd(s, row.bucket), metric, clock, count, ...pct(row[`${key}_p`], count), leads: s.leads({}, bucketOfRow(s, row.bucket)) });
    }
  }
  // No lead in the range: the summary still names every metric, with nothing counted.
  if (summary.length === 0) for (const { metric, clock } of SPEED_KEYS) summary.push({ metric, clock, count: 0, p50Ms: null, p90Ms: null, p99Ms: null, leads: s.leads() });
  return { ...head(s, rollups ? 'rollups' : 'rows', rollups !== null), summary, overTime };
}

interface WaitRow {
  repId: string;
  waits: number;
  met: number;
  breached: number;
  rejected: number;
  acceptP: unknown;
}

/** Waits per rep (run_waits): SLA met, breached, rejected, and (`times`) time to accept; from the rollups' whole days with `rollups`. */
async function waitsByRep(db: Db, s: AnalyticsScope, times: boolean, rollups: RollupDays | null): Promise<WaitRow[]> {
  if (rollups) {
    const [counts, accept] = await Promise.all([rollupWaitCounts(db, s, rollups), times ? rollupAcceptPercentiles(db, s, rollups) : null]);
    return counts
      .map((r) => ({ repId: String(r.rep_id), waits: num(r.waits), met: num(r.met), breached: num(r.breached), rejected: num(r.rejected), acceptP: accept?.get(String(r.rep_id)) ?? null }))
      .sort((a, b) => (a.repId < b.repId ? -1 : a.repId > b.repId ? 1 : 0));
  }
  return db.transaction(async (tx: Tx) => {
    await tx.execute(SORT_MEMORY);
    const rows = await rowsOf<Record<string, unknown>>(
      tx,
      sql`select w.assignee_id as rep_id, count(*)::int as waits,
          (count(*) filter (where w.outcome = 'accepted'))::int as met,
          (count(*) filter (where w.outcome = 'timed_out'))::int as breached,
          (count(*) filter (where w.outcome = 'rejected'))::int as rejected
          ${times ? sql`, percentile_cont(${FRACTIONS}) within group (order by w.elapsed_ms::float8) filter (where w.outcome = 'accepted') as accept_p` : sql``}
        from run_waits w where ${inRange(s, 'w')} and w.assignee_type = 'rep' and w.assignee_id is not null
        group by w.assignee_id order by w.assignee_id`,
    );
    return rows.map((r) => ({ repId: String(r.rep_id), waits: num(r.waits), met: num(r.met), breached: num(r.breached), rejected: num(r.rejected), acceptP: r.accept_p }));
  });
}

export interface SlaRepRow {
  repId: string;
  repName: string | null;
  waits: number;
  met: number;
  breached: number;
  rejected: number;
  metRate: number | null;
  breachRate: number | null;
  leads: LeadFilter;
  breachedLeads: LeadFilter;
}
export interface SlaTeamRow {
  teamId: string;
  teamName: string;
  waits: number;
  met: number;
  breached: number;
  rejected: number;
  metRate: number | null;
  breachRate: number | null;
}
export interface SlaLeadRow {
  leads: number;
  leadsMet: number;
  leadsBreached: number;
  reassignments: number;
  leadsReassigned: number;
  escalations: number;
  leadsEscalated: number;
  reassignmentsPerLead: number | null;
  escalationsPerLead: number | null;
}
export interface ReassignmentRow {
  /** 0, 1, 2, or 3 for "3 or more". */
  reassignments: number;
  leads: number;
}

/** SLA met / breached per rep and team (a wait's SLA is met when answered in time), and re-assignments and escalations per lead. */
export async function sla(db: Db, s: AnalyticsScope): Promise<SectionHead & { byRep: SlaRepRow[]; byTeam: SlaTeamRow[]; perLead: SlaLeadRow[]; reassignmentDistribution: ReassignmentRow[] }> {
  const rollups = s.source.rollups;
  const runFigures = async (): Promise<[Array<Record<string, unknown>>, Array<Record<string, unknown>>]> => {
    if (rollups) {
      const f = await rollupRunFigures(db, s, rollups);
      return [[f.totals], f.distribution];
    }
    return Promise.all([
      rowsOf<Record<string, unknown>>(
      db,
      sql`select count(*)::int as leads, (count(*) filter (where r.sla_met > 0))::int as leads_met, (count(*) filter (where r.sla_breached > 0))::int as leads_breached,
          coalesce(sum(r.reassignments), 0)::int as reassignments, (count(*) filter (where r.reassignments > 0))::int as leads_reassigned,
          coalesce(sum(r.escalations), 0)::int as escalations, (count(*) filter (where r.escalations > 0))::int as leads_escalated
        from routing_runs r where ${inRange(s, 'r')}`,
      ),
      rowsOf<Record<string, unknown>>(db, sql`select least(r.reassignments, 3) as n, count(*)::int as leads from routing_runs r where ${inRange(s, 'r')} group by 1 order by 1`),
    ]);
  };
  const [waits, [[totals], distribution]] = await Promise.all([waitsByRep(db, s, false, rollups), runFigures()]);
  const rate = (w: { met: number; breached: number; waits: number }) => ({ metRate: ratio(w.met, w.waits), breachRate: ratio(w.breached, w.waits) });
  const byRep: SlaRepRow[] = waits.map((w) => ({
    repId: w.repId,
    repName: s.repName(w.repId),
    waits: w.waits,
    met: w.met,
    breached: w.breached,
    rejected: w.rejected,
    ...rate(w),
    leads: s.leads({ waitedOn: w.repId }),
    breachedLeads: s.leads({ waitedOn: w.repId, waitOutcome: 'timed_out' }),
  }));
  const byTeam: SlaTeamRow[] = s.teams
    .map((t) => {
      const members = new Set(t.members.map((m) => m.repId));
      const sum = { waits: 0, met: 0, breached: 0, rejected: 0 };
      for (const w of waits) {
        if (!members.has(w.repId)) continue;
        sum.waits += w.waits;
        sum.met += w.met;
        sum.breached += w.breached;
        sum.rejected += w.rejected;
      }
      return { teamId: t.id, teamName: t.name, ...sum, ...rate(sum) };
    })
    .filter((t) => t.waits > 0)
    .sort((a, b) => a.teamId.localeCompare(b.teamId));
  const t = totals ?? {};
  const leads = num(t.leads);
  const perLead: SlaLeadRow[] = [
    {
      leads,
      leadsMet: num(t.leads_met),
      leadsBreached: num(t.leads_breached),
      reassignments: num(t.reassignments),
      leadsReassigned: num(t.leads_reassigned),
      escalations: num(t.escalations),
      leadsEscalated: num(t.leads_escalated),
      reassignmentsPerLead: ratio(num(t.reassignments), leads),
      escalationsPerLead: ratio(num(t.escalations), leads),
    },
  ];
  const reassignmentDistribution = distribution.map((d) => ({ reassignments: num(d.n), leads: num(d.leads) }));
  return { ...head(s, rollups ? 'rollups' : 'rows'), byRep, byTeam, perLead, reassignmentDistribution };
}

export interface AcceptanceRow extends Percentiles {
  repId: string;
  repName: string | null;
  offered: number;
  accepted: number;
  rejected: number;
  timedOut: number;
  acceptanceRate: number | null;
  rejectionRate: number | null;
  leads: LeadFilter;
  acceptedLeads: LeadFilter;
  rejectedLeads: LeadFilter;
}

/** Acceptance and rejection rates per rep over the waits they were offered, and time to accept (p50/p90/p99). */
export async function acceptance(db: Db, s: AnalyticsScope): Promise<SectionHead & { byRep: AcceptanceRow[] }> {
  // Counts and time to accept from the rows while the range is small enough for exact percentiles.
  const rollups = s.source.approximate ? s.source.rollups : null;
  const waits = await waitsByRep(db, s, true, rollups);
  const byRep = waits.map((w) => ({
    repId: w.repId,
    repName: s.repName(w.repId),
    offered: w.waits,
    accepted: w.met,
    rejected: w.rejected,
    timedOut: w.breached,
    acceptanceRate: ratio(w.met, w.waits),
    rejectionRate: ratio(w.rejected, w.waits),
    count: w.met,
    ...pct(w.acceptP, w.met),
    leads: s.leads({ waitedOn: w.repId }),
    acceptedLeads: s.leads({ waitedOn: w.repId, waitOutcome: 'accepted' }),
    rejectedLeads: s.leads({ waitedOn: w.repId, waitOutcome: 'rejected' }),
  }));
  return { ...head(s, rollups ? 'rollups' : 'rows', rollups !== null), byRep };
}

export interface FairnessRow {
  nodeId: string;
  nodeLabel: string | null;
  poolKey: string | null;
  poolName: string | null;
  repId: string;
  repName: string | null;
  weight: number | null;
  expectedShare: number | null;
  expectedLeads: number | null;
  actualLeads: number;
  actualShare: number | null;
  /** Actual share less expected share, in percentage points. */
  deviationPoints: number | null;
  leads: LeadFilter;
}
export interface FairnessBucketRow {
  bucketStart: string;
  bucketEnd: string;
  nodeId: string;
  repId: string;
  repName: string | null;
  leads: number;
  filter: LeadFilter;
}
export interface PassedOverRow {
  nodeId: string;
  nodeLabel: string | null;
  repId: string;
  repName: string | null;
  verdict: string;
  times: number;
  leads: LeadFilter;
}

/**
 * Fairness per assign node and pool: leads each rep got against the pool's weights (the node's strategy over
 * the team's or territory's reps), over time, and why reps were passed over (the candidates' verdicts).
 */
export async function fairness(db: Db, s: AnalyticsScope): Promise<SectionHead & { byRep: FairnessRow[]; overTime: FairnessBucketRow[]; passedOver: PassedOverRow[] }> {
  const bucket = bucketSql(s, sql`a.received_at`);
  const rollups = s.source.rollups;
  const [counts, buckets, passed] = await Promise.all(rollups ? rollupFairnessRows(db, s, rollups) : [
    rowsOf<Record<string, unknown>>(
      db,
      sql`select a.node_id, a.pool_key, a.assignee_id, count(*)::int as n from run_assignments a
        where ${inRange(s, 'a')} and a.node_type = 'assign' and a.assignee_type = 'rep' group by 1, 2, 3`,
    ),
    rowsOf<Record<string, unknown>>(
      db,
      sql`select ${bucket} as bucket, a.node_id, a.assignee_id, count(*)::int as n from run_assignments a
        where ${inRange(s, 'a')} and a.node_type = 'assign' and a.assignee_type = 'rep' group by 1, 2, 3 order by 1, 2, 3`,
    ),
    rowsOf<Record<string, unknown>>(
      db,
      sql`select p.node_id, p.rep_id, p.verdict, count(*)::int as n from run_passed_over p where ${inRange(s, 'p')} group by 1, 2, 3 order by 1, 2, 3`,
    ),
  ]);
  const pools = new Map<string, { nodeId: string; poolKey: string | null; reps: Map<string, number> }>();
  for (const c of counts) {
    const key = `${String(c.node_id)}\u0000${String(c.pool_key ?? '')}`;
    let pool = pools.get(key);
    if (!pool) pools.set(key, (pool = { nodeId: String(c.node_id), poolKey: (c.pool_key as string | null) ?? null, reps: new Map() }));
    pool.reps.set(String(c.assignee_id), num(c.n));
  }
  const byRep: FairnessRow[] = [];
  for (const pool of [...pools.values()].sort((a, b) => a.nodeId.localeCompare(b.nodeId) || (a.poolKey ?? '').localeCompare(b.poolKey ?? ''))) {
    const total = [...pool.reps.values()].reduce((a, b) => a + b, 0);
    const expected = expectedShares(s, pool.nodeId, pool.poolKey);
    const repIds = new Set([...pool.reps.keys(), ...(expected?.shares.keys() ?? [])]);
    const node = s.node(pool.nodeId);
    for (const repId of [...repIds].sort()) {
      const actual = pool.reps.get(repId) ?? 0;
      const share = expected ? (expected.shares.get(repId) ?? 0) : null;
      const actualShare = ratio(actual, total);
      byRep.push({
        nodeId: pool.nodeId,
        nodeLabel: node?.label ?? null,
        poolKey: pool.poolKey,
        poolName: expected?.poolName ?? null,
        repId,
        repName: s.repName(repId),
        weight: expected ? (expected.weights.get(repId) ?? 0) : null,
        expectedShare: share,
        expectedLeads: share === null ? null : share * total,
        actualLeads: actual,
        actualShare,
        deviationPoints: share === null || actualShare === null ? null : (actualShare - share) * 100,
        leads: s.leads({ assignedBy: pool.nodeId, assignedTo: repId }),
      });
    }
  }
  const overTime = buckets.map((b) => ({
    bucketStart: bucketStart(s, b.bucket),
    bucketEnd: bucketEnd(s, b.bucket),
    nodeId: String(b.node_id),
    repId: String(b.assignee_id),
    repName: s.repName(String(b.assignee_id)),
    leads: num(b.n),
    filter: s.leads({ assignedBy: String(b.node_id), assignedTo: String(b.assignee_id) }, bucketOfRow(s, b.bucket)),
  }));
  const passedOver = passed.map((p) => ({
    nodeId: String(p.node_id),
    nodeLabel: s.node(String(p.node_id))?.label ?? null,
    repId: String(p.rep_id),
    repName: s.repName(String(p.rep_id)),
    verdict: String(p.verdict),
    times: num(p.n),
    leads: s.leads({ passedOver: String(p.rep_id), passedReason: String(p.verdict) }),
  }));
  return { ...head(s, rollups ? 'rollups' : 'rows'), byRep, overTime, passedOver };
}

export interface PathRow {
  nodeId: string;
  nodeType: string;
  nodeLabel: string | null;
  outcome: string | null;
  next: string | null;
  nextLabel: string | null;
  steps: number;
  leads: LeadFilter;
}

/**
 * Paths: how many steps left each node by each outcome towards each next node (the canvas's edges), from the
 * per-day rollup. Whole UTC days: the days of `from` through the day of `to`'s last instant (`days`).
 */
export async function paths(db: Db, s: AnalyticsScope): Promise<SectionHead & { days: { first: string; last: string }; edges: PathRow[] }> {
  const { firstDay, lastDay } = rangeDays(s.range);
  const rows = await rowsOf<Record<string, unknown>>(
    db,
    sql`select p.node_id, min(p.node_type) as node_type, p.outcome, p.next, sum(p.count)::int as n from path_counts p
      where p.workspace_id = ${s.workspaceId} and p.workflow_id = ${s.workflow.id} and p.day >= ${firstDay} and p.day <= ${lastDay}
      group by p.node_id, p.outcome, p.next order by p.node_id, p.outcome, p.next`,
  );
  const dayStart = `${firstDay}T00:00:00.000Z`;
  const dayEnd = new Date(Date.parse(`${lastDay}T00:00:00.000Z`) + 86_400_000).toISOString();
  const edges = rows.map((r) => {
    const outcome = String(r.outcome) === '' ? null : String(r.outcome);
    const next = String(r.next) === '' ? null : String(r.next);
    return {
      nodeId: String(r.node_id),
      nodeType: String(r.node_type),
      nodeLabel: s.node(String(r.node_id))?.label ?? null,
      outcome,
      next,
      nextLabel: next === null ? null : (s.node(next)?.label ?? null),
      steps: num(r.n),
      leads: { ...s.leads({ throughNode: String(r.node_id), ...(outcome !== null ? { nodeOutcome: outcome } : {}) }), since: dayStart, until: dayEnd },
    };
  });
  // Always path_counts, the per-day rollup of the steps: whole days, exact counts.
  return { ...head(s, 'rollups'), days: { first: firstDay, last: lastDay }, edges };
}

export interface QueueRow {
  queueId: string;
  queueName: string | null;
  inflow: number;
  holding: number;
  oldestAgeMs: number | null;
  p50AgeMs: number | null;
  p90AgeMs: number | null;
  leads: LeadFilter;
}
export interface QueueBucketRow {
  bucketStart: string;
  bucketEnd: string;
  queueId: string;
  queueName: string | null;
  inflow: number;
  leads: LeadFilter;
}

/** Queues: leads sent to each queue (inflow, over time; rollups) and the leads each holds now with their age (since assigned to it; the runs' state, rows). */
export async function queueFigures(db: Db, s: AnalyticsScope): Promise<SectionHead & { byQueue: QueueRow[]; inflowOverTime: QueueBucketRow[] }> {
  const now = s.now.toISOString();
  const bucket = bucketSql(s, sql`a.received_at`);
  const rollups = s.source.rollups;
  const [[inflow, buckets], holding] = await Promise.all([
    rollups
      ? rollupQueueInflow(db, s, rollups)
      : Promise.all([
          rowsOf<Record<string, unknown>>(db, sql`select a.assignee_id, count(*)::int as n from run_assignments a where ${inRange(s, 'a')} and a.assignee_type = 'queue' group by 1`),
          rowsOf<Record<string, unknown>>(db, sql`select ${bucket} as bucket, a.assignee_id, count(*)::int as n from run_assignments a where ${inRange(s, 'a')} and a.assignee_type = 'queue' group by 1, 2 order by 1, 2`),
        ]),
    db.transaction(async (tx) => {
      await tx.execute(SORT_MEMORY);
      return rowsOf<Record<string, unknown>>(
        tx,
        sql`select r.assignee_id, count(*)::int as n, max(round(date_part('epoch', ${now}::timestamptz - r.assigned_at) * 1000)) as oldest,
            percentile_cont(array[0.5, 0.9]::float8[]) within group (order by round(date_part('epoch', ${now}::timestamptz - r.assigned_at) * 1000)) as p
          from routing_runs r where ${inRange(s, 'r')} and r.assignee_type = 'queue' group by 1`,
      );
    }),
  ]);
  const ids = new Set([...inflow, ...holding].map((r) => String(r.assignee_id)));
  const byQueue = [...ids].sort().map((queueId) => {
    const i = inflow.find((r) => r.assignee_id === queueId);
    const h = holding.find((r) => r.assignee_id === queueId);
    const held = num(h?.n);
    const p = held > 0 && Array.isArray(h?.p) ? (h.p as unknown[]).map(Number) : null;
    return {
      queueId,
      queueName: s.queueName(queueId),
      inflow: num(i?.n),
      holding: held,
      oldestAgeMs: held > 0 ? Number(h?.oldest) : null,
      p50AgeMs: p?.[0] ?? null,
      p90AgeMs: p?.[1] ?? null,
      leads: s.leads({ assignee: queueId }),
    };
  });
  const inflowOverTime = buckets.map((b) => ({
    bucketStart: bucketStart(s, b.bucket),
    bucketEnd: bucketEnd(s, b.bucket),
    queueId: String(b.assignee_id),
    queueName: s.queueName(String(b.assignee_id)),
    inflow: num(b.n),
    leads: s.leads({ assignedTo: String(b.assignee_id) }, bucketOfRow(s, b.bucket)),
  }));
  return { ...head(s, rollups ? 'rollups' : 'rows'), byQueue, inflowOverTime };
}

/** The query every section takes. */
export interface AnalyticsQuery {
  workflowId: string;
  from?: string;
  to?: string;
  bucket?: Bucket;
}

/** Validates the range, loads the scope (404 for another workspace's workflow), then runs the section. */
export async function analyticsScope(db: Db, workspaceId: string, q: AnalyticsQuery, now: Date): Promise<AnalyticsScope> {
  const range = resolveRange(q, now);
  return loadScope(db, workspaceId, q.workflowId, range, now);
}
