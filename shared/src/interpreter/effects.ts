import type { Assignee, Candidate, FairnessCredit } from '../assignment/types';
import type { Lead, LeadValue } from '../fields/lead';
import type { AssignConfig } from '../graph/nodes/assign';
import type { CrmUpdateConfig } from '../graph/nodes/crm-update';
import type { EnrichConfig } from '../graph/nodes/enrich';
import type { EscalateConfig } from '../graph/nodes/escalate';
import type { MatchAccountConfig, MatchMethod } from '../graph/nodes/match-account';
import type { EarlierLeadMatch } from '../matching/duplicates';
import type { MatchCandidate, MatchRule } from '../matching/match';
import type { NotifyConfig } from '../graph/nodes/notify';
import type { WaitConfig } from '../graph/nodes/wait';

/** A value or a promise of it: simulation answers at once, the Temporal workflow through activities. */
export type MaybePromise<T> = T | Promise<T>;

/** What every effect request carries: where in the run it comes from. `seq` makes idempotency keys (`<runId>:<seq>`). */
export interface EffectContext {
  leadId: string;
  nodeId: string;
  /** The step number within the run, starting at 1. */
  seq: number;
}

export interface EnrichRequest extends EffectContext {
  config: EnrichConfig;
  lead: Lead;
}
export interface EnrichResult {
  found: boolean;
  /** Field values the provider has; the interpreter decides which to write (empty only, unless overwrite). */
  fields: Record<string, LeadValue>;
  detail: string;
}

export interface MatchAccountRequest extends EffectContext {
  config: MatchAccountConfig;
  lead: Lead;
}
export interface MatchAccountResult {
  account: { id: string; name: string; ownerId: string | null } | null;
  method: MatchMethod | null;
  /** The rule that matched (a method, or `fuzzy_name`); absent in results recorded before it existed. */
  rule?: MatchRule | null;
  /** Every candidate with its score, best first (at most 10), and how many there were. */
  candidates?: MatchCandidate[];
  candidateCount?: number;
  /** The earlier lead with the same email, when the step looks for duplicates and one was found. */
  duplicate?: EarlierLeadMatch | null;
  detail: string;
}

/** The last assignment step a run made, so escalation can draw the next rep from the same pool. */
export interface AssignmentRef {
  nodeId: string;
  config: AssignConfig;
  poolKey: string | null;
  /** What the current assignee's lead counts in a balanced pool with credit-back on: taken back when it leaves them. */
  creditBack?: FairnessCredit;
}

export interface AssignRequest extends EffectContext {
  config: AssignConfig;
  lead: Lead;
  currentAssignee: Assignee | null;
  /** Reps this lead was assigned to before, oldest first. */
  previousAssignees: string[];
  /** The current assignee's credit-back (`AssignmentRef.creditBack`): applied if the lead leaves them. */
  credit?: FairnessCredit;
}
export interface AssignResult {
  assignee: Assignee | null;
  candidates: Candidate[];
  poolKey: string | null;
  explanation: string[];
  /** A weighted round-robin pool's counters after this choice: kept in the trace, so a backtest can rebuild the pool's turn. */
  wrrAfter?: Record<string, number>;
  /** What this choice counted, to credit back when the lead leaves the rep (balanced, credit-back on). */
  credit?: FairnessCredit;
}

export interface NotifyRequest extends EffectContext {
  config: NotifyConfig;
  lead: Lead;
  assignee: Assignee | null;
  /** The message with lead fields filled in (plain text). */
  message: string;
  subject: string | null;
}
export interface NotifyResult {
  delivered: boolean;
  detail: string;
}

export interface UpdateRequest extends EffectContext {
  lead: Lead;
  set: Record<string, LeadValue>;
}
export interface UpdateResult {
  ok: boolean;
  detail: string;
}

