import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../http/context';
import { auditRoutes } from './audit.routes';
import { keysRoutes } from './keys.routes';
import { sessionRoutes } from './session.routes';
import { usersRoutes } from './users.routes';

/** People and access: sessions, users, API keys and the audit log. */
export function authRoutes() {
  return new OpenAPIHono<AppEnv>().route('/', sessionRoutes()).route('/', usersRoutes()).route('/', keysRoutes()).route('/', auditRoutes());
}
