import type { Assignee } from '../assignment/types';
import { EvaluationBudgetExceeded, type ConditionContext } from '../conditions/evaluate';
import { blankLead } from '../fields/blank-lead';
import { leadField, type Lead, type LeadValue } from '../fields/lead';
import type { Plan, PlanNode } from '../plan';
import { ChangeLog } from './changes';
import type { AssignmentRef, Effects } from './effects';
import type { EffectOp, EffectRequest, Outcome, Step, StepRun } from './step';
import { STEPS } from './steps/index';
import type { RunResult, RunStatus, TraceStep } from './trace';

/** Where a run stands between steps: enough to resume it elsewhere (e.g. after a Temporal continue-as-new). */
export interface RunCheckpoint {
  /** The node to run next. */
  nodeId: string;
  lead: Lead;
  assignee: Assignee | null;
  previousAssignees: string[];
  lastAssignment: AssignmentRef | null;
  /** Steps taken so far. */
  seq: number;
  /** Waits entered so far. */
  waits: number;
  startedAt: number;
  /**
   * The instant the step at `nodeId` started, when it was begun by an earlier run that suspended at its effect
   * (`RunOptions.suspend`): the resumed step keeps it, so a wait's step starts when the wait began.
   */
  at?: number;
}

/** Options of one run. */
export interface RunOptions {
  /** The lead's id: splits hash it, effects key idempotency on it. */
  leadId: string;
  /** A run that takes more steps ends with status `step_limit` (default 1,000). */
  maxSteps?: number;
  /** A run that enters more waits ends with status `step_limit` (default 50): bounds escalation ladders. */
  maxWaits?: number;
  /** Called with each step as soon as it is complete (the workflow writes it to the trace table). */
  onStep?: (step: TraceStep) => void | Promise<void>;
  /** Resume a run from a checkpoint instead of starting at the trigger. */
  resume?: RunCheckpoint;
  /** Asked before each wait; returning true ends the run with status `paused` and a checkpoint at that wait. */
  pauseBeforeWait?: (checkpoint: RunCheckpoint) => boolean;
  /**
   * Asked for each effect the run needs; returning true ends the run with status `paused`, a checkpoint
   * before that step and the effect as `pending`: the caller performs it elsewhere (a durable timer, a slow
   * activity) and resumes from the checkpoint with its answer in `answer`.
   */
  suspend?: (call: EffectCall) => boolean;
  /**
   * The answer to the effect the resumed step (`resume.nodeId`) asks for, performed elsewhere after a
   * suspension: the step completes with it instead of asking again. Only with `resume`.
   */
  answer?: { value: unknown };
}

/** A run that stopped on request before a wait (or at an effect, `suspend`), with where to resume. */
export interface PausedRun {
  status: 'paused';
  checkpoint: RunCheckpoint;
  steps: TraceStep[];
  /** The effect the step at the checkpoint asks for, when the run was suspended there (`RunOptions.suspend`). */
  pending?: EffectCall;
}

const DEFAULT_MAX_STEPS = 1000;
const DEFAULT_MAX_WAITS = 50;

/**
 * What one run may spend on `matches` patterns, in work units (automaton size x characters read): about
 * half a second of matching on a 2-core machine, thousands of times what a real routing graph spends.
 * A lead whose conditions would spend more fails at that step, with the reason in its trace, instead of
 * holding a worker or a test run.
 */
export const LEAD_PATTERN_BUDGET = 3_000_000;

/** An effect a step asks for: the Effects method and its request. */
export type EffectCall = { [Op in EffectOp]: { op: Op; req: EffectRequest<Op> } }[EffectOp];
/** One request the interpreter makes of the outside world: an effect, or a finished step to report. */
type Call = EffectCall | { op: 'step'; step: TraceStep };

// Effects answer with a value or a native Promise (MaybePromise); `instanceof` avoids a megamorphic `.then`
// lookup on every answer in the synchronous hot path.
function isPromise(v: unknown): v is Promise<unknown> {
  return v instanceof Promise;
}

function dispatch(effects: Effects, call: Call, options: RunOptions): unknown {
  switch (call.op) {
    case 'enrich':
      return effects.enrich(call.req);
    case 'matchAccount':
      return effects.matchAccount(call.req);
    case 'assign':
      return effects.assign(call.req);
    case 'notify':
      return effects.notify(call.req);
    case 'update':
      return effects.update(call.req);
    case 'crmUpdate':
      return effects.crmUpdate(call.req);
    case 'wait':
      return effects.wait(call.req);
    case 'escalate':
      return effects.escalate(call.req);
    case 'step':
      return options.onStep ? options.onStep(call.step) : undefined;
  }
}

