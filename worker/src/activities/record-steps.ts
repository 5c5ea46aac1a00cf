import type { Assignee, TraceStep } from '@lead-router/shared';
import { and, eq, gt, notExists, sql } from 'drizzle-orm';
import { routingRuns, traceSteps } from '@lead-router/db/schema';
import { traceStepRow } from '@lead-router/db/trace-rows';
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

/** The routing_runs columns a step moves (the run follows its newest step). */
function runUpdateFor(step: TraceStep): Partial<Record<keyof typeof routingRuns.$inferInsert, unknown>> {
  const set: Partial<Record<keyof typeof routingRuns.$inferInsert, unknown>> = {
    status: sql`case when ${FINISHED} then ${routingRuns.status} else 'running'::run_status end`,
    // At an end there is no next node: the run stands at the end it reached.
    currentNodeId: step.next ?? step.nodeId,
    startedAt: sql`coalesce(${routingRuns.startedAt}, ${iso(step.at)}::timestamptz)`,
  };
  return set;
}

/** Folds the run updates of consecutive steps into one: later steps win, assignments and acceptances stick. */
function foldRunUpdates(steps: TraceStep[]): Partial<Record<keyof typeof routingRuns.$inferInsert, unknown>> {
  const first = steps[0]!;
  const set = { ...runUpdateFor(steps[steps.length - 1]!), startedAt: sql`coalesce(${routingRuns.startedAt}, ${iso(first.at)}::timestamptz)` };
  for (const step of steps) {
    const output = step.output ?? {};
    const assignee = step.nodeType === 'assign' || step.nodeType === 'escalate' ? assigneeOf(output.assignee) : null;
    if (assignee) {
      // Every (re)assignment restarts the clock the assigned-to-accepted metric runs on; the first one,
      // speed to lead, is kept apart and never moves.
      set.assigneeType = assignee.type;
      set.assigneeId = assignee.id;
      set.assignedAt = new Date(step.at);
      // The assign activity stored its decision at its own clock, a little after the step's workflow time;
      // the earlier of the two is the first assignment, so a lead assigned once never shows a re-assignment.
      set.firstAssignedAt ??= sql`least(coalesce(${routingRuns.firstAssignedAt}, ${iso(step.at)}::timestamptz), ${iso(step.at)}::timestamptz)`;
    }
    if (step.nodeType === 'wait') {
      set.deadlineAt = null;
      // The wait started at `at`; the rep answered when it ended.
      if (step.outcome === 'accepted') set.acceptedAt = new Date(step.at + (step.durationMs ?? 0));
    }
  }
  return set;
}

/**
 * `recordSteps`: writes finished steps to the trace, in order, and moves the run along with the newest, in
 * one statement (the insert is a data-modifying CTE of the run's update, so both commit or neither does) and
 * one round trip. The workflow batches the steps it computes between two effects, so a lead's dozen steps
 * cost a few writes, not a dozen. Idempotent on (lead, seq): a retry inserts nothing. The run row only
 * follows the newest step (the update sees the trace as it was before this statement), so steps recorded
 * late (a retry that overtook later ones) never move the run backwards. There is no one-step variant: the
 * workflow always batches, and local activities are never queued, so no older worker's task can ask for one.
 */
export function createRecordSteps(ctx: ActivityContext): Pick<RoutingActivities, 'recordSteps'> {
  const recordSteps = async (input: RunRef & { leadId: string; steps: TraceStep[] }): Promise<void> => {
    const { leadId, workspaceId } = input;
    assertUuid(leadId, 'Lead');
    const steps = [...input.steps].sort((a, b) => a.seq - b.seq);
    if (steps.length === 0) return;
    const newest = steps[steps.length - 1]!.seq;
    const inserted = ctx.db.$with('inserted').as(
      ctx.db
        .insert(traceSteps)
        .values(steps.map((s) => traceStepRow(leadId, s)))
        .onConflictDoNothing()
        .returning({ seq: traceSteps.seq }),
    );
    try {
      await ctx.db
        .with(inserted)
        .update(routingRuns)
        .set(foldRunUpdates(steps) as Partial<typeof routingRuns.$inferInsert>)
        .where(
          and(
            eq(routingRuns.leadId, leadId),
            eq(routingRuns.workspaceId, workspaceId),
            notExists(
              ctx.db
                .select({ one: sql`1` })
                .from(traceSteps)
                .where(and(eq(traceSteps.leadId, leadId), gt(traceSteps.seq, newest))),
            ),
          ),
        );
    } catch (e) {
      if (isForeignKeyViolation(e)) throw notFoundFailure(`Lead ${leadId} does not exist`);
      throw e;
    }
  };
  return { recordSteps };
}
