import type { Assignee } from '../assignment/types';
import { evaluateCondition, evaluateConditionInto, type ConditionContext } from '../conditions/evaluate';
import { blankLead } from '../fields/blank-lead';
import { isMissing, type Lead, type LeadValue } from '../fields/lead';
import { durationToMs } from '../graph/nodes/kind';
import type { Plan, PlanNode, PlanNodeOf } from '../plan';
import { formatMs, formatValue } from '../util/format';
import { splitBucket } from '../util/hash';
import { renderTemplate } from '../util/template';
import type {
  AssignmentRef,
  AssignRequest,
  AssignResult,
  Effects,
  EnrichRequest,
  EnrichResult,
  EscalateRequest,
  EscalateResult,
  MatchAccountRequest,
  MatchAccountResult,
  NotifyRequest,
  NotifyResult,
  UpdateRequest,
  UpdateResult,
  WaitRequest,
  WaitResult,
} from './effects';
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
}

/** A run that stopped on request before a wait, with where to resume. */
export interface PausedRun {
  status: 'paused';
  checkpoint: RunCheckpoint;
  steps: TraceStep[];
}

const DEFAULT_MAX_STEPS = 1000;
const DEFAULT_MAX_WAITS = 50;

/** One request the interpreter makes of the outside world. */
type Call =
  | { op: 'enrich'; req: EnrichRequest }
  | { op: 'matchAccount'; req: MatchAccountRequest }
  | { op: 'assign'; req: AssignRequest }
  | { op: 'notify'; req: NotifyRequest }
  | { op: 'update'; req: UpdateRequest }
  | { op: 'wait'; req: WaitRequest }
  | { op: 'escalate'; req: EscalateRequest }
  | { op: 'step'; step: TraceStep };

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

/** Narrows an interpreter result to a paused run. */
export function isPaused(r: RunResult | PausedRun): r is PausedRun {
  return r.status === 'paused';
}

