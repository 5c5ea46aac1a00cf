import { and, desc, eq, isNull } from 'drizzle-orm';
import type { KeyRole, Principal } from '../auth/principal';
import type { Db } from '@lead-router/db/client';
import { apiKeys } from '@lead-router/db/schema';
import { notFound } from '../errors/domain-error';
import { audit } from './audit.service';
import { UUID_PATTERN } from './workflow-access';
import { createApiKey } from './workspaces.service';

/** The roles an API key may have: the people's roles plus `ingest` (post leads only). */
export const KEY_ROLES = ['ingest', 'viewer', 'editor', 'publisher', 'admin'] as const satisfies readonly KeyRole[];

/** An API key as lists show it: never its hash. */
export interface PublicKey {
  id: string;
  name: string;
  role: KeyRole;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

type KeyRow = typeof apiKeys.$inferSelect;

/** The row without its hash, dates as ISO strings. */
export function publicKey(k: KeyRow): PublicKey {
  return {
    id: k.id,
    name: k.name,
    role: k.role,
    prefix: k.prefix,
    createdAt: k.createdAt.toISOString(),
    lastUsedAt: k.lastUsedAt ? k.lastUsedAt.toISOString() : null,
    revokedAt: k.revokedAt ? k.revokedAt.toISOString() : null,
  };
}

/** Every key of the workspace, revoked ones included, newest first. */
export async function listKeys(db: Db, workspaceId: string): Promise<PublicKey[]> {
  const rows = await db.select().from(apiKeys).where(eq(apiKeys.workspaceId, workspaceId)).orderBy(desc(apiKeys.createdAt), desc(apiKeys.id));
  return rows.map(publicKey);
}

/** Creates a key in the actor's workspace, audited; the plaintext `key` is in this answer only. */
export async function issueKey(db: Db, actor: Principal, input: { name: string; role: KeyRole }): Promise<PublicKey & { key: string }> {
  return db.transaction(async (tx) => {
    const created = await createApiKey(tx, { workspaceId: actor.workspaceId, name: input.name.trim(), role: input.role, createdBy: actor.kind === 'user' ? actor.id : null });
    const [row] = await tx.select().from(apiKeys).where(eq(apiKeys.id, created.id)).limit(1);
    if (!row) throw new Error('api key vanished after insert');
    // The prefix is safe to log (it is shown in lists); the key never is.
    await audit(tx, actor, actor.workspaceId, 'key.created', { type: 'api_key', id: row.id }, { name: row.name, role: row.role, prefix: row.prefix });
    return { ...publicKey(row), key: created.key };
  });
}

/** Revokes a key of the actor's workspace at once (`not_found` for another workspace's key); revoking twice is harmless. */
export async function revokeKey(db: Db, actor: Principal, id: string, now: Date): Promise<PublicKey> {
  if (!UUID_PATTERN.test(id)) throw notFound(`API key ${id}`);
  return db.transaction(async (tx) => {
    const [revoked] = await tx
      .update(apiKeys)
      .set({ revokedAt: now })
      .where(and(eq(apiKeys.id, id), eq(apiKeys.workspaceId, actor.workspaceId), isNull(apiKeys.revokedAt)))
      .returning();
    if (revoked) {
      await audit(tx, actor, actor.workspaceId, 'key.revoked', { type: 'api_key', id: revoked.id }, { name: revoked.name, role: revoked.role, prefix: revoked.prefix });
      return publicKey(revoked);
    }
    const [existing] = await tx
      .select()
      .from(apiKeys)
      .where(and(eq(apiKeys.id, id), eq(apiKeys.workspaceId, actor.workspaceId)))
      .limit(1);
    if (!existing) throw notFound(`API key ${id}`);
    return publicKey(existing);
  });
}
