import type { Graph } from '@lead-router/shared';
import type { KeptStorage } from '../hooks/kept-draft';
import type { WaitOutcome } from '../api/queries';

// A test lead pinned to the canvas: kept per workflow in localStorage (it survives a reload), re-run on
// every edit of the draft by a scheduler that debounces, keeps at most one request in flight and lets the
// latest edit win. Pure of React, so the timing rules are tested on their own (pin.test.ts).

/** The lead pinned to a workflow's canvas, with how its waits resolve. */
export interface PinnedLead {
  lead: Record<string, unknown>;
  wait: WaitOutcome;
}

const PREFIX = 'lead-router:pinned-lead:';

/** The storage key of a workflow's pinned lead. */
export const pinKey = (workflowId: string): string => `${PREFIX}${workflowId}`;

/** The workflow's pinned lead, or null (none, or a stored value this version cannot read). */
export function loadPin(storage: KeptStorage, workflowId: string): PinnedLead | null {
  const raw = storage.getItem(pinKey(workflowId));
  if (raw === null) return null;
  try {
    const v = JSON.parse(raw) as Partial<PinnedLead>;
    if (v.lead === null || typeof v.lead !== 'object' || Array.isArray(v.lead)) return null;
    const wait = v.wait === 'timed_out' || v.wait === 'rejected' ? v.wait : 'accepted';
    return { lead: v.lead, wait };
  } catch {
    return null;
  }
}

/** Pins a lead to the workflow's canvas (replacing any other), or unpins with null. */
export function savePin(storage: KeptStorage, workflowId: string, pin: PinnedLead | null): void {
  try {
    if (pin === null) storage.removeItem(pinKey(workflowId));
    else storage.setItem(pinKey(workflowId), JSON.stringify(pin));
  } catch {
    // A full or refused storage: the pin lasts for this page only.
  }
}

/** How a pinned lead is named on its chip: its name and email, else whichever it has, else its id. */
export function pinLabel(lead: Record<string, unknown>): string {
  const text = (k: string) => (typeof lead[k] === 'string' || typeof lead[k] === 'number' ? String(lead[k]).trim() : '');
  const name = [text('firstName'), text('lastName')].filter(Boolean).join(' ');
  const email = text('email');
  if (name && email) return `${name} (${email})`;
  return name || email || text('company') || (text('id') ? `lead ${text('id')}` : 'the pinned lead');
}

/**
 * True when two graphs route alike: the same edges and the same steps with the same settings; positions
 * aside. Moving a card is an edit the pinned lead need not re-run for. (The store's edits copy only what
 * they change, so unchanged steps keep their config objects and this compares by reference.)
 */
export function sameRouting(a: Graph, b: Graph): boolean {
  if (a === b) return true;
  if (a.edges !== b.edges || a.nodes.length !== b.nodes.length) return false;
  return a.nodes.every((n, i) => {
    const m = b.nodes[i];
    return m !== undefined && m.id === n.id && m.type === n.type && m.config === n.config;
  });
}

/** Timers, injectable for tests. */
export interface Timers {
  setTimeout: (fn: () => void, ms: number) => unknown;
  clearTimeout: (handle: unknown) => void;
}

/** The re-run scheduler of a pinned lead (see `createRerunner`). */
export interface Rerunner {
  /** An edit happened: run again once edits pause for the delay (the latest edit wins). */
  schedule(): void;
  /** Runs as soon as nothing is in flight, without waiting for the delay (pinning, opening the page). */
  now(): void;
  /** Stops: nothing scheduled runs, and the answer of a run in flight is dropped. */
  dispose(): void;
}

/**
 * Debounces re-runs: `schedule()` (re)starts a `delayMs` timer; when it fires, `run` starts, unless a run
 * is still in flight, in which case one more run follows it (however many edits came meanwhile). So
 * requests never overlap nor pile up, and the last run always started after the last edit. `deliver` gets
 * a run's answer only if no newer run was asked for since it started (an older path is never shown as
 * current).
 */
export function createRerunner<T>(options: {
  delayMs: number;
  run: () => Promise<T>;
  deliver: (result: { ok: true; value: T } | { ok: false; error: unknown }) => void;
  timers?: Timers;
}): Rerunner {
  const timers: Timers = options.timers ?? { setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms), clearTimeout: (h) => globalThis.clearTimeout(h as ReturnType<typeof setTimeout>) };
  let timer: unknown = null;
  let inFlight = false;
  let again = false;
  let disposed = false;
  // Bumped by every request for a run: an answer is delivered only if none came after its run started.
  let asked = 0;

  const start = () => {
    if (disposed) return;
    if (inFlight) {
      again = true;
      return;
    }
    inFlight = true;
    again = false;
    const mine = asked;
    options.run().then(
      (value) => finish(mine, { ok: true, value }),
      (error: unknown) => finish(mine, { ok: false, error }),
    );
  };
  const finish = (mine: number, result: { ok: true; value: T } | { ok: false; error: unknown }) => {
    inFlight = false;
    if (disposed) return;
    if (mine === asked && !again) options.deliver(result);
    if (again) start();
  };
  const clear = () => {
    if (timer !== null) timers.clearTimeout(timer);
    timer = null;
  };
  return {
    schedule() {
      if (disposed) return;
      asked++;
      clear();
      timer = timers.setTimeout(() => {
        timer = null;
        start();
      }, options.delayMs);
    },
    now() {
      if (disposed) return;
      asked++;
      clear();
      start();
    },
    dispose() {
      disposed = true;
      clear();
    },
  };
}
