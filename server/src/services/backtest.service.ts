import { and, asc, eq, gte, inArray, lt } from 'drizzle-orm';
import type { Db } from '@lead-router/db/client';
import { leads, routingRuns, traceSteps } from '@lead-router/db/schema';
import { loadDirectory, loadRoutingState } from '@lead-router/db/directory-snapshot';
import { answerOf, loadPlanSource, type PlanSource } from './simulation.service';
import type { BacktestResponse, HistoricLead } from './simulation/backtest-compare';
import { stepsOf, type JsonText } from './simulation/jobs';
import { checkWork } from './simulation/limits';
import type { SimulationRunner } from './simulation/pool';
import { requireWorkflow } from './workflow-access';

export { compareWithHistory, type BacktestLead, type BacktestResponse, type BacktestSummary, type HistoricLead } from './simulation/backtest-compare';

/** What a backtest re-runs: the workflow's leads received in [since, until), oldest first, at most `limit`. */
export interface BacktestInput {
  since: Date;
  until: Date;
  limit: number;
  source: PlanSource;
}

/**
 * Re-runs a workflow's real leads of a window through the draft or a version, against today's directory
 * and production's current routing state, and compares each with what it actually got, in a simulation
 * thread. Reads only. `too_much_work` before anything runs when the window's leads × steps is over the
 * limit; answers the JSON text as the thread wrote it (at most MAX_RESPONSE_BYTES).
 */
export async function backtestWorkflow(db: Db, simulations: SimulationRunner, workspaceId: string, workflowId: string, input: BacktestInput): Promise<JsonText<BacktestResponse>> {
  await requireWorkflow(db, workspaceId, workflowId);
  const source = await loadPlanSource(db, workflowId, input.source);
  const history = await loadHistory(db, workspaceId, workflowId, input);
  checkWork(history.length, stepsOf(source), {
    path: 'limit',
    fewer: (max) => `Narrow the window, or set limit to at most ${max.toLocaleString('en-US')} for this graph.`,
  });
  const [directory, state] = await Promise.all([loadDirectory(db, workspaceId, { companies: true }), loadRoutingState(db, workspaceId)]);
  const outcome = await simulations.run({ kind: 'backtest', source, history, directory, state });
  return answerOf(outcome, 'Narrow the window, or lower limit.');
}

/** The workflow's leads of the window with their actual assignee and path (trace node ids in step order). */
export async function loadHistory(db: Db, workspaceId: string, workflowId: string, window: Omit<BacktestInput, 'source'>): Promise<HistoricLead[]> {
  const rows = await db
    .select({ id: leads.id, data: leads.data, receivedAt: leads.receivedAt })
    .from(leads)
    .where(and(eq(leads.workspaceId, workspaceId), eq(leads.workflowId, workflowId), gte(leads.receivedAt, window.since), lt(leads.receivedAt, window.until)))
    .orderBy(asc(leads.receivedAt), asc(leads.id))
    .limit(window.limit);
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [runs, steps] = await Promise.all([
    db
      .select({ leadId: routingRuns.leadId, assigneeId: routingRuns.assigneeId })
      .from(routingRuns)
      .where(and(eq(routingRuns.workspaceId, workspaceId), inArray(routingRuns.leadId, ids))),
    // trace_steps has no workspace column: the ids come from this workspace's leads above.
    db
      .select({ leadId: traceSteps.leadId, nodeId: traceSteps.nodeId })
      .from(traceSteps)
      .where(inArray(traceSteps.leadId, ids))
      .orderBy(asc(traceSteps.leadId), asc(traceSteps.seq)),
  ]);
  const assignee = new Map(runs.map((r) => [r.leadId, r.assigneeId]));
  const paths = new Map<string, string[]>();
  for (const s of steps) {
    let p = paths.get(s.leadId);
    if (!p) paths.set(s.leadId, (p = []));
    p.push(s.nodeId);
  }
  return rows.map((r) => ({ id: r.id, data: r.data, receivedAt: r.receivedAt, actualAssignee: assignee.get(r.id) ?? null, actualPath: paths.get(r.id) ?? [] }));
}

