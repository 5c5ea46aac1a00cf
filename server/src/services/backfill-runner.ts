import { randomUUID } from 'node:crypto';
import { and, asc, count, eq, gte, inArray, isNull, lt, lte, or, sql } from 'drizzle-orm';
import type { Db, Tx } from '@lead-router/db/client';
import { leads, outbox, routingRuns } from '@lead-router/db/schema';
import { workflowIdOf } from '@lead-router/shared/workflow-contract';
import { backfillItems, backfillJobs } from '@lead-router/db/backfill-schema';
import type { Env } from '../env';
import type { Logger } from '../http/context';
import { audit } from './audit.service';
import { kickRegistry } from '@lead-router/db/kick-registry';
import { PollingLoop } from '@lead-router/db/polling-loop';
import { isUnreachable, kickDispatcher } from '@lead-router/db/outbox-dispatcher';
import { creditBackInLockOrder, queueNewRun, type CreditOwed } from './reroute.service';
import type { RoutingEngine } from './routing-engine';

// The backfill runner: in every server process, next to the outbox dispatcher. It leases one running job at
// a time (a lease that runs out, because its process died, is taken by the next runner that looks), and
// re-routes its leads batch by batch, as a re-route does, each batch in ONE transaction that also moves its
// items out of `pending`: a crash before the commit leaves the batch to do again, one after it leaves it
// done, so no lead is re-routed twice by a job. It yields to live leads: it feeds the outbox only while the
// live backlog is small and its own leads in flight are few, at a bounded rate, and the dispatcher starts
// live rows before its rows (dispatcher.ts).

/** How a runner paces itself (server env: BACKFILL_RATE, BACKFILL_BATCH, BACKFILL_MAX_LIVE_BACKLOG, BACKFILL_MAX_IN_FLIGHT). */
export interface BackfillRunnerOptions {
  /** At most this many leads re-routed per second (default 50). */
  ratePerSecond?: number;
  /** Leads per batch (one transaction; default 50). */
  batchSize?: number;
  /** No batch while more live outbox rows than this wait to be started (default 20). */
  maxLiveBacklog?: number;
  /** No batch while more of the job's re-routed leads than this are still queued or running (default 5). */
  maxInFlight?: number;
  /** How long a lease lasts without being renewed (default 30 s): how soon another process takes over a dead one's job. */
  leaseMs?: number;
  /** How often to look for work when idle or held back (default 1000 ms). */
  pollMs?: number;
  /** This runner's name in the lease (default a random one per process). */
  owner?: string;
}

/** What one step of the runner did. */
export type BackfillStep =
  | { kind: 'idle' }
  | { kind: 'throttled'; jobId: string; reason: 'live_backlog' | 'in_flight' }
  | { kind: 'batch'; jobId: string; done: number; skipped: number; left: number }
  | { kind: 'completed'; jobId: string }
  | { kind: 'unavailable'; jobId: string };

/** Items looked at (in seq order) for the job's leads still in flight: the last this many before the next one. */
const IN_FLIGHT_WINDOW = 2_000;

export class BackfillRunner {
  readonly owner: string;
  private readonly rate: number;
  private readonly batchSize: number;
  private readonly maxLiveBacklog: number;
  private readonly maxInFlight: number;
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private readonly loop: PollingLoop;

  constructor(
    private readonly deps: { db: Db; engine: RoutingEngine; log: Logger; now: () => Date },
    options: BackfillRunnerOptions = {},
  ) {
    this.rate = Math.max(0.1, options.ratePerSecond ?? 50);
    this.batchSize = Math.max(1, options.batchSize ?? 50);
    this.maxLiveBacklog = Math.max(0, options.maxLiveBacklog ?? 20);
    this.maxInFlight = Math.max(1, options.maxInFlight ?? 5);
    this.leaseMs = Math.max(100, options.leaseMs ?? 30_000);
    this.pollMs = Math.max(10, options.pollMs ?? 1000);
    this.owner = options.owner ?? `runner-${randomUUID()}`;
    this.loop = new PollingLoop(() => this.paced(), {
      pollMs: this.pollMs,
      onError: (e) => this.deps.log.warn('backfill: step failed', { err: e instanceof Error ? e.message : String(e) }),
    });
  }

  start(): void {
    this.loop.start();
  }

