import { workspaces, apiKeys, users } from '@lead-router/db/schema';
import type { Db } from '@lead-router/db/client';
import type { KeyRole, Role } from '../auth/principal';
import { hashPassword, newApiKey, sha256 } from '../auth/secrets';

/** Creates a workspace. */
export async function createWorkspace(db: Db, name: string): Promise<{ id: string; name: string }> {
  const [ws] = await db.insert(workspaces).values({ name }).returning({ id: workspaces.id, name: workspaces.name });
  if (!ws) throw new Error('workspace insert returned nothing');
  return ws;
}

/** Creates a user with a hashed password. */
export async function createUser(
  db: Db,
  input: { workspaceId: string; email: string; name: string; role: Role; password: string; repId?: string | null },
): Promise<{ id: string; email: string; role: Role }> {
  const [u] = await db
    .insert(users)
    .values({ workspaceId: input.workspaceId, email: input.email.trim(), name: input.name, role: input.role, passwordHash: await hashPassword(input.password), repId: input.repId ?? null })
    .returning({ id: users.id, email: users.email, role: users.role });
  if (!u) throw new Error('user insert returned nothing');
  return u;
}

/** Creates an API key; the plaintext key is returned here once and never stored. */
export async function createApiKey(
  db: Db,
  input: { workspaceId: string; name: string; role: KeyRole; createdBy?: string | null },
): Promise<{ id: string; key: string; prefix: string; role: KeyRole; name: string }> {
  const key = newApiKey();
  const prefix = key.slice(0, 10);
  const [row] = await db
    .insert(apiKeys)
    .values({ workspaceId: input.workspaceId, name: input.name, role: input.role, prefix, keyHash: sha256(key), createdBy: input.createdBy ?? null })
    .returning({ id: apiKeys.id });
  if (!row) throw new Error('api key insert returned nothing');
  return { id: row.id, key, prefix, role: input.role, name: input.name };
}
