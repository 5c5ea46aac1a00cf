import type { LeadValue, StoredTraceStep } from '@lead-router/shared';
import { and, asc, desc, eq, gt, gte, lt, sql, type SQL } from 'drizzle-orm';
import type { Db } from '@lead-router/db/client';
import { leads, queues, reps, routingRuns, traceSteps, versions, workflows } from '@lead-router/db/schema';
import { runAssignments, runPassedOver, runWaits } from '@lead-router/db/analytics-schema';
import type { Env } from '../env';
import { notFound } from '../errors/domain-error';
import { CursorCodec, isMicrosInstant } from './cursor';
import { earlierRuns, type EarlierRun } from './run-history.service';
import { UUID_PATTERN } from './workflow-access';

/** The states of a routing run. */
export type RunStatus = (typeof routingRuns.status.enumValues)[number];

/** Who holds a lead. */
export interface AssigneeView {
  type: 'rep' | 'queue';
  id: string;
  /** Null when the rep or queue has since left the directory. */
  name: string | null;
}

/** One lead in the list. */
export interface LeadSummary {
  leadId: string;
  workflowId: string;
  workflowName: string;
  versionId: string;
  version: number | null;
  status: RunStatus;
  assignee: AssigneeView | null;
  outcome: string | null;
  receivedAt: string;
  /** The first assignment (speed to lead); re-assignments never move it. */
  firstAssignedAt: string | null;
  /** The latest (re)assignment. */
  assignedAt: string | null;
  acceptedAt: string | null;
  completedAt: string | null;
  /** While the run waits (an SLA): when the wait ends; null otherwise. */
  deadlineAt: string | null;
  /** When and why its rep closed the lead; null while it is open. */
  closed: LeadClosed | null;
  name: string | null;
  email: string | null;
  company: string | null;
}

/** A closed lead's close: when, why and by whom (a rep id, or `user:<id>` / `key:<id>`). */
export interface LeadClosed {
  at: string;
  reason: string;
  note: string | null;
  by: string;
  /** Who closed it, by name as it was then. */
  byName: string;
}

/** One lead with its run, full data and timings. */
export interface LeadDetail extends LeadSummary {
  temporalWorkflowId: string;
  temporalUrl: string | null;
  currentNodeId: string | null;
  startedAt: string | null;
  idempotencyKey: string | null;
  /** Why the run failed, while its status is `failed` (an operator can retry it); null otherwise. */
  error: string | null;
  lead: Record<string, LeadValue>;
  /** 1 for the lead's first run; each re-route starts the next. */
  runNumber: number;
  /** The lead's earlier runs (re-routed), oldest first. */
  earlierRuns: EarlierRun[];
  timings: { receivedToAssignedMs: number | null; assignedToAcceptedMs: number | null; receivedToAcceptedMs: number | null; receivedToCompletedMs: number | null };
}

/** A run's state as the live stream reports it. */
export interface RunState {
  leadId: string;
  status: RunStatus;
  assignee: AssigneeView | null;
  outcome: string | null;
  deadlineAt: string | null;
  firstAssignedAt: string | null;
  assignedAt: string | null;
  acceptedAt: string | null;
  completedAt: string | null;
  /** Why the run failed, while its status is `failed`; null otherwise. */
  error: string | null;
  closed: LeadClosed | null;
}

/** The filters and page of `GET /api/leads`. */
export interface LeadListQuery {
  workflowId?: string;
  status?: RunStatus;
  assignee?: string;
  since?: Date;
  until?: Date;
  /** The analytics' drill-downs (services/analytics*.ts): each an EXISTS on a table the worker keeps. */
  firstAssignee?: string;
  assignedTo?: string;
  assignedBy?: string;
  waitedOn?: string;
  waitOutcome?: string;
  passedOver?: string;
  passedReason?: string;
  throughNode?: string;
  nodeOutcome?: string;
  /** A case-insensitive piece of the lead's name, email or company. */
  q?: string;
  /** What the list is ordered by (then by received, then lead id, in the same direction). */
  sort?: LeadSort;
  order?: SortOrder;
  limit: number;
  /** The previous page's last row, decoded by `leadListCursor` (of the same sort and order). */
  cursor?: LeadListCursor;
}

