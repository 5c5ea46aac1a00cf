import { randomUUID } from 'node:crypto';
import { buildCatalog, normalizeLead, simulate, type Directory, type LeadCloseReason, type Plan, type RunResult, type SimulationLead, type TraceStep, type WaitChoice } from '@lead-router/shared';
import { workflowIdOf } from '@lead-router/shared/workflow-contract';
import { generateSampleLeads } from '@lead-router/shared/fixtures';
import { sql } from 'drizzle-orm';
import type { Db } from '@lead-router/db/client';
import { leads, repLoads, routingRuns, traceSteps } from '@lead-router/db/schema';
import { traceStepRow } from '@lead-router/db/trace-rows';

/** How many past days the demo's history covers, and how many leads arrived on each. */
export const DEMO_HISTORY_DAYS = 14;
export const DEMO_HISTORY_LEADS_PER_DAY = 18;

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
/** A history day's first lead arrives at 13:30 UTC (08:30 in New York, where the one rep with working hours is). */
const FIRST_ARRIVAL_UTC_MS = 13.5 * 60 * MINUTE_MS;
/** Then one every 25 minutes or so, until about 21:00 UTC. */
const ARRIVAL_GAP_MS = 25 * MINUTE_MS;

/** Where the history goes. */
export interface HistoryTarget {
  workspaceId: string;
  workflowId: string;
  versionId: string;
}

/**
 * How the reps of the demo answered, by lead: most accept within minutes; some let the SLA run out once
 * (the lead moves to the next rep, who accepts); a few reject it; a few are never answered and climb the
 * whole ladder to the queue. Deterministic per position, so every first start tells the same story.
 */
function answerFor(i: number, day: number): WaitChoice[] {
  const k = (i * 7 + day * 3) % 20;
  const quick = 1 + ((i * 5 + day) % 11);
  if (k < 14) return [{ outcome: 'accepted', afterMinutes: quick }];
  if (k < 17) return [{ outcome: 'timed_out' }, { outcome: 'accepted', afterMinutes: 2 + (k % 4) }];
  if (k < 19) return [{ outcome: 'rejected', afterMinutes: 3 }, { outcome: 'accepted', afterMinutes: 6 }];
  return [{ outcome: 'timed_out' }];
}

/** Why the demo's reps closed their worked leads, in proportion: a third converted, the rest disqualified in the usual ways. */
const CLOSE_MIX: readonly LeadCloseReason[] = ['converted', 'converted', 'disqualified', 'converted', 'not_a_fit', 'unresponsive', 'disqualified', 'converted', 'duplicate', 'not_a_fit', 'unresponsive', 'disqualified', 'converted', 'other'];

/**
 * How a history lead was closed: a rep's accepted lead from before the last day was worked and closed a few
 * hours after it was accepted (converted, disqualified, ...); the last day's leads, and leads a queue holds,
 * are still open.
 */
function closeOf(result: RunResult, acceptedAt: Date | null, i: number, day: number) {
  if (day < 2 || !acceptedAt || result.assignee?.type !== 'rep') return {};
  const reason = CLOSE_MIX[(i * 5 + day * 7) % CLOSE_MIX.length] as LeadCloseReason;
  const after = (2 + ((i * 11 + day * 5) % 20)) * 60 * MINUTE_MS;
  return { closedAt: new Date(acceptedAt.getTime() + after), closeReason: reason, closedBy: result.assignee.id, closedByName: result.assignee.name };
}

/** A run's times, from its steps: first and latest assignment, acceptance and end. */
function timesOf(steps: readonly TraceStep[]) {
  let firstAssignedAt: Date | null = null;
  let assignedAt: Date | null = null;
  let acceptedAt: Date | null = null;
  for (const s of steps) {
    const assignee = (s.output as { assignee?: unknown } | undefined)?.assignee;
    if ((s.nodeType === 'assign' || s.nodeType === 'escalate') && assignee !== null && typeof assignee === 'object') {
      firstAssignedAt ??= new Date(s.at);
      assignedAt = new Date(s.at);
    }
    if (s.nodeType === 'wait' && s.outcome === 'accepted') acceptedAt = new Date(s.at + (s.durationMs ?? 0));
  }
  const last = steps[steps.length - 1];
  return { firstAssignedAt, assignedAt, acceptedAt, completedAt: last ? new Date(last.at + (last.durationMs ?? 0)) : null };
}

/** Shifts a run's steps by `offsetMs` (each history day is simulated from one instant, then spread over the day). */
function shifted(r: RunResult, offsetMs: number): TraceStep[] {
  return r.steps.map((s) => ({ ...s, at: s.at + offsetMs }));
}

