import { createAssign } from './assign';
import { createContext, type ActivityDeps } from './context';
import { createEnrich } from './enrich';
import { createEscalate } from './escalate';
import { createLoadRun } from './load-run';
import { createMatchAccount } from './match-account';
import { createNotify } from './notify';
import { createRecordSteps } from './record-steps';
import { createRunStatus } from './run-status';
import type { RoutingActivities, RunRef } from './types';
import { createUpdate } from './update';

export type { ActivityDeps, ActivityLog, SmtpSettings } from './context';
export type { EnrichProvider, ProviderAnswer } from './enrich-providers';
export { firmographicsProvider, httpProvider } from './enrich-providers';
export { BUSINESS_FAILURE, type RoutingActivities, type RouteLeadInput, type RunRef } from './types';

/**
 * The activities of `routeLead`, built over their dependencies (the database, SMTP, an HTTP client, a
 * clock). One file per effect; every one is idempotent under Temporal's retries (see types.ts).
 */
export function createActivities(deps: ActivityDeps): RoutingActivities {
  const ctx = createContext(deps);
  const record = createRecordSteps(ctx);
  // Steps carried by an effect's request are written first: a retry writes them again harmlessly.
  const withSteps =
    <A extends RunRef & { leadId: string }, R>(act: (input: A) => Promise<R>) =>
    async (input: A): Promise<R> => {
      const { steps, ...rest } = input;
      if (steps && steps.length > 0) await record.recordSteps({ workspaceId: input.workspaceId, workflowId: input.workflowId, leadId: input.leadId, steps });
      return act(rest as A);
    };
  const { markWaiting, finishRun } = createRunStatus(ctx);
  const { enrich } = createEnrich(ctx);
  const { matchAccount } = createMatchAccount(ctx);
  const { assign } = createAssign(ctx);
  const { escalate } = createEscalate(ctx);
  const { notify } = createNotify(ctx);
  const { update } = createUpdate(ctx);
  return {
    ...createLoadRun(ctx),
    ...record,
    markWaiting: withSteps(markWaiting),
    finishRun: withSteps(finishRun),
    enrich: withSteps(enrich),
    matchAccount: withSteps(matchAccount),
    assign: withSteps(assign),
    escalate: withSteps(escalate),
    notify: withSteps(notify),
    update: withSteps(update),
  };
}
