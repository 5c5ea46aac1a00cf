import type { AssignStrategy, Eligibility, Fairness } from '../graph/nodes/assign';
import type { Lead } from '../fields/lead';

/** Why a candidate rep was or was not chosen. */
export type CandidateVerdict =
  | 'chosen'
  | 'not_this_turn'
  | 'inactive'
  | 'out_of_office'
  | 'outside_working_hours'
  | 'on_holiday'
  | 'over_daily_cap'
  | 'over_open_cap'
  | 'missing_skill'
  | 'previously_assigned'
  | 'not_in_directory'
  // Availability and period caps (#16):
  | 'offline'
  | 'over_weekly_cap'
  | 'over_monthly_cap'
  | 'over_team_cap';

/** One candidate considered by an assignment, with the verdict and a sentence a rep understands. */
export interface Candidate {
  repId: string;
  name: string;
  verdict: CandidateVerdict;
  reason: string;
}

/** Who a lead is assigned to: a rep or a queue. */
export interface Assignee {
  type: 'rep' | 'queue';
  id: string;
  name: string;
}

/**
 * The routing state an assignment reads: round-robin cursors, smooth-weight counters and rep loads.
 * Simulation keeps it in memory; production keeps it in Postgres rows locked for the choice.
 */
export interface RoutingStateView {
  /** The rep who last got a turn in this pool, or null. */
  lastChosen(poolKey: string): string | null;
  /** Current smooth weighted round-robin counters of this pool (repId -> current weight). */
  wrrCurrent(poolKey: string): Readonly<Record<string, number>>;
  /** Leads the rep holds open now. */
  openLoad(repId: string): number;
  /** Leads assigned to the rep on this day (YYYY-MM-DD in the rep's time zone). */
  assignedOn(repId: string, day: string): number;
  // Period caps (#16): sums of per-day counts over a range of local dates, both ends included.
  /** Leads assigned to the rep on the days from `from` to `to` (YYYY-MM-DD in the rep's caps zone). */
  assignedBetween(repId: string, from: string, to: string): number;
  /** Leads the pool (`team:<id>`) handed out on the days from `from` to `to` (YYYY-MM-DD, workspace zone). */
  poolAssignedBetween(poolKey: string, from: string, to: string): number;
  /** The pool's fairness counts (see fairness-state.ts); null when it has none. Optional for older views. */
  poolFairness?(poolKey: string): PoolFairness | null;
}

// ---- Fairness state (fairness-state.ts) ------------------------------------------------------------------

/** A pool's fairness counts in the current window, kept with its cursor. */
export interface PoolFairness {
  /** The window the counts belong to: `all` (never reset), `2026-03-29` (day), `week:2026-03-23` (its Monday), `2026-03` (month). */
  window: string;
  /** Leads each rep got from this pool in the window (a rep who joined mid-window starts at the level of the others). */
  counts: Record<string, number>;
  /** The rep who got the last lead of this pool and how many in a row; null at a window's start. */
  streak: { repId: string; n: number } | null;
}

/** What a balanced choice counted, kept with the assignment so the lead can be credited back when it leaves. */
export interface FairnessCredit {
  poolKey: string;
  window: string;
  repId: string;
}

/** The state changes a choice makes; the caller applies them atomically with the assignment. */
export interface StateUpdate {
  poolKey: string | null;
  lastChosen?: string;
  wrrCurrent?: Record<string, number>;
  /** The pool's fairness counts after the choice. */
  fairness?: PoolFairness;
}

/** What `chooseAssignee` needs: the strategy, eligibility, lead, directory, state and the instant. */
export interface ChooseInput {
  strategy: AssignStrategy;
  eligibility: Eligibility;
  lead: Lead;
  now: number;
  /** Reps never to choose (e.g. previous assignees of this lead). */
  exclude: readonly string[];
  /** The step's fairness (rotating strategies); absent is today's strict rotation. */
  fairness?: Fairness | undefined;
}

/** The outcome of a choice. `assignee` null means nobody was eligible. */
export interface ChooseResult {
  assignee: Assignee | null;
  candidates: Candidate[];
  /** The pool the choice drew from (`team:<id>`, `territory:<id>`...), for cursors and escalation. */
  poolKey: string | null;
  update: StateUpdate;
  /** Lines for the trace: what was chosen, and why. */
  explanation: string[];
  /** Set when the step credits back (balanced, `creditBack` on): what to take back when the lead leaves the rep. */
  credit?: FairnessCredit;
}
