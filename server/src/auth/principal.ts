import type { Context } from 'hono';
import { DomainError } from '../errors/domain-error';
import type { AppEnv } from '../http/context';

/** The roles of people; API keys may also be `ingest` (post leads only). */
export const ROLES = ['viewer', 'editor', 'publisher', 'admin'] as const;
export type Role = (typeof ROLES)[number];
export type KeyRole = Role | 'ingest';

const RANK: Record<KeyRole, number> = { ingest: 0, viewer: 1, editor: 2, publisher: 3, admin: 4 };

/** Who is calling: a signed-in user or an API key, always within one workspace. */
export interface Principal {
  kind: 'user' | 'key';
  id: string;
  name: string;
  workspaceId: string;
  role: KeyRole;
  /** The rep a user is, for the inbox. */
  repId: string | null;
}

/** True when the principal's role is at least `min`. */
export function hasRole(p: Principal, min: KeyRole): boolean {
  return RANK[p.role] >= RANK[min];
}

const WHAT: Record<KeyRole, string> = {
  ingest: 'post leads',
  viewer: 'read this',
  editor: 'change drafts and run tests',
  publisher: 'publish and roll back',
  admin: 'manage the workspace, its directory, users and keys',
};

/** The caller, who must have at least `min`: `unauthorized` without credentials, `forbidden` without the role. */
export function assertRole(p: Principal | null, min: KeyRole): Principal {
  if (!p) throw new DomainError('unauthorized');
  if (!hasRole(p, min)) throw new DomainError('forbidden', `Your role (${p.role}) cannot ${WHAT[min]}; it needs ${min} or above.`);
  return p;
}

/** The request's caller, who must have at least `min` (see assertRole). */
export function requireRole(c: Context<AppEnv>, min: KeyRole): Principal {
  return assertRole(c.get('principal'), min);
}
