import { and, asc, desc, eq, max } from 'drizzle-orm';
import type { Db, Tx } from '@lead-router/db/client';
import { queues, reps, type routingRuns, traceSteps, versions } from '@lead-router/db/schema';
import { runHistory } from '@lead-router/db/history-schema';

// A lead's earlier runs (run_history): kept when an operator re-routes a lead (reroute.service.ts) or
// retries its failed run (lead-retry.service.ts), read for the lead's page.

/**
 * Keeps the lead's current run, as it stands (its row locked by the caller), as an earlier run, before the
 * caller starts the next one. `lastSeq` is its last trace step, where the lead's trace divides.
 */
export async function keepEarlierRun(
  tx: Tx,
  current: typeof routingRuns.$inferSelect,
  ended: { reason: 'rerouted' | 'retried'; by: string; byName: string; at: Date; note?: string | undefined },
): Promise<void> {
  const [traced] = await tx.select({ seq: max(traceSteps.seq) }).from(traceSteps).where(eq(traceSteps.leadId, current.leadId));
  await tx.insert(runHistory).values({
    leadId: current.leadId,
    workspaceId: current.workspaceId,
    runNumber: current.runNumber,
    versionId: current.versionId,
    status: current.status,
    // A run ended while it waited on a rep did not finish on its own.
    outcome: current.status === 'waiting' ? ended.reason : current.outcome,
    assigneeType: current.assigneeType,
    assigneeId: current.assigneeId,
    startedAt: current.startedAt,
    firstAssignedAt: current.firstAssignedAt,
    assignedAt: current.assignedAt,
    acceptedAt: current.acceptedAt,
    completedAt: current.completedAt ?? ended.at,
    closedAt: current.closedAt,
    closeReason: current.closeReason,
    lastSeq: traced?.seq ?? 0,
    endedReason: ended.reason,
    endedAt: ended.at,
    endedBy: ended.by,
    endedByName: ended.byName,
    note: ended.note ?? null,
  });
}

/** Who held a lead, by name when the directory still has them. */
interface HolderView {
  type: 'rep' | 'queue';
  id: string;
  name: string | null;
}

/** One earlier run of a lead, as it stood when it was re-routed. */
export interface EarlierRun {
  runNumber: number;
  versionId: string;
  version: number | null;
  status: string;
  outcome: string | null;
  assignee: HolderView | null;
  firstAssignedAt: string | null;
  acceptedAt: string | null;
  completedAt: string | null;
  closedAt: string | null;
  /** Its last trace step: the next run's steps come after it. */
  lastSeq: number;
  endedReason: string;
  endedAt: string;
  endedBy: string;
  /** Who ended it, by name as it was then. */
  endedByName: string;
  note: string | null;
}

/** A lead's earlier runs, oldest first (the caller has checked the lead is the workspace's). */
export async function earlierRuns(db: Db, workspaceId: string, leadId: string): Promise<EarlierRun[]> {
  const rows = await db
    .select({ h: runHistory, version: versions.number, repName: reps.name, queueName: queues.name })
    .from(runHistory)
    .leftJoin(versions, eq(versions.id, runHistory.versionId))
    .leftJoin(reps, and(eq(runHistory.assigneeType, 'rep'), eq(reps.workspaceId, runHistory.workspaceId), eq(reps.id, runHistory.assigneeId)))
    .leftJoin(queues, and(eq(runHistory.assigneeType, 'queue'), eq(queues.workspaceId, runHistory.workspaceId), eq(queues.id, runHistory.assigneeId)))
    .where(and(eq(runHistory.leadId, leadId), eq(runHistory.workspaceId, workspaceId)))
    .orderBy(asc(runHistory.runNumber), desc(runHistory.id));
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  return rows.map(({ h, version, repName, queueName }) => ({
    runNumber: h.runNumber,
    versionId: h.versionId,
    version: version ?? null,
    status: h.status,
    outcome: h.outcome,
    assignee: h.assigneeType && h.assigneeId ? { type: h.assigneeType, id: h.assigneeId, name: (h.assigneeType === 'rep' ? repName : queueName) ?? null } : null,
    firstAssignedAt: iso(h.firstAssignedAt),
    acceptedAt: iso(h.acceptedAt),
    completedAt: iso(h.completedAt),
    closedAt: iso(h.closedAt),
    lastSeq: h.lastSeq,
    endedReason: h.endedReason,
    endedAt: h.endedAt.toISOString(),
    endedBy: h.endedBy,
    endedByName: h.endedByName,
    note: h.note,
  }));
}
