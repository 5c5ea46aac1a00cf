import type { AssignStrategy, Eligibility } from '../graph/nodes/assign';
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
  | 'not_in_directory';

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
}

/** The state changes a choice makes; the caller applies them atomically with the assignment. */
export interface StateUpdate {
  poolKey: string | null;
  lastChosen?: string;
  wrrCurrent?: Record<string, number>;
}

/** What `chooseAssignee` needs: the strategy, eligibility, lead, directory, state and the instant. */
export interface ChooseInput {
  strategy: AssignStrategy;
  eligibility: Eligibility;
  lead: Lead;
  now: number;
  /** Reps never to choose (e.g. previous assignees of this lead). */
  exclude: readonly string[];
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
}
