import { and, eq, gt, isNull } from 'drizzle-orm';
import { getCookie } from 'hono/cookie';
import type { MiddlewareHandler } from 'hono';
import { apiKeys, sessions, users } from '@lead-router/db/schema';
import type { AppEnv } from '../http/context';
import type { Principal } from './principal';
import { sha256 } from './secrets';

export const SESSION_COOKIE = 'lr_session';

/**
 * Resolves the caller from `Authorization: Bearer <api key>` or the session cookie and puts it on the
 * context (null when neither is given or valid). Routes then say which role they need.
 */
export function authenticate(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const { db, now } = c.get('deps');
    let principal: Principal | null = null;
    const auth = c.req.header('authorization');
    if (auth && /^bearer\s+/i.test(auth)) {
      const token = auth.replace(/^bearer\s+/i, '').trim();
      const [key] = await db
        .select()
        .from(apiKeys)
        .where(and(eq(apiKeys.keyHash, sha256(token)), isNull(apiKeys.revokedAt)))
        .limit(1);
      if (key) {
        principal = { kind: 'key', id: key.id, name: `key ${key.name}`, workspaceId: key.workspaceId, role: key.role, repId: null };
        // Last use is a hint for people cleaning up keys: at most one write a minute per key.
        if (!key.lastUsedAt || now().getTime() - key.lastUsedAt.getTime() > 60_000) {
          void db.update(apiKeys).set({ lastUsedAt: now() }).where(eq(apiKeys.id, key.id)).catch(() => {});
        }
      }
    } else {
      const token = getCookie(c, SESSION_COOKIE);
      if (token) {
        const [row] = await db
          .select({ user: users })
          .from(sessions)
          .innerJoin(users, eq(users.id, sessions.userId))
          .where(and(eq(sessions.tokenHash, sha256(token)), gt(sessions.expiresAt, now()), eq(users.disabled, false)))
          .limit(1);
        if (row) {
          const u = row.user;
          principal = { kind: 'user', id: u.id, name: u.name, workspaceId: u.workspaceId, role: u.role, repId: u.repId };
        }
      }
    }
    c.set('principal', principal);
    await next();
  };
}
