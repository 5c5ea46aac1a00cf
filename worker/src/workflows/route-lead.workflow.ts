import {
  ActivityFailure,
  ApplicationFailure,
  condition,
  continueAsNew,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import {
  claimExplanation,
  claimedSignal,
  claimTraceStep,
  interpret,
  isPaused,
  repSignals,
  stateQuery,
  type Assignee,
  type ClaimSignal,
  type Effects,
  type Lead,
  type Plan,
  type RepAnswer,
  type RepSignal,
  type RouteLeadArgs,
  type RouteLeadResult,
  type RouteLeadWorkflow,
  type RouteState,
  type RunCheckpoint,
  type RunResult,
  type TraceStep,
} from '@lead-router/shared/workflow';
import { BUSINESS_FAILURE, type RoutingActivities } from '../activities/types';
import { routeBySegments, SEGMENT_ACTIVATION } from './route-segments';
import { raceSla, slaOf, type SlaIo } from './sla-wait';

// Determinism boundary: this file runs in Temporal's workflow sandbox and is replayed from history.
// No I/O, no Node APIs, no wall clock but workflow time (Date.now() here is workflow time), no randomness.
// Everything that touches the world is an activity; the routing decisions are the shared interpreter's.

// Short database steps run as local activities: in this worker, beside the workflow, recorded in its
// history as markers, without a round trip through the Temporal server per step. That is what keeps a lead's
// route (a dozen steps) within milliseconds of its 202. They are still retried with backoff while the
// database is briefly down, and idempotent like any activity; past `localRetryThreshold` a retry waits on a
// durable timer instead of in memory.
const acts = proxyLocalActivities<Omit<RoutingActivities, 'enrich'>>({
  startToCloseTimeout: '15 seconds',
  localRetryThreshold: '10 seconds',
  retry: { initialInterval: '200 milliseconds', backoffCoefficient: 2, maximumInterval: '10 seconds', maximumAttempts: 20 },
});
// Enrichment may call an HTTP provider whose own timeout goes up to 30 s (enrich node config).
const enrichActs = proxyLocalActivities<Pick<RoutingActivities, 'enrich'>>({
  startToCloseTimeout: '40 seconds',
  localRetryThreshold: '10 seconds',
  retry: { initialInterval: '500 milliseconds', backoffCoefficient: 2, maximumInterval: '10 seconds', maximumAttempts: 10 },
});
// Notifications that leave the building may be slow (SMTP, Slack, webhooks): a regular activity with a
// longer timeout and fewer attempts, so any worker can take it and a slow provider never holds up the
// workflow task; a notification that still fails is recorded as not delivered and the lead moves on.
// In-app notifications are a row in our own database, a short step like the others: a local activity.
const notifyActs = proxyActivities<Pick<RoutingActivities, 'notify'>>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 5 },
});

