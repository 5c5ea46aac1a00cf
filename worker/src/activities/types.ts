import type {
  AssignRequest,
  AssignResult,
  Assignee,
  EnrichRequest,
  EnrichResult,
  EscalateRequest,
  EscalateResult,
  Lead,
  MatchAccountRequest,
  MatchAccountResult,
  NotifyRequest,
  NotifyResult,
  Plan,
  RunStatus,
  TraceStep,
  UpdateRequest,
  UpdateResult,
  WorkCalendar,
} from '@lead-router/shared';
import type { RouteLeadInput } from '@lead-router/shared/workflow-contract';

export type { RouteLeadInput };

/** Every effect request carries the run's identity: activities scope their queries and idempotency keys by it. */
export interface RunRef {
  workspaceId: string;
  /** The Temporal workflow id, `lead-<leadId>`: idempotency keys are `<workflowId>:<seq>`. */
  workflowId: string;
  /**
   * Trace steps the workflow computed since its last write. The activity records them (idempotently, in
   * order) before it acts, so a lead's steps reach the database with the effects they lead to, without a
   * workflow activation of their own.
   */
  steps?: TraceStep[];
}

/** The failure type of a business outcome that retrying cannot change (no eligible rep, unknown account...). */
export const BUSINESS_FAILURE = 'RoutingBusinessFailure';

/**
 * The activities `routeLead` calls. Each is idempotent under retry: keyed by workflowId + step seq, a retry
 * of a step that already took effect returns the first answer instead of acting twice.
 */
export interface RoutingActivities {
  /** The version's plan (cached in the worker by version id: versions are immutable) and the stored lead. */
  loadRun(input: RouteLeadInput): Promise<{ plan: Plan; lead: Lead; receivedAt: number }>;
  /** The version's plan alone (after a continue-as-new, the lead travels in the checkpoint). */
  loadPlan(input: { versionId: string }): Promise<Plan>;
  /** Writes consecutive finished steps in one transaction (the workflow batches those between two effects). */
  recordSteps(input: RunRef & { leadId: string; steps: TraceStep[] }): Promise<void>;
  /** Marks the run waiting on an SLA (status `waiting`, the deadline and who holds the lead). */
  markWaiting(input: RunRef & { leadId: string; nodeId: string; deadline: number; assignee: Assignee | null }): Promise<void>;
  /** Closes the run: status, outcome, assignee, completion time (and, for a failed run, why). */
  finishRun(input: RunRef & { leadId: string; status: RunStatus; outcome: string; assignee: Assignee | null; error?: string }): Promise<void>;
  /**
   * Ends the run as failed with the reason an operator sees (an activity failed for good, or ran out of
   * attempts): status `failed`, outcome `failed`, the error, the completion time; no SLA deadline.
   */
  failRun(input: RunRef & { leadId: string; error: string }): Promise<void>;
  /**
   * Where an operator's retry starts: after the highest step seq any earlier run of the lead used (in the
   * trace, the notifications keyed by it, the stored assignment decision), with the assignee that holds the
   * lead. Null when the run has already ended (a second start of the same retry): nothing to do.
   */
  beginRetry(input: RunRef & { leadId: string }): Promise<{ seq: number; assignee: Assignee | null } | null>;
  enrich(req: EnrichRequest & RunRef): Promise<EnrichResult>;
  matchAccount(req: MatchAccountRequest & RunRef): Promise<MatchAccountResult>;
  /**
   * Chooses with the shared choice function over Postgres state locked for the choice, records the
   * assignment and the rep's load (releasing the previous rep's). Nobody eligible is a business failure:
   * it throws a non-retryable ApplicationFailure of type BUSINESS_FAILURE whose `details[0]` is the
   * AssignResult (assignee null, every candidate's reason); the workflow turns it into the node's failure
   * outcome. The same convention holds for escalate (nobody to escalate to), matchAccount (no account)
   * and enrich (not found): their `details[0]` is the result to use.
   */
  assign(req: AssignRequest & RunRef): Promise<AssignResult>;
  escalate(req: EscalateRequest & RunRef): Promise<EscalateResult>;
  notify(req: NotifyRequest & RunRef): Promise<NotifyResult>;
  update(req: UpdateRequest & RunRef): Promise<UpdateResult>;
  /** The working calendar a business-hours SLA counts in: the assignee's, or the workspace's (work-calendar.ts). */
  workCalendar(input: RunRef & { assignee: Assignee | null }): Promise<WorkCalendar>;
}
