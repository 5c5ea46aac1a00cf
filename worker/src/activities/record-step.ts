import type { Assignee, Candidate, TraceStep } from '@lead-router/shared';
import { and, eq, gt, notExists, sql } from 'drizzle-orm';
import { routingRuns, traceSteps } from '../../../server/src/db/schema';
import type { ActivityContext } from './context';
import { assertUuid, isForeignKeyViolation, notFoundFailure } from './failures';
import type { RoutingActivities, RunRef } from './types';

/** A run that has finished keeps its status: a late write never turns it back into a running one. */
const FINISHED = sql`${routingRuns.status} in ('completed', 'failed')`;

const iso = (ms: number): string => new Date(ms).toISOString();

/** An assignee as a step's output holds it, or null. */
function assigneeOf(v: unknown): Assignee | null {
  if (v === null || typeof v !== 'object') return null;
  const a = v as Partial<Assignee>;
  return (a.type === 'rep' || a.type === 'queue') && typeof a.id === 'string' ? (a as Assignee) : null;
}

const int32 = (n: number): number => (Number.isFinite(n) ? Math.max(0, Math.min(2_147_483_647, Math.round(n))) : 0);

/**
 * `recordStep`: writes a finished step to the trace and moves the run along with it, in one transaction of
 * two statements. Idempotent on (lead, seq): a retry inserts nothing. The run row only follows the newest
 * step, so a step recorded late (a retry that overtook a later step) never moves the run backwards.
 */
export function createRecordStep(ctx: ActivityContext): Pick<RoutingActivities, 'recordStep'> {
  return {
    async recordStep(input: RunRef & { leadId: string; step: TraceStep }): Promise<void> {
      const { leadId, step, workspaceId } = input;
      assertUuid(leadId, 'Lead');
      const at = new Date(step.at);
      const output = step.output ?? {};
      const candidates = Array.isArray(output.candidates) ? (output.candidates as Candidate[]) : null;

      const set: Partial<Record<keyof typeof routingRuns.$inferInsert, unknown>> = {
        status: sql`case when ${FINISHED} then ${routingRuns.status} else 'running'::run_status end`,
        // At an end there is no next node: the run stands at the end it reached.
        currentNodeId: step.next ?? step.nodeId,
        startedAt: sql`coalesce(${routingRuns.startedAt}, ${iso(step.at)}::timestamptz)`,
      };
      const assignee = step.nodeType === 'assign' || step.nodeType === 'escalate' ? assigneeOf(output.assignee) : null;
      if (assignee) {
        // Every (re)assignment restarts the clock the assigned-to-accepted metric runs on.
        set.assigneeType = assignee.type;
        set.assigneeId = assignee.id;
        set.assignedAt = at;
      }
      if (step.nodeType === 'wait') {
        set.deadlineAt = null;
        // The wait started at `at`; the rep answered when it ended.
        if (step.outcome === 'accepted') set.acceptedAt = new Date(step.at + (step.durationMs ?? 0));
      }

      try {
        await ctx.db.transaction(async (tx) => {
          await tx
            .insert(traceSteps)
            .values({
              leadId,
              seq: step.seq,
              nodeId: step.nodeId,
              nodeType: step.nodeType,
              label: step.label,
              at,
              durationMs: int32(step.durationMs ?? 0),
              input: step.input ?? {},
              decision: step.decision,
              explanation: step.explanation ?? [],
              output,
              outcome: step.outcome,
              next: step.next,
              candidates,
            })
            .onConflictDoNothing();
          await tx
            .update(routingRuns)
            .set(set as Partial<typeof routingRuns.$inferInsert>)
            .where(
              and(
                eq(routingRuns.leadId, leadId),
                eq(routingRuns.workspaceId, workspaceId),
                notExists(
                  tx
                    .select({ one: sql`1` })
                    .from(traceSteps)
                    .where(and(eq(traceSteps.leadId, leadId), gt(traceSteps.seq, step.seq))),
                ),
              ),
            );
        });
      } catch (e) {
        if (isForeignKeyViolation(e)) throw notFoundFailure(`Lead ${leadId} does not exist`);
        throw e;
      }
    },
  };
}
