import type { Plan } from '@lead-router/shared';
import { and, asc, count, eq, gte, inArray, lt } from 'drizzle-orm';
import type { Db } from '@lead-router/db/client';
import { leads, routingRuns, traceSteps, versions } from '@lead-router/db/schema';
import { loadDirectory } from '@lead-router/db/directory-snapshot';
import { answerOf, loadPlanSource, type PlanSource } from './simulation.service';
import type { BacktestResponse, BacktestWindow, HistoricLead, RealStatus } from './simulation/backtest-compare';
import type { RealWait } from './simulation/backtest-replay';
import { stepsOf, type JsonText } from './simulation/jobs';
import { checkWork } from './simulation/limits';
import type { SimulationRunner } from './simulation/pool';
import { requireWorkflow } from './workflow-access';
import { loadRoutingAround } from './backtest-start';

export {
  compareReplays,
  type Assumption,
  type BacktestAssigneeCounts,
  type BacktestFidelity,
  type BacktestLead,
  type BacktestResponse,
  type BacktestSummary,
  type BacktestWindow,
  type HistoricLead,
} from './simulation/backtest-compare';
export { replayWindow, type RealWait, type ReplayLead, type RoutingEvent } from './simulation/backtest-replay';
export { foldAssignments, loadRoutingAround, MAX_HISTORY_ASSIGNMENTS, type AssignmentStep, type FoldedAssignments, type RoutingAround } from './backtest-start';

/** The longest window a backtest replays. */
export const MAX_WINDOW_DAYS = 92;


/** What a backtest re-runs: the workflow's leads received in [since, until), oldest first, at most `limit`. */
export interface BacktestInput {
  since: Date;
  until: Date;
  limit: number;
  source: PlanSource;
  /** Only these leads of the window (a backfill's preview: its set, not the whole window). */ leadIds?: readonly string[];
}

/**
 * Replays a workflow's real leads of a window through the active version and through the draft (or the
 * version asked for), both from the routing state as it was at the window's start, and compares them with
 * each other and the active one with what really happened, in a simulation thread. Reads only.
 * `too_much_work` before anything runs when the window's leads × the steps of both plans is over the
 * limit; answers the JSON text as the thread wrote it (at most MAX_RESPONSE_BYTES).
 */
export async function backtestWorkflow(db: Db, simulations: SimulationRunner, workspaceId: string, workflowId: string, input: BacktestInput): Promise<JsonText<BacktestResponse>> {
  const workflow = await requireWorkflow(db, workspaceId, workflowId);
  const source = await loadPlanSource(db, workflowId, input.source);
  const active = workflow.activeVersionId ? await loadVersion(db, workflowId, workflow.activeVersionId) : null;
  const { leads: history, total } = await loadHistory(db, workspaceId, workflowId, input);
  checkWork(history.length, stepsOf(source) + (active ? stepsOf({ plan: active.plan }) : 0), {
    path: 'limit',
    fewer: (max) => `Narrow the window, or set limit to at most ${max.toLocaleString('en-US')} for these graphs (each lead is replayed through the active version and the draft).`,
  });
  const directory = await loadDirectory(db, workspaceId, { companies: true, years: { from: input.since.getUTCFullYear(), to: input.until.getUTCFullYear() + 1 } }); // the window's holidays (and next year's, where its last leads wait)
  const routing = await loadRoutingAround(db, workspaceId, { since: input.since, until: input.until, replayed: new Set(history.map((h) => h.id)) }, directory);
  const window: BacktestWindow = {
    leads: history,
    start: routing.start,
    background: routing.background,
    directory,
    since: input.since.toISOString(),
    until: input.until.toISOString(),
    total,
    limit: input.limit,
    activeVersion: active?.number ?? null,
    source: input.source,
    notes: routing.notes,
  };
  const outcome = await simulations.run({ kind: 'backtest', source, active: active?.plan ?? null, window });
  return answerOf(outcome, 'Narrow the window, or lower limit.');
}

async function loadVersion(db: Db, workflowId: string, versionId: string): Promise<{ number: number; plan: Plan } | null> {
  const [v] = await db
    .select({ number: versions.number, plan: versions.plan })
    .from(versions)
    .where(and(eq(versions.id, versionId), eq(versions.workflowId, workflowId)))
    .limit(1);
  return v ?? null;
}