  /** Stops, waits for a batch in flight, and gives up its lease (another process may take the job at once). */
  async stop(): Promise<void> {
    await this.loop.stop();
    await this.deps.db
      .update(backfillJobs)
      .set({ leaseOwner: null, leaseUntil: null })
      .where(eq(backfillJobs.leaseOwner, this.owner))
      .catch(() => {});
  }

  /** Looks for work now (a job was started or resumed); a no-op unless started or while a step runs. */
  kick(): void {
    this.loop.kick();
  }

  /** One step, and how long to wait before the next (ms; undefined: the poll interval). */
  private async paced(): Promise<number | undefined> {
    const began = Date.now();
    const s = await this.step();
    // A batch of n leads takes at least n / rate seconds, so the rate holds over any stretch.
    if (s.kind === 'batch') return Math.max(0, ((s.done + s.skipped) / this.rate) * 1000 - (Date.now() - began));
    if (s.kind === 'completed') return 0;
    if (s.kind === 'throttled') return Math.min(this.pollMs, 200);
    return undefined;
  }

  /** Leases a running job (or renews its lease) and works one batch of it. */
  async step(): Promise<BackfillStep> {
    const job = await this.lease();
    if (!job) return { kind: 'idle' };
    const { db } = this.deps;
    const now = this.deps.now();

    // Live leads first: hold back while they wait to be started.
    if ((await this.liveBacklog(now)) > this.maxLiveBacklog) return { kind: 'throttled', jobId: job.id, reason: 'live_backlog' };

    const batch = await db
      .select({ leadId: backfillItems.leadId, seq: backfillItems.seq, status: routingRuns.status })
      .from(backfillItems)
      .leftJoin(routingRuns, eq(routingRuns.leadId, backfillItems.leadId))
      .where(and(eq(backfillItems.jobId, job.id), eq(backfillItems.state, 'pending')))
      .orderBy(asc(backfillItems.seq))
      .limit(this.batchSize);
    if (batch.length === 0) return (await this.complete(job.id)) ? { kind: 'completed', jobId: job.id } : { kind: 'idle' };

    // Its own leads still being routed: the worker's backlog, which live leads would queue behind.
    const nextSeq = batch[0]!.seq;
    const [flying] = await db
      .select({ n: count() })
      .from(backfillItems)
      .innerJoin(routingRuns, eq(routingRuns.leadId, backfillItems.leadId))
      .where(
        and(
          eq(backfillItems.jobId, job.id),
          gte(backfillItems.seq, nextSeq - IN_FLIGHT_WINDOW),
          lt(backfillItems.seq, nextSeq),
          eq(backfillItems.state, 'done'),
          inArray(routingRuns.status, ['queued', 'running']),
        ),
      );
    const room = this.maxInFlight - Number(flying?.n ?? 0);
    if (room <= 0) return { kind: 'throttled', jobId: job.id, reason: 'in_flight' };
    const take = batch.slice(0, room);

    const ended = await this.endWaiting(job, take);
    if (ended === null) return { kind: 'unavailable', jobId: job.id };

    const out = await db.transaction(async (tx) => {
      // The job's row lock: a cancel or pause waits for this batch, and this batch sees one made before it.
      const [current] = await tx.select().from(backfillJobs).where(eq(backfillJobs.id, job.id)).for('update');
      if (!current || current.status !== 'running' || current.leaseOwner !== this.owner) return null;
      const ids = take.map((b) => b.leadId);
      const items = await tx
        .select({ leadId: backfillItems.leadId })
        .from(backfillItems)
        .where(and(eq(backfillItems.jobId, job.id), inArray(backfillItems.leadId, ids), eq(backfillItems.state, 'pending')))
        .for('update', { skipLocked: true });
      const pending = new Set(items.map((i) => i.leadId));
      const runs = pending.size === 0 ? [] : await tx.select().from(routingRuns).where(inArray(routingRuns.leadId, [...pending])).orderBy(asc(routingRuns.leadId)).for('update');
      const byLead = new Map(runs.map((r) => [r.leadId, r]));
      // Leads stored by a CRM import (backfill-import.service.ts) have no run yet: their first one is queued here.
      const firsts = await queueFirstRuns(tx, [...pending].filter((id) => !byLead.has(id)), current.versionId, job.id, now);
      const done: string[] = [];
      const owed: CreditOwed[] = [];
      const skipped = new Map<string, string[]>();
      const skip = (leadId: string, reason: string) => skipped.set(reason, [...(skipped.get(reason) ?? []), leadId]);
      for (const leadId of ids) {
        if (!pending.has(leadId)) continue;
        const run = byLead.get(leadId);
        if (!run) {
          if (firsts.has(leadId)) done.push(leadId);
          else skip(leadId, 'not_found');
        }
        // Being routed right now (by its first run, a retry or a re-route): left alone, with the reason.
        else if (run.status === 'queued' || run.status === 'running') skip(leadId, 'still_routing');
        // Waiting now, but not when its workflow was ended above: the next batch ends it first.
        else if (run.status === 'waiting' && !ended.has(leadId)) continue;
        else {
          const credit = await queueNewRun(tx, run, { id: current.versionId }, { by: `job:${job.id}`, byName: current.createdByName, at: now, note: current.note ?? `Backfill through version ${current.version}`, backfillJobId: job.id });
          if (credit) owed.push(credit);
          done.push(leadId);
        }
      }
      // Fairness credit-back of the ended runs' reps, every run row of the batch locked first (lock order).
      await creditBackInLockOrder(tx, owed, now);
      if (done.length > 0) {
        await tx
          .update(backfillItems)
          .set({ state: 'done', at: now, runNumber: sql`(select ${routingRuns.runNumber} from ${routingRuns} where ${routingRuns.leadId} = ${backfillItems.leadId})` })
          .where(and(eq(backfillItems.jobId, job.id), inArray(backfillItems.leadId, done)));
      }
      let skippedCount = 0;
      const reasons = { ...current.skippedReasons };
      for (const [reason, leadIds] of skipped) {
        skippedCount += leadIds.length;
        reasons[reason] = (reasons[reason] ?? 0) + leadIds.length;
        await tx
          .update(backfillItems)
          .set({ state: 'skipped', reason, at: now })
          .where(and(eq(backfillItems.jobId, job.id), inArray(backfillItems.leadId, leadIds)));
      }
      await tx
        .update(backfillJobs)
        .set({
          done: current.done + done.length,
          skipped: current.skipped + skippedCount,
          skippedReasons: reasons,
          updatedAt: now,
          leaseUntil: new Date(now.getTime() + this.leaseMs),
        })
        .where(eq(backfillJobs.id, job.id));
      return { done: done.length, skipped: skippedCount, left: current.total - current.done - current.skipped - done.length - skippedCount };
    });
    if (!out) return { kind: 'idle' };
    if (out.done > 0) kickDispatcher(db);
    return { kind: 'batch', jobId: job.id, ...out };
  }

