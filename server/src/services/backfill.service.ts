import { and, asc, count, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Db } from '@lead-router/db/client';
import { queues, reps, routingRuns, workflows } from '@lead-router/db/schema';
import { backfillJobs, type BackfillFilter, type BackfillStatus } from '@lead-router/db/backfill-schema';
import type { Principal } from '../auth/principal';
import { DomainError, notFound } from '../errors/domain-error';
import { audit } from './audit.service';
import { backtestWorkflow } from './backtest.service';
import { listWhere, type LeadListQuery } from './leads.service';
import { targetVersion } from './reroute.service';
import type { BacktestResponse } from './backtest.service';
import type { SimulationRunner } from './simulation/pool';
import { UUID_PATTERN, requireWorkflow } from './workflow-access';
import { kickBackfills } from './backfill-runner';

// Backfills: a filtered set of a workflow's leads (the lead list's filter), each sent through a chosen version
// as a new run, by a job the runner works in the background (backfill-runner.ts). This file is the API's
// side: the preview, starting a job (its set is fixed then, as items), reading it, and pausing, resuming or
// cancelling it. docs/backfill.md says it in words.

/** The most leads one backfill may take; a filter matching more is refused (`too_many_leads`, on `filter`). */
export const MAX_BACKFILL_LEADS = 100_000;

/** The most leads a preview replays; past it, the oldest this many of the set (and it says so). */
export const PREVIEW_REPLAY_LEADS = 2_000;

/** What is sent through the version: the workflow's leads the lead list's filter matches. */
export interface BackfillTarget {
  workflowId: string;
  version?: number | undefined;
  /** `GET /api/leads`' filters and search (`q`) without its page, order and format, as the lead list sends them. */
  filter: BackfillFilter;
}

/** The lead list's query object (strings) as the lead list's service reads it; `workflow` is the backfill's. */
export function listQueryOf(workflowId: string, f: BackfillFilter): Omit<LeadListQuery, 'limit' | 'cursor'> {
  const q: Omit<LeadListQuery, 'limit' | 'cursor'> = { workflowId };
  const keys = ['firstAssignee', 'assignedTo', 'assignedBy', 'waitedOn', 'waitOutcome', 'passedOver', 'passedReason', 'throughNode', 'nodeOutcome', 'assignee', 'q'] as const;
  for (const k of keys) if (f[k] !== undefined) q[k] = f[k];
  if (f.status !== undefined) q.status = f.status as LeadListQuery['status'];
  if (f.since !== undefined) q.since = new Date(f.since);
  if (f.until !== undefined) q.until = new Date(f.until);
  return q;
}

/** The filter's conditions over routing_runs, after checking it names no other workflow than the backfill's. */
export function setWhere(workspaceId: string, t: BackfillTarget): SQL[] {
  if (t.filter.workflow !== undefined && t.filter.workflow !== t.workflowId) {
    throw new DomainError('invalid_request', 'The filter names another workflow than the one the backfill sends its leads through.', [
      { path: 'filter.workflow', message: 'must be the backfill’s workflowId (or left out)' },
    ]);
  }
  return listWhere(workspaceId, listQueryOf(t.workflowId, t.filter));
}

/** How many leads the filter matches, counting at most one past the limit. */
async function countSet(db: Db, where: SQL[]): Promise<number> {
  const capped = db
    .select({ one: sql`1` })
    .from(routingRuns)
    .where(and(...where))
    .limit(MAX_BACKFILL_LEADS + 1)
    .as('capped');
  const [row] = await db.select({ n: count() }).from(capped);
  return Number(row?.n ?? 0);
}

/** `too_many_leads` on `filter` when `n` is over the limit. */
export function checkSetSize(n: number): void {
  if (n <= MAX_BACKFILL_LEADS) return;
  throw new DomainError('too_many_leads', `The filter matches more than ${MAX_BACKFILL_LEADS.toLocaleString('en-US')} leads, the most one backfill may take. Narrow it (a shorter time range, a status, an assignee).`, [
    { path: 'filter', message: `matches more than ${MAX_BACKFILL_LEADS.toLocaleString('en-US')} leads`, code: 'too_many_leads' },
  ]);
}

/** Leads per assignee in a preview: in the backtest's replay through the target version, and of the active one. */
export interface PreviewAssignee {
  /** Null: leads that end with nobody. */
  id: string | null;
  type: 'rep' | 'queue' | null;
  /** The rep's or queue's name; null for nobody, or one that left the directory. */
  name: string | null;
  /** Through the target version (the backtest's candidate). */
  target: number;
  /** Through the active version (the backtest's baseline); null when none is active. */
  active: number | null;
  /** Who really holds them now. */
  actual: number;
}

