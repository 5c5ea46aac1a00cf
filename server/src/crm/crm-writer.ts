import { PollingLoop } from '@lead-router/db/polling-loop';
import { crmWrites, type CrmWriteAnswer } from '@lead-router/db/crm-schema';
import { and, asc, eq, inArray, isNull, lt, or } from 'drizzle-orm';
import type { CrmDeps } from './connections.service';
import type { OwnerWrite, OwnerWriteResult } from './provider';
import { providerFor } from './provider-registry';

// The CRM writer: sends the owner write-backs `crm_update` steps queued (crm_writes rows) to each CRM, in
// batches. Per connection it claims up to the provider's batch size of the pending rows that are due
// (FOR UPDATE SKIP LOCKED, then a lease on them, in a short transaction: several servers can run writers,
// never sending a row at once, and no transaction stays open during the CRM call), sends them in one
// provider call (Salesforce: 200 records, one sObject Collections call) and records each answer:
// `written`, `failed` (a refusal: a bad owner, a field the CRM rejects) or, for what may pass (the CRM down,
// limits, a locked row), still pending with the next attempt backed off. A server that dies mid-call
// leaves its lease to expire: the rows are sent again (updates are idempotent).

export interface WriterOptions {
  /** How often the loop looks for due writes (ms). */
  tickMs: number;
  /** The first wait after a retryable failure (ms), doubling per attempt up to `maxBackoffMs`. */
  minBackoffMs: number;
  maxBackoffMs: number;
  /** A write still failing this long after it was queued fails for good with the CRM's last error (ms). */
  giveUpAfterMs: number;
  /** How long a batch's rows are held for its call (ms); the call is given up (retryable) at `callTimeoutMs`. */
  leaseMs: number;
  callTimeoutMs: number;
}

export const DEFAULT_WRITER_OPTIONS: WriterOptions = { tickMs: 250, minBackoffMs: 2_000, maxBackoffMs: 5 * 60_000, giveUpAfterMs: 24 * 3_600_000, leaseMs: 120_000, callTimeoutMs: 60_000 };

/** Rows no writer holds. */
const unleased = (now: Date) => or(isNull(crmWrites.leaseUntil), lt(crmWrites.leaseUntil, now));
/**
 * Rows due by `now`. next_attempt_at defaults to PostgreSQL's now(), in microseconds; a JavaScript Date has
 * milliseconds, so a row inserted in the same millisecond as `now` would read as not yet due: the bound is
 * the end of now's millisecond.
 */
const dueBy = (now: Date) => lt(crmWrites.nextAttemptAt, new Date(now.getTime() + 1));

/** Rejects after `ms` (the promise it races goes on, its answer unused). */
function within<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`The CRM did not answer within ${Math.round(ms / 1000)} s`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** What one batch did. */
export interface BatchOutcome {
  sent: number;
  written: number;
  failed: number;
  retrying: number;
}

/** Sends queued CRM writes, in the background (`start`) or a connection's batch at a time (`writeBatch`). */
export class CrmWriter {
  private readonly loop: PollingLoop;
  private stopped = false;
  readonly options: WriterOptions;

  constructor(
    private readonly deps: CrmDeps,
    options: Partial<WriterOptions> = {},
  ) {
    this.options = { ...DEFAULT_WRITER_OPTIONS, ...options };
    this.loop = new PollingLoop(() => this.writeDue(), {
      pollMs: this.options.tickMs,
      onError: (e) => this.deps.log.error('crm writer round failed', { error: e instanceof Error ? e.message : String(e) }),
    });
  }

  start(): void {
    this.stopped = false;
    this.loop.start();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop.stop();
  }

  /** Sends every due write: per connection, batch after batch while batches come back full. */
  async writeDue(): Promise<void> {
    const due = await this.deps.db
      .selectDistinct({ id: crmWrites.connectionId })
      .from(crmWrites)
      .where(and(eq(crmWrites.status, 'pending'), dueBy(this.deps.now()), unleased(this.deps.now())))
      .limit(50);
    for (const { id } of due) {
      for (;;) {
        if (this.stopped) return;
        // The next batch while this one went through (a connection with more due writes than one call holds).
        const o = await this.writeBatch(id);
        if (o.sent === 0 || o.retrying > 0) break;
      }
    }
  }

