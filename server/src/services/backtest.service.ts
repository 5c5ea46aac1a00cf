import {
  buildCatalog,
  indexDirectory,
  interpretSync,
  isPaused,
  normalizeLead,
  SimulationEffects,
  type Directory,
  type Plan,
  type RoutingStateSnapshot,
} from '@lead-router/shared';
import { and, asc, eq, gte, inArray, lt } from 'drizzle-orm';
import type { Db } from '@lead-router/db/client';
import { leads, routingRuns, traceSteps } from '@lead-router/db/schema';
import { loadDirectory, loadRoutingState } from '@lead-router/db/directory-snapshot';
import { loadPlan, type PlanSource } from './simulation.service';
import { requireWorkflow } from './workflow-access';

/** What a backtest re-runs: the workflow's leads received in [since, until), oldest first, at most `limit`. */
export interface BacktestInput {
  since: Date;
  until: Date;
  limit: number;
  source: PlanSource;
}

/** A real lead as it was routed and as the tested graph would route it now. */
export interface BacktestLead {
  leadId: string;
  receivedAt: string;
  actual: { assignee: string | null; path: string[] };
  predicted: { assignee: string | null; assigneeType: 'rep' | 'queue' | null; path: string[]; outcome: string };
  /** The predicted assignee differs from the one the lead actually got. */
  moved: boolean;
}

/** Counts over a backtest. */
export interface BacktestSummary {
  leads: number;
  moved: number;
  /** Leads predicted to end in a queue or with nobody. */
  fallback: number;
  /** Assignee -> leads it actually got (leads with nobody are not counted). */
  shareBefore: Record<string, number>;
  /** Assignee -> leads it would get (leads with nobody are not counted). */
  shareAfter: Record<string, number>;
}

/** A backtest's answer. */
export interface BacktestResponse {
  leads: BacktestLead[];
  summary: BacktestSummary;
}

/** A stored lead with what production did with it. */
export interface HistoricLead {
  id: string;
  data: Record<string, unknown>;
  receivedAt: Date;
  actualAssignee: string | null;
  actualPath: string[];
}

/**
 * Re-runs a workflow's real leads of a window through the draft or a version, against today's directory
 * and production's current routing state, and compares each with what it actually got. Reads only.
 */
export async function backtestWorkflow(db: Db, workspaceId: string, workflowId: string, input: BacktestInput): Promise<BacktestResponse> {
  await requireWorkflow(db, workspaceId, workflowId);
  const [directory, state] = await Promise.all([loadDirectory(db, workspaceId, { companies: true }), loadRoutingState(db, workspaceId)]);
  const { plan } = await loadPlan(db, workflowId, input.source, directory);
  const history = await loadHistory(db, workspaceId, workflowId, input);
  return compareWithHistory(plan, history, directory, state);
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

/**
 * Predicts each historic lead on simulated effects and compares. Each lead starts at the instant it was
 * received (working hours, out-of-office and daily caps as of then); the routing state starts from `state`
 * and carries from lead to lead, oldest first, as production's would. Waits are accepted at once.
 */
export function compareWithHistory(plan: Plan, history: readonly HistoricLead[], directory: Directory, state: RoutingStateSnapshot): BacktestResponse {
  const catalog = buildCatalog(directory.customFields);
  const index = indexDirectory(directory);
  let moved = 0;
  let fallback = 0;
  // Maps, not records: an assignee id read back from the database could be "__proto__".
  const before = new Map<string, number>();
  const after = new Map<string, number>();
  let carried: RoutingStateSnapshot = state;
  const out = history.map((h): BacktestLead => {
    const predicted = predict(h);
    const isMoved = predicted.assignee !== h.actualAssignee;
    if (isMoved) moved++;
    if (predicted.assigneeType !== 'rep') fallback++;
    if (h.actualAssignee !== null) before.set(h.actualAssignee, (before.get(h.actualAssignee) ?? 0) + 1);
    if (predicted.assignee !== null) after.set(predicted.assignee, (after.get(predicted.assignee) ?? 0) + 1);
    return { leadId: h.id, receivedAt: h.receivedAt.toISOString(), actual: { assignee: h.actualAssignee, path: h.actualPath }, predicted, moved: isMoved };
  });
  return { leads: out, summary: { leads: history.length, moved, fallback, shareBefore: Object.fromEntries(before), shareAfter: Object.fromEntries(after) } };

  function predict(h: HistoricLead): BacktestLead['predicted'] {
    // The catalog may have changed since the lead was stored: a lead that no longer reads is reported, not run.
    const n = normalizeLead(h.data, catalog);
    if (!n.ok) return { assignee: null, assigneeType: null, path: [], outcome: 'invalid' };
    // One effects object per lead, because each starts at its own instant; the state carries over.
    const effects = new SimulationEffects({ directory, state: carried, startTime: h.receivedAt.getTime() }, index);
    effects.beginLead(h.id);
    const r = interpretSync(plan, n.lead, effects, { leadId: h.id });
    carried = effects.state.snapshot();
    if (isPaused(r)) return { assignee: null, assigneeType: null, path: [], outcome: 'paused' };
    return { assignee: r.assignee ? r.assignee.id : null, assigneeType: r.assignee ? r.assignee.type : null, path: r.path, outcome: r.outcome };
  }
}
