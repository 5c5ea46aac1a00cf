import { isFreeMailDomain, matchAccountResult, pickEarlierLead, type MatchAccountRequest, type MatchAccountResult } from '@lead-router/shared';
import { leadReceivedAt, loadEarlierLeads } from '@lead-router/db/earlier-leads';
import type { ActivityContext } from './context';
import { assertUuid, businessFailure } from './failures';
import type { RoutingActivities, RunRef } from './types';

const DAY_MS = 86_400_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * `matchAccount`: the shared matcher over the workspace's accounts, as `SimulationEffects.matchAccount`
 * runs it (`matchAccountResult`). With duplicates on, the earlier leads with the lead's email come from the
 * database, measured from the lead's arrival, and `pickEarlierLead` picks as the simulation does. Read-only.
 * No account (and no duplicate) is a business failure whose `details[0]` is the result.
 */
export function createMatchAccount(ctx: ActivityContext): Pick<RoutingActivities, 'matchAccount'> {
  return {
    async matchAccount(req: MatchAccountRequest & RunRef): Promise<MatchAccountResult> {
      assertUuid(req.workspaceId, 'Workspace');
      const index = await ctx.directory(req.workspaceId);
      const days = req.config.duplicateWithinDays;
      let duplicate = null;
      if (days) {
        const stored = UUID.test(req.leadId) ? await leadReceivedAt(ctx.db, req.workspaceId, req.leadId) : null;
        const at = stored ?? ctx.now();
        const earlier = await loadEarlierLeads(ctx.db, req.workspaceId, [req.lead.email], new Date(at.getTime() - days * DAY_MS), at);
        duplicate = pickEarlierLead(earlier, { leadId: req.leadId, email: req.lead.email, at: at.getTime() }, days);
      }
      const result = matchAccountResult(req, index, isFreeMailDomain, duplicate);
      if (!result.account && !result.duplicate) throw businessFailure(result.detail, result);
      return result;
    },
  };
}
