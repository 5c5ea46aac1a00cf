import { and, eq, lt } from 'drizzle-orm';
import type { Principal, Role } from '../auth/principal';
import { hashPassword, newSessionToken, sha256, verifyPassword } from '../auth/secrets';
import type { Db } from '@lead-router/db/client';
import { sessions, users, workspaces } from '@lead-router/db/schema';
import { DomainError } from '../errors/domain-error';
import { reserveSignIn, settleSignIn } from './sign-in-limits.service';
import { findUserByEmail } from './users.service';

/** The signed-in user as the login answer shows them. */
export interface SessionUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  workspaceId: string;
  repId: string | null;
}

/** A new session: the cookie token (shown once, stored as its sha256), its expiry and its user. */
export interface NewSession {
  token: string;
  expiresAt: Date;
  user: SessionUser;
}

const invalidCredentials = () => new DomainError('invalid_credentials', 'Wrong email or password.');

// Compared against when the email is unknown, so a wrong email costs as long as a wrong password.
let decoyHash: Promise<string> | null = null;
const decoy = () => (decoyHash ??= hashPassword(newSessionToken()));

/**
 * Checks an email and password and opens a session for `ttlHours`. Wrong email, wrong password and a
 * disabled user all get the same `invalid_credentials`. The attempt is reserved against the account's and
 * the client address's limits before the password is checked (sign-in-limits.service.ts); when one of them
 * must wait, `too_many_attempts` and no password is checked at all.
 */
export async function login(db: Db, input: { email: string; password: string; clientAddress: string | null; now: Date; ttlHours: number }): Promise<NewSession> {
  const attempt = { email: input.email, clientAddress: input.clientAddress, now: input.now };
  await reserveSignIn(db, attempt);
  const user = await findUserByEmail(db, input.email);
  const ok = await verifyPassword(input.password, user ? user.passwordHash : await decoy());
  if (!user || !ok || user.disabled) throw invalidCredentials();
  await settleSignIn(db, attempt);
  const now = input.now.getTime();
  const token = newSessionToken();
  const expiresAt = new Date(now + input.ttlHours * 3_600_000);
  await db.transaction(async (tx) => {
    // Expired sessions of this user are dead weight: drop them while we are here.
    await tx.delete(sessions).where(and(eq(sessions.userId, user.id), lt(sessions.expiresAt, input.now)));
    await tx.insert(sessions).values({ tokenHash: sha256(token), userId: user.id, createdAt: input.now, expiresAt });
  });
  return { token, expiresAt, user: { id: user.id, email: user.email, name: user.name, role: user.role, workspaceId: user.workspaceId, repId: user.repId } };
}

/** Ends the session with this cookie token, if there is one. */
export async function logout(db: Db, token: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.tokenHash, sha256(token)));
}

/** Who is calling, as `GET /api/auth/me` shows it. */
export interface Me {
  kind: 'user' | 'key';
  id: string;
  name: string;
  email: string | null;
  role: Principal['role'];
  repId: string | null;
  workspaceId: string;
  workspaceName: string;
}

/** The principal with their workspace's name (and a user's email). */
export async function describePrincipal(db: Db, p: Principal): Promise<Me> {
  const [ws] = await db.select({ name: workspaces.name }).from(workspaces).where(eq(workspaces.id, p.workspaceId)).limit(1);
  let email: string | null = null;
  if (p.kind === 'user') {
    const [u] = await db
      .select({ email: users.email })
      .from(users)
      .where(and(eq(users.id, p.id), eq(users.workspaceId, p.workspaceId)))
      .limit(1);
    email = u?.email ?? null;
  }
  return { kind: p.kind, id: p.id, name: p.name, email, role: p.role, repId: p.repId, workspaceId: p.workspaceId, workspaceName: ws?.name ?? '' };
}
