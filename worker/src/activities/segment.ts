import { ApplicationFailure } from '@temporalio/activity';
import { interpret, isPaused, type Assignee, type EffectCall, type Effects, type Lead, type Plan, type RunCheckpoint, type TraceStep } from '@lead-router/shared';
import type { ClaimSignal } from '@lead-router/shared/workflow-contract';
import type { ActivityContext } from './context';
import { BUSINESS_FAILURE, type RoutingActivities, type SegmentInput, type SegmentResult } from './types';

// A lead's route runs segment by segment (issue 18): one local activity runs the shared interpreter from one
// wait to the next with the real effects, called in-process, instead of one local activity (and one workflow
// activation) per effect. What must be durable stays in the workflow: the waits' timers and signals, the
// slow external calls, the version pin and continue-as-new.

/**
 * Whether the segment hands an effect to the workflow instead of performing it: a wait (a durable timer raced
 * against signals), and the effects that leave the building and may be slow (email, Slack, webhooks, HTTP
 * enrichment), which stay activities of their own with their own timeouts and retries. Everything else is a
 * short database step done here. A pure function of the request: a retried segment suspends where the first
 * attempt did.
 */
export function suspendsAt(call: EffectCall): boolean {
  switch (call.op) {
    case 'notify':
      return call.req.config.channel !== 'in_app';
    case 'enrich':
      return call.req.config.provider !== 'firmographics';
    case 'matchAccount':
    case 'assign':
    case 'escalate':
    case 'update':
      return false;
    default:
      // A wait, and any effect not listed above as a short database step (e.g. a new kind that calls a CRM):
      // the workflow performs it, through its own activity.
      return true;
  }
}

/** The business result an effect reported as a non-retryable failure (see types.ts), or the error itself. */
function businessResult<T>(e: unknown): T {
  if (e instanceof ApplicationFailure && e.type === BUSINESS_FAILURE && Array.isArray(e.details) && e.details.length > 0) return e.details[0] as T;
  throw e;
}

const claimer = (c: ClaimSignal): Assignee => ({ type: 'rep', id: c.repId, name: c.repName });

type Effectful = Omit<RoutingActivities, 'runSegment'>;

