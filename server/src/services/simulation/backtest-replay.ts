import {
  buildCatalog,
  dayKey,
  durationToMs,
  indexDirectory,
  interpretSync,
  isPaused,
  normalizeLead,
  resolveWait,
  SimulationEffects,
  capsZoneOf,
  waitChoiceAt,
  type Directory,
  type DirectoryIndex,
  type FieldCatalog,
  type Lead,
  type Plan,
  type RoutingStateSnapshot,
  type RunCheckpoint,
  type TraceStep,
  type WaitChoice,
} from '@lead-router/shared';

// One replay of a backtest window through one plan, pure (no database): it runs in the simulation threads
// (backtest-compare.ts calls it once for the active version and once for the draft) and in unit tests.
//
// A replay is a small discrete-event simulation on ONE routing state, in real time order: each lead starts
// at the instant its real run started, runs until it reaches a wait, and resumes when that wait really
// ended (the same answer after the same delay, whoever the replay gave the lead to); meanwhile the leads
// that are not replayed (other workflows', earlier ones) take and release reps at their real instants. So
// two replays given the same input and the same plan give the same answer, lead for lead.

/** How one real wait of a lead ended, and after how long. */
export interface RealWait {
  outcome: 'accepted' | 'rejected' | 'timed_out';
  elapsedMs: number;
}

/** A lead to replay: its data, when it starts, and how its waits really ended. */
export interface ReplayLead {
  id: string;
  data: Record<string, unknown>;
  /** When its replay starts, ms since epoch: its real run's start, else its arrival. */
  startAt: number;
  /** Its real waits, in order. */
  waits: RealWait[];
  /** The lead is still waiting for an answer in reality: the wait after `waits` never ends in the replay. */
  pending: boolean;
  /** When its rep really closed it (ms): whoever the replay gave it to lets it go then. */
  closedAt?: number;
}

/**
 * A change to the routing state made by a lead that is not replayed, at its real instant, as the router
 * made it: the lead went to rep `to` (one more open lead, one more that day; its pool's turn moved to them
 * when `poolKey` is set) and left rep `from` (one fewer open lead).
 */
export interface RoutingEvent {
  at: number;
  to?: string;
  from?: string;
  poolKey?: string;
  /** The team pool that handed the lead out: one more for the team's caps that day (workspace's zone). */
  teamPool?: string;
  /** A replayed lead (its index) was closed: the rep holding it in this replay lets it go. */
  closes?: number;
}

/** What the replay gives one lead. `outcome` is the end's name, `invalid`, or `waiting` (stopped at a pending wait). */
export interface ReplayedLead {
  assignee: string | null;
  assigneeType: 'rep' | 'queue' | null;
  path: string[];
  outcome: string;
  /** Every step of its replay, when asked for (`collectSteps`: the demo's history is made this way). */
  steps?: TraceStep[];
}

/** Everything a replay starts from; the same object for both replays of a backtest. */
export interface ReplayInput {
  leads: readonly ReplayLead[];
  /** The routing state at the window's start. Never changed: each replay works on its own deep copy. */
  start: RoutingStateSnapshot;
  /** Sorted by `at`. */
  background: readonly RoutingEvent[];
  directory: Directory;
}

/** What a replay counts for the assumptions it reports. */
export interface ReplayStats {
  /** Leads that no longer validate against today's fields (not run). */
  invalid: number;
  /** Leads that reached a wait they never reached in reality (answered like their last real wait). */
  beyondHistory: number;
  /** Leads stopped at a wait that is still open in reality. */
  stillWaiting: number;
}

/** A directory's index and catalog, made once and shared by the replays of one backtest. */
export interface Prepared {
  index: DirectoryIndex;
  catalog: FieldCatalog;
}

export const prepare = (directory: Directory): Prepared => ({ index: indexDirectory(directory), catalog: buildCatalog(directory.customFields) });

// Events: background ones first at equal instants (they really happened; their order against a replayed
// lead at the very same millisecond is unknown), then leads in the order they were queued.
type Pending =
  | { at: number; rank: 0; change: RoutingEvent }
  /** Lead `lead` runs at `at`, its clock set to `clock` (a resumed wait started then, and ends at `at`). */
  | { at: number; rank: 1; lead: number; clock: number; resume: RunCheckpoint | null };
type Event = Pending & { seq: number };

const before = (a: Event, b: Event) => a.at - b.at || a.rank - b.rank || a.seq - b.seq;

/** A binary min-heap of events. */
class Timeline {
  private readonly heap: Event[] = [];
  private seq = 0;

  push(e: Pending): void {
    const h = this.heap;
    h.push({ ...e, seq: this.seq++ });
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (before(h[p]!, h[i]!) <= 0) break;
      [h[p], h[i]] = [h[i]!, h[p]!];
      i = p;
    }
  }

  pop(): Event | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last !== undefined) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && before(h[l]!, h[m]!) < 0) m = l;
        if (r < h.length && before(h[r]!, h[m]!) < 0) m = r;
        if (m === i) break;
        [h[m], h[i]] = [h[i]!, h[m]!];
        i = m;
      }
    }
    return top;
  }
}

/**
 * Replays the window's leads through `plan`, from a deep copy of `input.start`: the answer per lead in
 * input order, and the counts its assumptions report. Deterministic: the same plan and input give the same
 * answer.
 */
