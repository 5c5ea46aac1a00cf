import { compile, type Directory, type Graph, type Plan, type Problem } from '@lead-router/shared';
import { compareReplays, type BacktestResponse, type BacktestWindow } from './backtest-compare';
import { evaluateGoldenLeads, type GoldenLeadRow, type GoldenResult } from './golden-evaluate';
import { runSimulationJson, type RunSimulationOptions, type SimulationResponse } from './run';

// What a simulation thread is asked to do, and what it answers. Everything in a job is plain data (it is
// copied to the thread by structured clone): the graph or plan, the leads, the directory snapshot and the
// routing state are read from the database on the main thread first. Compiling a draft happens in the
// thread too, as it takes a few hundred ms on a graph of 1,000 steps.

/** JSON text of a `T`, exactly as `JSON.stringify` writes it; answered as is, never parsed again. */
export type JsonText<T> = string & { readonly __json?: T };

/** The plan a job runs: a draft's graph, compiled in the thread, or a published version's stored plan. */
export type JobPlan = { graph: Graph } | { plan: Plan };

/** The steps of the plan a job runs: the work per lead that the limits count. */
export function stepsOf(source: JobPlan): number {
  if ('plan' in source) return Object.keys(source.plan.nodes).length;
  return Array.isArray(source.graph.nodes) ? source.graph.nodes.length : 0;
}

/** The longest duplicate-lead window (days) of the plan's match_account steps; 0 when none looks for duplicates. */
export function duplicateWindowOf(source: JobPlan): number {
  const nodes: unknown[] = 'plan' in source ? Object.values(source.plan.nodes) : Array.isArray(source.graph.nodes) ? source.graph.nodes : [];
  let days = 0;
  for (const n of nodes) {
    const node = n as { type?: unknown; config?: { duplicateWithinDays?: unknown } } | null;
    const d = node?.type === 'match_account' ? node.config?.duplicateWithinDays : undefined;
    if (typeof d === 'number' && Number.isFinite(d) && d > days) days = Math.min(d, 365);
  }
  return days;
}

/** Each kind of job: what it is given and what it answers when it succeeds. */
export interface JobKinds {
  simulate: { input: { source: JobPlan; leads: readonly unknown[]; options: RunSimulationOptions }; output: JsonText<SimulationResponse> };
  /** `source` is the plan tested (the draft, usually); `active` the version production runs, the baseline. */
  backtest: { input: { source: JobPlan; active: Plan | null; window: BacktestWindow }; output: JsonText<BacktestResponse> };
  golden: { input: { source: JobPlan; rows: GoldenLeadRow[]; directory: Directory }; output: GoldenResult[] };
}
export type JobKind = keyof JobKinds;

/** A job of kind `K`. */
export type Job<K extends JobKind = JobKind> = { [P in K]: { kind: P } & JobKinds[P]['input'] }[K];

/** Why a job gave no answer, when that is the request's doing. */
export type JobFailure =
  /** The draft does not compile. */
  | { code: 'invalid_graph'; problems: Problem[] }
  /** The answer passed `limit` bytes after `leadsDone` of `leads` leads. */
  | { code: 'response_too_large'; limit: number; bytes: number; leadsDone: number; leads: number };

/** A job's answer. */
export type JobOutcome<K extends JobKind = JobKind> = { ok: true; value: JobKinds[K]['output'] } | { ok: false; failure: JobFailure };

/** The limits a thread applies to a job itself. */
export interface JobLimits {
  /** The most bytes an answer may take as JSON. */
  maxResponseBytes: number;
}

/** Runs a job (in a simulation thread; in the caller's own thread for unit tests). */
export function runJob<K extends JobKind>(job: Job<K>, limits: JobLimits): JobOutcome<K> {
  return runAnyJob(job as Job, limits) as JobOutcome<K>;
}

function runAnyJob(job: Job, limits: JobLimits): JobOutcome {
  const compiled = planOf(job.source, directoryOf(job));
  if (!compiled.ok) return { ok: false, failure: { code: 'invalid_graph', problems: compiled.problems } };
  const plan = compiled.plan;
  switch (job.kind) {
    case 'simulate':
      return simulate(plan, job, limits);
    case 'backtest': {
      const text: JsonText<BacktestResponse> = JSON.stringify(compareReplays(job.active, plan, job.window));
      const bytes = Buffer.byteLength(text);
      if (bytes > limits.maxResponseBytes) {
        const n = job.window.leads.length;
        return { ok: false, failure: { code: 'response_too_large', limit: limits.maxResponseBytes, bytes, leadsDone: n, leads: n } };
      }
      return { ok: true, value: text };
    }
    case 'golden':
      return { ok: true, value: evaluateGoldenLeads(job.rows, plan, job.directory) };
  }
}

class TooLarge extends Error {
  constructor(readonly bytes: number, readonly leadsDone: number) {
    super('response too large');
  }
}

function simulate(plan: Plan, job: Job<'simulate'>, limits: JobLimits): JobOutcome<'simulate'> {
  try {
    const text = runSimulationJson(plan, job.leads, job.options, (bytes, leadsDone) => {
      // Stop as soon as the answer is too large: the rest would only be thrown away.
      if (bytes > limits.maxResponseBytes) throw new TooLarge(bytes, leadsDone);
    });
    return { ok: true, value: text };
  } catch (e) {
    if (!(e instanceof TooLarge)) throw e;
    return { ok: false, failure: { code: 'response_too_large', limit: limits.maxResponseBytes, bytes: e.bytes, leadsDone: e.leadsDone, leads: job.leads.length } };
  }
}

function directoryOf(job: Job): Directory {
  switch (job.kind) {
    case 'simulate':
      return job.options.directory;
    case 'backtest':
      return job.window.directory;
    case 'golden':
      return job.directory;
  }
}

function planOf(source: JobPlan, directory: Directory): { ok: true; plan: Plan } | { ok: false; problems: Problem[] } {
  if ('plan' in source) return { ok: true, plan: source.plan };
  const compiled = compile(source.graph, { directory });
  return compiled.ok ? { ok: true, plan: compiled.plan } : { ok: false, problems: compiled.problems };
}
