import {
  buildCatalog,
  compile,
  normalizeLead,
  simulate,
  summarize,
  type Directory,
  type FieldProblem,
  type Plan,
  type Problem,
  type RoutingStateSnapshot,
  type RunResult,
  type SimulationLead,
  type SimulationSummary,
  type TraceStep,
  type WaitPlan,
} from '@lead-router/shared';
import { and, eq } from 'drizzle-orm';
import type { Db, Tx } from '@lead-router/db/client';
import { drafts, versions } from '@lead-router/db/schema';
import { DomainError, notFound, type ErrorDetail } from '../errors/domain-error';
import { loadDirectory, loadRoutingState } from '@lead-router/db/directory-snapshot';
import { requireWorkflow } from './workflow-access';

/** Which graph a test run uses: the editable draft, or a published version by number. */
export type PlanSource = 'draft' | number;

/** How much of each run a simulation answers with: every step, or only the path (for big batches). */
export type SimulationDetail = 'full' | 'path';

/** One lead's result, as the CLI's `simulate --json` prints it. */
export interface SimulatedLead {
  leadId: string;
  outcome: string;
  assignee: string | null;
  assigneeType: 'rep' | 'queue' | null;
  path: string[];
  /** Every step, when detail is `full`. */
  steps?: TraceStep[];
  /** Why the lead could not run (outcome `invalid`). */
  problems?: Array<{ field: string; message: string }>;
}

/** A simulation's answer: each lead's result in input order and counts over all of them. */
export interface SimulationResponse {
  results: SimulatedLead[];
  summary: SimulationSummary;
}

/** The plan a test run uses, and where it came from. */
export interface LoadedPlan {
  plan: Plan;
  source: PlanSource;
  /** The draft's revision, when the source is the draft. */
  revision: number | null;
  /** The version's id, when the source is a version. */
  versionId: string | null;
}

/** The `invalid_graph` error a graph that does not compile gets: every problem, each naming its node and field. */
export function invalidGraphError(problems: readonly Problem[], what = 'The draft'): DomainError {
  const n = problems.length;
  return new DomainError(
    'invalid_graph',
    `${what} does not compile (${n} problem${n === 1 ? '' : 's'}): ${problems
      .slice(0, 3)
      .map((p) => p.message)
      .join(' ')}${n > 3 ? ` (and ${n - 3} more)` : ''}`,
    problemDetails(problems),
  );
}

/** Compiler problems as error details: the field path inside the node, the message, the code and the node. */
export function problemDetails(problems: readonly Problem[]): Array<ErrorDetail & { edgeId?: string }> {
  return problems.map((p) => ({
    path: p.path ?? '',
    message: p.message,
    code: p.code,
    ...(p.nodeId !== undefined ? { nodeId: p.nodeId } : {}),
    ...(p.edgeId !== undefined ? { edgeId: p.edgeId } : {}),
  }));
}

/** The workflow's draft row, or `not_found` (the workflow must already be known to belong to the workspace). */
export async function requireDraft(db: Db | Tx, workflowId: string) {
  const [draft] = await db.select().from(drafts).where(eq(drafts.workflowId, workflowId)).limit(1);
  if (!draft) throw notFound(`The draft of workflow ${workflowId}`);
  return draft;
}

/**
 * The plan to test: the draft compiled against `directory` (`invalid_graph` listing every problem when
 * it does not compile), or a published version's stored plan (`not_found` for an unknown number). The caller has
 * already checked that the workflow belongs to the caller's workspace.
 */
export async function loadPlan(db: Db | Tx, workflowId: string, source: PlanSource, directory: Directory): Promise<LoadedPlan> {
  if (source === 'draft') {
    const draft = await requireDraft(db, workflowId);
    const compiled = compile(draft.graph, { directory });
    if (!compiled.ok) throw invalidGraphError(compiled.problems);
    return { plan: compiled.plan, source, revision: draft.revision, versionId: null };
  }
  const [version] = await db
    .select({ id: versions.id, plan: versions.plan })
    .from(versions)
    .where(and(eq(versions.workflowId, workflowId), eq(versions.number, source)))
    .limit(1);
  if (!version) throw notFound(`Version ${source} of workflow ${workflowId}`);
  return { plan: version.plan, source, revision: null, versionId: version.id };
}

