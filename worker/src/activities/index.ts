import { createAssign } from './assign';
import { createContext, type ActivityDeps } from './context';
import { createEnrich } from './enrich';
import { createEscalate } from './escalate';
import { createLoadRun } from './load-run';
import { createMatchAccount } from './match-account';
import { createNotify } from './notify';
import { createRecordStep } from './record-step';
import { createRunStatus } from './run-status';
import type { RoutingActivities } from './types';
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
  return {
    ...createLoadRun(ctx),
    ...createRecordStep(ctx),
    ...createRunStatus(ctx),
    ...createEnrich(ctx),
    ...createMatchAccount(ctx),
    ...createAssign(ctx),
    ...createEscalate(ctx),
    ...createNotify(ctx),
    ...createUpdate(ctx),
  };
}