// A CRM write-back waits for the server's CRM writer, which batches writes per connection and retries a CRM
// that is down for as long as it is down: a regular activity (not local: it may wait minutes, heartbeating,
// and any worker may pick it up), each attempt waiting up to a minute, retried without limit. Idempotent:
// keyed by the step, a retry waits on the write the first attempt queued.
const crmActs = proxyActivities<Pick<RoutingActivities, 'crmUpdate'>>({
  startToCloseTimeout: '90 seconds',
  heartbeatTimeout: '20 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/** Continue-as-new before a wait once the history is this long, so escalation ladders never grow it without bound. */
const HISTORY_EVENTS_BEFORE_CONTINUE = 2_000;

/**
 * Patch id: in-app notifications run as local activities. Runs started before this change scheduled them as
 * regular activities, and replay them that way (their recorded histories are kept in histories/ for the
 * replay test). Remove with deprecatePatch once no run of the old code can still be open.
 */
const IN_APP_NOTIFY_LOCAL = 'in-app-notify-local';

/**
 * Patch id: an activity that fails for good (a non-retryable failure, or out of attempts) ends the run as
 * failed with the reason recorded (`failRun`), where an operator sees it and can retry it. Runs started
 * before this change failed the workflow instead, leaving the run row as it was; their histories replay
 * that way (`patched` is asked only once such a failure has happened, where the decision is made).
 */
const RECORD_RUN_FAILURE = 'record-run-failure';

/**
 * Workflow time. Temporal's sandbox replaces Date with a clock that replays identically from history, so
 * this is the one sanctioned read of it; everything else asks this function (or Effects.now).
 */
function workflowNow(): number {
  // eslint-disable-next-line no-restricted-properties -- deterministic in the workflow sandbox (see above)
  return Date.now();
}

/**
 * The business result an activity reported as a non-retryable failure, or the error itself. A regular
 * activity's failure arrives wrapped in an ActivityFailure; a local activity's may arrive as the
 * ApplicationFailure itself.
 */
function businessResult<T>(e: unknown): T {
  const failure = e instanceof ActivityFailure ? e.cause : e;
  if (failure instanceof ApplicationFailure && failure.type === BUSINESS_FAILURE) {
    const details = failure.details;
    if (Array.isArray(details) && details.length > 0) return details[0] as T;
  }
  throw e;
}

/** The rep's answers as they arrive: kept until a wait consumes them, dropped when the lead changes hands. */
interface Answers {
  /** The answer waiting to be consumed, if any. */
  readonly current: { kind: RepSignal; a: RepAnswer } | null;
  /** Forgets the answer (a wait consumed it, or a new assignment made it moot). */
  clear(): void;
  /**
   * A move out of the queue (`claimed` signal) not yet taken by a wait or the route's end. The server has
   * already made the rep the lead's holder in PostgreSQL; the workflow only catches up with it.
   */
  readonly claim: ClaimSignal | null;
  /** Takes the pending claim (a wait resolved with it, an assignment moved the lead on, or the route ended). */
  takeClaim(): ClaimSignal | null;
  /**
   * A segment is running (route-segments.ts): the holder may change inside it, so answers that arrive are
   * kept as they come and judged by `settle` once it is back.
   */
  defer(): void;
  /**
   * The segment is back with the lead held by `holder`, reassigned at `assignedAt` (epoch ms) if it was: a rep's
   * answer counts only if the rep holds the lead, an answer on their behalf only if given after the reassignment.
   */
  settle(holder: Assignee | null, assignedAt: number | null): void;
}

/** The rep a claim hands the lead to. */
const claimer = (c: ClaimSignal): Assignee => ({ type: 'rep', id: c.repId, name: c.repName });

/**
 * Registers the signal and query handlers. Answers are kept until a wait consumes them, so an accept that
 * arrives between the assignment and the wait still counts. A rep's answer counts only while that rep holds
 * the lead: an accept that arrives after the SLA moved the lead on (the old rep's late click) must not end
 * the new assignee's wait. Answers given on a rep's behalf (`user:` / `key:`) are about whoever holds it.
 */
function listenForAnswers(state: RouteState, carried: ClaimSignal | undefined): Answers {
  let answer: { kind: RepSignal; a: RepAnswer } | null = null;
  let claim: ClaimSignal | null = carried ?? null;
  let deferred = false;
  const staleFor = (holder: Assignee | null, a: RepAnswer) => !a.by.includes(':') && holder?.type === 'rep' && a.by !== holder.id;
  for (const kind of ['accepted', 'rejected', 'contacted'] as const) {
    setHandler(repSignals[kind], (a: RepAnswer) => {
      if (deferred || !staleFor(state.assignee, a)) answer = { kind, a };
    });
  }
  // Registering a handler adds nothing to the history: runs that never get a claim replay as before.
  setHandler(claimedSignal, (c: ClaimSignal) => {
    claim = c;
    // The lead has a new holder: an answer given to the queue's wait is moot.
    answer = null;
    state.assignee = claimer(c);
  });
  setHandler(stateQuery, () => state);
  return {
    get current() {
      return answer;
    },
    clear() {
      answer = null;
    },
    get claim() {
      return claim;
    },
    takeClaim() {
      const c = claim;
      claim = null;
      return c;
    },
    defer() {
      deferred = true;
    },
    settle(holder, assignedAt) {
      deferred = false;
      const a = answer?.a;
      if (!a) return;
      const before = a.by.includes(':') && assignedAt !== null && Date.parse(a.at) < assignedAt;
      if (staleFor(holder, a) || before) answer = null;
    },
  };
}

/**
 * Who answered, by name for the trace: the rep holding the lead by their directory name, anyone else (a user
 * or an API key answering on the rep's behalf) by the name the server sent, and only an answer signalled
 * without one (before names were sent) by its id. Text only: it changes no decision, so replay is unaffected.
 */
function answerer(a: RepAnswer, holder: Assignee | null): string {
  if (holder?.type === 'rep' && a.by === holder.id) return holder.name;
  return a.name?.trim() || a.by;
}

/**
 * The `wait` effect: marks the run waiting, then races the SLA's durable timer against the rep's answer.
 * `until: contacted` waits end on contact only; `until: accepted` waits end on accept or contact.
 */
function waitForAnswer(state: RouteState, answers: Answers, mark: (req: { nodeId: string; deadline: number; assignee: Assignee | null }, business: boolean) => Promise<void>, io: SlaIo): Effects['wait'] {
  return async (req) => {
    const started = workflowNow();
    // A business clock or reminders (issue #16, sla-wait.ts): the deadline counted in working time, from when
    // the lead reached the wait.
    const sla = await slaOf(req, io.reachedAt?.() ?? started, io);
    const deadline = sla ? sla.deadline : started + req.timeoutMs;
    state.status = 'waiting';
    state.deadline = deadline;
    state.nodeId = req.nodeId;
    // A claim that came before the wait made the rep the holder in the database: the mark must not undo it.
    const pending = answers.claim;
    const holder = pending ? claimer(pending) : req.assignee;
    await mark({ nodeId: req.nodeId, deadline, assignee: holder }, sla !== null && deadline !== started + req.timeoutMs);
    const ends = (k: RepSignal) => k === 'rejected' || k === 'contacted' || req.config.until === 'accepted';
    const answered = () => answers.claim !== null || (answers.current !== null && ends(answers.current.kind));
    const raced = sla ? await raceSla(req, sla, answered, io, holder) : { got: await condition(answered, req.timeoutMs), reminders: [] };
    const got = raced.got;
    const slaPart = sla ? { sla: { clock: sla.clock, deadline: sla.deadline, line: sla.line }, ...(raced.reminders.length > 0 ? { reminders: raced.reminders } : {}) } : {};
    state.status = 'running';
    state.deadline = null;
    // A claim resolves the wait as accepted by the rep who took the lead from the queue.
    const claim = got ? answers.takeClaim() : null;
    if (claim) {
      answers.clear();
      const lines = claimExplanation(claim);
      return { outcome: 'accepted', elapsedMs: workflowNow() - started, detail: lines[0] ?? '', claimedBy: claimer(claim), claimLines: lines, ...slaPart };
    }
    const answer = answers.current;
    if (got && answer !== null) {
      const { kind, a } = answer;
      answers.clear();
      const elapsedMs = workflowNow() - started;
      return {
        outcome: kind === 'rejected' ? 'rejected' : 'accepted',
        elapsedMs,
        detail: `${kind === 'rejected' ? 'Rejected' : kind === 'contacted' ? 'Contacted' : 'Accepted'} by ${answerer(a, state.assignee)}${a.reason ? `: ${a.reason}` : ''}`,
        ...slaPart,
      };
    }
    return { outcome: 'timed_out', elapsedMs: sla ? sla.timeoutMs : req.timeoutMs, detail: `Nobody answered within the SLA`, ...slaPart };
  };
}

/**
 * Trace steps are written in batches: the steps computed between two effects (branches, scores, splits
 * take microseconds) travel with the next effect's request, which records them before it acts (in order,
 * idempotently). Nothing waits long: the SSE stream still shows each step as the lead reaches it, and a
 * lead's route costs a workflow activation per effect, not per step.
 */
function stepBatch() {
  let pending: TraceStep[] = [];
  return {
    push(step: TraceStep) {
      pending.push(step);
    },
    /** The steps not yet written, to travel with the next request (and no longer pending). */
    carry(): { steps?: TraceStep[] } {
      if (pending.length === 0) return {};
      const steps = pending;
      pending = [];
      return { steps };
    },
  };
}

/** The interpreter's effects as activities, timers and signals. */
function routingEffects(
  run: { leadId: string; ref: { workspaceId: string; workflowId: string } },
  state: RouteState,
  answers: Answers,
  batch: ReturnType<typeof stepBatch>,
  premarked: () => boolean = () => false,
  reachedAt: () => number | null = () => null,
): Effects {
  const { leadId, ref } = run;
  const carry = () => batch.carry();
  const assigned = <T extends { assignee: Assignee | null }>(r: T): T => {
    if (r.assignee) {
      state.assignee = r.assignee;
      answers.clear();
    }
    return r;
  };
  // A claim no wait took yet: the rep holds the lead, so an assignment or escalation moves it on from them
  // (releasing their load), and the claim is spent.
  const fromHolder = <R extends { currentAssignee: Assignee | null }>(req: R): R => {
    const c = answers.takeClaim();
    return c ? { ...req, currentAssignee: claimer(c) } : req;
  };
  const effects: Effects = {
    now: workflowNow,
    enrich: (req) => enrichActs.enrich({ ...req, ...ref, ...carry() }).catch(businessResult<Awaited<ReturnType<RoutingActivities['enrich']>>>),
    matchAccount: (req) => acts.matchAccount({ ...req, ...ref, ...carry() }).catch(businessResult<Awaited<ReturnType<RoutingActivities['matchAccount']>>>),
    assign: async (req) => assigned(await acts.assign({ ...fromHolder(req), ...ref, ...carry() }).catch(businessResult<Awaited<ReturnType<RoutingActivities['assign']>>>)),
    escalate: async (req) => assigned(await acts.escalate({ ...fromHolder(req), ...ref, ...carry() }).catch(businessResult<Awaited<ReturnType<RoutingActivities['escalate']>>>)),
    update: (req) => acts.update({ ...req, ...ref, ...carry() }),
    crmUpdate: (req) => crmActs.crmUpdate({ ...req, ...ref, ...carry() }),
    notify: async (req) => {
      // The steps are written before the notification is attempted; if it never gets through, they are
      // written here, since the lead moves on regardless.
      const carried = carry();
      try {
        // patched() is asked only for in-app notifications, so the marker lands where the decision is made.
        if (req.config.channel === 'in_app' && patched(IN_APP_NOTIFY_LOCAL)) return await acts.notify({ ...req, ...ref, ...carried });
        return await notifyActs.notify({ ...req, ...ref, ...carried });
      } catch (e) {
        // A notification that cannot be delivered never blocks the lead.
        const cause = e instanceof ActivityFailure && e.cause ? e.cause.message : e instanceof Error ? e.message : String(e);
        if (carried.steps) await acts.recordSteps({ ...ref, leadId, steps: carried.steps });
        return { delivered: false, detail: `Not delivered after retries: ${cause}` };
      }
    },
    // A segment marks the run waiting before it hands the wait over; a claim since then, or a deadline counted
    // in working time (the segment marked the calendar one), must be marked again. A wait's reminders go out
    // as notify effects (issue #16); its calendar comes from an activity.
    wait: waitForAnswer(
      state,
      answers,
      async (w, business) => {
        if (!premarked() || answers.claim || business) await acts.markWaiting({ ...ref, ...carry(), leadId, ...w });
      },
      {
        now: workflowNow,
        calendar: (assignee) => acts.workCalendar({ ...ref, assignee }),
        notify: async (r) => effects.notify(r),
        reachedAt,
        // A claim that came while the reminder went out made the rep the holder in the database: kept.
        recordReminder: async (step, w) => void (await acts.markWaiting({ ...ref, leadId, steps: [step], ...w, ...(answers.claim ? { assignee: claimer(answers.claim) } : {}) })),
      },
    ),
  };
  return effects;
}

/** An activity's failure that reached the workflow: the run cannot go on. */
function isActivityFailure(e: unknown): e is ActivityFailure | ApplicationFailure {
  return e instanceof ActivityFailure || e instanceof ApplicationFailure;
}

/** What an operator reads on the failed lead: the activity's own (scrubbed) message. */
function failureReason(e: ActivityFailure | ApplicationFailure): string {
  const cause = e instanceof ActivityFailure && e.cause ? e.cause : e;
  const what = e instanceof ActivityFailure && e.activityType ? `${e.activityType}: ` : '';
  return cause.message && cause.message !== e.message ? `${what}${cause.message}` : e.message || `${what}an activity failed`;
}

/**
 * Where the run starts: a continue-as-new's checkpoint; an operator's retry, from the trigger, numbering
 * its steps after the earlier runs' and holding the lead as they left it; or the lead's first route.
 * Null when the retry has already ended (this is the same start again).
 */
async function startOf(args: RouteLeadArgs, ref: { workspaceId: string; workflowId: string }): Promise<{ plan: Plan; lead: Lead; resume?: RunCheckpoint } | null> {
  const { leadId, workspaceId, versionId } = args;
  if (args.checkpoint) return { plan: await acts.loadPlan({ versionId }), lead: args.checkpoint.lead, resume: args.checkpoint };
  if (!args.retry) return acts.loadRun({ leadId, workspaceId, versionId });
  const from = await acts.beginRetry({ ...ref, leadId });
  if (from === null) return null;
  const { plan, lead } = await acts.loadRun({ leadId, workspaceId, versionId });
  const resume: RunCheckpoint = { nodeId: plan.entry, lead, assignee: from.assignee, previousAssignees: [], lastAssignment: null, seq: from.seq, waits: 0, startedAt: workflowNow() };
  return { plan, lead, resume };
}

/**
 * Routes one lead through the plan of the version it started on, to the end. A thin driver of the shared
 * interpreter: branches, splits and scores are computed here; effects are activities; a `wait` is a
 * durable timer raced against the rep's `accepted` / `rejected` / `contacted` signals. Exported under the
 * contract's ROUTE_LEAD_WORKFLOW name (checked in ./index.ts).
 */
export const routeLead: RouteLeadWorkflow = async function routeLead(args: RouteLeadArgs): Promise<RouteLeadResult> {
  const { leadId, workspaceId } = args;
  const ref = { workspaceId, workflowId: workflowInfo().workflowId };
  const state: RouteState = { status: 'starting', nodeId: args.checkpoint?.nodeId ?? null, assignee: args.checkpoint?.assignee ?? null, deadline: null, steps: args.checkpoint?.seq ?? 0 };
  const answers = listenForAnswers(state, args.claim);
  try {
    return await route(args, ref, state, answers);
  } catch (e) {
    // Only an activity's failure is the run's to record; a continue-as-new or a cancellation goes on up.
    if (!isActivityFailure(e) || !patched(RECORD_RUN_FAILURE)) throw e;
    state.status = 'failed';
    state.nodeId = null;
    state.deadline = null;
    await acts.failRun({ ...ref, leadId, error: failureReason(e) });
    return { leadId, status: 'failed', outcome: 'failed', assignee: state.assignee, path: [] };
  }
};

/** The route itself (see routeLead). */
async function route(args: RouteLeadArgs, ref: { workspaceId: string; workflowId: string }, state: RouteState, answers: Answers): Promise<RouteLeadResult> {
  const { leadId, workspaceId, versionId } = args;
  if (patched(SEGMENT_ACTIVATION)) {
    let premarked = false;
    let reachedAt: number | null = null;
    return routeBySegments(args, ref, state, {
      effects: routingEffects({ leadId, ref }, state, answers, stepBatch(), () => premarked, () => reachedAt),
      answers,
      setPremarked: (m, at) => {
        premarked = m;
        reachedAt = at ?? null;
      },
      close: (result, endNode) => closeRun(ref, leadId, result, endNode, state, answers, {}, true),
      now: workflowNow,
      continueAfterEvents: args.continueAfterEvents ?? HISTORY_EVENTS_BEFORE_CONTINUE,
    });
  }
  const start = await startOf(args, ref);
  if (start === null) return { leadId, status: 'completed', outcome: 'already_ended', assignee: null, path: [] };
  const { plan, lead, resume } = start;
  if (resume) {
    state.assignee = resume.assignee;
    state.steps = resume.seq;
  }
  state.status = 'running';

  const batch = stepBatch();
  const result = await interpret(plan, lead, routingEffects({ leadId, ref }, state, answers, batch), {
    leadId,
    ...(resume ? { resume } : {}),
    onStep: (step) => {
      state.steps = step.seq;
      state.nodeId = step.next;
      batch.push(step);
    },
    pauseBeforeWait: () => workflowInfo().historyLength > (args.continueAfterEvents ?? HISTORY_EVENTS_BEFORE_CONTINUE),
  });

  if (isPaused(result)) {
    const { steps } = batch.carry();
    if (steps) await acts.recordSteps({ ...ref, leadId, steps });
    // The checkpoint carries the lead, assignee and counters; the new run starts at the wait it stopped before.
    await continueAsNew<RouteLeadWorkflow>({
      leadId,
      workspaceId,
      versionId,
      checkpoint: result.checkpoint,
      ...(args.continueAfterEvents !== undefined ? { continueAfterEvents: args.continueAfterEvents } : {}),
      // A claim not yet taken travels with the run: the wait the new run starts at takes it.
      ...(answers.claim ? { claim: answers.claim } : {}),
    });
  }
  if (isPaused(result)) throw new Error('unreachable: continueAsNew does not return');

  state.status = result.status;
  state.assignee = result.assignee;
  state.nodeId = null;
  const endNode = result.path[result.path.length - 1] ?? plan.entry;
  const assignee = await closeRun(ref, leadId, result, endNode, state, answers, batch.carry(), false);
  return { leadId, status: result.status, outcome: result.outcome, assignee, path: result.path };
}

/**
 * Closes the run (`finishRun`, unless `finished`: a segment closed it already). A claim that no wait took (the
 * route ended first, or it came while the run was being closed) ends the run with the rep: the trace gets a
 * claim step and the run keeps the rep the server made its holder. Answers who holds the lead at the end.
 */
async function closeRun(
  ref: { workspaceId: string; workflowId: string },
  leadId: string,
  result: Pick<RunResult, 'status' | 'outcome' | 'assignee' | 'error'>,
  endNode: string,
  state: RouteState,
  answers: Answers,
  carried: { steps?: TraceStep[] },
  finished: boolean,
): Promise<Assignee | null> {
  let assignee = result.assignee;
  let claim = answers.takeClaim();
  for (;;) {
    if (claim) {
      assignee = claimer(claim);
      state.assignee = assignee;
      state.steps += 1;
      carried = { steps: [...(carried.steps ?? []), claimTraceStep(claim, workflowNow(), state.steps, endNode)] };
    } else if (finished) break;
    await acts.finishRun({ ...ref, ...carried, leadId, status: result.status, outcome: result.outcome, assignee, ...(result.error ? { error: result.error } : {}) });
    claim = answers.takeClaim();
    if (!claim) break;
    carried = {};
  }
  return assignee;
}
