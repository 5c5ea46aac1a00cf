import { isSecretRefOnly } from '@lead-router/shared';
import type { Db } from '@lead-router/db/client';
import { leads, queues, reps, routingRuns, traceSteps, versions, workflows, type QueueNotifyChannel } from '@lead-router/db/schema';
import { and, asc, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Principal } from '../auth/principal';
import { DomainError, notFound } from '../errors/domain-error';
import { audit } from './audit.service';
import { assertSecretsSet } from './secrets.service';
import { queueLeadCursor } from './cursor';
import type { RunStatus } from './leads.service';

// The read side of queue work (what a queue page shows) and a queue's alert settings. Claims and
// assignments are in queue-work.service.ts.

/** A lead queued longer than this alerts, unless its queue says otherwise (minutes). */
export const DEFAULT_AGE_ALERT_MINUTES = 60;

/** One queue with what its page header shows. */
export interface QueueSummary {
  id: string;
  name: string;
  /** Leads the queue holds now. */
  count: number;
  /** When the longest-waiting lead entered the queue, and how long ago (ms); null when empty. */
  oldestQueuedAt: string | null;
  oldestAgeMs: number | null;
  /** Leads older than this alert (minutes): the queue's own setting or the default. */
  ageAlertMinutes: number;
  /** Whether that is the queue's own setting. */
  ageAlertIsDefault: boolean;
  notify: QueueNotifyChannel | null;
  memberIds: string[];
}

/** One lead as a queue page lists it. */
export interface QueueLead {
  leadId: string;
  name: string | null;
  email: string | null;
  company: string | null;
  /** The lead's `leadSource` field. */
  source: string | null;
  /** From the lead's latest score step (or its own fields); null when it was never scored. */
  score: number | null;
  grade: string | null;
  receivedAt: string;
  /** When it entered the queue (the run's latest assignment). */
  queuedAt: string;
  ageMs: number;
  status: RunStatus;
  /** The SLA of the wait the run is in, if any. */
  sla: { deadlineAt: string | null; breached: boolean };
  workflow: { id: string; name: string; version: number | null };
}

/** The sort of a queue's lead list: by queued-at. */
export type QueueSort = 'oldest' | 'newest';

