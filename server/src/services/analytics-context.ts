import type { Plan, PlanNode } from '@lead-router/shared';
import { and, desc, eq, sql, type SQL } from 'drizzle-orm';
import type { Db, Tx } from '@lead-router/db/client';
import { queues, reps, teams, territories, versions } from '@lead-router/db/schema';
import { MAX_RELATIVE_ERROR } from './analytics-histogram';
import { BUCKET_MS, bucketOrigin, EXACT_MAX_LEADS, rollupDays, touchedDays, type AnalyticsRange, type Bucket, type RangeSource } from './analytics-range';
import { requireWorkflow } from './workflow-access';

/** The leads behind a figure, as `GET /api/leads` filters them (its query parameters). */
export interface LeadFilter {
  workflow: string;
  since: string;
  until: string;
  status?: string;
  assignee?: string;
  firstAssignee?: string;
  assignedTo?: string;
  assignedBy?: string;
  waitedOn?: string;
  waitOutcome?: string;
  passedOver?: string;
  passedReason?: string;
  throughNode?: string;
  nodeOutcome?: string;
}

/** What every section reads first: the workflow, the range, names of reps, teams, queues and nodes. */
export interface AnalyticsScope {
  workspaceId: string;
  workflow: { id: string; name: string };
  range: AnalyticsRange;
  /** Where buckets start; the whole days the per-day rollups answer for; whether percentiles come from them. */
  source: RangeSource;
  now: Date;
  repName(id: string): string | null;
  queueName(id: string): string | null;
  teams: Array<{ id: string; name: string; members: Array<{ repId: string; weight: number }> }>;
  territories: Map<string, { name: string; repIds: string[] }>;
  /** The node as the newest version that has it defines it. */
  node(id: string): PlanNode | null;
  /** The leads received in the range (or a bucket of it), with more filters. */
  leads(extra?: Partial<LeadFilter>, bucket?: { start: number; end: number }): LeadFilter;
}

/** Rows of `db.execute`, whichever driver ran it (postgres.js answers an array, PGlite `{ rows }`). */
export async function rowsOf<T>(db: Db | Tx, query: SQL): Promise<T[]> {
  const r = (await db.execute(query)) as unknown;
  return (Array.isArray(r) ? r : (r as { rows: T[] }).rows) as T[];
}

// A workflow keeps every version; the newest few define the nodes its recent runs went through.
const VERSIONS_READ = 20;

/** Loads the workflow (404 for another workspace's) and the names the figures show; `exactMaxLeads` for tests. */
export async function loadScope(db: Db, workspaceId: string, workflowId: string, range: AnalyticsRange, now: Date, exactMaxLeads = EXACT_MAX_LEADS): Promise<AnalyticsScope> {
  const wf = await requireWorkflow(db, workspaceId, workflowId);
  const days = rollupDays(range);
  const touched = touchedDays(range);
  const [repRows, queueRows, teamRows, territoryRows, versionRows, [estimate]] = await Promise.all([
    db.select({ id: reps.id, name: reps.name }).from(reps).where(eq(reps.workspaceId, workspaceId)),
    db.select({ id: queues.id, name: queues.name }).from(queues).where(eq(queues.workspaceId, workspaceId)),
    db.select({ id: teams.id, name: teams.name, members: teams.members }).from(teams).where(eq(teams.workspaceId, workspaceId)),
    db.select({ id: territories.id, name: territories.name, repIds: territories.repIds }).from(territories).where(eq(territories.workspaceId, workspaceId)),
    db
      .select({ id: versions.id, plan: versions.plan })
      .from(versions)
      .where(and(eq(versions.workflowId, wf.id)))
      .orderBy(sql`${versions.id} = ${wf.activeVersionId ?? null} desc`, desc(versions.number))
      .limit(VERSIONS_READ),
    // How many leads the range holds at most (its days' leads): whether exact percentiles stay fast.
    days
      ? rowsOf<{ leads: number }>(
          db,
          sql`select coalesce(sum(leads), 0)::int as leads from rollup_runs where workspace_id = ${workspaceId} and workflow_id = ${wf.id} and day >= ${touched.first}::date and day < ${touched.end}::date`,
        )
      : [{ leads: 0 }],
  ]);
  const repNames = new Map(repRows.map((r) => [r.id, r.name]));
  const queueNames = new Map(queueRows.map((q) => [q.id, q.name]));
  const plans: Plan[] = versionRows.map((v) => v.plan);
  const since = range.from.toISOString();
  const until = range.to.toISOString();
  return {
    workspaceId,
    workflow: { id: wf.id, name: wf.name },
    range,
    source: { bucketOrigin: bucketOrigin(range), rollups: days, approximate: days !== null && Number(estimate?.leads ?? 0) > exactMaxLeads },
    now,
    repName: (id) => repNames.get(id) ?? null,
    queueName: (id) => queueNames.get(id) ?? null,
    teams: teamRows,
    territories: new Map(territoryRows.map((t) => [t.id, { name: t.name, repIds: t.repIds }])),
    node: (id) => {
      for (const p of plans) {
        const n = p.nodes[id];
        if (n) return n;
      }
      return null;
    },
    leads: (extra = {}, bucket) => ({
      workflow: wf.id,
      since: bucket ? new Date(bucket.start).toISOString() : since,
      until: bucket ? new Date(bucket.end).toISOString() : until,
      ...extra,
    }),
  };
}

/** The scope's range as SQL conditions on a table's (workspace_id, workflow_id, received_at): its index. */
export function inRange(s: AnalyticsScope, alias: string): SQL {
  const t = sql.raw(alias);
  return sql`${t}.workspace_id = ${s.workspaceId} and ${t}.workflow_id = ${s.workflow.id} and ${t}.received_at >= ${s.range.from.toISOString()}::timestamptz and ${t}.received_at < ${s.range.to.toISOString()}::timestamptz`;
}

/** The SQL of the bucket start of `column` (date_bin from the scope's bucket origin). */
export function bucketSql(s: AnalyticsScope, column: SQL): SQL {
  return sql`date_bin(${sql.raw(`'1 ${s.range.bucket}'`)}::interval, ${column}, ${s.source.bucketOrigin.toISOString()}::timestamptz)`;
}

/** A ratio, or null over nothing. */
export const ratio = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null);

/** What every section answers around its tables. */
export interface SectionHead {
  workflow: { id: string; name: string };
  range: { from: string; to: string; bucket: Bucket; bucketMs: number };
  /**
   * `rows`: every figure from the rows of the range; `rollups`: the whole UTC days from the per-day rollups,
   * the partial days at the range's ends from the rows (counts equal the rows' either way).
   */
  source: 'rows' | 'rollups';
  /** `approximate`: the section's percentiles came from the rollups' histograms, within `maxRelativeError` (counts stay exact). */
  precision: 'exact' | 'approximate';
  maxRelativeError: number;
}

/** The head of a section's answer: whence its figures came, and whether its percentiles are approximate. */
export const head = (s: AnalyticsScope, source: 'rows' | 'rollups', approximate = false): SectionHead => ({
  workflow: s.workflow,
  range: { from: s.range.from.toISOString(), to: s.range.to.toISOString(), bucket: s.range.bucket, bucketMs: BUCKET_MS[s.range.bucket] },
  source,
  precision: approximate ? 'approximate' : 'exact',
  maxRelativeError: approximate ? MAX_RELATIVE_ERROR : 0,
});
