import { and, asc, eq, ne, sql } from 'drizzle-orm';
import type { Principal, Role } from '../auth/principal';
import { hashPassword } from '../auth/secrets';
import type { Db, Tx } from '@lead-router/db/client';
import { reps, sessions, users } from '@lead-router/db/schema';
import { DomainError, notFound } from '../errors/domain-error';
import { audit } from './audit.service';
import { UUID_PATTERN } from './workflow-access';

/** The shortest password we accept for a person. */
export const MIN_PASSWORD_LENGTH = 10;

/** A user as the API shows it: never the password hash. */
export interface PublicUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  workspaceId: string;
  repId: string | null;
  disabled: boolean;
  createdAt: string;
}

type UserRow = typeof users.$inferSelect;

/** The row without its secret, dates as ISO strings. */
export function publicUser(u: UserRow): PublicUser {
  return { id: u.id, email: u.email, name: u.name, role: u.role, workspaceId: u.workspaceId, repId: u.repId, disabled: u.disabled, createdAt: u.createdAt.toISOString() };
}

/** The user with this email in any workspace (emails are unique across workspaces), case-insensitively. */
export async function findUserByEmail(db: Db | Tx, email: string): Promise<UserRow | undefined> {
  const [u] = await db
    .select()
    .from(users)
    .where(sql`lower(${users.email}) = lower(${email.trim()})`)
    .limit(1);
  return u;
}

/** Every user of the workspace, oldest first. */
export async function listUsers(db: Db, workspaceId: string): Promise<PublicUser[]> {
  const rows = await db.select().from(users).where(eq(users.workspaceId, workspaceId)).orderBy(asc(users.createdAt), asc(users.id));
  return rows.map(publicUser);
}

/** The user with this id in this workspace, or `not_found` (also for another workspace's user). */
export async function requireUser(db: Db | Tx, workspaceId: string, id: string, options: { forUpdate?: boolean } = {}): Promise<UserRow> {
  if (!UUID_PATTERN.test(id)) throw notFound(`User ${id}`);
  const q = db
    .select()
    .from(users)
    .where(and(eq(users.id, id), eq(users.workspaceId, workspaceId)))
    .limit(1);
  const [u] = options.forUpdate ? await q.for('update') : await q;
  if (!u) throw notFound(`User ${id}`);
  return u;
}

async function assertRepExists(db: Db | Tx, workspaceId: string, repId: string): Promise<void> {
  const [rep] = await db
    .select({ id: reps.id })
    .from(reps)
    .where(and(eq(reps.workspaceId, workspaceId), eq(reps.id, repId)))
    .limit(1);
  if (!rep) throw new DomainError('unknown_rep', `There is no rep "${repId}" in this workspace's directory.`, [{ path: 'repId', message: `Unknown rep "${repId}".` }]);
}

function isUniqueViolation(e: unknown): boolean {
  let cur: unknown = e;
  for (let i = 0; i < 4 && cur && typeof cur === 'object'; i++) {
    if ((cur as { code?: unknown }).code === '23505') return true;
    cur = (cur as { cause?: unknown }).cause;
  }
  return false;
}

const emailTaken = () => new DomainError('email_taken', 'A user with this email already exists.', [{ path: 'email', message: 'Already in use.' }]);

/** Input for a new user of a workspace. */
export interface NewUserInput {
  email: string;
  name: string;
  role: Role;
  password: string;
  repId?: string | null;
}

/** Creates a user in the actor's workspace (`email_taken` for a used email), audited. */
export async function createWorkspaceUser(db: Db, actor: Principal | null, workspaceId: string, input: NewUserInput): Promise<PublicUser> {
  const email = input.email.trim();
  if (await findUserByEmail(db, email)) throw emailTaken();
  // Hash outside the transaction: scrypt takes tens of milliseconds and needs no lock.
  const passwordHash = await hashPassword(input.password);
  try {
    return await db.transaction(async (tx) => {
      if (input.repId) await assertRepExists(tx, workspaceId, input.repId);
      const [u] = await tx
        .insert(users)
        .values({ workspaceId, email, name: input.name.trim(), role: input.role, passwordHash, repId: input.repId ?? null })
        .returning();
      if (!u) throw new Error('user insert returned nothing');
      await audit(tx, actor, workspaceId, 'user.created', { type: 'user', id: u.id }, { email: u.email, name: u.name, role: u.role, repId: u.repId });
      return publicUser(u);
    });
  } catch (e) {
    // Two creations racing for one email: the unique index decides, and the loser gets the same `email_taken`.
    if (isUniqueViolation(e)) throw emailTaken();
    throw e;
  }
}