/** A name for people out of a lead's data: its name, else its email or company; else nothing. */
export function leadLabel(data: Record<string, unknown>): string | null {
  const text = (k: string) => (typeof data[k] === 'string' ? (data[k] as string).trim() : '');
  const name = [text('firstName'), text('lastName')].filter((s) => s !== '').join(' ');
  return name || text('email') || text('company') || null;
}

/**
 * The workflow's leads of the window, oldest first (at most `limit`), each with what production did with it
 * (its run's status and assignee, its path, how its waits ended), and how many leads the window holds.
 */
export async function loadHistory(db: Db, workspaceId: string, workflowId: string, window: Omit<BacktestInput, 'source'>): Promise<{ leads: HistoricLead[]; total: number }> {
  const inWindow = and(eq(leads.workspaceId, workspaceId), eq(leads.workflowId, workflowId), gte(leads.receivedAt, window.since), lt(leads.receivedAt, window.until), window.leadIds ? inArray(leads.id, [...window.leadIds]) : undefined);
  const rows = await db.select({ id: leads.id, data: leads.data, receivedAt: leads.receivedAt }).from(leads).where(inWindow).orderBy(asc(leads.receivedAt), asc(leads.id)).limit(window.limit);
  if (rows.length === 0) return { leads: [], total: 0 };
  const total = rows.length < window.limit ? rows.length : Number((await db.select({ n: count() }).from(leads).where(inWindow))[0]?.n ?? rows.length);
  const ids = rows.map((r) => r.id);
  const [runs, steps] = await Promise.all([
    db
      .select({ leadId: routingRuns.leadId, assigneeId: routingRuns.assigneeId, assigneeType: routingRuns.assigneeType, status: routingRuns.status, closedAt: routingRuns.closedAt })
      .from(routingRuns)
      .where(and(eq(routingRuns.workspaceId, workspaceId), inArray(routingRuns.leadId, ids))),
    // trace_steps has no workspace column: the ids come from this workspace's leads above.
    db
      .select({ leadId: traceSteps.leadId, nodeId: traceSteps.nodeId, nodeType: traceSteps.nodeType, outcome: traceSteps.outcome, at: traceSteps.at, durationMs: traceSteps.durationMs })
      .from(traceSteps)
      .where(inArray(traceSteps.leadId, ids))
      .orderBy(asc(traceSteps.leadId), asc(traceSteps.seq)),
  ]);
  const run = new Map(runs.map((r) => [r.leadId, r]));
  const traced = new Map<string, { path: string[]; waits: RealWait[]; startedAt: number }>();
  for (const s of steps) {
    let t = traced.get(s.leadId);
    if (!t) traced.set(s.leadId, (t = { path: [], waits: [], startedAt: s.at.getTime() }));
    t.path.push(s.nodeId);
    if (s.nodeType === 'wait' && (s.outcome === 'accepted' || s.outcome === 'rejected' || s.outcome === 'timed_out')) t.waits.push({ outcome: s.outcome, elapsedMs: s.durationMs });
  }
  const out = rows.map((r): HistoricLead => {
    const rr = run.get(r.id);
    const t = traced.get(r.id);
    const data = r.data as Record<string, unknown>;
    return {
      id: r.id,
      data,
      receivedAt: r.receivedAt.getTime(),
      // Leads replay in the order their real runs started, which is the order they took reps in.
      startAt: t?.startedAt ?? r.receivedAt.getTime(),
      waits: t?.waits ?? [],
      pending: rr?.status === 'waiting',
      // Its rep closed it then (it left their open leads): the replays release whoever holds it at that instant.
      ...(rr?.closedAt ? { closedAt: rr.closedAt.getTime() } : {}),
      label: leadLabel(data) ?? r.id,
      actual: { assignee: rr?.assigneeId ?? null, assigneeType: rr?.assigneeType ?? null, path: t?.path ?? [], status: (rr?.status as RealStatus | undefined) ?? null },
    };
  });
  return { leads: out, total };
}
