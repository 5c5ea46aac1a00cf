import type { Assignee, RunStatus } from '@lead-router/shared';
import { and, eq, sql } from 'drizzle-orm';
import { routingRuns } from '@lead-router/db/schema';
import type { ActivityContext } from './context';
import { assertUuid } from './failures';
import type { RoutingActivities, RunRef } from './types';

const FINISHED = sql`${routingRuns.status} in ('completed', 'failed')`;

/** `markWaiting` and `finishRun`: the run row's status around SLA waits and at the end. Both idempotent. */
export function createRunStatus(ctx: ActivityContext): Pick<RoutingActivities, 'markWaiting' | 'finishRun'> {
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
          completedAt: sql`coalesce(${routingRuns.completedAt}, ${ctx.now().toISOString()}::timestamptz)`,
          deadlineAt: null,
          assigneeType: input.assignee?.type ?? null,
          assigneeId: input.assignee?.id ?? null,
        })
        .where(and(eq(routingRuns.leadId, input.leadId), eq(routingRuns.workspaceId, input.workspaceId)));
    },
  };
}