/**
 * Seeds the demo's routing history: DEMO_HISTORY_DAYS days of leads before `now`, each routed by the
 * shared interpreter through `plan` (the active version) as its day unfolded, with the reps' answers of
 * answerFor(), and stored as finished runs with their whole trace, as the worker would have written them.
 * Each day starts from fresh loads (the day before's leads were worked and closed overnight: their runs say
 * when and why, see closeOf); the last day's leads are still open, and the reps' open-lead counts say so. Returns the leads stored.
 */
export async function seedDemoHistory(db: Db, target: HistoryTarget, plan: Plan, directory: Directory, now: Date): Promise<number> {
  const catalog = buildCatalog(directory.customFields);
  const today = Math.floor(now.getTime() / DAY_MS) * DAY_MS;
  let stored = 0;
  let lastDayOpen = new Map<string, number>();
  for (let day = DEMO_HISTORY_DAYS; day >= 1; day--) {
    const dayStart = today - day * DAY_MS + FIRST_ARRIVAL_UTC_MS;
    const sample = generateSampleLeads(DEMO_HISTORY_LEADS_PER_DAY * 2, 1_000 + day).filter((l) => typeof l.email === 'string');
    const runnable: SimulationLead[] = [];
    for (const raw of sample.slice(0, DEMO_HISTORY_LEADS_PER_DAY)) {
      const n = normalizeLead(raw, catalog);
      if (n.ok) runnable.push({ leadId: `h${day}-${runnable.length}`, lead: n.lead });
    }
    const byLead = Object.fromEntries(runnable.map((l, i) => [l.leadId, answerFor(i, day)]));
    const report = simulate(plan, runnable, { directory, startTime: dayStart, waits: { byLead } });
    const open = new Map<string, number>();
    const dayRuns: HistoricRun[] = report.results.map((r, i) => {
      const offset = i * ARRIVAL_GAP_MS + ((i * 131 + day * 17) % 9) * MINUTE_MS;
      if (r.assignee?.type === 'rep') open.set(r.assignee.id, (open.get(r.assignee.id) ?? 0) + 1);
      return { id: randomUUID(), data: runnable[i]!.lead, receivedAt: new Date(dayStart + offset), result: r, steps: shifted(r, offset), key: `seed-history-${day}-${i}`, day, index: i };
    });
    await storeHistoricDay(db, target, dayRuns);
    stored += dayRuns.length;
    lastDayOpen = open;
  }
  // Yesterday's leads are the reps' open work this morning.
  for (const [repId, n] of lastDayOpen) {
    await db
      .insert(repLoads)
      .values({ workspaceId: target.workspaceId, repId, openLeads: n })
      .onConflictDoUpdate({ target: [repLoads.workspaceId, repLoads.repId], set: { openLeads: sql`excluded.open_leads` } });
  }
  return stored;
}

interface HistoricRun {
  id: string;
  data: Record<string, unknown>;
  receivedAt: Date;
  result: RunResult;
  steps: TraceStep[];
  key: string;
  /** The lead's day (DEMO_HISTORY_DAYS .. 1 before today) and its place in that day. */
  day: number;
  index: number;
}

/** Stores a day of finished runs in one transaction: leads, runs and traces, a statement each. */
async function storeHistoricDay(db: Db, target: HistoryTarget, runs: HistoricRun[]): Promise<void> {
  if (runs.length === 0) return;
  await db.transaction(async (tx) => {
    await tx.insert(leads).values(runs.map((h) => ({ id: h.id, workspaceId: target.workspaceId, workflowId: target.workflowId, idempotencyKey: h.key, data: h.data as never, receivedAt: h.receivedAt })));
    await tx.insert(routingRuns).values(
      runs.map((h) => ({
        leadId: h.id,
        workspaceId: target.workspaceId,
        workflowId: target.workflowId,
        versionId: target.versionId,
        temporalWorkflowId: workflowIdOf(h.id),
        status: h.result.status === 'failed' ? ('failed' as const) : ('completed' as const),
        currentNodeId: h.steps[h.steps.length - 1]?.nodeId ?? null,
        assigneeType: h.result.assignee?.type ?? null,
        assigneeId: h.result.assignee?.id ?? null,
        outcome: h.result.outcome,
        receivedAt: h.receivedAt,
        startedAt: h.steps[0] ? new Date(h.steps[0].at) : null,
        ...timesOf(h.steps),
        ...closeOf(h.result, timesOf(h.steps).acceptedAt, h.index, h.day),
      })),
    );
    await tx.insert(traceSteps).values(runs.flatMap((h) => h.steps.map((s) => traceStepRow(h.id, s))));
  });
}
