import { continueAsNew, proxyLocalActivities, workflowInfo } from '@temporalio/workflow';
import {
  performEffect,
  type Assignee,
  type ClaimSignal,
  type Effects,
  type RouteLeadArgs,
  type RouteLeadResult,
  type RouteLeadWorkflow,
  type RouteState,
  type RunCheckpoint,
  type RunResult,
} from '@lead-router/shared/workflow';
import type { RoutingActivities } from '../activities/types';

// Determinism boundary: workflow code (see route-lead.workflow.ts). This is the shape of runs started since
// issue 18: a lead's route runs segment by segment, each segment one local activity (`runSegment`) that runs
// the shared interpreter with the real effects from one wait to the next. A lead costs one workflow activation
// from its start to its SLA timer, where it cost one per effect.

/**
 * Patch id: routes run segment by segment. Runs started before this change interpreted the plan in the
 * workflow with one local activity per effect, and replay that way (their histories are kept in histories/).
 * Remove with deprecatePatch once no run of the old code can still be open.
 */
export const SEGMENT_ACTIVATION = 'segment-activation';

// A segment is a handful of short database steps (the same ones the workflow ran one by one before), so the
// same retry policy as theirs; its timeout leaves room for all of them.
const segments = proxyLocalActivities<Pick<RoutingActivities, 'runSegment'>>({
  startToCloseTimeout: '60 seconds',
  localRetryThreshold: '10 seconds',
  retry: { initialInterval: '200 milliseconds', backoffCoefficient: 2, maximumInterval: '10 seconds', maximumAttempts: 20 },
});

/** What the segment driver needs of route-lead.workflow.ts. */
export interface SegmentDriver {
  /** The workflow's effects: performs the effect a segment suspended at (a wait, a slow notification or enrichment). */
  effects: Effects;
  /** The rep answers and claims as they arrive (route-lead.workflow.ts `listenForAnswers`). */
  answers: {
    readonly claim: ClaimSignal | null;
    takeClaim(): ClaimSignal | null;
    /** Signals that arrive while a segment runs are judged once it is back, against the holder it leaves. */
    defer(): void;
    settle(holder: Assignee | null, assignedAt: number | null): void;
  };
  /** Tells the wait effect whether the segment already marked the run waiting. */
  /** Whether the segment marked the pending wait, and when it reached it (its clock; null once performed). */
  setPremarked(marked: boolean, reachedAt?: number | null): void;
  /** Closes the run the segment ended (taking any claim no wait took); answers the final assignee. */
  close(result: Pick<RunResult, 'status' | 'outcome' | 'assignee' | 'error'>, endNode: string): Promise<Assignee | null>;
  /** Workflow time. */
  now(): number;
  /** Continue-as-new before a wait once the history has this many events. */
  continueAfterEvents: number;
}

/** The rep a claim hands the lead to. */
const claimer = (c: ClaimSignal): Assignee => ({ type: 'rep', id: c.repId, name: c.repName });

/**
 * Routes one lead segment by segment: `runSegment` runs the route to its next wait, slow external effect or
 * end; the workflow performs the wait (durable timer raced against signals) or the slow effect and hands
 * its answer to the next segment, which resumes from the checkpoint. Continue-as-new happens before a wait.
 */
export async function routeBySegments(args: RouteLeadArgs, ref: { workspaceId: string; workflowId: string }, state: RouteState, driver: SegmentDriver): Promise<RouteLeadResult> {
  const { leadId, workspaceId, versionId } = args;
  const { answers } = driver;
  const path: string[] = [];
  let from: { checkpoint: RunCheckpoint; answer?: { value: unknown } } | null = args.checkpoint ? { checkpoint: args.checkpoint } : null;
  state.status = 'running';
  for (;;) {
    const claim = answers.claim;
    answers.defer();
    const seg = await segments.runSegment({ ...ref, leadId, versionId, now: driver.now(), ...(from ?? (args.retry ? { retry: true } : {})), ...(claim ? { claim } : {}) });
    if (seg.status === 'already_ended') return { leadId, status: 'completed', outcome: 'already_ended', assignee: null, path: [] };
    path.push(...seg.path);
    // The claim the segment moved the lead on from is spent (a newer one, signalled meanwhile, is not).
    if (seg.claimUsed && answers.claim === claim) answers.takeClaim();
    answers.settle(seg.assignee, seg.assignedAt);
    state.steps = seg.seq;
    state.assignee = answers.claim ? claimer(answers.claim) : seg.assignee;

    if (seg.status === 'ended') {
      state.status = seg.result.status;
      state.assignee = seg.result.assignee;
      state.nodeId = null;
      const assignee = await driver.close(seg.result, path[path.length - 1] ?? '');
      return { leadId, status: seg.result.status, outcome: seg.result.outcome, assignee, path };
    }

    state.nodeId = seg.checkpoint.nodeId;
    if (seg.pending.op === 'wait' && workflowInfo().historyLength > driver.continueAfterEvents) {
      // The new run starts at this wait (its segment marks it again); the wait starts then, not now.
      const { at: _suspendedAt, ...checkpoint } = seg.checkpoint;
      await continueAsNew<RouteLeadWorkflow>({
        leadId,
        workspaceId,
        versionId,
        checkpoint,
        ...(args.continueAfterEvents !== undefined ? { continueAfterEvents: args.continueAfterEvents } : {}),
        ...(answers.claim ? { claim: answers.claim } : {}),
      });
    }
    driver.setPremarked(seg.marked, seg.checkpoint.at ?? null);
    const value = await performEffect(driver.effects, seg.pending);
    driver.setPremarked(false);
    from = { checkpoint: seg.checkpoint, answer: { value } };
  }
}
