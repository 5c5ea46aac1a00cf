import type { Plan } from '@lead-router/shared';
import { prepare, replayWindow, type ReplayedLead, type ReplayInput, type ReplayLead, type ReplayStats } from './backtest-replay';

// The backtest's comparison, pure (no database, no HTTP): it runs inside the simulation threads
// (simulation.worker.ts), and directly in unit tests.
//
// The window is replayed twice from the very same starting state: through the ACTIVE version (what
// production runs) and through the CANDIDATE (the draft, or the version asked for). A lead moves when the
// two replays end it with different assignees, so a candidate identical to the active version moves no
// lead, by construction. Separately, the active version's replay is held against what really happened to
// each lead: the FIDELITY of the model (how much of the window it reproduces), with the assumptions it
// rests on, so a person can tell how far to trust the moves.

/** Where a run stands in production (routing_runs.status); null when the lead has no run yet. */
export type RealStatus = 'queued' | 'running' | 'waiting' | 'completed' | 'failed';

/** A real lead of the window: what to replay, and what production did with it. */
export interface HistoricLead extends ReplayLead {
  /** When it arrived, ms since epoch. */
  receivedAt: number;
  /** A name for people: the lead's name, else its email or company; else its id. */
  label: string;
  actual: { assignee: string | null; assigneeType: 'rep' | 'queue' | null; path: string[]; status: RealStatus | null };
}

/** One of the assumptions a backtest rests on, in words. `id` is stable (tests, list keys). */
export interface Assumption {
  id: string;
  text: string;
}

/** What the main thread read for a backtest (everything but the plans). */
export interface BacktestWindow extends Omit<ReplayInput, 'leads'> {
  leads: HistoricLead[];
  since: string;
  until: string;
  /** The window's leads, replayed or not (more than `leads.length` when `limit` cut it). */
  total: number;
  limit: number;
  /** The version production runs, replayed as the baseline; null when none is active. */
  activeVersion: number | null;
  /** What is tested: the draft or a version number. */
  source: 'draft' | number;
  /** What the reconstruction of the starting state assumed (backtest.service.ts). */
  notes: Assumption[];
}

/** One replay's answer for one lead. */
export type BacktestReplay = ReplayedLead;

/** A real lead as it was routed, and as each replay routed it. */
export interface BacktestLead {
  leadId: string;
  label: string;
  receivedAt: string;
  actual: { assignee: string | null; path: string[]; status: RealStatus | null };
  /** The active version's replay; null when no version is active. */
  active: BacktestReplay | null;
  /** The tested source's replay (the draft by default). */
  candidate: BacktestReplay;
  /** The candidate's assignee differs from the active replay's (from the real one when no version is active). */
  moved: boolean;
  /** The active replay's assignee is the real one; null when there is no active version or the lead is not routed yet. */
  reproduced: boolean | null;
}

/** Leads per assignee over the window: really, in the active replay, in the candidate's. `id` null: nobody. */
export interface BacktestAssigneeCounts {
  id: string | null;
  type: 'rep' | 'queue' | null;
  actual: number;
  active: number;
  candidate: number;
}

/** Counts over a backtest. Shares are counts over `leads` (every row's counts add up to it). */
export interface BacktestSummary {
  /** Leads replayed. */
  leads: number;
  /** Leads whose candidate assignee differs from the baseline's (the active replay, or the real one). */
  moved: number;
  /** Per assignee, and one row (id null) for leads that end with nobody. */
  assignees: BacktestAssigneeCounts[];
}

/** How far the active version's replay is from what really happened. */
export interface BacktestFidelity {
  /** Leads already routed in reality, whose active replay is compared with what they really got. */
  compared: number;
  /** Of those, the leads the replay gives the same final assignee as reality. */
  matched: number;
  /** Leads of the window not routed yet (left out). */
  notRouted: number;
}

/** A backtest's answer. */
export interface BacktestResponse {
  window: { since: string; until: string; total: number; replayed: number; limit: number };
  /** The version replayed as the baseline; null when none is active (the candidate is then compared with reality). */
  active: { version: number } | null;
  candidate: { source: 'draft' | number };
  summary: BacktestSummary;
  /** Null when no version is active. */
  fidelity: BacktestFidelity | null;
  assumptions: Assumption[];
  leads: BacktestLead[];
}

/**
 * Replays the window through the active version (when there is one) and the candidate, from the same
 * starting state, and compares them with each other and the active one with reality.
 */