/** The id a lead is known by in results: its `id` field, else its 1-based position. */
export function leadIdOf(raw: unknown, position: number): string {
  const id = raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>).id : undefined;
  if (typeof id === 'string' && id.trim() !== '') return id.trim();
  if (typeof id === 'number' && Number.isFinite(id)) return String(id);
  return String(position);
}

/** Options of one batch simulation. */
export interface RunSimulationOptions {
  directory: Directory;
  /** The routing state to start from (production's, for test runs on the canvas). */
  state?: RoutingStateSnapshot;
  /** The virtual instant each lead starts at, ms since epoch. */
  startTime: number;
  waits?: WaitPlan;
  detail: SimulationDetail;
}

/**
 * Normalises each raw lead, runs the valid ones through `plan` with the shared `simulate` (one shared
 * in-memory state, so turns and loads carry across the batch) and answers in input order. An invalid lead
 * is reported with its problems (outcome `invalid`) and the rest still run. Pure: nothing is written.
 *
 * The summary counts every lead given: invalid ones under `byOutcome.invalid` and in `unassigned`, so
 * `byOutcome` and `byAssignee` + `unassigned` each add up to `leads`.
 */
export function runSimulation(plan: Plan, rawLeads: readonly unknown[], options: RunSimulationOptions): SimulationResponse {
  const catalog = buildCatalog(options.directory.customFields);
  const runnable: SimulationLead[] = [];
  const slots: Array<{ run: number } | { leadId: string; problems: FieldProblem[] }> = [];
  rawLeads.forEach((raw, i) => {
    const leadId = leadIdOf(raw, i + 1);
    // Test leads are typed or pasted by people: read "1,200" as a number, as CSV imports do.
    const n = normalizeLead(raw, catalog, { coerceStrings: true });
    if (n.ok) {
      slots.push({ run: runnable.length });
      runnable.push({ leadId, lead: n.lead });
    } else slots.push({ leadId, problems: n.problems });
  });
  const report = simulate(plan, runnable, {
    directory: options.directory,
    startTime: options.startTime,
    ...(options.state ? { state: options.state } : {}),
    ...(options.waits ? { waits: options.waits } : {}),
  });
  const summary = summarize(report.results);
  const full = options.detail === 'full';
  const results = slots.map((s): SimulatedLead => {
    if ('run' in s) return toSimulatedLead(report.results[s.run] as RunResult, full);
    return {
      leadId: s.leadId,
      outcome: 'invalid',
      assignee: null,
      assigneeType: null,
      path: [],
      ...(full ? { steps: [] } : {}),
      problems: s.problems.map((p) => ({ field: p.field, message: p.message })),
    };
  });
  const invalid = slots.length - runnable.length;
  if (invalid > 0) {
    summary.leads += invalid;
    summary.unassigned += invalid;
    summary.byOutcome.invalid = (summary.byOutcome.invalid ?? 0) + invalid;
  }
  return { results, summary };
}

function toSimulatedLead(r: RunResult, full: boolean): SimulatedLead {
  return {
    leadId: r.leadId,
    outcome: r.outcome,
    assignee: r.assignee ? r.assignee.id : null,
    assigneeType: r.assignee ? r.assignee.type : null,
    path: r.path,
    ...(full ? { steps: r.steps } : {}),
  };
}

/** What `POST /workflows/{id}/simulate` asks for. */
export interface SimulateWorkflowInput {
  leads: readonly unknown[];
  source: PlanSource;
  waits?: WaitPlan;
  /** The virtual start instant, ms since epoch. */
  startTime: number;
  detail: SimulationDetail;
}

/**
 * A test run of a workflow: the plan (draft or version), today's directory and production's current routing
 * state as the starting point, the leads run on simulated effects. Reads only; nothing is written anywhere.
 */
export async function simulateWorkflow(db: Db, workspaceId: string, workflowId: string, input: SimulateWorkflowInput): Promise<SimulationResponse> {
  await requireWorkflow(db, workspaceId, workflowId);
  const [directory, state] = await Promise.all([loadDirectory(db, workspaceId, { companies: true }), loadRoutingState(db, workspaceId)]);
  const { plan } = await loadPlan(db, workflowId, input.source, directory);
  return runSimulation(plan, input.leads, {
    directory,
    state,
    startTime: input.startTime,
    detail: input.detail,
    ...(input.waits ? { waits: input.waits } : {}),
  });
}