/** What the lead list sorts by: when it was received, its run's status, or its assignee's name. */
export const LEAD_SORTS = ['received', 'status', 'assignee'] as const;
export type LeadSort = (typeof LEAD_SORTS)[number];
export type SortOrder = 'asc' | 'desc';
/** The order each sort takes unless told: newest first, statuses and names A to Z. */
export const DEFAULT_ORDER: Record<LeadSort, SortOrder> = { received: 'desc', status: 'asc', assignee: 'asc' };

/** A lead list cursor's keys: the sort and order it was given out for, then the last row's keys. */
export type LeadListCursor = readonly [sort: LeadSort, order: SortOrder, key: string, receivedAt: string, leadId: string];

/** `GET /api/leads`: on (sort key, received at, lead id), for one sort and order. */
export const leadListCursor = new CursorCodec<LeadListCursor>('leads', [
  (v): v is LeadSort => (LEAD_SORTS as readonly unknown[]).includes(v),
  (v): v is SortOrder => v === 'asc' || v === 'desc',
  (v): v is string => typeof v === 'string' && v.length <= 300,
  isMicrosInstant,
  (v): v is string => typeof v === 'string' && UUID_PATTERN.test(v),
]);

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const diff = (from: Date | null, to: Date | null) => (from && to ? to.getTime() - from.getTime() : null);