export function compareReplays(activePlan: Plan | null, candidatePlan: Plan, w: BacktestWindow): BacktestResponse {
  const prepared = prepare(w.directory);
  const input: ReplayInput = { leads: w.leads, start: w.start, background: w.background, directory: w.directory };
  const active = activePlan ? replayWindow(activePlan, input, prepared) : null;
  const candidate = replayWindow(candidatePlan, input, prepared);

  // Maps, not records: an assignee id read back from the database could be "__proto__".
  const rows = new Map<string, BacktestAssigneeCounts>();
  const row = (id: string | null, type: 'rep' | 'queue' | null) => {
    const key = id === null ? '' : `${type ?? 'rep'}:${id}`;
    let r = rows.get(key);
    if (!r) rows.set(key, (r = { id, type: id === null ? null : type, actual: 0, active: 0, candidate: 0 }));
    return r;
  };
  let moved = 0;
  let compared = 0;
  let matched = 0;
  let notRouted = 0;
  const leads = w.leads.map((h, i): BacktestLead => {
    const a = active?.leads[i] ?? null;
    const c = candidate.leads[i]!;
    const real = h.actual;
    const routed = real.status !== null && real.status !== 'queued';
    const baseline = a ? a.assignee : real.assignee;
    const isMoved = c.assignee !== baseline;
    if (isMoved) moved++;
    let reproduced: boolean | null = null;
    if (!routed) notRouted++;
    else if (a) {
      compared++;
      reproduced = a.assignee === real.assignee;
      if (reproduced) matched++;
    }
    row(real.assignee, real.assigneeType).actual++;
    if (a) row(a.assignee, a.assigneeType).active++;
    row(c.assignee, c.assigneeType).candidate++;
    return {
      leadId: h.id,
      label: h.label,
      receivedAt: new Date(h.receivedAt).toISOString(),
      actual: { assignee: real.assignee, path: real.path, status: real.status },
      active: a,
      candidate: c,
      moved: isMoved,
      reproduced,
    };
  });
  // Reps, then queues, then nobody; the busiest first within each.
  const rank = (r: BacktestAssigneeCounts) => (r.id === null ? 2 : r.type === 'queue' ? 1 : 0);
  const assignees = [...rows.values()].sort(
    (x, y) => rank(x) - rank(y) || Math.max(y.active, y.candidate) - Math.max(x.active, x.candidate) || String(x.id).localeCompare(String(y.id)),
  );
  return {
    window: { since: w.since, until: w.until, total: w.total, replayed: w.leads.length, limit: w.limit },
    active: w.activeVersion !== null && activePlan ? { version: w.activeVersion } : null,
    candidate: { source: w.source },
    summary: { leads: w.leads.length, moved, assignees },
    fidelity: active ? { compared, matched, notRouted } : null,
    assumptions: [...w.notes, ...replayNotes(w, active?.stats ?? null, candidate.stats, notRouted, [activePlan, candidatePlan])],
    leads,
  };
}

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/** The assumptions that depend on the replays themselves. */
function replayNotes(w: BacktestWindow, active: ReplayStats | null, candidate: ReplayStats, notRouted: number, plans: Array<Plan | null>): Assumption[] {
  const notes: Assumption[] = [];
  if (w.total > w.leads.length) {
    notes.push({
      id: 'limit',
      text: `Only the first ${plural(w.leads.length, 'lead')} of the window's ${w.total.toLocaleString('en-US')} are replayed; the later ones take and release reps as they really did.`,
    });
  }
  const invalid = candidate.invalid;
  if (invalid > 0) notes.push({ id: 'invalid', text: `${plural(invalid, 'lead')} no longer fit today's fields and are not routed in either replay.` });
  const beyond = Math.max(active?.beyondHistory ?? 0, candidate.beyondHistory);
  if (beyond > 0) {
    notes.push({
      id: 'waits-beyond',
      text: `${plural(beyond, 'lead')} reached a wait they never reached in reality: answered like their last real wait (accepted at once if they never waited).`,
    });
  }
  const waiting = Math.max(active?.stillWaiting ?? 0, candidate.stillWaiting);
  if (waiting > 0) notes.push({ id: 'still-waiting', text: `${plural(waiting, 'lead')} still wait for an answer: their replay stops at that wait, with whoever holds the lead then.` });
  if (active && notRouted > 0) notes.push({ id: 'not-routed', text: `${plural(notRouted, 'lead')} of the window are not routed yet and are left out of the fidelity figure.` });
  const httpEnrich = plans.some((p) => p !== null && Object.values(p.nodes).some((n) => n.type === 'enrich' && n.config.provider === 'http'));
  if (httpEnrich) notes.push({ id: 'http-enrich', text: 'HTTP enrichment is not called in a replay: it counts as not found.' });
  return notes;
}
