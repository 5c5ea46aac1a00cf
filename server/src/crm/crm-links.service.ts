import { crmConnections, crmUsers } from '@lead-router/db/crm-schema';
import { reps } from '@lead-router/db/schema';
import type { Db } from '@lead-router/db/client';
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Principal } from '../auth/principal';
import { notFound } from '../errors/domain-error';
import type { CrmDeps } from './connections.service';
import { CrmSync, type SyncOutcome } from './crm-sync';

/** A rep's CRM user in one connection (linked by email), or none. */
export interface RepCrmLink {
  connectionId: string;
  connectionName: string;
  provider: string;
  /** Null when the connection has no active user with the rep's email. */
  user: { crmId: string; name: string; email: string } | null;
  lastSyncedAt: string | null;
}

/** The CRM user each of the workspace's connections links the rep to (the owner crm_update writes for them). */
export async function repCrmLinks(db: Db, p: Principal, repId: string): Promise<RepCrmLink[]> {
  const [rep] = await db.select({ email: reps.email }).from(reps).where(and(eq(reps.workspaceId, p.workspaceId), eq(reps.id, repId))).limit(1);
  if (!rep) throw notFound(`Rep ${repId}`);
  const conns = await db.select().from(crmConnections).where(eq(crmConnections.workspaceId, p.workspaceId)).orderBy(asc(crmConnections.name));
  const out: RepCrmLink[] = [];
  for (const c of conns) {
    const [u] = await db
      .select({ crmId: crmUsers.crmId, name: crmUsers.name, email: crmUsers.email })
      .from(crmUsers)
      .where(and(eq(crmUsers.connectionId, c.id), eq(crmUsers.active, true), sql`lower(${crmUsers.email}) = lower(${rep.email})`))
      .orderBy(asc(crmUsers.crmId))
      .limit(1);
    out.push({ connectionId: c.id, connectionName: c.name, provider: c.provider, user: u ?? null, lastSyncedAt: c.lastSyncedAt ? c.lastSyncedAt.toISOString() : null });
  }
  return out;
}

/** Syncs a connection's users and accounts now (an admin's "sync now"), whatever its schedule. */
export async function syncNow(deps: CrmDeps, p: Principal, id: string): Promise<SyncOutcome> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) throw notFound(`CRM connection ${id}`);
  const [c] = await deps.db.select({ id: crmConnections.id }).from(crmConnections).where(and(eq(crmConnections.id, id), eq(crmConnections.workspaceId, p.workspaceId))).limit(1);
  if (!c) throw notFound(`CRM connection ${id}`);
  return new CrmSync(deps).syncConnection(id);
}
