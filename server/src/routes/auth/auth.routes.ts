import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../http/context';
import { auditRoutes } from './audit.routes';
import { registerSharedComponents } from '../../http/docs-route';
import { keysRoutes } from './keys.routes';
import { sessionRoutes } from './session.routes';
import { usersRoutes } from './users.routes';

/** People and access: sessions, users, API keys, the audit log, and the API reference page. */
export function authRoutes() {
  const router = new OpenAPIHono<AppEnv>();
  registerSharedComponents(router);
  return router.route('/', sessionRoutes()).route('/', usersRoutes()).route('/', keysRoutes()).route('/', auditRoutes());
}