/** What `POST /api/backfills/preview` answers. */
export interface BackfillPreview {
  workflowId: string;
  version: { id: string; number: number };
  activeVersion: number | null;
  /** Leads the filter matches now: what a backfill started now would take. */
  total: number;
  /** Of them, the leads replayed for the counts (all, up to PREVIEW_REPLAY_LEADS). */
  replayed: number;
  /** How the counts were computed, in words. */
  method: string;
  /** Replayed leads whose assignee through the target differs from the baseline's. */
  moved: number;
  assignees: PreviewAssignee[];
  /** What the backtest assumed, in words. */
  assumptions: Array<{ id: string; text: string }>;
}

/**
 * The preview of a backfill: how many leads it would take and the backtest's counts by assignee for exactly
 * that set through the target version (replayed from the routing state at its first lead, the workspace's
 * other leads applied at their real times, as the backtest does). Bounded: a set of more than
 * PREVIEW_REPLAY_LEADS replays its oldest PREVIEW_REPLAY_LEADS, and `method` says so. Reads only.
 */
export async function previewBackfill(deps: { db: Db; simulations: SimulationRunner }, p: Principal, t: BackfillTarget): Promise<BackfillPreview> {
  const { db } = deps;
  const wf = await requireWorkflow(db, p.workspaceId, t.workflowId);
  const version = await targetVersion(db, wf.id, t.version);
  const where = setWhere(p.workspaceId, t);
  const total = await countSet(db, where);
  checkSetSize(total);
  const rows = await db
    .select({ leadId: routingRuns.leadId, receivedAt: routingRuns.receivedAt })
    .from(routingRuns)
    .where(and(...where))
    .orderBy(asc(routingRuns.receivedAt), asc(routingRuns.leadId))
    .limit(PREVIEW_REPLAY_LEADS);
  const first = rows[0];
  const last = rows[rows.length - 1];
  if (!first || !last) {
    return { workflowId: wf.id, version, activeVersion: null, total: 0, replayed: 0, method: 'No lead matches the filter: nothing to replay.', moved: 0, assignees: [], assumptions: [] };
  }
  const text = await backtestWorkflow(db, deps.simulations, p.workspaceId, wf.id, {
    since: first.receivedAt,
    until: new Date(last.receivedAt.getTime() + 1),
    limit: PREVIEW_REPLAY_LEADS,
    source: version.number,
    leadIds: rows.map((r) => r.leadId),
  });
  const backtest = JSON.parse(text) as BacktestResponse;
  const names = await namesOf(db, p.workspaceId, backtest.summary.assignees);
  const hasActive = backtest.active !== null;
  const replayed = backtest.summary.leads;
  const method =
    replayed < total
      ? `Replayed the oldest ${replayed.toLocaleString('en-US')} of the ${total.toLocaleString('en-US')} matching leads (a preview replays at most ${PREVIEW_REPLAY_LEADS.toLocaleString('en-US')}, to answer in seconds); the counts are theirs, not the whole set's.`
      : `Replayed all ${replayed.toLocaleString('en-US')} matching leads, oldest first, from the routing state at the first one's arrival.`;
  return {
    workflowId: wf.id,
    version,
    activeVersion: backtest.active?.version ?? null,
    total,
    replayed,
    method,
    moved: backtest.summary.moved,
    assignees: backtest.summary.assignees.map((a) => ({
      id: a.id,
      type: a.type,
      name: a.id === null ? null : (names.get(`${a.type ?? 'rep'}:${a.id}`) ?? null),
      target: a.candidate,
      active: hasActive ? a.active : null,
      actual: a.actual,
    })),
    assumptions: backtest.assumptions,
  };
}

async function namesOf(db: Db, workspaceId: string, rows: ReadonlyArray<{ id: string | null; type: 'rep' | 'queue' | null }>): Promise<Map<string, string>> {
  const repIds = rows.filter((r) => r.id !== null && r.type !== 'queue').map((r) => r.id!);
  const queueIds = rows.filter((r) => r.id !== null && r.type === 'queue').map((r) => r.id!);
  const [r, q] = await Promise.all([
    repIds.length ? db.select({ id: reps.id, name: reps.name }).from(reps).where(and(eq(reps.workspaceId, workspaceId), inArray(reps.id, repIds))) : [],
    queueIds.length ? db.select({ id: queues.id, name: queues.name }).from(queues).where(and(eq(queues.workspaceId, workspaceId), inArray(queues.id, queueIds))) : [],
  ]);
  return new Map([...r.map((x) => [`rep:${x.id}`, x.name] as const), ...q.map((x) => [`queue:${x.id}`, x.name] as const)]);
}