  /**
   * A run waiting on a rep is ended first, as a re-route ends it (outside the transaction: it is a call to
   * Temporal). Ending it twice is harmless, so a crash after this and before the commit loses nothing. The
   * leads whose workflows were ended, or null when Temporal cannot be reached (the batch waits).
   */
  private async endWaiting(job: { id: string; version: number }, take: ReadonlyArray<{ leadId: string; status: string | null }>): Promise<Set<string> | null> {
    const waiting = take.filter((b) => b.status === 'waiting').map((b) => b.leadId);
    const ended = new Set<string>();
    const results = await Promise.allSettled(waiting.map((id) => this.deps.engine.terminate(id, `Backfill ${job.id} through version ${job.version}`)));
    for (let i = 0; i < waiting.length; i++) {
      const r = results[i]!;
      if (r.status === 'fulfilled') ended.add(waiting[i]!);
      else if (isUnreachable(r.reason)) {
        this.deps.log.warn('backfill: Temporal unreachable; the batch waits', { jobId: job.id });
        return null;
      }
    }
    return ended;
  }

  /** Live leads' outbox rows due and not started yet (counted up to one past the limit). */
  private async liveBacklog(now: Date): Promise<number> {
    const { db } = this.deps;
    const [live] = await db
      .select({ n: count() })
      .from(
        db
          .select({ one: sql`1` })
          .from(outbox)
          .where(and(isNull(outbox.dispatchedAt), isNull(outbox.backfillJobId), lte(outbox.nextAttemptAt, now)))
          .limit(this.maxLiveBacklog + 1)
          .as('live'),
      );
    return Number(live?.n ?? 0);
  }

