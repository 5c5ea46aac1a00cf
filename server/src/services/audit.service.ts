import { and, desc, eq, lt } from 'drizzle-orm';
import type { Principal } from '../auth/principal';
import type { Db, Tx } from '@lead-router/db/client';
import { auditLog } from '@lead-router/db/schema';
import { auditCursor } from './cursor';

/** Records who changed what. Call it inside the transaction that makes the change, so both or neither land. */
export async function audit(
  db: Db | Tx,
  actor: Principal | null,
  workspaceId: string,
  action: string,
  entity: { type: string; id?: string | null },
  details: Record<string, unknown> = {},
): Promise<void> {
  await db.insert(auditLog).values({
    workspaceId,
    actorType: actor ? actor.kind : 'system',
    actorId: actor ? actor.id : null,
    actorName: actor ? actor.name : 'system',
    action,
    entityType: entity.type,
    entityId: entity.id ?? null,
    details,
  });
}

/** One entry of the audit log as the API shows it. */
export interface AuditEntry {
  id: string;
  actorType: 'user' | 'key' | 'system';
  actorId: string | null;
  actorName: string;
  action: string;
  entityType: string;
  entityId: string | null;
  details: Record<string, unknown>;
  createdAt: string;
}

/**
 * A page of the workspace's audit log, newest first. Keyset-paged on the id (which only grows), so pages
 * stay stable while new entries arrive: pass `nextCursor` back as `cursor` for the next page.
 */
export async function listAuditEntries(
  db: Db,
  workspaceId: string,
  query: { limit: number; cursor?: readonly [id: string] | undefined; entityType?: string | undefined; entityId?: string | undefined },
): Promise<{ items: AuditEntry[]; nextCursor: string | null }> {
  const where = [eq(auditLog.workspaceId, workspaceId)];
  if (query.cursor) where.push(lt(auditLog.id, Number(query.cursor[0])));
  if (query.entityType) where.push(eq(auditLog.entityType, query.entityType));
  if (query.entityId) where.push(eq(auditLog.entityId, query.entityId));
  const rows = await db
    .select()
    .from(auditLog)
    .where(and(...where))
    .orderBy(desc(auditLog.id))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  return {
    items: page.map((r) => ({
      id: String(r.id),
      actorType: r.actorType,
      actorId: r.actorId,
      actorName: r.actorName,
      action: r.action,
      entityType: r.entityType,
      entityId: r.entityId,
      details: r.details,
      createdAt: r.createdAt.toISOString(),
    })),
    nextCursor: rows.length > query.limit && last ? auditCursor.encode(String(last.id)) : null,
  };
}
