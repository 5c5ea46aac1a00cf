import type { Principal } from '../auth/principal';
import type { Db, Tx } from '../db/client';
import { auditLog } from '../db/schema';

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