/**
 * Runs one lead through a plan with effects that answer synchronously (simulation, tests, benchmarks).
 * Throws if an effect returns a promise: use `interpret` for those.
 */
export function interpretSync(plan: Plan, lead: Lead, effects: Effects, options: RunOptions): RunResult | PausedRun {
  const m = new RunMachine(plan, lead, effects, options);
  for (let call = m.next(); call !== null; call = m.next()) {
    const res = dispatch(effects, call, options);
    if (isPromise(res)) throw new Error(`interpretSync: effect ${call.op} returned a promise; use interpret()`);
    m.provide(res);
  }
  return m.result();
}

/** Runs one lead through a plan, awaiting effects (the Temporal workflow's activities, timers and signals). */
export async function interpret(plan: Plan, lead: Lead, effects: Effects, options: RunOptions): Promise<RunResult | PausedRun> {
  const m = new RunMachine(plan, lead, effects, options);
  for (let call = m.next(); call !== null; call = m.next()) {
    // Only real effects are awaited: in the workflow sandbox every promise is tracked (with a stack trace),
    // so a synchronous answer (a step report, a score) goes straight on.
    const res = dispatch(effects, call, options);
    m.provide(isPromise(res) ? await res : res);
  }
  return m.result();
}

/** Performs one effect on `effects`: a suspended run's `pending` effect, performed by its caller. */
export function performEffect(effects: Effects, call: EffectCall): unknown {
  return dispatch(effects, call, NO_OPTIONS);
}
const NO_OPTIONS: RunOptions = { leadId: '' };

/** Narrows an interpreter result to a paused run. */
export function isPaused(r: RunResult | PausedRun): r is PausedRun {
  return r.status === 'paused';
}

function pick(lead: Lead, keys: readonly string[]): Record<string, LeadValue> {
  const out: Record<string, LeadValue> = {};
  for (const k of keys) {
    const v = leadField(lead, k);
    out[k] = v === undefined ? null : v;
  }
  return out;
}

// Leads arrive with every mix of fields, so copied as they are each would get a hidden class of its own,
// and every field read or write in the hot path would go megamorphic. Copying onto `blankLead()` (every
// standard field present, absent ones undefined, which JSON and traces omit) gives all leads one shape;
// custom fields are appended after.
function shapedCopy(input: Lead): Lead {
  const lead = blankLead();
  const keys = Object.keys(input);
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i] as string;
    // `__proto__` would set the prototype rather than a field; normalised leads never carry it anyway.
    if (k !== '__proto__') lead[k] = input[k] as LeadValue;
  }
  return lead;
}

/**
 * The one interpreter, as an explicit state machine: `next()` runs pure steps (trigger, branch, split, score,
 * end) until one needs an effect or the run ends, and returns that request; `provide()` hands back the
 * answer. Two small drivers run it, synchronously (simulation) and asynchronously (the Temporal workflow),
 * so both execute the very same decisions. (A generator would read more naturally, but suspending one
 * copies its whole frame at every step: several times slower on the simulation hot path.)
 * Deterministic: no clock but `effects.now()`, no randomness, no I/O of its own.
 */
class RunMachine implements StepRun {
  private readonly plan: Plan;
  private readonly effects: Effects;
  private readonly options: RunOptions;
  readonly conditions: ConditionContext;
  private readonly maxSteps: number;
  private readonly maxWaits: number;
  readonly leadId: string;
  readonly lead: Lead;
  /** What the step under way changed on the lead (steps write through `write`). */
  private readonly log = new ChangeLog();
  assignee: Assignee | null;
  readonly previousAssignees: string[];
  lastAssignment: AssignmentRef | null;
  seq: number;
  waits: number;
  private readonly startedAt: number;
  private readonly steps: TraceStep[] = [];
  private readonly path: string[] = [];
  private nodeId: string | null;
  private status: RunStatus = 'completed';
  private outcomeName = 'completed';
  private error: string | undefined;
  // The step waiting for an effect's answer (kept in fields, not an object: this is the hot path).
  private pendingNode: PlanNode | null = null;
  private pendingStep: Step<PlanNode['type']> | null = null;
  private pendingAt = 0;
  private pendingInput: Record<string, LeadValue> = {};
  /** Extra data the completion needs (e.g. the rendered message). */
  private pendingData: unknown = null;
  /** A finished step waiting to be reported through onStep before the run goes on. */
  private report: TraceStep | null = null;
  /** Steps recorded inside the last one (a wait's reminders), reported after it. */
  private readonly reports: TraceStep[] = [];
  private paused: PausedRun | null = null;
  /** The answer of the resumed step's effect, given by the caller (RunOptions.answer), until it is used. */
  private given: { value: unknown } | null;
  /** The resumed step's start instant (RunCheckpoint.at), until it is used. */
  private resumedAt: number | undefined;