/** A backfill job as the API shows it. */
export interface BackfillView {
  id: string;
  workflowId: string;
  workflowName: string | null;
  versionId: string;
  version: number;
  filter: BackfillFilter;
  status: BackfillStatus;
  total: number;
  done: number;
  skipped: number;
  skippedReasons: Record<string, number>;
  /** Leads done or skipped per second since the job started (to its end, or now). */
  rate: number;
  /** Seconds left at that rate; null once ended or before anything moved. */
  etaSeconds: number | null;
  createdBy: string;
  createdByName: string;
  note: string | null;
  error: string | null;
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
}

const ENDED: ReadonlySet<BackfillStatus> = new Set(['completed', 'cancelled', 'failed']);

function viewOf(j: typeof backfillJobs.$inferSelect, workflowName: string | null, now: Date): BackfillView {
  const processed = j.done + j.skipped;
  const seconds = Math.max(0.001, ((j.finishedAt ?? now).getTime() - j.createdAt.getTime()) / 1000);
  const rate = processed / seconds;
  const left = j.total - processed;
  return {
    id: j.id,
    workflowId: j.workflowId,
    workflowName,
    versionId: j.versionId,
    version: j.version,
    filter: j.filter,
    status: j.status,
    total: j.total,
    done: j.done,
    skipped: j.skipped,
    skippedReasons: j.skippedReasons,
    rate: Math.round(rate * 10) / 10,
    etaSeconds: ENDED.has(j.status) || rate <= 0 || left <= 0 ? null : Math.ceil(left / rate),
    createdBy: j.createdBy,
    createdByName: j.createdByName,
    note: j.note,
    error: j.error,
    createdAt: j.createdAt.toISOString(),
    updatedAt: j.updatedAt.toISOString(),
    finishedAt: j.finishedAt ? j.finishedAt.toISOString() : null,
  };
}

async function workflowNames(db: Db, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.select({ id: workflows.id, name: workflows.name }).from(workflows).where(inArray(workflows.id, [...new Set(ids)]));
  return new Map(rows.map((r) => [r.id, r.name]));
}

/**
 * Starts a backfill: fixes its set (the leads the filter matches now, oldest first, as items) and the job
 * row, in one transaction with the audit entry; the runner takes it from there. `too_many_leads` on `filter`
 * past MAX_BACKFILL_LEADS, nothing written.
 */