export interface CrmUpdateRequest extends EffectContext {
  config: CrmUpdateConfig;
  lead: Lead;
  /** Who holds the lead: the owner written back (through their linked CRM user). */
  assignee: Assignee | null;
}
/** What the CRM answered a `crm_update` step (or, in a test run, what would be written). */
export interface CrmUpdateResult {
  written: boolean;
  /** The connection, object and record written to, when known. */
  connectionId: string | null;
  object: string | null;
  recordId: string | null;
  /** The owner written (the CRM user id), if any. */
  ownerCrmId: string | null;
  /** The fields written, by CRM API name. */
  fields: Record<string, string | number | boolean | null>;
  taskId: string | null;
  /** The CRM's (or the router's) error code and message when not written. */
  errorCode: string | null;
  message: string | null;
  detail: string;
}

export interface WaitRequest extends EffectContext {
  config: WaitConfig;
  /** The SLA in calendar time; a `business` clock's real length is the effect's to count (`slaSchedule`). */
  timeoutMs: number;
  assignee: Assignee | null;
  /** How many waits this run has entered so far, this one included. */
  round: number;
  /** The wait's reminders with their message rendered from the lead; absent when it has none. */
  reminders?: WaitReminderRequest;
}

/** What a wait's reminders send: each is a notify request with the seq `seq + n` of the n-th reminder sent. */
export interface WaitReminderRequest {
  config: NotifyConfig;
  lead: Lead;
  message: string;
  subject: string | null;
  /** The wait node's label, which its reminders' trace steps are named after (absent in runs from before it). */
  label?: string;
}

/** A reminder a wait sent, for the trace. */
export interface ReminderSent {
  percent: number;
  at: number;
  delivered: boolean;
  detail: string;
}
export interface WaitResult {
  outcome: 'accepted' | 'timed_out' | 'rejected';
  elapsedMs: number;
  detail: string;
  /**
   * The rep who took the lead from its queue while it waited (a claim, or a manager's assignment): the lead
   * is now theirs and the wait is accepted by them. Only the Temporal workflow answers it (its `claimed`
   * signal); a test run's waits never do.
   */
  claimedBy?: Assignee;
  /** How the claim reads on the timeline (first line: "Claimed by Ana Diaz from Enterprise queue"). */
  claimLines?: string[];
  /** The SLA as counted (a business clock, or reminders): absent for a plain calendar wait. */
  sla?: { clock: 'calendar' | 'business'; deadline: number; line: string };
  /** Reminders sent while waiting, in order. */
  reminders?: ReminderSent[];
}

export interface EscalateRequest extends EffectContext {
  config: EscalateConfig;
  lead: Lead;
  currentAssignee: Assignee | null;
  previousAssignees: string[];
  lastAssignment: AssignmentRef | null;
}
export interface EscalateResult {
  assignee: Assignee | null;
  candidates: Candidate[];
  poolKey: string | null;
  /** The rep whose open load was released, if any. */
  released: string | null;
  explanation: string[];
  /** A weighted round-robin pool's counters after this choice: kept in the trace, so a backtest can rebuild the pool's turn. */
  wrrAfter?: Record<string, number>;
  /** What this choice counted, to credit back when the lead leaves the rep (balanced, credit-back on). */
  credit?: FairnessCredit;
}

/**
 * Every side effect the interpreter can ask for. Simulation implements it in memory with a virtual clock;
 * the Temporal workflow implements it with activities, durable timers and signals.
 */
export interface Effects {
  /** The current instant in ms since the epoch: virtual in simulation, workflow time in Temporal. */
  now(): number;
  enrich(req: EnrichRequest): MaybePromise<EnrichResult>;
  matchAccount(req: MatchAccountRequest): MaybePromise<MatchAccountResult>;
  assign(req: AssignRequest): MaybePromise<AssignResult>;
  notify(req: NotifyRequest): MaybePromise<NotifyResult>;
  update(req: UpdateRequest): MaybePromise<UpdateResult>;
  crmUpdate(req: CrmUpdateRequest): MaybePromise<CrmUpdateResult>;
  wait(req: WaitRequest): MaybePromise<WaitResult>;
  escalate(req: EscalateRequest): MaybePromise<EscalateResult>;
}