  constructor(plan: Plan, input: Lead, effects: Effects, options: RunOptions) {
    this.plan = plan;
    this.effects = effects;
    this.options = options;
    this.conditions = { fieldTypes: plan.fieldTypes, territories: plan.territories, budget: { remaining: LEAD_PATTERN_BUDGET } };
    this.maxSteps = options.maxSteps ?? DEFAULT_MAX_STEPS;
    this.maxWaits = options.maxWaits ?? DEFAULT_MAX_WAITS;
    this.leadId = options.leadId;
    const resume = options.resume;
    this.lead = shapedCopy(resume ? resume.lead : input);
    this.assignee = resume ? resume.assignee : null;
    this.previousAssignees = resume ? [...resume.previousAssignees] : [];
    this.lastAssignment = resume ? resume.lastAssignment : null;
    this.seq = resume ? resume.seq : 0;
    this.waits = resume ? resume.waits : 0;
    this.startedAt = resume ? resume.startedAt : effects.now();
    this.nodeId = resume ? resume.nodeId : plan.entry;
    this.given = resume && options.answer ? options.answer : null;
    this.resumedAt = resume?.at;
  }

  /** Runs until an effect is needed (returned) or the run is over (null). */
  next(): Call | null {
    if (this.report !== null) {
      const step = this.report;
      this.report = this.reports.length > 0 ? (this.reports.shift() as TraceStep) : null;
      if (this.options.onStep) return { op: 'step', step };
    }
    while (this.nodeId !== null && this.paused === null) {
      const node = this.plan.nodes[this.nodeId];
      if (!node) {
        this.stop('failed', `The plan has no node "${this.nodeId}"`);
        break;
      }
      if (this.seq >= this.maxSteps) {
        this.stop('step_limit', `Stopped after ${this.maxSteps} steps`);
        break;
      }
      if (node.type === 'wait') {
        if (this.waits >= this.maxWaits) {
          this.stop('step_limit', `Stopped after ${this.maxWaits} waits`);
          break;
        }
        if (this.options.pauseBeforeWait) {
          const checkpoint = this.checkpointAt(node.id);
          if (this.options.pauseBeforeWait(checkpoint)) {
            this.paused = { status: 'paused', checkpoint, steps: this.steps };
            break;
          }
        }
      }
      // Where the run stands before this step: what a suspension at its effect resumes from.
      const before = this.options.suspend ? { seq: this.seq, waits: this.waits, assignee: this.assignee, lastAssignment: this.lastAssignment, previous: this.previousAssignees.length } : null;
      this.seq++;
      const at = this.resumedAt ?? this.effects.now();
      this.resumedAt = undefined;
      const input = pick(this.lead, node.reads);
      const given = this.given;
      this.given = null;
      const call = this.request(node, at, input);
      if (given !== null) {
        // The resumed step's effect was performed elsewhere: it completes with that answer.
        if (call === null || call.op === 'step') throw new Error(`An answer was given for ${node.id}, which asks for no effect`);
        this.provide(given.value);
      } else if (call !== null) {
        if (before !== null && call.op !== 'step' && this.options.suspend?.(call)) {
          // Requests only read the run (steps write the lead when they complete), so `before` still holds.
          if (!this.log.isEmpty()) throw new Error(`${node.id} wrote the lead before its effect: it cannot be suspended`);
          const { previous, ...kept } = before;
          const checkpoint: RunCheckpoint = { ...this.checkpointAt(node.id), ...kept, previousAssignees: this.previousAssignees.slice(0, previous), at };
          this.paused = { status: 'paused', checkpoint, steps: this.steps, pending: call };
          this.pendingNode = null;
          this.pendingStep = null;
          return null;
        }
        return call;
      }
      if (this.report !== null && this.options.onStep) return this.next();
    }
    return null;
  }

  /** Where the run stands now, to resume at `nodeId`. */
  private checkpointAt(nodeId: string): RunCheckpoint {
    return {
      nodeId,
      lead: { ...this.lead },
      assignee: this.assignee,
      previousAssignees: [...this.previousAssignees],
      lastAssignment: this.lastAssignment,
      seq: this.seq,
      waits: this.waits,
      startedAt: this.startedAt,
    };
  }

  /** Hands the answer of the last requested effect back to the run. */
  provide(answer: unknown): void {
    const node = this.pendingNode;
    const step = this.pendingStep;
    if (node === null || step === null || step.effect === null) return; // the answer to an onStep report: nothing to do
    this.pendingNode = null;
    this.pendingStep = null;
    this.finish(node, this.pendingAt, this.pendingInput, step.complete(node, answer as never, this.pendingData, this));
  }

