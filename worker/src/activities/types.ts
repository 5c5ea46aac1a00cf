import type {
  AssignRequest,
  AssignResult,
  Assignee,
  CrmUpdateRequest,
  CrmUpdateResult,
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
import type { EffectCall, RunCheckpoint } from '@lead-router/shared';
import type { ClaimSignal, RouteLeadInput } from '@lead-router/shared/workflow-contract';

export type { RouteLeadInput };

/**
 * What `runSegment` runs: a lead's route from its start (or an operator's retry), or from a checkpoint where
 * an earlier segment suspended, with the answer of the effect it suspended at (a wait's outcome, a slow
 * notification's delivery).
 */
export interface SegmentInput extends RouteLeadInput {
  workflowId: string;
  checkpoint?: RunCheckpoint;
  /** The answer of the checkpoint step's effect, performed by the workflow. */
  answer?: { value: unknown };
  /** A claim the workflow holds and no wait took: the segment's first assignment moves the lead on from the claimer. */
  claim?: ClaimSignal;
  /** Workflow time when the segment was asked for (epoch ms): the run's clock; the activity's own clock without it. */
  now?: number;
}

/** What both kinds of segment end report. */
interface SegmentEnd {
  /** Node ids of the steps this segment completed, in order. */
  path: string[];
  /** The seq of the last step taken so far. */
  seq: number;
  /** Who holds the lead now. */
  assignee: Assignee | null;
  /** The input's claim was spent by an assignment or escalation (the lead moved on from the claimer). */
  claimUsed: boolean;
  /** When the segment's last assignment that named someone was made (epoch ms), if it made one. */
  assignedAt: number | null;
}

/** How a segment ended: the route ended (closed with `finishRun`), or it suspended at an effect for the workflow. */
export type SegmentResult =
  | { status: 'already_ended' }
  | (SegmentEnd & { status: 'ended'; result: { status: RunStatus; outcome: string; assignee: Assignee | null; error?: string } })
  | (SegmentEnd & {
      status: 'suspended';
      /** Where to resume: before the step whose effect is pending. */
      checkpoint: RunCheckpoint;
      /** The effect for the workflow to perform: a wait (durable timer and signals) or a slow external call. */
      pending: EffectCall;
      /** The run is already marked waiting (status, deadline, holder) for the pending wait. */
      marked: boolean;
    });

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
  recordSteps(input: RunRef & { leadId: string; steps: TraceStep[]; waiting?: { nodeId: string; deadline: number; assignee: Assignee | null } }): Promise<void>;
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
  /**
   * Queues the owner write-back of a `crm_update` step (keyed `<workflowId>:<seq>`) and waits for the
   * server's CRM writer to answer it; a write still pending (the CRM is down) is a retryable error.
   */
  crmUpdate(req: CrmUpdateRequest & RunRef): Promise<CrmUpdateResult>;
  /**
   * Runs the shared interpreter over one segment of the route with the effects above, called in-process: from
   * the start (or a checkpoint and its effect's answer) to the next wait, a slow external effect (email,
   * Slack, webhook, HTTP enrichment) or the end. Steps are recorded as they go (before each effect, as the
   * workflow's batches were); a wait is marked before the segment returns it; an end closes the run. Retried
   * from its input after a crash: every effect is idempotent per (run, seq), and an assignment already made
   * is read back, so the re-run takes the same path and acts once.
   */
  runSegment(input: SegmentInput): Promise<SegmentResult>;
}
