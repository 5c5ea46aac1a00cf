import { and, asc, eq, inArray, isNull, lte, sql } from 'drizzle-orm';
import type { RouteLeadInput } from '@lead-router/shared/workflow-contract';
import type { Db, Tx } from './client';
import { kickRegistry } from './kick-registry';
import { PollingLoop } from './polling-loop';
import { outbox, routingRuns } from './schema';

/** What starts a lead's routing (the API server's Temporal client, or a worker's, which starts eagerly). */
export interface LeadStarter {
  /** Starts the lead's routing workflow; a lead that runs or has run already counts as started. Throws when Temporal is unreachable. */
  start(input: RouteLeadInput): Promise<void>;
}

/** What the dispatcher needs. */
export interface DispatcherDeps {
  db: Db;
  engine: LeadStarter;
  log: { warn(msg: string, fields?: Record<string, unknown>): void };
  now: () => Date;
}

/** How the dispatcher drains. */
export interface DispatcherOptions {
  /** Outbox rows claimed per transaction (default 50). */
  batchSize?: number;
  /** How often `start()` polls for due rows when nothing kicks it (default 1000 ms). */
  pollMs?: number;
  /** How long one `engine.start` may take before it counts as failed (default 10 s); a late success is harmless. */
  startTimeoutMs?: number;
  /** Drain only this workspace's rows (tests and one-tenant tools); every workspace when absent. */
  workspaceId?: string;
  /**
   * Claim only rows due this long ago (default 0). An API server whose workers start the leads (OUTBOX_DISPATCH=worker)
   * drains with it as a safety net: a lead no worker has taken within this time is started by the server.
   */
  minAgeMs?: number;
}

/** The result of one drain. */
export interface DrainResult {
  dispatched: number;
  failed: number;
}

const MIN_BACKOFF_MS = 250;
const MAX_BACKOFF_MS = 30_000;
const MAX_ERROR_LENGTH = 1000;
/** A claim's lease runs this long past the start timeout. */
const LEASE_MARGIN_MS = 5_000;

/** The wait before retry number `attempts` (1-based): 250 ms doubling up to 30 s. */
export function backoffMs(attempts: number): number {
  const exp = Math.min(Math.max(attempts, 1) - 1, 20);
  return Math.min(MAX_BACKOFF_MS, MIN_BACKOFF_MS * 2 ** exp);
}

/**
 * True when an engine error means Temporal cannot be reached at all (rather than refusing this one lead):
 * the rest of the batch would fail the same way, so the dispatcher stops calling it.
 */
export function isUnreachable(e: unknown): boolean {
  if (e instanceof StartTimeoutError) return true;
  if (!(e instanceof Error)) return false;
  const code = (e as { code?: unknown }).code;
  // gRPC UNAVAILABLE (14) and DEADLINE_EXCEEDED (4).
  if (code === 14 || code === 4) return true;
  if (e.name === 'TransportError') return true;
  return /failed to connect|connection refused|econnrefused|unavailable|deadline|timed out|socket hang up/i.test(e.message);
}

class StartTimeoutError extends Error {
  constructor(ms: number) {
    super(`Temporal did not answer within ${ms} ms`);
  }
}

/**
 * Drains the outbox into Temporal: each row written with a lead becomes one `routeLead` start. Rows are
 * claimed with `FOR UPDATE SKIP LOCKED` by a statement that leases them (their next attempt moves past the
 * start timeout), so several servers may drain at once without two of them taking the same row; after a
 * crash the row is due again when its lease ends. Starts are idempotent (workflow id `lead-<leadId>`), so a row started but not
 * yet marked is started again harmlessly: nothing is lost and no lead runs twice.
 */
export class OutboxDispatcher {
  private readonly batchSize: number;
  private readonly pollMs: number;
  private readonly startTimeoutMs: number;
  private readonly workspaceId: string | undefined;
  private readonly minAgeMs: number;
  private readonly loop: PollingLoop;

  constructor(
    private readonly deps: DispatcherDeps,
    options: DispatcherOptions = {},
  ) {
    this.batchSize = Math.max(1, options.batchSize ?? 50);
    this.pollMs = Math.max(10, options.pollMs ?? 1000);
    this.startTimeoutMs = Math.max(1, options.startTimeoutMs ?? 10_000);
    this.workspaceId = options.workspaceId;
    this.minAgeMs = Math.max(0, options.minAgeMs ?? 0);
    // A kick during a drain runs one more: the drain may have claimed its rows before that lead committed.
    this.loop = new PollingLoop(() => this.drainUntilIdle(), { pollMs: this.pollMs, onError: () => {}, rerunAfterBusyKick: true });
  }

  /** Starts polling every `pollMs`, and at once on each `kick()`. */
  start(): void {
    this.loop.start();
  }

  /** Stops polling and waits for a drain in flight to finish. */
  async stop(): Promise<void> {
    await this.loop.stop();
  }

  /** Asks for a drain now (a lead was just written); a no-op unless started. */
  kick(): void {
    this.loop.kick();
  }

