import { createAssign } from './assign';
import { createContext, type ActivityDeps } from './context';
import { createCrmUpdate } from './crm-update';
import { createEnrich } from './enrich';
import { createEscalate } from './escalate';
import { scrubDatabaseError } from './failures';
import { createLoadRun } from './load-run';
import { createMatchAccount } from './match-account';
import { createNotify } from './notify';
import { createRecordSteps } from './record-steps';
import { createRunStatus } from './run-status';
import { createRunSegment } from './segment';
import type { RoutingActivities, RunRef } from './types';
import { createUpdate } from './update';
import { createWorkCalendar } from './work-calendar';

export type { ActivityDeps, ActivityLog, SmtpSettings } from './context';
export type { EnrichProvider, ProviderAnswer } from './enrich-providers';
export { firmographicsProvider, httpProvider } from './enrich-providers';
export { DatabaseError } from './failures';
export type { ResolveHost } from './target-guard';
export { BUSINESS_FAILURE, type RoutingActivities, type RouteLeadInput, type RunRef, type SegmentInput, type SegmentResult } from './types';

/**
 * An activity whose database errors leave it as `DatabaseError`s (operation, ids, error code) instead of
 * drizzle's, whose message holds the query and every parameter: what an activity throws is logged by the
 * worker and recorded in the run's Temporal history, and must not carry lead data.
 */
const withoutQueryData =
  <A extends object, R>(operation: string, act: (input: A) => Promise<R>) =>
  async (input: A): Promise<R> => {
    try {
      return await act(input);
    } catch (e) {
      throw scrubDatabaseError(e, operation, input as { leadId?: unknown; workflowId?: unknown; versionId?: unknown });
    }
  };

/**
 * The activities of `routeLead`, built over their dependencies (the database, SMTP, the target guard's
 * resolver, a clock). One file per effect; every one is idempotent under Temporal's retries (see types.ts).
 */
export function createActivities(deps: ActivityDeps): RoutingActivities {
  const ctx = createContext(deps);
  const recordSteps = withoutQueryData('recordSteps', createRecordSteps(ctx).recordSteps);
  // Steps carried by an effect's request are written first: a retry writes them again harmlessly.
  const withSteps =
    <A extends RunRef & { leadId: string }, R>(operation: string, act: (input: A) => Promise<R>) =>
    withoutQueryData(operation, async (input: A): Promise<R> => {
      const { steps, ...rest } = input;
      if (steps && steps.length > 0) await recordSteps({ workspaceId: input.workspaceId, workflowId: input.workflowId, leadId: input.leadId, steps });
      return act(rest as A);
    });
  const { loadRun, loadPlan } = createLoadRun(ctx);
  const { markWaiting, finishRun, failRun, beginRetry } = createRunStatus(ctx);
  const { enrich } = createEnrich(ctx);
  const { matchAccount } = createMatchAccount(ctx);
  const { assign } = createAssign(ctx);
  const { escalate } = createEscalate(ctx);
  const { notify } = createNotify(ctx);
  const { update } = createUpdate(ctx);
  const { crmUpdate } = createCrmUpdate(ctx, deps.crmUpdateWait);
  const { workCalendar } = createWorkCalendar(ctx);
  const effectful = {
    loadRun: withoutQueryData('loadRun', loadRun),
    loadPlan: withoutQueryData('loadPlan', loadPlan),
    recordSteps,
    // Steps before a wait and the mark are one statement (recordSteps' run update waits); alone, the mark.
    markWaiting: withoutQueryData('markWaiting', async (input: Parameters<typeof markWaiting>[0]) => {
      const { steps, nodeId, deadline, assignee, ...rest } = input;
      if (steps && steps.length > 0) return recordSteps({ ...rest, steps, waiting: { nodeId, deadline, assignee } });
      return markWaiting({ ...rest, nodeId, deadline, assignee });
    }),
    finishRun: withSteps('finishRun', finishRun),
    // Neither carries steps: a failure is recorded even when the steps it would carry are what failed.
    failRun: withoutQueryData('failRun', failRun),
    beginRetry: withoutQueryData('beginRetry', beginRetry),
    enrich: withSteps('enrich', enrich),
    matchAccount: withSteps('matchAccount', matchAccount),
    assign: withSteps('assign', assign),
    escalate: withSteps('escalate', escalate),
    notify: withSteps('notify', notify),
    update: withSteps('update', update),
    crmUpdate: withSteps('crmUpdate', crmUpdate),
    workCalendar: withoutQueryData('workCalendar', workCalendar),
  };
  // The segment calls the others in-process: each keeps its own error scrubbing and carried steps.
  return { ...effectful, ...createRunSegment(ctx, effectful) };
}