/** What an admin may change about a user. */
export interface UserPatch {
  name?: string;
  role?: Role;
  repId?: string | null;
  disabled?: boolean;
  password?: string;
}

/** Options of an update: the session to keep when a user changes their own password. */
export interface UpdateUserOptions {
  keepSessionHash?: string | null;
}

/**
 * Changes a user, audited. A workspace always keeps one active admin: an admin cannot disable or demote
 * themselves (`cannot_demote_self`), and nobody can remove the last active admin (`last_admin`).
 * Disabling a user or changing their password ends their other sessions.
 */
export async function updateUser(db: Db, actor: Principal, id: string, patch: UserPatch, options: UpdateUserOptions = {}): Promise<PublicUser> {
  const passwordHash = patch.password !== undefined ? await hashPassword(patch.password) : undefined;
  return db.transaction(async (tx) => {
    // Lock the workspace's active admins first (in a stable order), so two admins demoting each other at
    // the same instant cannot both pass the last-admin check.
    await tx
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.workspaceId, actor.workspaceId), eq(users.role, 'admin'), eq(users.disabled, false)))
      .orderBy(asc(users.id))
      .for('update');
    const before = await requireUser(tx, actor.workspaceId, id, { forUpdate: true });
    const after = { role: patch.role ?? before.role, disabled: patch.disabled ?? before.disabled };
    const wasActiveAdmin = before.role === 'admin' && !before.disabled;
    const staysActiveAdmin = after.role === 'admin' && !after.disabled;
    if (wasActiveAdmin && !staysActiveAdmin) {
      if (actor.kind === 'user' && actor.id === before.id) {
        throw new DomainError('cannot_demote_self', 'You cannot disable or demote yourself; ask another admin to do it.');
      }
      const [others] = await tx
        .select({ n: sql<number>`count(*)::int` })
        .from(users)
        .where(and(eq(users.workspaceId, actor.workspaceId), eq(users.role, 'admin'), eq(users.disabled, false), ne(users.id, before.id)));
      if (!others || others.n === 0) {
        throw new DomainError('last_admin', `${before.name} is the workspace's last active admin; make someone else an admin first.`);
      }
    }
    if (patch.repId) await assertRepExists(tx, actor.workspaceId, patch.repId);

    const set: Partial<typeof users.$inferInsert> = {};
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    const track = <K extends 'name' | 'role' | 'repId' | 'disabled'>(key: K, value: UserRow[K] | undefined) => {
      if (value === undefined || value === before[key]) return;
      set[key] = value;
      changes[key] = { from: before[key], to: value };
    };
    track('name', patch.name?.trim());
    track('role', patch.role);
    track('repId', patch.repId);
    track('disabled', patch.disabled);
    if (passwordHash) set.passwordHash = passwordHash;

    let u = before;
    if (Object.keys(set).length > 0) {
      const [row] = await tx.update(users).set(set).where(eq(users.id, before.id)).returning();
      if (!row) throw notFound(`User ${id}`);
      u = row;
    }
    // A disabled user or a changed password must not leave live sessions behind (a stolen cookie dies
    // with the old password); the caller's own session survives changing their own password.
    if (changes.disabled?.to === true || passwordHash) {
      const keep = changes.disabled?.to !== true && actor.kind === 'user' && actor.id === before.id ? options.keepSessionHash : null;
      await tx.delete(sessions).where(keep ? and(eq(sessions.userId, before.id), ne(sessions.tokenHash, keep)) : eq(sessions.userId, before.id));
    }
    if (Object.keys(changes).length > 0 || passwordHash) {
      const action = changes.disabled?.to === true ? 'user.disabled' : 'user.updated';
      // Never the password itself: only the fact that it changed.
      await audit(tx, actor, actor.workspaceId, action, { type: 'user', id: before.id }, { email: before.email, changes, ...(passwordHash ? { passwordChanged: true } : {}) });
    }
    return publicUser(u);
  });
}

/** Disables a user (people are never deleted: the audit log and versions name them). */
export async function disableUser(db: Db, actor: Principal, id: string): Promise<PublicUser> {
  return updateUser(db, actor, id, { disabled: true });
}