  takeAssignee(a: Assignee): void {
    this.assignee = a;
    this.write('owner', a.id);
    if (a.type === 'rep' && !this.previousAssignees.includes(a.id)) this.previousAssignees.push(a.id);
  }

  write(field: string, value: LeadValue): void {
    const before = leadField(this.lead, field);
    this.lead[field] = value;
    this.log.record(field, before, value);
  }

  setLastAssignment(ref: AssignmentRef): void {
    this.lastAssignment = ref;
  }

  enterWait(): number {
    return ++this.waits;
  }

  /** The run's result once `next()` has returned null. */
  result(): RunResult | PausedRun {
    if (this.paused !== null) return this.paused;
    const result: RunResult = {
      leadId: this.leadId,
      status: this.status,
      outcome: this.outcomeName,
      assignee: this.assignee,
      path: this.path,
      steps: this.steps,
      lead: this.lead,
      startedAt: this.startedAt,
      endedAt: this.effects.now(),
    };
    if (this.error !== undefined) result.error = this.error;
    return result;
  }

  private stop(status: RunStatus, error: string): void {
    this.status = status;
    this.outcomeName = status;
    this.error = error;
    this.nodeId = null;
  }

  /** Runs a pure step to its end, or returns the effect an effectful step needs (the step stays pending until `provide`). */
  private request(node: PlanNode, at: number, input: Record<string, LeadValue>): Call | null {
    // One step module per node kind (steps/); the map is exhaustive, the lookup total for hand-made plans.
    const step = STEPS[node.type] as Step<PlanNode['type']> | undefined;
    if (step === undefined) {
      this.stop('failed', `Unknown node type ${node.type}`);
      return null;
    }
    if (step.effect === null) {
      this.finish(node, at, input, this.runPure(step, node));
      return null;
    }
    const { req, data } = step.request(node, this);
    this.pendingNode = node;
    this.pendingStep = step;
    this.pendingAt = at;
    this.pendingInput = input;
    this.pendingData = data;
    return { op: step.effect, req } as Call;
  }

  /** Runs a pure step; one whose conditions exhaust the pattern budget fails the run at that step, explained. */
  private runPure(step: Extract<Step<PlanNode['type']>, { effect: null }>, node: PlanNode): Outcome {
    try {
      return step.run(node, this);
    } catch (e) {
      if (!(e instanceof EvaluationBudgetExceeded)) throw e;
      this.error = e.message;
      return {
        outcome: null,
        decision: 'Stopped: the conditions are too costly for one lead',
        explanation: [`${e.message}. Each lead may spend ${LEAD_PATTERN_BUDGET / 1_000_000} million pattern work units (pattern size x characters read); simplify the patterns or use fewer.`],
        output: { field: e.field },
        end: 'failed',
      };
    }
  }

  /** Records the steps that happened inside the one just finished, each with the next seq, on the same node. */
  private recordDuring(node: PlanNode, during: NonNullable<Outcome['during']>): void {
    for (const d of during) {
      this.seq++;
      const step: TraceStep = { seq: this.seq, nodeId: node.id, nodeType: d.nodeType, label: d.label, at: d.at, durationMs: 0, input: {}, decision: d.decision, explanation: d.explanation, output: d.output, outcome: d.outcome, next: node.id, changes: undefined };
      this.steps.push(step);
      if (this.options.onStep) this.reports.push(step);
    }
  }

  /** Records the step and moves to the next node. */
  private finish(node: PlanNode, at: number, input: Record<string, LeadValue>, o: Outcome): void {
    const next: string | null = o.outcome === null ? null : (node.next[o.outcome] ?? null);
    const step: TraceStep = {
      seq: this.seq,
      nodeId: node.id,
      nodeType: node.type,
      label: node.label,
      at,
      durationMs: o.durationMs ?? 0,
      input,
      decision: o.decision,
      explanation: o.explanation,
      output: o.output,
      outcome: o.outcome,
      next,
      // Always present (undefined when nothing changed), so every step has one shape; JSON omits it then.
      changes: this.log.take(),
    };
    this.steps.push(step);
    this.path.push(node.id);
    this.report = step;
    if (o.during !== undefined) this.recordDuring(node, o.during);
    if (o.end !== undefined) {
      this.outcomeName = o.end;
      if (o.end === 'failed') this.status = 'failed';
      this.nodeId = null;
    } else if (next === null) {
      // A compiled plan connects every outcome; this only happens with a hand-made or corrupted plan.
      this.stop('failed', `Outcome "${o.outcome}" of ${node.label} leads nowhere`);
    } else {
      this.nodeId = next;
    }
  }
}