  /** One batch of one connection's due writes: claimed, sent in one provider call, each answer recorded. */
  async writeBatch(connectionId: string): Promise<BatchOutcome> {
    let client: Awaited<ReturnType<typeof providerFor>>['client'] | null = null;
    let unavailable: string | null = null;
    try {
      client = (await providerFor(this.deps, connectionId)).client;
    } catch (e) {
      unavailable = e instanceof Error ? e.message : String(e);
    }
    const claimedAt = this.deps.now();
    const rows = await this.deps.db.transaction(async (tx) => {
      const due = await tx
        .select()
        .from(crmWrites)
        .where(and(eq(crmWrites.connectionId, connectionId), eq(crmWrites.status, 'pending'), dueBy(claimedAt), unleased(claimedAt)))
        .orderBy(asc(crmWrites.createdAt), asc(crmWrites.key))
        .limit(client?.maxBatch ?? 200)
        .for('update', { skipLocked: true });
      if (due.length > 0) {
        await tx
          .update(crmWrites)
          .set({ leaseUntil: new Date(claimedAt.getTime() + this.options.leaseMs) })
          .where(inArray(crmWrites.key, due.map((r) => r.key)));
      }
      return due;
    });
    if (rows.length === 0) return { sent: 0, written: 0, failed: 0, retrying: 0 };
    const writes: OwnerWrite[] = rows.map((r) => ({ key: r.key, object: r.object, recordId: r.recordId, ownerCrmId: r.ownerCrmId, fields: r.fields, ...(r.task ? { task: r.task } : {}) }));
    let results: OwnerWriteResult[];
    if (!client) results = writes.map((w) => ({ key: w.key, ok: false, retryable: true, answer: { errorCode: 'CONNECTION_UNAVAILABLE', message: unavailable ?? 'The connection cannot call its CRM.' } }));
    else {
      try {
        results = await within(client.writeOwners(writes), this.options.callTimeoutMs);
      } catch (e) {
        results = writes.map((w) => ({ key: w.key, ok: false, retryable: true, answer: { errorCode: 'ERROR', message: e instanceof Error ? e.message : String(e) } }));
      }
    }
    const now = this.deps.now();
    const byKey = new Map(results.map((r) => [r.key, r]));
    const out: BatchOutcome = { sent: rows.length, written: 0, failed: 0, retrying: 0 };
    await this.deps.db.transaction(async (tx) => {
      for (const row of rows) {
        const r = byKey.get(row.key) ?? { key: row.key, ok: false, retryable: true, answer: { errorCode: 'NO_ANSWER', message: 'The CRM gave no answer for this record.' } };
        const attempts = row.attempts + 1;
        const answer: CrmWriteAnswer = { ...r.answer };
        const expired = now.getTime() - row.createdAt.getTime() >= this.options.giveUpAfterMs;
        const status = r.ok ? 'written' : !r.retryable || expired ? 'failed' : 'pending';
        out[status === 'written' ? 'written' : status === 'failed' ? 'failed' : 'retrying']++;
        if (status === 'failed' && r.retryable) answer.message = `Gave up after ${attempts} attempts: ${answer.message ?? ''}`.trim();
        const wait = Math.min(this.options.minBackoffMs * 2 ** (attempts - 1), this.options.maxBackoffMs);
        await tx
          .update(crmWrites)
          .set({ status, attempts, answer, leaseUntil: null, nextAttemptAt: new Date(now.getTime() + (status === 'pending' ? wait : 0)), ...(status !== 'pending' ? { answeredAt: now } : {}) })
          .where(and(eq(crmWrites.key, row.key), eq(crmWrites.status, 'pending')));
      }
    });
    if (out.retrying > 0 || out.failed > 0) this.deps.log.warn('crm writes not all written', { connectionId, ...out, code: results.find((x) => !x.ok)?.answer.errorCode });
    return out;
  }
}
