import { MAX_SECRETS_PER_WORKSPACE, secretHint, secretRefs, type SecretInfo } from '@lead-router/shared';
import type { Db, Tx } from '@lead-router/db/client';
import { queues, users, versions, workflows } from '@lead-router/db/schema';
import { secretContext, workspaceSecrets } from '@lead-router/db/secrets-schema';
import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type { Principal } from '../auth/principal';
import { requireSecretBox, type SecretKeyConfig } from '../crm/secret-box';
import { DomainError, invalidInput, notFound } from '../errors/domain-error';
import { audit } from './audit.service';

// Workspace secrets (shared/src/secrets.ts): admins set, replace and delete them; everyone who may read
// workflows sees their names, hints and which published workflows use them, never a value. Values are sealed
// with SECRET_KEY before they reach the database, bound to the workspace and the name.

/** The names of the workspace's secrets, for the compiler's check of `{{secret.NAME}}` references. */
export async function secretNames(db: Db | Tx, workspaceId: string): Promise<string[]> {
  const rows = await db.select({ name: workspaceSecrets.name }).from(workspaceSecrets).where(eq(workspaceSecrets.workspaceId, workspaceId)).orderBy(asc(workspaceSecrets.name));
  return rows.map((r) => r.name);
}

/**
 * Refuses (400 naming `path`) a text that names a secret the workspace does not have. Holds the publish lock
 * shared, as a publish does, so the secret cannot be deleted before the caller's transaction commits.
 */
export async function assertSecretsSet(tx: Tx, workspaceId: string, text: string, path: string): Promise<void> {
  const named = secretRefs(text);
  if (named.length === 0) return;
  await tx.execute(sql`select pg_advisory_xact_lock_shared(hashtextextended(${`secrets:${workspaceId}`}, 0))`);
  const known = new Set(await secretNames(tx, workspaceId));
  const missing = named.filter((n) => !known.has(n));
  if (missing.length > 0) throw invalidInput(missing.map((n) => ({ path, message: `{{secret.${n}}} is not set in this workspace: add it under Settings, Secrets, or correct the name` })));
}

/** Queues whose age alert channel's URL names each secret. */
async function queueUsesByName(db: Db | Tx, workspaceId: string): Promise<Map<string, Array<{ queueId: string; name: string }>>> {
  const rows = await db
    .select({ queueId: queues.id, name: queues.name, notify: queues.notify })
    .from(queues)
    .where(and(eq(queues.workspaceId, workspaceId), sql`${queues.notify}->>'url' like '%secret.%'`))
    .orderBy(asc(queues.name));
  const out = new Map<string, Array<{ queueId: string; name: string }>>();
  for (const row of rows) {
    const url = row.notify && row.notify.channel !== 'email' ? row.notify.url : '';
    for (const name of secretRefs(url)) out.set(name, [...(out.get(name) ?? []), { queueId: row.queueId, name: row.name }]);
  }
  return out;
}

/** Published workflows (their active version) that name each secret. */
async function usesByName(db: Db | Tx, workspaceId: string): Promise<Map<string, Array<{ workflowId: string; name: string }>>> {
  // Only graphs that mention a secret at all are read whole.
  const rows = await db
    .select({ workflowId: workflows.id, name: workflows.name, graph: versions.graph })
    .from(workflows)
    .innerJoin(versions, eq(versions.id, workflows.activeVersionId))
    .where(and(eq(workflows.workspaceId, workspaceId), isNull(workflows.archivedAt), sql`${versions.graph}::text like '%secret.%'`))
    .orderBy(asc(workflows.name));
  const out = new Map<string, Array<{ workflowId: string; name: string }>>();
  for (const row of rows) {
    for (const name of secretRefs(JSON.stringify(row.graph))) {
      const list = out.get(name) ?? [];
      list.push({ workflowId: row.workflowId, name: row.name });
      out.set(name, list);
    }
  }
  return out;
}