/** `runSegment` over the other activities (as createActivities wraps them: each records the steps it carries first). */
export function createRunSegment(ctx: ActivityContext, acts: Effectful): Pick<RoutingActivities, 'runSegment'> {
  /** The plan, the lead and where the run starts: a checkpoint, a retry's first step, or the trigger. Null: the retry already ended. */
  async function startOf(input: SegmentInput, now: () => number): Promise<{ plan: Plan; lead: Lead; resume?: RunCheckpoint } | null> {
    const { leadId, workspaceId, workflowId, versionId } = input;
    // A run resumed after a wait reads the directory version too: the directory may have changed meanwhile.
    if (input.checkpoint) {
      const [plan] = await Promise.all([acts.loadPlan({ versionId }), ctx.readDirectoryVersion(workspaceId)]);
      return { plan, lead: input.checkpoint.lead, resume: input.checkpoint };
    }
    if (!input.retry) return acts.loadRun({ leadId, workspaceId, versionId });
    const from = await acts.beginRetry({ workspaceId, workflowId, leadId });
    if (from === null) return null;
    const { plan, lead } = await acts.loadRun({ leadId, workspaceId, versionId });
    const resume: RunCheckpoint = { nodeId: plan.entry, lead, assignee: from.assignee, previousAssignees: [], lastAssignment: null, seq: from.seq, waits: 0, startedAt: now() };
    return { plan, lead, resume };
  }

  return {
    async runSegment(input: SegmentInput): Promise<SegmentResult> {
      const { leadId, workspaceId, workflowId } = input;
      const ref = { workspaceId, workflowId };
      // The run's clock is the workflow's: steps and deadlines read its time at the segment's start, plus the
      // time the segment has taken (as trace times were when the workflow interpreted the plan).
      const t0 = input.now;
      const p0 = performance.now();
      const now = t0 === undefined ? () => ctx.now().getTime() : () => Math.round(t0 + performance.now() - p0);
      const start = await startOf(input, now);
      if (start === null) return { status: 'already_ended' };

      // Steps computed since the last write travel with the segment's end (the wait's mark, the run's close) and,
      // when needed, with an assignment (below): a segment takes milliseconds, so the trace still shows each step
      // as the lead reaches it, in one write instead of one per effect. An effect keyed by its seq (an in-app
      // notification) needs no step written before it.
      const batch: TraceStep[] = [];
      const carry = (): { steps?: TraceStep[] } => (batch.length > 0 ? { steps: batch.splice(0) } : {});
      let claim = input.claim ?? null;
      let claimUsed = false;
      let assignedAt: number | null = null;
      // An assignment stores its decision with the run (keyed by its seq), where a retry of the segment finds
      // it; a later assignment in the same segment replaces it, so from the second on, the steps so far (the
      // first assignment's among them) travel with the assignment, which records them before it acts. The
      // first needs nothing written before it: one trace write fewer for most leads.
      const carryBeforeAssigning = (): { steps?: TraceStep[] } => (assignedAt !== null ? carry() : {});
      // A claim no wait took: the rep holds the lead, so the next assignment moves it on from them.
      const fromHolder = <R extends { currentAssignee: Assignee | null }>(req: R): R => {
        if (!claim) return req;
        const c = claim;
        claim = null;
        claimUsed = true;
        return { ...req, currentAssignee: claimer(c) };
      };
      const assigned = <T extends { assignee: Assignee | null }>(r: T): T => {
        if (r.assignee) assignedAt = now();
        return r;
      };
      const effects: Effects = {
        now,
        enrich: (req) => acts.enrich({ ...req, ...ref }).catch(businessResult<Awaited<ReturnType<Effectful['enrich']>>>),
        matchAccount: (req) => acts.matchAccount({ ...req, ...ref }).catch(businessResult<Awaited<ReturnType<Effectful['matchAccount']>>>),
        assign: async (req) => assigned(await acts.assign({ ...fromHolder(req), ...ref, ...carryBeforeAssigning() }).catch(businessResult<Awaited<ReturnType<Effectful['assign']>>>)),
        escalate: async (req) => assigned(await acts.escalate({ ...fromHolder(req), ...ref, ...carryBeforeAssigning() }).catch(businessResult<Awaited<ReturnType<Effectful['escalate']>>>)),
        update: (req) => acts.update({ ...req, ...ref }),
        notify: async (req) => {
          try {
            return await acts.notify({ ...req, ...ref });
          } catch (e) {
            // A notification never blocks the lead: one that cannot be written for good is recorded as not
            // delivered. A transient failure retries the segment.
            if (!(e instanceof ApplicationFailure) || !e.nonRetryable) throw e;
            return { delivered: false, detail: `Not delivered: ${e.message}` };
          }
        },
        wait: () => {
          throw new Error('unreachable: a segment suspends at every wait');
        },
        crmUpdate: () => {
          throw new Error('unreachable: a segment suspends at every crm_update (a regular activity of the workflow)');
        },
      };

      const { plan, lead, resume } = start;
      const r = await interpret(plan, lead, effects, {
        leadId,
        ...(resume ? { resume } : {}),
        ...(resume && input.answer ? { answer: input.answer } : {}),
        onStep: (step) => void batch.push(step),
        suspend: suspendsAt,
      });
      const common = { claimUsed, assignedAt };

      if (isPaused(r)) {
        const { checkpoint, pending } = r;
        if (!pending) throw new Error('unreachable: a segment pauses only at an effect');
        const end = { ...common, path: r.steps.map((s) => s.nodeId), seq: checkpoint.seq, assignee: checkpoint.assignee };
        if (pending.op === 'wait') {
          // Marked here, so the workflow's activation that got this answer goes straight to its timer. A claim
          // still held made the claimer the holder in the database: the mark keeps them.
          const req = pending.req;
          await acts.markWaiting({ ...ref, ...carry(), leadId, nodeId: req.nodeId, deadline: now() + req.timeoutMs, assignee: claim ? claimer(claim) : req.assignee });
          return { status: 'suspended', ...end, checkpoint, pending, marked: true };
        }
        const carried = carry();
        if (carried.steps) await acts.recordSteps({ ...ref, leadId, steps: carried.steps });
        return { status: 'suspended', ...end, checkpoint, pending, marked: false };
      }

      await acts.finishRun({ ...ref, ...carry(), leadId, status: r.status, outcome: r.outcome, assignee: r.assignee, ...(r.error ? { error: r.error } : {}) });
      const seq = r.steps.length > 0 ? (r.steps[r.steps.length - 1] as TraceStep).seq : (resume?.seq ?? 0);
      const result = { status: r.status, outcome: r.outcome, assignee: r.assignee, ...(r.error ? { error: r.error } : {}) };
      return { status: 'ended', ...common, path: r.path, seq, assignee: r.assignee, result };
    },
  };
}
