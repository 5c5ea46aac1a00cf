import type { Lead, Plan } from '@lead-router/shared';
import { and, eq, sql } from 'drizzle-orm';
import { leads, versions, workflows, workspaces } from '@lead-router/db/schema';
import type { ActivityContext } from './context';
import { assertUuid, notFoundFailure } from './failures';
import type { RoutingActivities, RouteLeadInput } from './types';

/** The plan of a version and the workspace that owns it, from the cache or the versions table. */
async function planOf(ctx: ActivityContext, versionId: string): Promise<{ plan: Plan; workspaceId: string }> {
  const cached = ctx.plans.get(versionId);
  if (cached) return cached;
  assertUuid(versionId, 'Version');
  const [row] = await ctx.db
    .select({ plan: versions.plan, workspaceId: workflows.workspaceId })
    .from(versions)
    .innerJoin(workflows, eq(workflows.id, versions.workflowId))
    .where(eq(versions.id, versionId))
    .limit(1);
  if (!row) throw notFoundFailure(`Version ${versionId} does not exist`);
  // Versions are immutable: once read, a plan is good for the life of the process.
  ctx.plans.set(versionId, row);
  return row;
}

/** `loadRun` and `loadPlan`: what a run starts from. */
export function createLoadRun(ctx: ActivityContext): Pick<RoutingActivities, 'loadRun' | 'loadPlan'> {
  return {
    async loadRun(input: RouteLeadInput): Promise<{ plan: Plan; lead: Lead; receivedAt: number }> {
      assertUuid(input.leadId, 'Lead');
      assertUuid(input.workspaceId, 'Workspace');
      const [version, [lead]] = await Promise.all([
        planOf(ctx, input.versionId),
        ctx.db
          // The directory version as the run starts (same round trip): a directory cached before a change made
          // ahead of this lead is not used for it.
          .select({ data: leads.data, receivedAt: leads.receivedAt, directoryVersion: sql<string>`(select ${workspaces.directoryVersion} from ${workspaces} where ${workspaces.id} = ${leads.workspaceId})` })
          .from(leads)
          .where(and(eq(leads.id, input.leadId), eq(leads.workspaceId, input.workspaceId)))
          .limit(1),
      ]);
      // Another workspace's version is as unknown to this run as a missing one.
      if (version.workspaceId !== input.workspaceId) throw notFoundFailure(`Version ${input.versionId} does not exist`);
      if (!lead) throw notFoundFailure(`Lead ${input.leadId} does not exist`);
      if (lead.directoryVersion !== null) ctx.sawDirectoryVersion(input.workspaceId, Number(lead.directoryVersion));
      return { plan: version.plan, lead: lead.data, receivedAt: lead.receivedAt.getTime() };
    },

    async loadPlan(input: { versionId: string }): Promise<Plan> {
      return (await planOf(ctx, input.versionId)).plan;
    },
  };
}