/** Every secret of the workspace, by name: never a value. */
export async function listSecrets(db: Db, p: Principal): Promise<SecretInfo[]> {
  const rows = await db
    .select({ name: workspaceSecrets.name, hint: workspaceSecrets.hint, createdAt: workspaceSecrets.createdAt, updatedAt: workspaceSecrets.updatedAt, updatedBy: users.name })
    .from(workspaceSecrets)
    .leftJoin(users, eq(users.id, workspaceSecrets.updatedBy))
    .where(eq(workspaceSecrets.workspaceId, p.workspaceId))
    .orderBy(asc(workspaceSecrets.name));
  const [uses, queueUses] = await Promise.all([usesByName(db, p.workspaceId), queueUsesByName(db, p.workspaceId)]);
  return rows.map((r) => ({
    name: r.name,
    hint: r.hint,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
    updatedBy: r.updatedBy,
    usedBy: uses.get(r.name) ?? [],
    usedByQueues: queueUses.get(r.name) ?? [],
  }));
}

/** Sets a secret (a new one, or a new value for one): sealed first, audited without its value. */
export async function putSecret(deps: { db: Db; config: SecretKeyConfig }, p: Principal, name: string, value: string): Promise<{ secret: SecretInfo; created: boolean }> {
  const box = requireSecretBox(deps.config);
  const trimmed = value.trim();
  const valueEnc = box.seal(trimmed, secretContext(p.workspaceId, name));
  const updatedBy = p.kind === 'user' ? p.id : null;
  const created = await deps.db.transaction(async (tx) => {
    // One writer per workspace at a time, so the count below holds (not the publish lock: a new value
    // changes no name, so it need not wait for a publish).
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`secrets-count:${p.workspaceId}`}, 0))`);
    const [existing] = await tx.select({ name: workspaceSecrets.name }).from(workspaceSecrets).where(and(eq(workspaceSecrets.workspaceId, p.workspaceId), eq(workspaceSecrets.name, name)));
    if (!existing) {
      const count = await tx.$count(workspaceSecrets, eq(workspaceSecrets.workspaceId, p.workspaceId));
      if (count >= MAX_SECRETS_PER_WORKSPACE) throw new DomainError('limit_reached', `A workspace can hold at most ${MAX_SECRETS_PER_WORKSPACE} secrets. Delete some first.`);
    }
    await tx
      .insert(workspaceSecrets)
      .values({ workspaceId: p.workspaceId, name, valueEnc, hint: secretHint(trimmed), updatedBy })
      .onConflictDoUpdate({ target: [workspaceSecrets.workspaceId, workspaceSecrets.name], set: { valueEnc, hint: secretHint(trimmed), updatedBy, updatedAt: sql`now()` } });
    await audit(tx, p, p.workspaceId, existing ? 'secret.update' : 'secret.create', { type: 'secret', id: name }, { keyId: box.keyId });
    return !existing;
  });
  const secret = (await listSecrets(deps.db, p)).find((s) => s.name === name);
  if (!secret) throw notFound(`The secret ${name}`);
  return { secret, created };
}

/** Deletes a secret; refused (409 in_use) while a published workflow names it, listing them. */
export async function deleteSecret(db: Db, p: Principal, name: string): Promise<void> {
  await db.transaction(async (tx) => {
    // Exclusive against a publish (which holds it shared while it checks the draft's secrets).
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`secrets:${p.workspaceId}`}, 0))`);
    const users_ = (await usesByName(tx, p.workspaceId)).get(name) ?? [];
    if (users_.length > 0) {
      throw new DomainError(
        'in_use',
        `The secret ${name} is used by the published workflow${users_.length === 1 ? '' : 's'} ${users_.map((u) => `'${u.name}'`).join(', ')}. Publish a version that no longer names it first.`,
        { usedBy: users_ },
      );
    }
    const queueUsers = (await queueUsesByName(tx, p.workspaceId)).get(name) ?? [];
    if (queueUsers.length > 0) {
      throw new DomainError('in_use', `The secret ${name} is where the age alerts of the queue${queueUsers.length === 1 ? '' : 's'} ${queueUsers.map((q) => `'${q.name}'`).join(', ')} go. Change their channel first.`, { usedByQueues: queueUsers });
    }
    const gone = await tx.delete(workspaceSecrets).where(and(eq(workspaceSecrets.workspaceId, p.workspaceId), eq(workspaceSecrets.name, name))).returning({ name: workspaceSecrets.name });
    if (gone.length === 0) throw notFound(`The secret ${name}`);
    await audit(tx, p, p.workspaceId, 'secret.delete', { type: 'secret', id: name });
  });
}
