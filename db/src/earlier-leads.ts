import { emailKey, type EarlierLead } from '@lead-router/shared';
import { and, eq, gte, inArray, lte, sql } from 'drizzle-orm';
import type { Db, Tx } from './client';
import { leads, routingRuns } from './schema';

// Earlier leads by email, for match_account's duplicate check: the worker asks for one lead's email, a test
// run for the emails of its batch. Who holds each lead is routing_runs' current assignee.

/** Most earlier leads read per call (bounded cost). */
const MAX_EARLIER = 2000;

/** Leads of the workspace whose email is one of `emails` (compared trimmed, lower case), received in [from, to]. */
export async function loadEarlierLeads(db: Db | Tx, workspaceId: string, emails: readonly unknown[], from: Date, to: Date): Promise<EarlierLead[]> {
  const keys = [...new Set(emails.map(emailKey).filter((e): e is string => e !== null))].slice(0, MAX_EARLIER);
  if (keys.length === 0) return [];
  const email = sql<string>`lower(trim(${leads.data}->>'email'))`;
  const rows = await db
    .select({ leadId: leads.id, email, receivedAt: leads.receivedAt, assigneeType: routingRuns.assigneeType, assigneeId: routingRuns.assigneeId })
    .from(leads)
    .leftJoin(routingRuns, eq(routingRuns.leadId, leads.id))
    .where(and(eq(leads.workspaceId, workspaceId), inArray(email, keys), gte(leads.receivedAt, from), lte(leads.receivedAt, to)))
    .orderBy(leads.receivedAt, leads.id)
    .limit(MAX_EARLIER);
  return rows.map((r) => ({ leadId: r.leadId, email: r.email, receivedAt: r.receivedAt.getTime(), repId: r.assigneeType === 'rep' ? r.assigneeId : null }));
}

/** When a lead arrived, or null when there is no such lead in the workspace. */
export async function leadReceivedAt(db: Db | Tx, workspaceId: string, leadId: string): Promise<Date | null> {
  const [row] = await db.select({ at: leads.receivedAt }).from(leads).where(and(eq(leads.workspaceId, workspaceId), eq(leads.id, leadId)));
  return row?.at ?? null;
}
