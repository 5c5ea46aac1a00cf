import { Context } from '@temporalio/activity';
import { crmFieldValues, type CrmUpdateRequest, type CrmUpdateResult } from '@lead-router/shared';
import { crmConnections, crmRecords, crmUsers, crmWrites } from '@lead-router/db/crm-schema';
import { reps } from '@lead-router/db/schema';
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import type { ActivityContext } from './context';
import { assertUuid } from './failures';
import type { RoutingActivities, RunRef } from './types';

// `crm_update`: the worker never calls the CRM itself. It queues the write (a `crm_writes` row keyed by run
// and step, so a retried activity finds its own row and nothing is written twice) and waits for the
// server's CRM writer, which sends the pending writes of each connection in batches (200 records a call)
// and retries a CRM that is down. The step's answer is the CRM's.

/** How the activity waits for the writer; tests shorten it. */
export interface CrmUpdateWaitOptions {
  /** How often the row is read (ms). */
  pollMs: number;
  /** How long one attempt waits before it hands back to Temporal to retry (ms): a still-pending write is a retryable error. */
  attemptMs: number;
}

export const DEFAULT_CRM_UPDATE_WAIT: CrmUpdateWaitOptions = { pollMs: 100, attemptMs: 60_000 };

/** A step that cannot be written (no record, no owner), in the result's shape. */
function refused(errorCode: string, message: string, known: Partial<CrmUpdateResult> = {}): CrmUpdateResult {
  return { written: false, connectionId: null, object: null, recordId: null, ownerCrmId: null, fields: {}, taskId: null, errorCode, message, detail: message, ...known };
}

const providerName = (p: string) => (p === 'hubspot' ? 'HubSpot' : 'Salesforce');

/** Heartbeats when run by Temporal (a cancelled or timed-out attempt stops waiting). */
function heartbeat(details: unknown): void {
  try {
    Context.current().heartbeat(details);
  } catch {
    // Outside an activity (a direct call in a test): nothing to heartbeat to.
  }
}

/** The result a finished row gives the step. */
function resultOf(row: typeof crmWrites.$inferSelect, provider: string): CrmUpdateResult {
  const a = row.answer ?? {};
  const written = row.status === 'written';
  return {
    written,
    connectionId: row.connectionId,
    object: row.object,
    recordId: a.recordId ?? row.recordId,
    ownerCrmId: row.ownerCrmId,
    fields: row.fields,
    taskId: a.taskId ?? null,
    errorCode: written ? null : (a.errorCode ?? 'UNKNOWN_ERROR'),
    message: written ? null : (a.message ?? null),
    detail: written
      ? `${providerName(provider)} saved ${row.object} ${a.recordId ?? row.recordId}${a.taskId ? ` and task ${a.taskId}` : ''}${row.attempts > 1 ? ` (after ${row.attempts} attempts)` : ''}`
      : `${providerName(provider)} refused the write: ${a.errorCode ?? 'error'} ${a.message ?? ''}`.trim(),
  };
}

export function createCrmUpdate(ctx: ActivityContext, wait: CrmUpdateWaitOptions = DEFAULT_CRM_UPDATE_WAIT): Pick<RoutingActivities, 'crmUpdate'> {
  /** Queues the write, or answers why there is nothing to write to. */
  async function enqueue(req: CrmUpdateRequest & RunRef, key: string): Promise<CrmUpdateResult | null> {
    const cfg = req.config;
    const links = await ctx.db
      .select({ connectionId: crmRecords.connectionId, crmId: crmRecords.crmId, object: crmRecords.object, provider: crmConnections.provider, name: crmConnections.name })
      .from(crmRecords)
      .innerJoin(crmConnections, eq(crmConnections.id, crmRecords.connectionId))
      .where(and(eq(crmRecords.leadId, req.leadId), eq(crmConnections.workspaceId, req.workspaceId), cfg.connectionId ? eq(crmRecords.connectionId, cfg.connectionId) : sql`true`))
      .orderBy(desc(crmRecords.firstSeenAt))
      .limit(1);
    const link = links[0];
    if (!link) return refused('NO_CRM_RECORD', cfg.connectionId ? 'The lead has no record in the chosen CRM connection (it did not come from it).' : 'The lead did not come from a CRM, so there is no record to write to.');
    const fields = crmFieldValues(cfg.fields, req.lead);
    const known = { connectionId: link.connectionId, object: link.object, recordId: link.crmId, fields };
    let ownerCrmId: string | null = null;
    if (cfg.writeOwner) {
      const rep = req.assignee?.type === 'rep' ? req.assignee : null;
      if (!rep) return refused('NO_OWNER', 'No rep holds the lead, so there is no owner to write.', known);
      const [user] = await ctx.db
        .select({ crmId: crmUsers.crmId })
        .from(crmUsers)
        .innerJoin(reps, and(eq(reps.workspaceId, req.workspaceId), eq(reps.id, rep.id), sql`lower(${reps.email}) = lower(${crmUsers.email})`))
        .where(and(eq(crmUsers.connectionId, link.connectionId), eq(crmUsers.active, true)))
        .orderBy(asc(crmUsers.crmId))
        .limit(1);
      if (!user) return refused('NO_CRM_USER', `${rep.name} has no active ${providerName(link.provider)} user with their email in “${link.name}” (users are synced from the CRM and linked by email).`, known);
      ownerCrmId = user.crmId;
    }
    await ctx.db
      .insert(crmWrites)
      .values({ key, workspaceId: req.workspaceId, connectionId: link.connectionId, leadId: req.leadId, object: link.object, recordId: link.crmId, ownerCrmId, fields, task: cfg.task ?? null })
      .onConflictDoNothing();
    return null;
  }

  return {
    async crmUpdate(req: CrmUpdateRequest & RunRef): Promise<CrmUpdateResult> {
      assertUuid(req.leadId, 'Lead');
      const key = `${req.workflowId}:${req.seq}`;
      const find = async () => {
        const [row] = await ctx.db.select({ w: crmWrites, provider: crmConnections.provider }).from(crmWrites).innerJoin(crmConnections, eq(crmConnections.id, crmWrites.connectionId)).where(eq(crmWrites.key, key)).limit(1);
        return row;
      };
      // A retried attempt finds the row the first one queued: the write is never queued twice.
      if (!(await find())) {
        const nothing = await enqueue(req, key);
        if (nothing) return nothing;
      }
      const until = performance.now() + wait.attemptMs;
      for (;;) {
        const row = await find();
        // The connection was deleted while the write waited (its rows go with it): nothing will answer.
        if (!row) return refused('CONNECTION_DELETED', 'The CRM connection was deleted before the write was sent.');
        if (row.w.status !== 'pending') return resultOf(row.w, row.provider);
        if (performance.now() >= until) {
          // Retryable: Temporal tries again with backoff; the row stays queued and the writer keeps retrying.
          throw new Error(`The CRM write is still pending after ${row.w.attempts} attempt(s)${row.w.answer?.errorCode ? ` (last: ${row.w.answer.errorCode})` : ''}`);
        }
        heartbeat({ attempts: row.w.attempts });
        await new Promise((r) => setTimeout(r, wait.pollMs));
      }
    },
  };
}