  /**
   * Claims the due rows (up to a batch), starts their routing, and records each success or failure. Live
   * leads' rows come before a backfill's (backfill-runner.ts), so a backfill never delays a live lead here.
   */
  async drainOnce(): Promise<DrainResult> {
    const { db, log } = this.deps;
    const now = this.deps.now();
    // The claim is one statement, no transaction held over the starts: the rows' next attempt moves past the
    // start timeout (a lease), so another dispatcher (or this one's next drain) leaves them alone until then,
    // and a crash before they are marked only delays them by the lease.
    const due = db
      .select({ id: outbox.id })
      .from(outbox)
      .where(and(isNull(outbox.dispatchedAt), lte(outbox.nextAttemptAt, new Date(now.getTime() - this.minAgeMs)), this.workspaceId ? eq(outbox.workspaceId, this.workspaceId) : undefined))
      .orderBy(sql`${outbox.backfillJobId} is not null`, asc(outbox.nextAttemptAt), asc(outbox.id))
      .limit(this.batchSize)
      .for('update', { skipLocked: true });
    const rows = await db
      .update(outbox)
      .set({ nextAttemptAt: new Date(now.getTime() + this.startTimeoutMs + LEASE_MARGIN_MS) })
      .where(inArray(outbox.id, due))
      .returning({ id: outbox.id, leadId: outbox.leadId, workspaceId: outbox.workspaceId, versionId: outbox.versionId, attempts: outbox.attempts, retry: outbox.retry });
    if (rows.length === 0) return { dispatched: 0, failed: 0 };

    // Starts run concurrently: each is a round trip to Temporal, and speed-to-lead is measured in
    // milliseconds. Starting a lead twice is harmless (one workflow id per lead), so a crash between a
    // start and the mark below only means the row is started again when its lease ends, idempotently.
    const results = await Promise.allSettled(
      rows.map((row) => this.startWithTimeout({ leadId: row.leadId, workspaceId: row.workspaceId, versionId: row.versionId, ...(row.retry ? { retry: true } : {}) })),
    );
    const ok: typeof rows = [];
    const down: typeof rows = [];
    let downMessage = '';
    let failed = 0;
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!;
      const r = results[i]!;
      if (r.status === 'fulfilled') {
        ok.push(row);
        continue;
      }
      const message = r.reason instanceof Error ? r.reason.message : String(r.reason);
      if (isUnreachable(r.reason)) {
        down.push(row);
        downMessage = message;
        continue;
      }
      await this.markFailed(db, [row], message);
      failed++;
      log.warn('outbox: start failed', { leadId: row.leadId, attempts: row.attempts + 1, err: message });
    }
    if (down.length > 0) {
      // Every one of them waits for the same dead connection: the backoff decides when to try again.
      await this.markFailed(db, down, `Temporal is unreachable: ${downMessage}`);
      failed += down.length;
      log.warn('outbox: Temporal unreachable; leads stay in the outbox', { pending: down.length, err: downMessage });
    }
    if (ok.length > 0) await this.markDispatched(db, ok);
    return { dispatched: ok.length, failed };
  }

  private async startWithTimeout(input: RouteLeadInput): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new StartTimeoutError(this.startTimeoutMs)), this.startTimeoutMs);
    });
    try {
      await Promise.race([this.deps.engine.start(input), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async markDispatched(tx: Db | Tx, rows: ReadonlyArray<{ id: number; leadId: string }>): Promise<void> {
    const at = this.deps.now();
    // One statement, one round trip: the outbox rows and their runs (a data-modifying CTE runs either way).
    const marked = tx.$with('marked').as(
      tx
        .update(outbox)
        .set({ dispatchedAt: at, attempts: sql`${outbox.attempts} + 1`, lastError: null })
        .where(inArray(outbox.id, rows.map((r) => r.id)))
        .returning({ id: outbox.id }),
    );
    // Only a queued run moves to running: the worker may already have moved it further.
    await tx
      .with(marked)
      .update(routingRuns)
      .set({ status: 'running', startedAt: sql`coalesce(${routingRuns.startedAt}, ${at.toISOString()}::timestamptz)` })
      .where(and(inArray(routingRuns.leadId, rows.map((r) => r.leadId)), eq(routingRuns.status, 'queued')));
  }

  private async markFailed(tx: Db | Tx, rows: Array<{ id: number; attempts: number }>, message: string): Promise<void> {
    const now = this.deps.now().getTime();
    const lastError = message.length > MAX_ERROR_LENGTH ? `${message.slice(0, MAX_ERROR_LENGTH - 3)}...` : message;
    // Rows with the same attempt count share a retry time: one UPDATE per distinct count.
    const byAttempts = new Map<number, number[]>();
    for (const r of rows) {
      const ids = byAttempts.get(r.attempts) ?? [];
      ids.push(r.id);
      byAttempts.set(r.attempts, ids);
    }
    for (const [attempts, ids] of byAttempts) {
      await tx
        .update(outbox)
        .set({ attempts: attempts + 1, lastError, nextAttemptAt: new Date(now + backoffMs(attempts + 1)) })
        .where(inArray(outbox.id, ids));
    }
  }

  // Full batches mean more rows may be due: keep going until a batch comes back short or anything fails.
  private async drainUntilIdle(): Promise<void> {
    while (this.loop.running) {
      let r: DrainResult;
      try {
        r = await this.drainOnce();
      } catch (e) {
        this.deps.log.warn('outbox: drain failed', { err: e instanceof Error ? e.message : String(e) });
        return;
      }
      if (r.failed > 0 || r.dispatched < this.batchSize) return;
    }
  }
}

const dispatchers = kickRegistry();

/** Registers the dispatcher draining `db`'s outbox, so request handlers can kick it (null unregisters). */
export function setDispatcherFor(db: Db, d: { kick(): void } | null): void {
  dispatchers.set(db, d);
}

/** Kicks the dispatcher registered for `db`, if any; never throws and never waits. */
export function kickDispatcher(db: Db): void {
  dispatchers.kick(db);
}