const queuedAt = sql<Date>`coalesce(${routingRuns.assignedAt}, ${routingRuns.receivedAt})`;
const cursorAt = sql<string>`to_char(coalesce(${routingRuns.assignedAt}, ${routingRuns.receivedAt}) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
const field = (name: string) => sql<string | null>`${leads.data} ->> ${name}`;
// The newest score step's output: one index lookup on (lead_id, seq) per listed lead (at most a page).
const scoreOutput = sql<Record<string, unknown> | null>`(select ${traceSteps.output} from ${traceSteps}
  where ${traceSteps.leadId} = ${routingRuns.leadId} and ${traceSteps.nodeType} = 'score' order by ${traceSteps.seq} desc limit 1)`;

const inQueue = (workspaceId: string, queueId: string) => and(eq(routingRuns.workspaceId, workspaceId), eq(routingRuns.assigneeType, 'queue'), eq(routingRuns.assigneeId, queueId));

const num = (v: unknown): number | null => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : null;
};
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** The queue row of a workspace, or `not_found`. */
export async function requireQueue(db: Db, workspaceId: string, queueId: string): Promise<typeof queues.$inferSelect> {
  const [q] = await db
    .select()
    .from(queues)
    .where(and(eq(queues.workspaceId, workspaceId), eq(queues.id, queueId)))
    .limit(1);
  if (!q) throw notFound(`Queue ${queueId}`);
  return q;
}

/** Every queue of the workspace with its count and oldest lead, by name. */
/**
 * A channel as a non-admin may see it: a URL written in plain text (a Slack webhook's path is its credential)
 * shows only its origin; a secret reference shows as it is (it holds no value).
 */
function maskedChannel(notify: QueueNotifyChannel | null): QueueNotifyChannel | null {
  if (!notify || notify.channel === 'email' || isSecretRefOnly(notify.url)) return notify;
  let origin: string;
  try {
    origin = new URL(notify.url).origin;
  } catch {
    origin = '(hidden)';
  }
  return { channel: notify.channel, url: `${origin}/…` };
}

/** The queues with their counts; `revealUrls` (admins, who edit the channel) shows channel URLs whole. */
export async function listQueues(db: Db, workspaceId: string, now: Date, options: { revealUrls: boolean } = { revealUrls: true }): Promise<QueueSummary[]> {
  const rows = await db
    .select({
      queue: queues,
      count: sql<number>`count(${routingRuns.leadId})::int`,
      oldest: sql<string | null>`min(coalesce(${routingRuns.assignedAt}, ${routingRuns.receivedAt}))`,
    })
    .from(queues)
    .leftJoin(routingRuns, and(eq(routingRuns.workspaceId, queues.workspaceId), eq(routingRuns.assigneeType, 'queue'), eq(routingRuns.assigneeId, queues.id)))
    .where(eq(queues.workspaceId, workspaceId))
    .groupBy(queues.workspaceId, queues.id)
    .orderBy(asc(queues.name), asc(queues.id));
  return rows.map((r) => {
    const oldest = r.oldest ? new Date(r.oldest) : null;
    return {
      id: r.queue.id,
      name: r.queue.name,
      count: r.count,
      oldestQueuedAt: oldest ? oldest.toISOString() : null,
      oldestAgeMs: oldest ? Math.max(0, now.getTime() - oldest.getTime()) : null,
      ageAlertMinutes: r.queue.ageAlertMinutes ?? DEFAULT_AGE_ALERT_MINUTES,
      ageAlertIsDefault: r.queue.ageAlertMinutes === null,
      notify: options.revealUrls ? (r.queue.notify ?? null) : maskedChannel(r.queue.notify ?? null),
      memberIds: r.queue.memberIds,
    };
  });
}

/** A page of the leads a queue holds, oldest (or newest) first, keyset-paged on (queued at, lead id). */
export async function listQueueLeads(
  db: Db,
  workspaceId: string,
  queueId: string,
  q: { sort: QueueSort; limit: number; cursor?: readonly [sort: QueueSort, queuedAt: string, leadId: string] },
  now: Date,
): Promise<{ queue: { id: string; name: string }; sort: QueueSort; items: QueueLead[]; nextCursor: string | null }> {
  const queue = await requireQueue(db, workspaceId, queueId);
  const where: SQL[] = [inQueue(workspaceId, queueId)!];
  if (q.cursor) {
    const [, at, leadId] = q.cursor;
    const cmp = q.sort === 'oldest' ? sql`>` : sql`<`;
    where.push(sql`(coalesce(${routingRuns.assignedAt}, ${routingRuns.receivedAt}), ${routingRuns.leadId}) ${cmp} (${at}::timestamptz, ${leadId}::uuid)`);
  }
  const dir = q.sort === 'oldest' ? asc : desc;
  const rows = await db
    .select({
      run: routingRuns,
      queuedAt,
      cursorAt,
      workflowName: workflows.name,
      version: versions.number,
      firstName: field('firstName'),
      lastName: field('lastName'),
      email: field('email'),
      company: field('company'),
      source: field('leadSource'),
      ownScore: field('score'),
      ownGrade: field('grade'),
      scoreOutput,
    })
    .from(routingRuns)
    .innerJoin(leads, eq(leads.id, routingRuns.leadId))
    .innerJoin(workflows, eq(workflows.id, routingRuns.workflowId))
    .leftJoin(versions, eq(versions.id, routingRuns.versionId))
    .where(and(...where))
    .orderBy(dir(queuedAt), dir(routingRuns.leadId))
    .limit(q.limit + 1);
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  const nextCursor = rows.length > q.limit && last ? queueLeadCursor.encode(q.sort, last.cursorAt, last.run.leadId) : null;
  const items = page.map((r): QueueLead => {
    const run = r.run;
    const at = new Date(r.queuedAt);
    const name = [r.firstName, r.lastName].filter((s): s is string => typeof s === 'string' && s !== '').join(' ');
    const scored = r.scoreOutput ?? {};
    return {
      leadId: run.leadId,
      name: name === '' ? null : name,
      email: r.email,
      company: r.company,
      source: r.source,
      score: num(scored.score) ?? num(r.ownScore),
      grade: str(scored.grade) ?? str(r.ownGrade),
      receivedAt: run.receivedAt.toISOString(),
      queuedAt: at.toISOString(),
      ageMs: Math.max(0, now.getTime() - at.getTime()),
      status: run.status,
      sla: { deadlineAt: run.deadlineAt ? run.deadlineAt.toISOString() : null, breached: run.deadlineAt !== null && run.deadlineAt.getTime() < now.getTime() },
      workflow: { id: run.workflowId, name: r.workflowName, version: r.version ?? null },
    };
  });
  return { queue: { id: queue.id, name: queue.name }, sort: q.sort, items, nextCursor };
}

/** A queue's alert settings, as `PUT /api/queues/{id}/settings` takes them. */
export interface QueueSettings {
  /** Null: back to the default. */
  ageAlertMinutes: number | null;
  notify: QueueNotifyChannel | null;
  memberIds: string[];
}

/** Sets a queue's age alert threshold, notify channel and members (the caller has checked the members are reps). */
export async function updateQueueSettings(db: Db, p: Principal, queueId: string, settings: QueueSettings, now: Date): Promise<QueueSummary> {
  const memberIds = [...new Set(settings.memberIds)];
  if (memberIds.length > 0) {
    const known = new Set(
      (await db.select({ id: reps.id }).from(reps).where(and(eq(reps.workspaceId, p.workspaceId), inArray(reps.id, memberIds)))).map((r) => r.id),
    );
    const unknown = settings.memberIds.flatMap((id, i) => (known.has(id) ? [] : [{ path: `memberIds.${i}`, message: `unknown rep ${id}` }]));
    if (unknown.length > 0) throw new DomainError('unknown_rep', `Not reps of this workspace: ${unknown.map((u) => u.message.slice(12)).join(', ')}.`, unknown);
  }
  await db.transaction(async (tx) => {
    if (settings.notify && settings.notify.channel !== 'email') await assertSecretsSet(tx, p.workspaceId, settings.notify.url, 'notify.url');
    const updated = await tx
      .update(queues)
      .set({ ageAlertMinutes: settings.ageAlertMinutes, notify: settings.notify, memberIds })
      .where(and(eq(queues.workspaceId, p.workspaceId), eq(queues.id, queueId)))
      .returning({ id: queues.id });
    if (updated.length === 0) throw notFound(`Queue ${queueId}`);
    // The channel's URL may carry a secret (a Slack webhook): the audit names the channel only.
    await audit(tx, p, p.workspaceId, 'queue.settings_updated', { type: 'queue', id: queueId }, {
      ageAlertMinutes: settings.ageAlertMinutes,
      notify: settings.notify ? settings.notify.channel : null,
      memberIds,
    });
  });
  const all = await listQueues(db, p.workspaceId, now);
  const q = all.find((x) => x.id === queueId);
  if (!q) throw notFound(`Queue ${queueId}`);
  return q;
}