export function replayWindow(
  plan: Plan,
  input: ReplayInput,
  prepared: Prepared = prepare(input.directory),
  options: { collectSteps?: boolean } = {},
): { leads: ReplayedLead[]; stats: ReplayStats; end: RoutingStateSnapshot } {
  const { index, catalog } = prepared;
  const byLead: Record<string, WaitChoice[]> = {};
  for (const l of input.leads) {
    // Own data properties, even for an id such as "__proto__".
    if (l.waits.length > 0) Object.defineProperty(byLead, l.id, { value: l.waits.map((w) => ({ outcome: w.outcome, afterMs: w.elapsedMs })), enumerable: true });
  }
  const sim = new SimulationEffects({ directory: input.directory, state: structuredClone(input.start), startTime: 0, waits: { byLead } }, index);
  const zoneOf = (repId: string) => {
    const rep = index.reps.get(repId);
    return rep === undefined ? 'UTC' : capsZoneOf(rep, index.settings?.timeZone ?? 'UTC');
  };

  const stats: ReplayStats = { invalid: 0, beyondHistory: 0, stillWaiting: 0 };
  const out: ReplayedLead[] = new Array(input.leads.length);
  const normalized: Array<Lead | null> = [];
  const paths: string[][] = [];
  const collected: TraceStep[][] = [];
  const timeline = new Timeline();
  for (const change of input.background) timeline.push({ at: change.at, rank: 0, change });
  input.leads.forEach((l, i) => {
    paths.push([]);
    collected.push([]);
    const n = normalizeLead(l.data, catalog);
    normalized.push(n.ok ? n.lead : null);
    if (!n.ok) {
      // The catalog may have changed since the lead was stored: a lead that no longer reads is reported, not run.
      stats.invalid++;
      out[i] = { assignee: null, assigneeType: null, path: [], outcome: 'invalid' };
    } else {
      timeline.push({ at: l.startAt, rank: 1, lead: i, clock: l.startAt, resume: null });
      if (l.closedAt !== undefined) timeline.push({ at: l.closedAt, rank: 0, change: { at: l.closedAt, closes: i } });
    }
  });

  const beyond = new Set<number>();
  for (let e = timeline.pop(); e !== undefined; e = timeline.pop()) {
    if (e.rank === 0) {
      const c = e.change;
      if (c.closes !== undefined) {
        // Closed in reality: the replay's holder, if its route has ended with a rep, lets it go (as closeLead does).
        const held = out[c.closes];
        if (held?.assigneeType === 'rep' && held.assignee !== null && held.outcome !== 'waiting') sim.state.release(held.assignee);
        continue;
      }
      // As the router's take(): the new rep first, then the one the lead left.
      if (c.to !== undefined) sim.state.recordAssignment(c.to, dayKey(c.at, zoneOf(c.to)));
      if (c.from !== undefined) sim.state.release(c.from);
      if (c.to !== undefined && c.poolKey !== undefined) sim.state.apply({ poolKey: c.poolKey, lastChosen: c.to });
      if (c.to !== undefined && c.teamPool !== undefined) sim.state.recordPoolAssignment(c.teamPool, dayKey(c.at, index.settings?.timeZone ?? 'UTC'));
      continue;
    }
    const i = e.lead;
    const lead = input.leads[i]!;
    sim.beginLead(lead.id, e.clock);
    // Resumed at a wait, that wait runs now (it has ended); the run pauses before the next one.
    let resuming = e.resume !== null;
    const r = interpretSync(plan, normalized[i]!, sim, {
      leadId: lead.id,
      ...(e.resume ? { resume: e.resume } : {}),
      pauseBeforeWait: () => {
        if (!resuming) return true;
        resuming = false;
        return false;
      },
    });
    const path = paths[i]!;
    if (options.collectSteps) collected[i]!.push(...r.steps);
    const steps = options.collectSteps ? { steps: collected[i]! } : {};
    if (!isPaused(r)) {
      path.push(...r.path);
      out[i] = { assignee: r.assignee ? r.assignee.id : null, assigneeType: r.assignee ? r.assignee.type : null, path, outcome: r.outcome, ...steps };
      continue;
    }
    for (const s of r.steps) path.push(s.nodeId);
    const cp = r.checkpoint;
    const round = cp.waits + 1;
    if (round > lead.waits.length && lead.pending) {
      stats.stillWaiting++;
      out[i] = { assignee: cp.assignee ? cp.assignee.id : null, assigneeType: cp.assignee ? cp.assignee.type : null, path, outcome: 'waiting', ...steps };
      continue;
    }
    if (round > lead.waits.length) beyond.add(i);
    const node = plan.nodes[cp.nodeId];
    const timeoutMs = node?.type === 'wait' ? durationToMs(node.config.timeout) : 0;
    // The very answer the wait will get when the run resumes (SimulationEffects.wait reads the same plan).
    const own = Object.prototype.hasOwnProperty.call(byLead, lead.id) ? byLead[lead.id] : undefined;
    const { elapsedMs } = resolveWait(waitChoiceAt(own, round), timeoutMs);
    const now = sim.now();
    timeline.push({ at: now + elapsedMs, rank: 1, lead: i, clock: now, resume: cp });
  }
  stats.beyondHistory = beyond.size;
  return { leads: out, stats, end: sim.state.snapshot() };
}
