import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../http/context';

/** Routes of this group; filled in by its owner. */
export function testRunsRoutes() {
  return new OpenAPIHono<AppEnv>();
}
