import { and, eq, lt } from 'drizzle-orm';
import type { Principal, Role } from '../auth/principal';
import { hashPassword, newSessionToken, sha256, verifyPassword } from '../auth/secrets';
import type { Db } from '@lead-router/db/client';
import { sessions, users, workspaces } from '@lead-router/db/schema';
import { DomainError } from '../errors/domain-error';
import { findUserByEmail } from './users.service';

/** How many failed sign-ins one email may have within the window before we refuse to check more. */
export const MAX_FAILED_LOGINS = 10;
/** The window over which failed sign-ins count. */
export const LOGIN_WINDOW_MS = 15 * 60_000;
// Bounds the throttle's memory under a spray of made-up emails; past it, entries whose window has
// passed are dropped, and if that is not enough the oldest go first.
const MAX_TRACKED_EMAILS = 50_000;

/**
 * Counts failed sign-ins per email (in memory, per process). It counts unknown emails too, so its answers
 * say nothing about which emails exist.
 */
export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly max = MAX_FAILED_LOGINS,
    private readonly windowMs = LOGIN_WINDOW_MS,
  ) {}

  private recent(key: string, now: number): number[] {
    const list = (this.failures.get(key) ?? []).filter((t) => t > now - this.windowMs);
    if (list.length === 0) this.failures.delete(key);
    else this.failures.set(key, list);
    return list;
  }

  /** Seconds to wait before this email may try again, or null when it may try now. */
  retryAfter(email: string, now: number): number | null {
    const list = this.recent(normalizeEmail(email), now);
    if (list.length < this.max) return null;
    const oldest = list[list.length - this.max] ?? now;
    return Math.max(1, Math.ceil((oldest + this.windowMs - now) / 1000));
  }

  /** Records a failed attempt. */
  fail(email: string, now: number): void {
    const key = normalizeEmail(email);
    const list = this.recent(key, now);
    list.push(now);
    // Only the last `max` attempts decide when the email is free again.
    this.failures.set(key, list.slice(-this.max));
    if (this.failures.size > MAX_TRACKED_EMAILS) this.prune(now);
  }

  /** Forgets an email's failures after a successful sign-in. */
  succeed(email: string): void {
    this.failures.delete(normalizeEmail(email));
  }

  private prune(now: number): void {
    for (const [key, list] of this.failures) if (!list.some((t) => t > now - this.windowMs)) this.failures.delete(key);
    for (const key of this.failures.keys()) {
      if (this.failures.size <= MAX_TRACKED_EMAILS) break;
      this.failures.delete(key);
    }
  }
}

function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

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
 * disabled user all get the same `invalid_credentials`; past the throttle's limit, `too_many_attempts`.
 */
export async function login(db: Db, throttle: LoginThrottle, input: { email: string; password: string; now: Date; ttlHours: number }): Promise<NewSession> {
  const now = input.now.getTime();
  const wait = throttle.retryAfter(input.email, now);
  if (wait !== null) {
    throw new DomainError('too_many_attempts', `Too many failed sign-ins for this email; try again in ${Math.ceil(wait / 60)} minute(s).`, undefined, { retryAfterSeconds: wait });
  }
  const user = await findUserByEmail(db, input.email);
  const ok = await verifyPassword(input.password, user ? user.passwordHash : await decoy());
  if (!user || !ok || user.disabled) {
    throttle.fail(input.email, now);
    throw invalidCredentials();
  }
  throttle.succeed(input.email);
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
