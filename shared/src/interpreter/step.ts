import type { Assignee } from '../assignment/types';
import type { ConditionContext } from '../conditions/evaluate';
import type { Lead, LeadValue } from '../fields/lead';
import type { NodeType } from '../graph/node';
import type { PlanNodeOf } from '../plan';
import type { AssignmentRef, Effects } from './effects';

// One node kind's behaviour in the interpreter: what it decides on its own, or which effect it asks for and
// how the answer completes it. Each kind has one module in steps/; steps/index.ts holds them in an exhaustive
// map, so a new node kind that lacks a step fails to compile.

/** What a node's step produced, before the interpreter adds the common trace fields (seq, node, time...). */
export interface Outcome {
  /** The outcome taken (its edge is followed), or null when the run ends here. */
  outcome: string | null;
  decision: string;
  explanation: string[];
  output: Record<string, unknown>;
  durationMs?: number;
  /** Ends the run with this outcome name (`failed` also fails it). */
  end?: string;
  /**
   * Steps that happened while this one ran (a wait's reminders): recorded after it, each with the next seq,
   * on this node, without joining the path.
   */
  during?: DuringStep[];
}

/** A step that happened inside another (see Outcome.during). */
export interface DuringStep {
  at: number;
  nodeType: NodeType;
  label: string;
  decision: string;
  explanation: string[];
  output: Record<string, unknown>;
  outcome: string;
}

/** The run as a step sees it: the lead, the assignment so far, and what it may change. */
export interface StepRun {
  /** The lead as it stands: read it here, write it through `write` (so the trace records the change). */
  readonly lead: Lead;
  /** Sets a lead field, recorded in this step's `changes`. */
  write(field: string, value: LeadValue): void;
  readonly leadId: string;
  /** This step's number in the run (1-based). */
  readonly seq: number;
  readonly conditions: ConditionContext;
  readonly assignee: Assignee | null;
  readonly previousAssignees: readonly string[];
  readonly lastAssignment: AssignmentRef | null;
  /** Waits entered so far (this one included, once `enterWait` was called). */
  readonly waits: number;
  /** Hands the lead to `a` (the lead's owner follows; a rep joins the previous assignees). */
  takeAssignee(a: Assignee): void;
  setLastAssignment(ref: AssignmentRef): void;
  /** Counts a wait entered; returns its round (1 for the first). */
  enterWait(): number;
}

/** An effect the interpreter can ask for: the name of an Effects method. */
export type EffectOp = Exclude<keyof Effects, 'now'>;
/** What that effect is asked with. */
export type EffectRequest<Op extends EffectOp> = Parameters<Effects[Op]>[0];
/** What that effect answers. */
export type EffectAnswer<Op extends EffectOp> = Awaited<ReturnType<Effects[Op]>>;

/** A step that decides on its own (trigger, branch, split, score, end). */
export interface PureStep<T extends NodeType> {
  readonly effect: null;
  run(node: PlanNodeOf<T>, run: StepRun): Outcome;
}

/**
 * A step that needs the world: `request` says what to ask (and keeps `data` for later, e.g. the rendered
 * message), `complete` applies the answer to the run and says what the step decided.
 */
export interface EffectStep<T extends NodeType, Op extends EffectOp, D = unknown> {
  readonly effect: Op;
  request(node: PlanNodeOf<T>, run: StepRun): { req: EffectRequest<Op>; data: D };
  complete(node: PlanNodeOf<T>, answer: EffectAnswer<Op>, data: D, run: StepRun): Outcome;
}

/** A node kind's step. (Each effectful step keeps data of its own type between request and answer.) */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the data type is each step's own business
export type Step<T extends NodeType> = PureStep<T> | { [Op in EffectOp]: EffectStep<T, Op, any> }[EffectOp];

/** Declares a pure step (the type parameter ties it to its node kind). */
export function pureStep<T extends NodeType>(run: PureStep<T>['run']): PureStep<T> {
  return { effect: null, run };
}

/** Declares an effectful step. */
export function effectStep<T extends NodeType, Op extends EffectOp, D = undefined>(step: EffectStep<T, Op, D>): EffectStep<T, Op, D> {
  return step;
}
