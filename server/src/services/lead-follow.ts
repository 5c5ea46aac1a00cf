import type { StoredTraceStep } from '@lead-router/shared';
import { and, eq, gt, lte } from 'drizzle-orm';
import type { Db } from '@lead-router/db/client';
import { traceSteps } from '@lead-router/db/schema';
import { getRunState, stepsAfter, type RunState, type RunStatus } from './leads.service';

// A lead's live trace (`/api/leads/:id/events`): its steps as the worker writes them, and its state.

/** How many seqs below the newest a stream keeps looking for, should they be written late. */
const MAX_GAPS = 64;

/** The seqs up to `upTo` (within MAX_GAPS of it, above the lowest there) that are not written yet. */
async function gapsUpTo(db: Db, leadId: string, upTo: number): Promise<Set<number>> {
  const rows = await db
    .select({ seq: traceSteps.seq })
    .from(traceSteps)
    .where(and(eq(traceSteps.leadId, leadId), gt(traceSteps.seq, upTo - MAX_GAPS), lte(traceSteps.seq, upTo)));
  const present = new Set(rows.map((r) => r.seq));
  const missing = new Set<number>();
  if (present.size === 0) return missing;
  for (let g = Math.min(...present) + 1; g < upTo; g++) if (!present.has(g)) missing.add(g);
  return missing;
}

/** The steps of these seqs that are written, in order. */
async function stepsIn(db: Db, leadId: string, seqs: number[]): Promise<StoredTraceStep[]> {
  const lowest = Math.min(...seqs);
  const steps = await stepsAfter(db, leadId, lowest - 1, MAX_GAPS + 1);
  const wanted = new Set(seqs);
  return steps.filter((s) => wanted.has(s.seq));
}

/** Where a live stream sends what it sees. */
export interface RunFollower {
  step(step: StoredTraceStep): Promise<void>;
  status(state: RunState): Promise<void>;
  end(state: RunState): Promise<void>;
  heartbeat(): Promise<void>;
}

/** How a live stream polls. */
export interface FollowOptions {
  /** Steps with seq above this were not seen yet (a reconnect's Last-Event-ID); -1 for all. */
  afterSeq: number;
  pollMs?: number;
  heartbeatMs?: number;
  /** Aborted when the client goes away: polling stops. */
  signal: AbortSignal;
}

const TERMINAL: ReadonlySet<RunStatus> = new Set(['completed', 'failed']);

// Only what a watcher acts on: status, holder, outcome and the SLA; steps carry the rest.
const stateKey = (s: RunState) => JSON.stringify([s.status, s.assignee?.type, s.assignee?.id, s.outcome, s.deadlineAt]);

/**
 * Follows a run as the worker writes it: every step after `afterSeq`, then each new one as it lands, a
 * status whenever the status, assignee, outcome or deadline changes, and `end` once the run is completed
 * or failed and every step is out. Returns when the run ends, the lead disappears or `signal` aborts.
 */
export async function followRun(db: Db, workspaceId: string, leadId: string, sink: RunFollower, options: FollowOptions): Promise<void> {
  const pollMs = options.pollMs ?? 250;
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  const { signal } = options;
  let last = options.afterSeq;
  // Steps below `last` not written yet when the stream passed them: a wait's reminders are recorded as they
  // go out, before the wait's own step (seq below theirs) is written when the wait ends. Sent when they land.
  const missing = last > 0 ? await gapsUpTo(db, leadId, last) : new Set<number>();
  let lastKey: string | null = null;
  // Heartbeats measure elapsed time, not the wall clock: a monotonic timer is the right tool.
  let lastWrite = performance.now();
  while (!signal.aborted) {
    // The state is read before the steps: a worker writes its last step before it marks the run finished,
    // so a finished state read here guarantees the steps read next include the last one.
    const state = await getRunState(db, workspaceId, leadId);
    if (!state) return;
    if (missing.size > 0) {
      for (const s of await stepsIn(db, leadId, [...missing])) {
        if (signal.aborted) return;
        await sink.step(s);
        missing.delete(s.seq);
        lastWrite = performance.now();
      }
    }
    for (;;) {
      const steps = await stepsAfter(db, leadId, last);
      for (const s of steps) {
        if (signal.aborted) return;
        if (last >= 0) for (let g = Math.max(last + 1, s.seq - MAX_GAPS); g < s.seq; g++) missing.add(g);
        await sink.step(s);
        last = s.seq;
        lastWrite = performance.now();
      }
      if (steps.length < 500) break;
    }
    // Bounded: the lowest go first (a run that never writes a seq leaves a gap for good).
    while (missing.size > MAX_GAPS) missing.delete(Math.min(...missing));
    const key = stateKey(state);
    if (key !== lastKey) {
      lastKey = key;
      await sink.status(state);
      lastWrite = performance.now();
    }
    if (TERMINAL.has(state.status)) {
      await sink.end(state);
      return;
    }
    if (performance.now() - lastWrite >= heartbeatMs) {
      await sink.heartbeat();
      lastWrite = performance.now();
    }
    await sleep(pollMs, signal);
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
