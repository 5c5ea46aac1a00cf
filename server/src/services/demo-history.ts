import { randomUUID } from 'node:crypto';
import { buildCatalog, normalizeLead, type Directory, type LeadCloseReason, type Plan, type TraceStep, type WaitChoice } from '@lead-router/shared';
import { workflowIdOf } from '@lead-router/shared/workflow-contract';
import { generateSampleLeads } from '@lead-router/shared/fixtures';
import { sql } from 'drizzle-orm';
import type { Db } from '@lead-router/db/client';
import { leads, poolCursors, repLoads, routingRuns, traceSteps } from '@lead-router/db/schema';
import { traceStepRow } from '@lead-router/db/trace-rows';
import { prepare, replayWindow, type RealWait, type ReplayLead } from './simulation/backtest-replay';

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
 * When a history lead is closed: a lead from before the last day is worked and closed some hours after it
 * arrived (whoever holds it then lets it go, as POST /close does); the last day's leads are still open.
 */
function closeAtOf(receivedAt: number, i: number, day: number): number | undefined {
  if (day < 2) return undefined;
  return receivedAt + (3 + ((i * 11 + day * 5) % 20)) * 60 * MINUTE_MS;
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

/**
 * Seeds the demo's routing history: DEMO_HISTORY_DAYS days of leads before `now`, routed through `plan` (the
 * active version) by the backtest's own replay (simulation/backtest-replay.ts), on ONE routing state in real
 * time order: each lead at its arrival, its waits answered as answerFor() says, leads from before the last day
 * closed some hours after they arrived (their rep lets them go). So the history is what the router would have
 * done, and the publish gate's backtest reproduces it. Stored as finished runs with their whole trace, as the
 * worker writes them; the reps' open leads and the pools' turns are where the history left them. Returns the
 * leads stored.
 */
export async function seedDemoHistory(db: Db, target: HistoryTarget, plan: Plan, directory: Directory, now: Date): Promise<number> {
  const catalog = buildCatalog(directory.customFields);
  const today = Math.floor(now.getTime() / DAY_MS) * DAY_MS;
  const planned: Array<ReplayLead & { day: number; index: number; key: string }> = [];
  for (let day = DEMO_HISTORY_DAYS; day >= 1; day--) {
    const dayStart = today - day * DAY_MS + FIRST_ARRIVAL_UTC_MS;
    const sample = generateSampleLeads(DEMO_HISTORY_LEADS_PER_DAY * 2, 1_000 + day).filter((l) => typeof l.email === 'string');
    let i = 0;
    for (const raw of sample.slice(0, DEMO_HISTORY_LEADS_PER_DAY)) {
      const n = normalizeLead(raw, catalog);
      if (!n.ok) continue;
      const startAt = dayStart + i * ARRIVAL_GAP_MS + ((i * 131 + day * 17) % 9) * MINUTE_MS;
      const waits: RealWait[] = answerFor(i, day).map((w) => ({ outcome: w.outcome as RealWait['outcome'], elapsedMs: (w.afterMinutes ?? 0) * MINUTE_MS }));
      const closedAt = closeAtOf(startAt, i, day);
      planned.push({ id: randomUUID(), data: n.lead, startAt, waits, pending: false, ...(closedAt !== undefined ? { closedAt } : {}), day, index: i, key: `seed-history-${day}-${i}` });
      i++;
    }
  }
  const replay = replayWindow(plan, { leads: planned, start: {}, background: [], directory }, prepare(directory), { collectSteps: true });
  const repName = new Map(directory.reps.map((r) => [r.id, r.name]));
  const runs: HistoricRun[] = planned.map((l, i) => {
    const r = replay.leads[i]!;
    const steps = r.steps ?? [];
    const times = timesOf(steps);
    // Closed as the replay let it go: a rep held it when its route had ended.
    const closed = l.closedAt !== undefined && r.assigneeType === 'rep' && r.assignee !== null && r.outcome !== 'waiting';
    return {
      id: l.id,
      data: l.data,
      receivedAt: new Date(l.startAt),
      assignee: r.assignee !== null && r.assigneeType !== null ? { type: r.assigneeType, id: r.assignee } : null,
      outcome: r.outcome,
      steps,
      times,
      key: l.key,
      close: closed ? { closedAt: new Date(l.closedAt!), closeReason: CLOSE_MIX[(l.index * 5 + l.day * 7) % CLOSE_MIX.length]!, closedBy: r.assignee!, closedByName: repName.get(r.assignee!) ?? r.assignee! } : null,
    };
  });
  for (let day = DEMO_HISTORY_DAYS; day >= 1; day--) await storeHistoricDay(db, target, runs.filter((_, i) => planned[i]!.day === day));
  // The reps' open leads and the pools' turns, as the history left them.
  for (const [repId, n] of Object.entries(replay.end.openLoad ?? {}) as Array<[string, number]>) {
    await db
      .insert(repLoads)
      .values({ workspaceId: target.workspaceId, repId, openLeads: n })
      .onConflictDoUpdate({ target: [repLoads.workspaceId, repLoads.repId], set: { openLeads: sql`excluded.open_leads` } });
  }
  const pools = new Set([...Object.keys(replay.end.lastChosen ?? {}), ...Object.keys(replay.end.wrrCurrent ?? {})]);
  const lastAt = new Date(Math.max(...runs.map((r) => r.times.completedAt?.getTime() ?? r.receivedAt.getTime())));
  for (const poolKey of pools) {
    const row = { lastChosen: replay.end.lastChosen?.[poolKey] ?? null, wrrCurrent: replay.end.wrrCurrent?.[poolKey] ?? {}, updatedAt: lastAt };
    await db
      .insert(poolCursors)
      .values({ workspaceId: target.workspaceId, poolKey, ...row })
      .onConflictDoUpdate({ target: [poolCursors.workspaceId, poolCursors.poolKey], set: row });
  }
  return runs.length;
}

interface HistoricRun {
  id: string;
  data: Record<string, unknown>;
  receivedAt: Date;
  assignee: { type: 'rep' | 'queue'; id: string } | null;
  outcome: string;
  steps: TraceStep[];
  times: ReturnType<typeof timesOf>;
  key: string;
  close: { closedAt: Date; closeReason: LeadCloseReason; closedBy: string; closedByName: string } | null;
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
        status: h.outcome === 'failed' ? ('failed' as const) : ('completed' as const),
        currentNodeId: h.steps[h.steps.length - 1]?.nodeId ?? null,
        assigneeType: h.assignee?.type ?? null,
        assigneeId: h.assignee?.id ?? null,
        outcome: h.outcome,
        receivedAt: h.receivedAt,
        startedAt: h.steps[0] ? new Date(h.steps[0].at) : null,
        ...h.times,
        ...(h.close ?? {}),
      })),
    );
    await tx.insert(traceSteps).values(runs.flatMap((h) => h.steps.map((s) => traceStepRow(h.id, s))));
  });
}
