import { toStorableText, type Assignee, type RunStatus } from '@lead-router/shared';
import { and, eq, like, sql } from 'drizzle-orm';
import { notifications, queues, reps, routingRuns, traceSteps } from '@lead-router/db/schema';
import type { ActivityContext } from './context';
import { assertUuid, notFoundFailure } from './failures';
import type { RoutingActivities, RunRef } from './types';

const FINISHED = sql`${routingRuns.status} in ('completed', 'failed')`;

/** The longest failure reason stored with a run. */
const MAX_ERROR_LENGTH = 1000;

// A failure's reason is ours (a scrubbed database error, an activity's message), but it is stored as text
// PostgreSQL must take, whatever it says: no NUL, no lone surrogate (each becomes U+FFFD).
const storable = (s: string): string => {
  const t = toStorableText(s);
  return t.length > MAX_ERROR_LENGTH ? `${t.slice(0, MAX_ERROR_LENGTH - 3)}...` : t;
};

const completedAt = (ctx: ActivityContext) => sql`coalesce(${routingRuns.completedAt}, ${ctx.now().toISOString()}::timestamptz)`;

/** The run status activities: `markWaiting`, `finishRun` and `failRun` (all idempotent), and `beginRetry`. */
export function createRunStatus(ctx: ActivityContext): Pick<RoutingActivities, 'markWaiting' | 'finishRun' | 'failRun' | 'beginRetry'> {
  return {
    async markWaiting(input: RunRef & { leadId: string; nodeId: string; deadline: number; assignee: Assignee | null }): Promise<void> {
      assertUuid(input.leadId, 'Lead');
      await ctx.db
        .update(routingRuns)
        .set({
          status: sql`case when ${FINISHED} then ${routingRuns.status} else 'waiting'::run_status end`,
          deadlineAt: new Date(input.deadline),
          currentNodeId: input.nodeId,
          assigneeType: input.assignee?.type ?? null,
          assigneeId: input.assignee?.id ?? null,
        })
        .where(and(eq(routingRuns.leadId, input.leadId), eq(routingRuns.workspaceId, input.workspaceId)));
    },

    async finishRun(input: RunRef & { leadId: string; status: RunStatus; outcome: string; assignee: Assignee | null; error?: string }): Promise<void> {
      assertUuid(input.leadId, 'Lead');
      // A run stopped by the step or wait limit did end, just not at an end node: completed, outcome step_limit.
      const status = input.status === 'failed' ? 'failed' : 'completed';
      const outcome = input.status === 'step_limit' ? 'step_limit' : input.outcome;
      if (input.error) ctx.log.warn('Run ended with an error', { leadId: input.leadId, workflowId: input.workflowId, status: input.status, error: input.error });
      await ctx.db
        .update(routingRuns)
        .set({
          status,
          outcome,
          // A retry keeps the first completion time.
          completedAt: completedAt(ctx),
          deadlineAt: null,
          assigneeType: input.assignee?.type ?? null,
          assigneeId: input.assignee?.id ?? null,
          // Only a failed run shows why; a completed one has nothing to show.
          error: status === 'failed' && input.error ? storable(input.error) : null,
        })
        .where(and(eq(routingRuns.leadId, input.leadId), eq(routingRuns.workspaceId, input.workspaceId)));
    },

    async failRun(input: RunRef & { leadId: string; error: string }): Promise<void> {
      assertUuid(input.leadId, 'Lead');
      const error = storable(input.error);
      ctx.log.warn('Run failed', { leadId: input.leadId, workflowId: input.workflowId, error });
      // The assignee stays: whoever holds the lead keeps it (and its load) until a retry routes it again.
      await ctx.db
        .update(routingRuns)
        .set({ status: 'failed', outcome: 'failed', error, completedAt: completedAt(ctx), deadlineAt: null })
        .where(and(eq(routingRuns.leadId, input.leadId), eq(routingRuns.workspaceId, input.workspaceId)));
    },

    async beginRetry(input: RunRef & { leadId: string }): Promise<{ seq: number; assignee: Assignee | null } | null> {
      const { leadId, workspaceId, workflowId } = input;
      assertUuid(leadId, 'Lead');
      // Every effect keyed by a step seq leaves it in one of three places; a retry numbers its steps after
      // all of them, so none of its steps is taken for an earlier run's (and answered from it).
      const [run] = await ctx.db
        .select({
          status: routingRuns.status,
          assigneeType: routingRuns.assigneeType,
          assigneeId: routingRuns.assigneeId,
          assigneeName: sql<string | null>`coalesce(${reps.name}, ${queues.name})`,
          decided: sql<number | null>`(${routingRuns.lastAssignment} -> 'step' ->> 'seq')::int`,
          traced: sql<number | null>`(select max(${traceSteps.seq}) from ${traceSteps} where ${traceSteps.leadId} = ${leadId})`,
          notified: sql<number | null>`(select max(substring(${notifications.dedupeKey} from ':([0-9]{1,9})$')::int) from ${notifications}
            where ${notifications.leadId} = ${leadId} and ${like(notifications.dedupeKey, `${workflowId}:%`)})`,
        })
        .from(routingRuns)
        .leftJoin(reps, and(eq(routingRuns.assigneeType, 'rep'), eq(reps.workspaceId, routingRuns.workspaceId), eq(reps.id, routingRuns.assigneeId)))
        .leftJoin(queues, and(eq(routingRuns.assigneeType, 'queue'), eq(queues.workspaceId, routingRuns.workspaceId), eq(queues.id, routingRuns.assigneeId)))
        .where(and(eq(routingRuns.leadId, leadId), eq(routingRuns.workspaceId, workspaceId)))
        .limit(1);
      if (!run) throw notFoundFailure(`Lead ${leadId} does not exist`);
      // The retry's first start already ran it to its end: this is the same start again, with nothing to do.
      if (run.status === 'completed' || run.status === 'failed') return null;
      const seq = Math.max(0, Number(run.decided ?? 0), Number(run.traced ?? 0), Number(run.notified ?? 0));
      // A holder that has since left the directory is still the one the retry takes the lead from.
      const assignee: Assignee | null = run.assigneeType && run.assigneeId ? { type: run.assigneeType, id: run.assigneeId, name: run.assigneeName ?? run.assigneeId } : null;
      return { seq, assignee };
    },
  };
}