function pick(lead: Lead, keys: readonly string[]): Record<string, LeadValue> {
  const out: Record<string, LeadValue> = {};
  for (const k of keys) {
    const v = lead[k];
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

/** What a node's step produced, before the common trace fields are added. */
interface Outcome {
  outcome: string | null;
  decision: string;
  explanation: string[];
  output: Record<string, unknown>;
  durationMs?: number;
  end?: string;
}

/**
 * The one interpreter, as an explicit state machine: `next()` runs pure steps (trigger, branch, split, score,
 * end) until one needs an effect or the run ends, and returns that request; `provide()` hands back the
 * answer. Two small drivers run it, synchronously (simulation) and asynchronously (the Temporal workflow),
 * so both execute the very same decisions. (A generator would read more naturally, but suspending one
 * copies its whole frame at every step: several times slower on the simulation hot path.)
 * Deterministic: no clock but `effects.now()`, no randomness, no I/O of its own.
 */
class RunMachine {
  private readonly plan: Plan;
  private readonly effects: Effects;
  private readonly options: RunOptions;
  private readonly ctx: ConditionContext;
  private readonly maxSteps: number;
  private readonly maxWaits: number;
  private readonly leadId: string;
  private readonly lead: Lead;
  private assignee: Assignee | null;
  private readonly previousAssignees: string[];
  private lastAssignment: AssignmentRef | null;
  private seq: number;
  private waits: number;
  private readonly startedAt: number;
  private readonly steps: TraceStep[] = [];
  private readonly path: string[] = [];
  private nodeId: string | null;
  private status: RunStatus = 'completed';
  private outcomeName = 'completed';
  private error: string | undefined;
  // The step waiting for an effect's answer (kept in fields, not an object: this is the hot path).
  private pendingNode: PlanNode | null = null;
  private pendingAt = 0;
  private pendingInput: Record<string, LeadValue> = {};
  /** Extra data the completion needs (e.g. the rendered message). */
  private pendingData: unknown = null;
  /** A finished step waiting to be reported through onStep before the run goes on. */
  private report: TraceStep | null = null;
  private paused: PausedRun | null = null;

  constructor(plan: Plan, input: Lead, effects: Effects, options: RunOptions) {
    this.plan = plan;
    this.effects = effects;
    this.options = options;
    this.ctx = { fieldTypes: plan.fieldTypes, territories: plan.territories };
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
  }

  /** Runs until an effect is needed (returned) or the run is over (null). */
  next(): Call | null {
    if (this.report !== null) {
      const step = this.report;
      this.report = null;
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
          const checkpoint: RunCheckpoint = {
            nodeId: node.id,
            lead: { ...this.lead },
            assignee: this.assignee,
            previousAssignees: [...this.previousAssignees],
            lastAssignment: this.lastAssignment,
            seq: this.seq,
            waits: this.waits,
            startedAt: this.startedAt,
          };
          if (this.options.pauseBeforeWait(checkpoint)) {
            this.paused = { status: 'paused', checkpoint, steps: this.steps };
            break;
          }
        }
      }
      this.seq++;
      const at = this.effects.now();
      const input = pick(this.lead, node.reads);
      const call = this.request(node, at, input);
      if (call !== null) return call;
      if (this.report !== null && this.options.onStep) return this.next();
    }
    return null;
  }

  /** Hands the answer of the last requested effect back to the run. */
  provide(answer: unknown): void {
    const node = this.pendingNode;
    if (node === null) return; // the answer to an onStep report: nothing to do
    this.pendingNode = null;
    this.finish(node, this.pendingAt, this.pendingInput, this.complete(node, answer, this.pendingData));
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

  /** Runs a pure step to its end, or returns the effect an effectful step needs. */
  private request(node: PlanNode, at: number, input: Record<string, LeadValue>): Call | null {
    const lead = this.lead;
    const leadId = this.leadId;
    const nodeId = node.id;
    const seq = this.seq;
    // Every branch below that returns a request leaves the step pending until `provide`.
    this.pendingNode = node;
    this.pendingAt = at;
    this.pendingInput = input;
    this.pendingData = null;
    switch (node.type) {
      case 'trigger':
        this.pendingNode = null;
        this.finish(node, at, input, stepTrigger(node, lead, this.ctx));
        return null;
      case 'branch':
        this.pendingNode = null;
        this.finish(node, at, input, stepBranch(node, lead, this.ctx));
        return null;
      case 'split':
        this.pendingNode = null;
        this.finish(node, at, input, stepSplit(node, this.leadId));
        return null;
      case 'score':
        this.pendingNode = null;
        this.finish(node, at, input, stepScore(node, lead, this.ctx));
        return null;
      case 'end':
        this.pendingNode = null;
        this.finish(node, at, input, { outcome: null, decision: `Ended: ${node.config.outcome}`, explanation: [], output: {}, end: node.config.outcome });
        return null;
      // Effect requests get the interpreter's own lead object: effects must treat it as read-only
      // (activities serialise it at once; simulation only reads it).
      case 'enrich':
        return { op: 'enrich', req: { leadId, nodeId, seq, config: node.config, lead } };
      case 'match_account':
        return { op: 'matchAccount', req: { leadId, nodeId, seq, config: node.config, lead } };
      case 'assign':
        return {
          op: 'assign',
          req: { leadId, nodeId, seq, config: node.config, lead, currentAssignee: this.assignee, previousAssignees: [...this.previousAssignees] },
        };
      case 'escalate':
        return {
          op: 'escalate',
          req: {
            leadId,
            nodeId,
            seq,
            config: node.config,
            lead,
            currentAssignee: this.assignee,
            previousAssignees: [...this.previousAssignees],
            lastAssignment: this.lastAssignment,
          },
        };
      case 'notify': {
        const message = renderTemplate(node.config.message, lead);
        const subject = node.config.subject !== undefined ? renderTemplate(node.config.subject, lead) : null;
        this.pendingData = { message, subject };
        return { op: 'notify', req: { leadId, nodeId, seq, config: node.config, lead, assignee: this.assignee, message, subject } };
      }
      case 'update': {
        const set: Record<string, LeadValue> = {};
        for (const s of node.config.set) set[s.field] = s.value;
        this.pendingData = set;
        return { op: 'update', req: { leadId, nodeId, seq, lead, set } };
      }
      case 'wait': {
        this.waits++;
        const timeoutMs = durationToMs(node.config.timeout);
        this.pendingData = timeoutMs;
        return { op: 'wait', req: { leadId, nodeId, seq, config: node.config, timeoutMs, assignee: this.assignee, round: this.waits } };
      }
      default: {
        const unknown: never = node;
        this.pendingNode = null;
        this.stop('failed', `Unknown node type ${(unknown as { type: string }).type}`);
        return null;
      }
    }
  }

  /** Applies an effect's answer to the run and says what the step decided. */
  private complete(node: PlanNode, answer: unknown, data: unknown): Outcome {
    const lead = this.lead;
    switch (node.type) {
      case 'enrich': {
        const r = answer as EnrichResult;
        const set: Record<string, LeadValue> = {};
        const names: string[] = [];
        for (const f of node.config.fields) {
          const v = r.fields[f];
          if (v === undefined || isMissing(v)) continue;
          if (node.config.overwrite || isMissing(lead[f])) {
            set[f] = v;
            lead[f] = v;
            names.push(f);
          }
        }
        const explanation = [r.detail];
        for (const k of names) explanation.push(`${k} = ${formatValue(set[k])}`);
        return {
          outcome: r.found ? 'enriched' : 'not_found',
          decision: r.found ? (names.length ? `Filled ${names.join(', ')}` : 'Found, nothing new to fill') : 'No data found',
          explanation,
          output: { set },
        };
      }
      case 'match_account': {
        const r = answer as MatchAccountResult;
        if (r.account) {
          lead.accountId = r.account.id;
          lead.accountName = r.account.name;
          lead.accountOwner = r.account.ownerId;
        }
        return {
          outcome: r.account ? 'matched' : 'not_matched',
          decision: r.account ? `Matched ${r.account.name}` : 'No account matched',
          explanation: [r.detail],
          output: r.account ? { accountId: r.account.id, accountName: r.account.name, accountOwner: r.account.ownerId, method: r.method } : {},
        };
      }
      case 'assign': {
        const r = answer as AssignResult;
        if (r.assignee) {
          this.takeAssignee(r.assignee);
          this.lastAssignment = { nodeId: node.id, config: node.config, poolKey: r.poolKey };
        }
        return {
          outcome: r.assignee ? 'assigned' : 'no_eligible_rep',
          decision: r.assignee ? `Assigned to ${r.assignee.name}` : 'No eligible rep',
          explanation: r.explanation,
          output: { assignee: r.assignee, candidates: r.candidates, poolKey: r.poolKey },
        };
      }
      case 'escalate': {
        const r = answer as EscalateResult;
        if (r.assignee) {
          this.takeAssignee(r.assignee);
          if (r.poolKey !== null && this.lastAssignment) this.lastAssignment = { ...this.lastAssignment, poolKey: r.poolKey };
        }
        return {
          outcome: r.assignee ? 'escalated' : 'no_target',
          decision: r.assignee ? `Escalated to ${r.assignee.name}` : 'Nobody to escalate to',
          explanation: r.explanation,
          output: { assignee: r.assignee, candidates: r.candidates, released: r.released },
        };
      }
      case 'notify': {
        const r = answer as NotifyResult;
        const { message, subject } = data as { message: string; subject: string | null };
        const channel = node.config.channel === 'in_app' ? 'in-app' : node.config.channel;
        return {
          outcome: 'next',
          decision: r.delivered ? `Sent ${channel}` : `Not sent (${channel})`,
          explanation: [r.detail],
          output: { channel: node.config.channel, delivered: r.delivered, message, subject },
        };
      }
      case 'update': {
        const r = answer as UpdateResult;
        const set = data as Record<string, LeadValue>;
        const keys = Object.keys(set);
        const explanation: string[] = [];
        for (const k of keys) {
          lead[k] = set[k] as LeadValue;
          explanation.push(`${k} = ${formatValue(set[k])}`);
        }
        if (r.detail) explanation.push(r.detail);
        return { outcome: 'next', decision: `Set ${keys.join(', ')}`, explanation, output: { set } };
      }
      case 'wait': {
        const r = answer as WaitResult;
        const timeoutMs = data as number;
        const who = this.assignee ? this.assignee.name : 'nobody';
        const contacted = node.config.until === 'contacted';
        const verb = r.outcome === 'accepted' ? (contacted ? 'Contacted' : 'Accepted') : r.outcome === 'rejected' ? 'Rejected' : 'Timed out';
        return {
          outcome: r.outcome,
          decision: `${verb} after ${formatMs(r.elapsedMs)}`,
          explanation: [`Waited for ${who} to ${contacted ? 'contact' : 'accept'} the lead, SLA ${formatMs(timeoutMs)}`, r.detail],
          output: { outcome: r.outcome, elapsedMs: r.elapsedMs, timeoutMs, round: this.waits },
          durationMs: r.elapsedMs,
        };
      }
      default:
        return { outcome: null, decision: 'Unexpected answer', explanation: [], output: {}, end: 'failed' };
    }
  }

  private takeAssignee(a: Assignee): void {
    this.assignee = a;
    this.lead.owner = a.id;
    if (a.type === 'rep' && !this.previousAssignees.includes(a.id)) this.previousAssignees.push(a.id);
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
    };
    this.steps.push(step);
    this.path.push(node.id);
    this.report = step;
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

function stepTrigger(node: PlanNodeOf<'trigger'>, lead: Lead, ctx: ConditionContext): Outcome {
  const filter = node.config.filter;
  if (!filter) {
    return { outcome: 'next', decision: `Received from ${node.config.source}`, explanation: [], output: {} };
  }
  const r = evaluateCondition(filter, lead, ctx);
  return {
    outcome: r.result ? 'next' : 'filtered',
    decision: r.result ? 'Matches the filter' : 'Filtered out',
    explanation: r.lines,
    output: {},
  };
}

function stepBranch(node: PlanNodeOf<'branch'>, lead: Lead, ctx: ConditionContext): Outcome {
  const lines: string[] = [];
  const cases = node.config.cases;
  for (let i = 0; i < cases.length; i++) {
    const c = cases[i]!;
    const at = lines.length;
    lines.push('');
    const result = evaluateConditionInto(c.condition, lead, ctx, lines, 1);
    lines[at] = `Case "${c.label}": ${result}`;
    if (result) {
      if (i + 1 < cases.length) lines.push(`(${cases.length - i - 1} later case${cases.length - i - 1 === 1 ? '' : 's'} not checked: first match wins)`);
      return { outcome: c.id, decision: c.label, explanation: lines, output: { case: c.id } };
    }
  }
  lines.push('No case matched: else');
  return { outcome: 'else', decision: node.config.elseLabel ?? 'Else', explanation: lines, output: { case: 'else' } };
}

function stepSplit(node: PlanNodeOf<'split'>, leadId: string): Outcome {
  const bucket = splitBucket(leadId, node.id);
  let lo = 0;
  const variants = node.config.variants;
  for (let i = 0; i < variants.length; i++) {
    const v = variants[i]!;
    const hi = i === variants.length - 1 ? 10000 : lo + Math.round(v.percent * 100);
    if (bucket < hi) {
      return {
        outcome: v.id,
        decision: v.label,
        explanation: [`Lead ${formatValue(leadId)} falls in bucket ${bucket} of 10000; ${v.label} takes ${lo}-${hi - 1} (${v.percent}%)`],
        output: { variant: v.id, bucket },
      };
    }
    lo = hi;
  }
  // Unreachable for a compiled plan (percentages add up to 100), kept total for hand-made plans.
  const last = variants[variants.length - 1]!;
  return { outcome: last.id, decision: last.label, explanation: [`bucket ${bucket}`], output: { variant: last.id, bucket } };
}

function stepScore(node: PlanNodeOf<'score'>, lead: Lead, ctx: ConditionContext): Outcome {
  let fit = 0;
  let intent = 0;
  const lines: string[] = [];
  for (const rule of node.config.rules) {
    const at = lines.length;
    lines.push('');
    const result = evaluateConditionInto(rule.condition, lead, ctx, lines, 1);
    lines[at] = `${rule.label ?? rule.id} (${rule.points >= 0 ? '+' : ''}${rule.points} ${rule.category}): ${result}`;
    if (result) {
      if (rule.category === 'fit') fit += rule.points;
      else intent += rule.points;
    }
  }
  const score = fit + intent;
  let grade: string | null = null;
  let bestMin = -Infinity;
  for (const g of node.config.grades) {
    if (score >= g.min && g.min > bestMin) {
      grade = g.grade;
      bestMin = g.min;
    }
  }
  lead.score = score;
  lead.fitScore = fit;
  lead.intentScore = intent;
  lead.grade = grade;
  lines.push(`Total ${score} (fit ${fit}, intent ${intent}) -> grade ${grade ?? 'none'}`);
  return {
    outcome: 'next',
    decision: `Score ${score}, grade ${grade ?? 'none'}`,
    explanation: lines,
    output: { score, fitScore: fit, intentScore: intent, grade },
  };
}
