import type { UpdateRequest, UpdateResult } from '@lead-router/shared';
import { and, eq, sql } from 'drizzle-orm';
import { leads } from '@lead-router/db/schema';
import type { ActivityContext } from './context';
import { assertUuid, notFoundFailure } from './failures';
import type { RoutingActivities, RunRef } from './types';

/**
 * `update`: merges the step's fields into the stored lead (`data || set`). Setting the same values twice
 * leaves the same row, so a retry is harmless.
 */
export function createUpdate(ctx: ActivityContext): Pick<RoutingActivities, 'update'> {
  return {
    async update(req: UpdateRequest & RunRef): Promise<UpdateResult> {
      assertUuid(req.leadId, 'Lead');
      const keys = Object.keys(req.set);
      if (keys.length === 0) return { ok: true, detail: 'Nothing to save' };
      const rows = await ctx.db
        .update(leads)
        .set({ data: sql`${leads.data} || ${JSON.stringify(req.set)}::jsonb` })
        .where(and(eq(leads.id, req.leadId), eq(leads.workspaceId, req.workspaceId)))
        .returning({ id: leads.id });
      if (rows.length === 0) throw notFoundFailure(`Lead ${req.leadId} does not exist`);
      return { ok: true, detail: `Saved ${keys.length} field(s) on the lead` };
    },
  };
}