  /** The oldest running job this runner holds or may take (no lease, or one run out), leased for `leaseMs`. */
  private async lease(): Promise<typeof backfillJobs.$inferSelect | null> {
    const now = this.deps.now();
    const until = new Date(now.getTime() + this.leaseMs);
    return this.deps.db.transaction(async (tx) => {
      const [free] = await tx
        .select({ id: backfillJobs.id })
        .from(backfillJobs)
        .where(and(eq(backfillJobs.status, 'running'), or(isNull(backfillJobs.leaseUntil), lt(backfillJobs.leaseUntil, now), eq(backfillJobs.leaseOwner, this.owner))))
        .orderBy(asc(backfillJobs.createdAt))
        .limit(1)
        .for('update', { skipLocked: true });
      if (!free) return null;
      const [job] = await tx.update(backfillJobs).set({ leaseOwner: this.owner, leaseUntil: until }).where(eq(backfillJobs.id, free.id)).returning();
      return job ?? null;
    });
  }

  /** Marks the job completed when it has no pending item left (and is still running and ours). */
  private async complete(jobId: string): Promise<boolean> {
    const now = this.deps.now();
    return this.deps.db.transaction(async (tx) => {
      const [job] = await tx.select().from(backfillJobs).where(eq(backfillJobs.id, jobId)).for('update');
      if (!job || job.status !== 'running' || job.leaseOwner !== this.owner) return false;
      const [left] = await tx
        .select({ one: sql`1` })
        .from(backfillItems)
        .where(and(eq(backfillItems.jobId, jobId), eq(backfillItems.state, 'pending')))
        .limit(1);
      if (left) return false;
      await tx.update(backfillJobs).set({ status: 'completed', finishedAt: now, updatedAt: now, leaseOwner: null, leaseUntil: null }).where(eq(backfillJobs.id, jobId));
      await audit(tx, null, job.workspaceId, 'backfill.completed', { type: 'backfill', id: jobId }, { done: job.done, skipped: job.skipped, total: job.total, skippedReasons: job.skippedReasons });
      return true;
    });
  }
}

/**
 * Queues the first run of leads stored without one (a CRM import routed as a backfill): a routing_runs row
 * through the job's version and an outbox row marked as the job's, as ingestion writes them for a live lead.
 * Returns the leads queued.
 */
async function queueFirstRuns(tx: Tx, leadIds: string[], versionId: string, jobId: string, now: Date): Promise<Set<string>> {
  if (leadIds.length === 0) return new Set();
  const fresh = await tx.select({ id: leads.id, workspaceId: leads.workspaceId, workflowId: leads.workflowId, receivedAt: leads.receivedAt }).from(leads).where(inArray(leads.id, leadIds));
  if (fresh.length === 0) return new Set();
  await tx.insert(routingRuns).values(fresh.map((l) => ({ leadId: l.id, workspaceId: l.workspaceId, workflowId: l.workflowId, versionId, temporalWorkflowId: workflowIdOf(l.id), receivedAt: l.receivedAt })));
  await tx.insert(outbox).values(fresh.map((l) => ({ leadId: l.id, workspaceId: l.workspaceId, versionId, nextAttemptAt: now, backfillJobId: jobId })));
  return new Set(fresh.map((l) => l.id));
}

const runners = kickRegistry();

/** Registers the runner working `db`'s backfills, so the API can wake it when a job starts (null unregisters). */
export function setBackfillRunnerFor(db: Db, r: { kick(): void } | null): void {
  runners.set(db, r);
}

/** Wakes the runner registered for `db`, if any; never throws. */
export function kickBackfills(db: Db): void {
  runners.kick(db);
}

/** The runner's pacing from the server's configuration. */
export function backfillRunnerOptions(config: Pick<Env, 'BACKFILL_RATE' | 'BACKFILL_BATCH' | 'BACKFILL_MAX_LIVE_BACKLOG' | 'BACKFILL_MAX_IN_FLIGHT' | 'BACKFILL_LEASE_MS'>): BackfillRunnerOptions {
  return {
    ratePerSecond: config.BACKFILL_RATE,
    batchSize: config.BACKFILL_BATCH,
    maxLiveBacklog: config.BACKFILL_MAX_LIVE_BACKLOG,
    maxInFlight: config.BACKFILL_MAX_IN_FLIGHT,
    leaseMs: config.BACKFILL_LEASE_MS,
  };
}
