import type { Rep } from '../directory/schema';
import type { DirectoryIndex } from './directory-index';
import { checkContext, ineligibility, type EligibilityContext } from './rep-check';
import type { Candidate, CandidateVerdict, ChooseInput, FairnessCredit, RoutingStateView, StateUpdate } from './types';

// What one choice of an assignee works with, shared by the strategies: the call (directory, state, input,
// exclusions), its decision, and the eligibility check made once per call.

/** What every strategy needs for one choice. */
export interface Call {
  dir: DirectoryIndex;
  state: RoutingStateView;
  input: ChooseInput;
  /** Made when the first rep is checked: a choice that checks nobody reads nothing of the eligibility. */
  check: EligibilityContext | null;
  exclude: readonly string[];
  /** For long exclusion lists; null when a scan of `exclude` is quicker. */
  excludeSet: ReadonlySet<string> | null;
}

/** What a strategy decided over a pool: the candidates, their trace lines and the state update. */
export interface Decision {
  chosen: Candidate | null;
  candidates: Candidate[];
  /** One line per candidate, after a slot left for the headline. */
  explanation: string[];
  update: StateUpdate;
  /** What to credit back when the lead leaves the chosen rep (balanced with `creditBack`). */
  credit?: FairnessCredit;
}

export const nameOf = (dir: DirectoryIndex, repId: string): string => dir.reps.get(repId)?.name ?? repId;

export const possessive = (name: string): string => `${name}'s`;

export function isExcluded(call: Call, repId: string): boolean {
  const set = call.excludeSet;
  if (set !== null) return set.has(repId);
  const ex = call.exclude;
  for (let i = 0; i < ex.length; i++) if (ex[i] === repId) return true;
  return false;
}

export function checkOf(call: Call): EligibilityContext {
  if (call.check !== null) return call.check;
  const { eligibility, lead, now } = call.input;
  return (call.check = checkContext(eligibility, lead, now, call.state, call.dir.settings?.timeZone, call.dir.closures));
}

/** The reason the rep may not take the lead (its verdict in `verdictOf(call)`), or null when eligible. */
export const ineligible = (call: Call, rep: Rep | undefined, repId: string): string | null =>
  ineligibility(rep, repId, isExcluded(call, repId), checkOf(call));

/** The verdict that goes with the reason `ineligible` returned last. */
export const verdictOf = (call: Call): CandidateVerdict => checkOf(call).verdict;

export const candidate = (repId: string, name: string, verdict: CandidateVerdict, reason: string): Candidate => ({ repId, name, verdict, reason });

/** How a candidate's verdict reads in the trace. */
export const VERDICT_LABEL: Record<CandidateVerdict, string> = {
  chosen: 'chosen',
  not_this_turn: 'not this turn',
  inactive: 'inactive',
  out_of_office: 'out of office',
  outside_working_hours: 'outside working hours',
  on_holiday: 'on holiday',
  over_daily_cap: 'over daily cap',
  over_open_cap: 'over open-lead cap',
  missing_skill: 'missing skill',
  previously_assigned: 'previously assigned',
  not_in_directory: 'not in directory',
  offline: 'offline',
  over_weekly_cap: 'over weekly cap',
  over_monthly_cap: 'over monthly cap',
  over_team_cap: 'over team cap',
};