// The receive instant at Postgres' full (microsecond) precision, so a cursor never skips or repeats a row
// that shares a millisecond with the last one of a page.
const cursorAt = sql<string>`to_char(${routingRuns.receivedAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

const text = (field: string) => sql<string | null>`${leads.data} ->> ${field}`;

// The one text the search looks in: it must stay exactly the expression of the leads_search_trgm index
// (migrations/0008_lead-search.sql), keys as literals (a bound parameter would not match the index).
const searchText = sql`lower(coalesce(${leads.data} ->> 'firstName', '') || ' ' || coalesce(${leads.data} ->> 'lastName', '') || ' ' || coalesce(${leads.data} ->> 'email', '') || ' ' || coalesce(${leads.data} ->> 'company', ''))`;

/** `q` as a LIKE pattern matching it anywhere: its own % _ and \\ taken literally. */
const containsPattern = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

// The assignee's name as the list sorts by it: nobody (or a rep gone from the directory) sorts as ''.
const assigneeSortKey = sql<string>`coalesce(${reps.name}, ${queues.name}, '')`;

const summaryColumns = {
  run: routingRuns,
  workflowName: workflows.name,
  version: versions.number,
  repName: reps.name,
  queueName: queues.name,
  firstName: text('firstName'),
  lastName: text('lastName'),
  email: text('email'),
  company: text('company'),
  cursorAt,
  assigneeSortKey,
};

// Runs with everything a summary shows: the workflow's name, the version's number and the assignee's name.
function selectRuns(db: Db) {
  return db
    .select(summaryColumns)
    .from(routingRuns)
    .innerJoin(leads, eq(leads.id, routingRuns.leadId))
    .innerJoin(workflows, eq(workflows.id, routingRuns.workflowId))
    .leftJoin(versions, eq(versions.id, routingRuns.versionId))
    .leftJoin(reps, and(eq(routingRuns.assigneeType, 'rep'), eq(reps.workspaceId, routingRuns.workspaceId), eq(reps.id, routingRuns.assigneeId)))
    .leftJoin(queues, and(eq(routingRuns.assigneeType, 'queue'), eq(queues.workspaceId, routingRuns.workspaceId), eq(queues.id, routingRuns.assigneeId)));
}

type RunRow = Awaited<ReturnType<ReturnType<typeof selectRuns>['execute']>>[number];

function assigneeOf(r: Pick<RunRow, 'run' | 'repName' | 'queueName'>): AssigneeView | null {
  const { assigneeType, assigneeId } = r.run;
  if (!assigneeType || !assigneeId) return null;
  return { type: assigneeType, id: assigneeId, name: (assigneeType === 'rep' ? r.repName : r.queueName) ?? null };
}

function closedOf(run: Pick<RunRow['run'], 'closedAt' | 'closeReason' | 'closeNote' | 'closedBy' | 'closedByName'>): LeadClosed | null {
  if (!run.closedAt) return null;
  return { at: run.closedAt.toISOString(), reason: run.closeReason ?? 'other', note: run.closeNote, by: run.closedBy ?? 'unknown', byName: run.closedByName ?? run.closedBy ?? 'unknown' };
}

function toSummary(r: RunRow): LeadSummary {
  const run = r.run;
  const name = [r.firstName, r.lastName].filter((s): s is string => typeof s === 'string' && s !== '').join(' ');
  return {
    leadId: run.leadId,
    workflowId: run.workflowId,
    workflowName: r.workflowName,
    versionId: run.versionId,
    version: r.version ?? null,
    status: run.status,
    assignee: assigneeOf(r),
    outcome: run.outcome,
    receivedAt: run.receivedAt.toISOString(),
    firstAssignedAt: iso(run.firstAssignedAt),
    assignedAt: iso(run.assignedAt),
    acceptedAt: iso(run.acceptedAt),
    completedAt: iso(run.completedAt),
    deadlineAt: iso(run.deadlineAt),
    closed: closedOf(run),
    name: name === '' ? null : name,
    email: r.email,
    company: r.company,
  };
}

/** The lead list's analytics filters: the leads behind a figure, by the rows the figure counted. */
function analyticsFilters(q: Omit<LeadListQuery, 'limit'>): SQL[] {
  const where: SQL[] = [];
  const lead = sql`${routingRuns.leadId}`;
  if (q.firstAssignee !== undefined) where.push(eq(routingRuns.firstAssigneeId, q.firstAssignee));
  if (q.assignedTo !== undefined || q.assignedBy !== undefined) {
    where.push(sql`exists (select 1 from ${runAssignments} a where a.lead_id = ${lead}
      ${q.assignedTo !== undefined ? sql`and a.assignee_id = ${q.assignedTo}` : sql``} ${q.assignedBy !== undefined ? sql`and a.node_id = ${q.assignedBy}` : sql``})`);
  }
  if (q.waitedOn !== undefined || q.waitOutcome !== undefined) {
    where.push(sql`exists (select 1 from ${runWaits} w where w.lead_id = ${lead}
      ${q.waitedOn !== undefined ? sql`and w.assignee_type = 'rep' and w.assignee_id = ${q.waitedOn}` : sql``} ${q.waitOutcome !== undefined ? sql`and w.outcome = ${q.waitOutcome}` : sql``})`);
  }
  if (q.passedOver !== undefined || q.passedReason !== undefined) {
    where.push(sql`exists (select 1 from ${runPassedOver} p where p.lead_id = ${lead}
      ${q.passedOver !== undefined ? sql`and p.rep_id = ${q.passedOver}` : sql``} ${q.passedReason !== undefined ? sql`and p.verdict = ${q.passedReason}` : sql``})`);
  }
  if (q.throughNode !== undefined) {
    where.push(sql`exists (select 1 from ${traceSteps} s where s.lead_id = ${lead} and s.node_id = ${q.throughNode}
      ${q.nodeOutcome !== undefined ? sql`and s.outcome = ${q.nodeOutcome}` : sql``})`);
  }
  return where;
}

/** The WHERE of the lead list (and its CSV export, and a backfill's set: backfill.service.ts): the workspace, the filters and the search. */
export function listWhere(workspaceId: string, q: Omit<LeadListQuery, 'limit'>): SQL[] {
  const where: SQL[] = [eq(routingRuns.workspaceId, workspaceId)];
  if (q.workflowId !== undefined) where.push(eq(routingRuns.workflowId, q.workflowId));
  if (q.status !== undefined) where.push(eq(routingRuns.status, q.status));
  if (q.assignee !== undefined) where.push(eq(routingRuns.assigneeId, q.assignee));
  if (q.since !== undefined) where.push(gte(routingRuns.receivedAt, q.since));
  if (q.until !== undefined) where.push(lt(routingRuns.receivedAt, q.until));
  if (q.q !== undefined && q.q.trim() !== '') where.push(sql`${searchText} like lower(${containsPattern(q.q.trim())})`);
  where.push(...analyticsFilters(q));
  return where;
}

// The sort key of each sort, as SQL (in ORDER BY and in the cursor's comparison alike) and from a row.
const sortKeySql: Record<LeadSort, SQL> = {
  received: sql`''`, // unused: received is the sort itself
  status: sql`${routingRuns.status}::text`,
  assignee: assigneeSortKey,
};
const sortKeyOf = (sort: LeadSort, r: RunRow): string => (sort === 'status' ? r.run.status : sort === 'assignee' ? r.assigneeSortKey : '');

/**
 * A page of the workspace's leads, keyset-paged on (sort key, received at, lead id), all three in the one
 * direction: newest first by default; by status or assignee name, then newest (or oldest) within each.
 */
export async function listLeads(db: Db, workspaceId: string, q: LeadListQuery): Promise<{ items: LeadSummary[]; nextCursor: string | null }> {
  const sort = q.sort ?? 'received';
  const order = q.order ?? DEFAULT_ORDER[sort];
  const where = listWhere(workspaceId, q);
  const key = sortKeySql[sort];
  if (q.cursor !== undefined) {
    const [, , k, at, leadId] = q.cursor;
    // By received, no constant key in the comparison: the (workspace, received) index serves it as a range.
    const row = sort === 'received' ? sql`(${routingRuns.receivedAt}, ${routingRuns.leadId})` : sql`(${key}, ${routingRuns.receivedAt}, ${routingRuns.leadId})`;
    const after = sort === 'received' ? sql`(${at}::timestamptz, ${leadId}::uuid)` : sql`(${k}::text, ${at}::timestamptz, ${leadId}::uuid)`;
    where.push(order === 'desc' ? sql`${row} < ${after}` : sql`${row} > ${after}`);
  }
  const dir = order === 'desc' ? desc : asc;
  const rows = await selectRuns(db)
    .where(and(...where))
    .orderBy(...(sort === 'received' ? [] : [dir(key)]), dir(routingRuns.receivedAt), dir(routingRuns.leadId))
    .limit(q.limit + 1);
  const page = rows.slice(0, q.limit);
  let nextCursor: string | null = null;
  const last = page[page.length - 1];
  if (rows.length > q.limit && last) nextCursor = leadListCursor.encode(sort, order, sortKeyOf(sort, last), last.cursorAt, last.run.leadId);
  return { items: page.map(toSummary), nextCursor };
}

/** One lead of the workspace with its run, data, timings and Temporal workflow id; `not_found` otherwise. */
export async function getLead(db: Db, config: Pick<Env, 'TEMPORAL_UI_URL' | 'TEMPORAL_NAMESPACE'>, workspaceId: string, leadId: string): Promise<LeadDetail> {
  if (!UUID_PATTERN.test(leadId)) throw notFound(`Lead ${leadId}`);
  const [r] = await selectRuns(db)
    .where(and(eq(routingRuns.leadId, leadId), eq(routingRuns.workspaceId, workspaceId)))
    .limit(1);
  const [lead] = r ? await db.select({ data: leads.data, idempotencyKey: leads.idempotencyKey }).from(leads).where(eq(leads.id, leadId)).limit(1) : [];
  if (!r || !lead) throw notFound(`Lead ${leadId}`);
  const run = r.run;
  const ui = config.TEMPORAL_UI_URL?.replace(/\/+$/, '');
  return {
    ...toSummary(r),
    temporalWorkflowId: run.temporalWorkflowId,
    temporalUrl: ui ? `${ui}/namespaces/${encodeURIComponent(config.TEMPORAL_NAMESPACE)}/workflows/${encodeURIComponent(run.temporalWorkflowId)}` : null,
    currentNodeId: run.currentNodeId,
    startedAt: iso(run.startedAt),
    idempotencyKey: lead.idempotencyKey,
    error: run.error,
    lead: lead.data,
    runNumber: run.runNumber,
    earlierRuns: run.runNumber > 1 ? await earlierRuns(db, workspaceId, leadId) : [],
    timings: {
      receivedToAssignedMs: diff(run.receivedAt, run.firstAssignedAt),
      assignedToAcceptedMs: diff(run.assignedAt, run.acceptedAt),
      receivedToAcceptedMs: diff(run.receivedAt, run.acceptedAt),
      receivedToCompletedMs: diff(run.receivedAt, run.completedAt),
    },
  };
}

/** The run's current state (status, assignee, SLA deadline), or null when the workspace has no such lead. */
export async function getRunState(db: Db, workspaceId: string, leadId: string): Promise<RunState | null> {
  if (!UUID_PATTERN.test(leadId)) return null;
  const [r] = await db
    .select({ run: routingRuns, repName: reps.name, queueName: queues.name })
    .from(routingRuns)
    .leftJoin(reps, and(eq(routingRuns.assigneeType, 'rep'), eq(reps.workspaceId, routingRuns.workspaceId), eq(reps.id, routingRuns.assigneeId)))
    .leftJoin(queues, and(eq(routingRuns.assigneeType, 'queue'), eq(queues.workspaceId, routingRuns.workspaceId), eq(queues.id, routingRuns.assigneeId)))
    .where(and(eq(routingRuns.leadId, leadId), eq(routingRuns.workspaceId, workspaceId)))
    .limit(1);
  if (!r) return null;
  const run = r.run;
  return {
    leadId: run.leadId,
    status: run.status,
    assignee: assigneeOf(r),
    outcome: run.outcome,
    deadlineAt: iso(run.deadlineAt),
    firstAssignedAt: iso(run.firstAssignedAt),
    assignedAt: iso(run.assignedAt),
    acceptedAt: iso(run.acceptedAt),
    completedAt: iso(run.completedAt),
    error: run.error,
    closed: closedOf(run),
  };
}

/** The run's state, or `not_found`. */
export async function requireRunState(db: Db, workspaceId: string, leadId: string): Promise<RunState> {
  const s = await getRunState(db, workspaceId, leadId);
  if (!s) throw notFound(`Lead ${leadId}`);
  return s;
}

/** Trace steps of a lead after `afterSeq`, in order (the caller has checked the lead is the workspace's). */
export async function stepsAfter(db: Db, leadId: string, afterSeq: number, limit = 500): Promise<StoredTraceStep[]> {
  const rows = await db
    .select()
    .from(traceSteps)
    .where(and(eq(traceSteps.leadId, leadId), gt(traceSteps.seq, afterSeq)))
    .orderBy(asc(traceSteps.seq))
    .limit(limit);
  return rows.map((s) => ({
    seq: s.seq,
    nodeId: s.nodeId,
    nodeType: s.nodeType,
    label: s.label,
    at: s.at.toISOString(),
    durationMs: s.durationMs,
    input: s.input,
    decision: s.decision,
    explanation: s.explanation,
    output: s.output,
    outcome: s.outcome,
    next: s.next,
    candidates: s.candidates,
  }));
}

/** Every trace step of a workspace's lead, in order; `not_found` for an unknown lead. */
export async function getTrace(db: Db, workspaceId: string, leadId: string): Promise<StoredTraceStep[]> {
  await requireRunState(db, workspaceId, leadId);
  const steps: StoredTraceStep[] = [];
  for (;;) {
    const page = await stepsAfter(db, leadId, steps.length > 0 ? steps[steps.length - 1]!.seq : -1);
    steps.push(...page);
    if (page.length < 500) return steps;
  }
}
