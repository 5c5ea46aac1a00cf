import type { Problem, WaitPlan } from '@lead-router/shared';
import { and, eq } from 'drizzle-orm';
import type { Db, Tx } from '@lead-router/db/client';
import { drafts, versions } from '@lead-router/db/schema';
import { DomainError, notFound, type ErrorDetail } from '../errors/domain-error';
import { loadDirectory, loadRoutingState } from '@lead-router/db/directory-snapshot';
import { loadEarlierLeads } from '@lead-router/db/earlier-leads';
import { duplicateWindowOf, stepsOf, type JobKind, type JobKinds, type JobOutcome, type JobPlan, type JsonText } from './simulation/jobs';
import { checkWork, responseTooLarge } from './simulation/limits';
import type { SimulationRunner } from './simulation/pool';
import type { SimulationDetail, SimulationResponse } from './simulation/run';
import { requireWorkflow } from './workflow-access';

export { leadIdOf, runSimulation, type RunSimulationOptions, type SimulatedLead, type SimulationDetail, type SimulationResponse } from './simulation/run';

/** Which graph a test run uses: the editable draft, or a published version by number. */
export type PlanSource = 'draft' | number;

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
 * The plan to test, as a job takes it: the draft's graph (compiled in the simulation thread, which answers
 * `invalid_graph` when it does not compile), or a published version's stored plan (`not_found` for an
 * unknown number). The caller has already checked that the workflow belongs to the caller's workspace.
 */
export async function loadPlanSource(db: Db | Tx, workflowId: string, source: PlanSource): Promise<JobPlan> {
  if (source === 'draft') return { graph: (await requireDraft(db, workflowId)).graph };
  const [version] = await db
    .select({ plan: versions.plan })
    .from(versions)
    .where(and(eq(versions.workflowId, workflowId), eq(versions.number, source)))
    .limit(1);
  if (!version) throw notFound(`Version ${source} of workflow ${workflowId}`);
  return { plan: version.plan };
}

/** A job's answer, or the domain error its failure is: `invalid_graph`, or `response_too_large` with `hint`. */
export function answerOf<K extends JobKind>(outcome: JobOutcome<K>, hint: string): JobKinds[K]['output'] {
  if (outcome.ok) return outcome.value;
  const f = outcome.failure;
  throw f.code === 'invalid_graph' ? invalidGraphError(f.problems) : responseTooLarge(f, hint);
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
 * state as the starting point, the leads run on simulated effects in a simulation thread. Reads only;
 * nothing is written anywhere. `too_much_work` before anything runs when leads × steps is over the limit;
 * answers the JSON text as the thread wrote it (at most MAX_RESPONSE_BYTES).
 */
export async function simulateWorkflow(db: Db, simulations: SimulationRunner, workspaceId: string, workflowId: string, input: SimulateWorkflowInput): Promise<JsonText<SimulationResponse>> {
  await requireWorkflow(db, workspaceId, workflowId);
  const source = await loadPlanSource(db, workflowId, input.source);
  checkWork(input.leads.length, stepsOf(source), { path: 'leads', fewer: (max) => `Send at most ${max.toLocaleString('en-US')} leads per call for this graph.` });
  const days = duplicateWindowOf(source);
  // A match_account step that looks for duplicates reads production's earlier leads with the batch's emails.
  const emails = days > 0 ? input.leads.slice(0, 10_000).map((l) => (l !== null && typeof l === 'object' ? (l as { email?: unknown }).email : undefined)) : [];
  const [directory, state, earlierLeads] = await Promise.all([
    // Holidays of the year the test run starts in (and the next).
    loadDirectory(db, workspaceId, { companies: true, at: input.startTime }),
    loadRoutingState(db, workspaceId),
    days > 0 ? loadEarlierLeads(db, workspaceId, emails, new Date(input.startTime - days * 86_400_000), new Date(input.startTime)) : Promise.resolve([]),
  ]);
  const outcome = await simulations.run({
    kind: 'simulate',
    source,
    leads: input.leads,
    options: { directory, state, startTime: input.startTime, detail: input.detail, ...(input.waits ? { waits: input.waits } : {}), ...(earlierLeads.length > 0 ? { earlierLeads } : {}) },
  });
  return answerOf(outcome, 'Ask for detail "path", or send fewer leads per call.');
}