export async function startBackfill(
  deps: { db: Db; now: () => Date },
  p: Principal,
  t: BackfillTarget & { note?: string | undefined },
): Promise<BackfillView> {
  const { db } = deps;
  const wf = await requireWorkflow(db, p.workspaceId, t.workflowId);
  const version = await targetVersion(db, wf.id, t.version);
  const where = setWhere(p.workspaceId, t);
  const now = deps.now();
  const job = await db.transaction(async (tx) => {
    const [created] = await tx
      .insert(backfillJobs)
      .values({
        workspaceId: p.workspaceId,
        workflowId: wf.id,
        versionId: version.id,
        version: version.number,
        filter: t.filter,
        total: 0,
        createdBy: `${p.kind}:${p.id}`,
        createdByName: p.name,
        note: t.note ?? null,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    if (!created) throw new Error('backfill insert returned nothing');
    // The set, fixed now: leads that match later are not in it. One statement, up to one past the limit.
    const result: unknown = await tx.execute(sql`
      with picked as (
        select ${routingRuns.leadId} as lead_id, row_number() over (order by ${routingRuns.receivedAt}, ${routingRuns.leadId}) as seq
        from ${routingRuns} where ${and(...where)}
        order by ${routingRuns.receivedAt}, ${routingRuns.leadId}
        limit ${MAX_BACKFILL_LEADS + 1}
      ), ins as (
        insert into backfill_items (job_id, lead_id, seq) select ${created.id}::uuid, lead_id, seq from picked returning 1
      )
      select count(*)::int as n from ins`);
    // postgres.js answers the rows; PGlite (`npm start`'s embedded database) an object holding them.
    const inserted = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as Array<{ n: number }>;
    const total = Number(inserted[0]?.n ?? 0);
    checkSetSize(total);
    const [job] = await tx
      .update(backfillJobs)
      .set({ total, ...(total === 0 ? { status: 'completed' as const, finishedAt: now } : {}) })
      .where(eq(backfillJobs.id, created.id))
      .returning();
    await audit(tx, p, p.workspaceId, 'backfill.started', { type: 'backfill', id: created.id }, { workflowId: wf.id, version: version.number, total, filter: t.filter, ...(t.note ? { note: t.note } : {}) });
    return job!;
  });
  kickBackfills(db);
  return viewOf(job, wf.name, now);
}

/** The workspace's backfills, newest first (at most `limit`, before `before` when given). */
export async function listBackfills(deps: { db: Db; now: () => Date }, workspaceId: string, q: { limit: number; workflowId?: string | undefined }): Promise<BackfillView[]> {
  const rows = await deps.db
    .select()
    .from(backfillJobs)
    .where(and(eq(backfillJobs.workspaceId, workspaceId), q.workflowId ? eq(backfillJobs.workflowId, q.workflowId) : undefined))
    .orderBy(desc(backfillJobs.createdAt), desc(backfillJobs.id))
    .limit(q.limit);
  const names = await workflowNames(
    deps.db,
    rows.map((r) => r.workflowId),
  );
  const now = deps.now();
  return rows.map((r) => viewOf(r, names.get(r.workflowId) ?? null, now));
}

/** One backfill of the workspace, or `not_found`. */
export async function getBackfill(deps: { db: Db; now: () => Date }, workspaceId: string, id: string): Promise<BackfillView> {
  if (!UUID_PATTERN.test(id)) throw notFound(`Backfill ${id}`);
  const [row] = await deps.db
    .select()
    .from(backfillJobs)
    .where(and(eq(backfillJobs.id, id), eq(backfillJobs.workspaceId, workspaceId)))
    .limit(1);
  if (!row) throw notFound(`Backfill ${id}`);
  const names = await workflowNames(deps.db, [row.workflowId]);
  return viewOf(row, names.get(row.workflowId) ?? null, deps.now());
}

/** What an operator may do to a job, and the status it leads to from which. */
const MOVES = {
  cancel: { from: ['running', 'paused'], to: 'cancelled' },
  pause: { from: ['running'], to: 'paused' },
  resume: { from: ['paused'], to: 'running' },
} as const satisfies Record<string, { from: readonly BackfillStatus[]; to: BackfillStatus }>;

/**
 * Cancels, pauses or resumes a job. Takes the job's row lock, so it waits for a batch the runner is writing
 * and the runner sees it at its next batch. Leads already re-routed keep their new run (and their outbox
 * rows still start); the rest are left as they are. `job_ended` once it has completed or been cancelled.
 */
export async function moveBackfill(deps: { db: Db; now: () => Date }, p: Principal, id: string, move: keyof typeof MOVES): Promise<BackfillView> {
  if (!UUID_PATTERN.test(id)) throw notFound(`Backfill ${id}`);
  const now = deps.now();
  const { to, from } = MOVES[move];
  const job = await deps.db.transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(backfillJobs)
      .where(and(eq(backfillJobs.id, id), eq(backfillJobs.workspaceId, p.workspaceId)))
      .for('update');
    if (!row) throw notFound(`Backfill ${id}`);
    if (!(from as readonly string[]).includes(row.status)) {
      if (ENDED.has(row.status)) throw new DomainError('job_ended', `This backfill has already ${row.status === 'failed' ? 'failed' : `been ${row.status}`}; nothing was changed.`);
      throw new DomainError('job_ended', `This backfill is ${row.status}: it cannot be ${move === 'pause' ? 'paused' : 'resumed'} from there.`);
    }
    const [updated] = await tx
      .update(backfillJobs)
      .set({ status: to, updatedAt: now, ...(to === 'cancelled' ? { finishedAt: now } : {}), ...(to === 'running' ? { leaseOwner: null, leaseUntil: null } : {}) })
      .where(eq(backfillJobs.id, id))
      .returning();
    await audit(tx, p, p.workspaceId, `backfill.${to === 'running' ? 'resumed' : to}`, { type: 'backfill', id }, { done: row.done, skipped: row.skipped, total: row.total });
    return updated!;
  });
  if (to === 'running') kickBackfills(deps.db);
  const names = await workflowNames(deps.db, [job.workflowId]);
  return viewOf(job, names.get(job.workflowId) ?? null, now);
}
