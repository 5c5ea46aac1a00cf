import { isFreeMailDomain, matchAccount, type MatchAccountRequest, type MatchAccountResult } from '@lead-router/shared';
import type { ActivityContext } from './context';
import { assertUuid, businessFailure } from './failures';
import type { RoutingActivities, RunRef } from './types';

/**
 * `matchAccount`: the shared matcher over the workspace's accounts, as `SimulationEffects.matchAccount`
 * runs it. Read-only. No account is a business failure whose `details[0]` is the result (account null).
 */
export function createMatchAccount(ctx: ActivityContext): Pick<RoutingActivities, 'matchAccount'> {
  return {
    async matchAccount(req: MatchAccountRequest & RunRef): Promise<MatchAccountResult> {
      assertUuid(req.workspaceId, 'Workspace');
      const index = await ctx.directory(req.workspaceId);
      const r = matchAccount(req.lead, req.config.by, index, isFreeMailDomain);
      const result: MatchAccountResult = {
        account: r.account ? { id: r.account.id, name: r.account.name, ownerId: r.account.ownerId ?? null } : null,
        method: r.method,
        detail: r.detail,
      };
      if (!result.account) throw businessFailure(result.detail, result);
      return result;
    },
  };
}
