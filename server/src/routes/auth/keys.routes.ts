import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { requireRole } from '../../auth/principal';
import type { AppEnv } from '../../http/context';
import { issueKey, listKeys, revokeKey } from '../../services/keys.service';
import { errorResponses, IdParamSchema, IssuedKeySchema, json, KeySchema, NewKeySchema } from './schemas';

/** `/keys`: the workspace's API keys (admin only). A key is shown once, at creation. */
export function keysRoutes() {
  return new OpenAPIHono<AppEnv>()
    .openapi(
      createRoute({
        method: 'get',
        path: '/keys',
        tags: ['keys'],
        summary: "List the workspace's API keys",
        description: 'Admin. Revoked keys included; never the key itself.',
        responses: { 200: json(z.object({ items: z.array(KeySchema) }), 'Every key, newest first'), ...errorResponses(401, 403) },
      }),
      async (c) => {
        const p = requireRole(c, 'admin');
        return c.json({ items: await listKeys(c.get('deps').db, p.workspaceId) }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/keys',
        tags: ['keys'],
        summary: 'Create an API key',
        description: 'Admin. The answer holds the key in `key`: store it now, it is never shown again. Send it as `Authorization: Bearer <key>`.',
        request: { body: { required: true, content: { 'application/json': { schema: NewKeySchema } } } },
        responses: { 201: json(IssuedKeySchema, 'Created; the key is in this answer only'), ...errorResponses(400, 401, 403) },
      }),
      async (c) => {
        const p = requireRole(c, 'admin');
        const issued = await issueKey(c.get('deps').db, p, c.req.valid('json'));
        return c.json({ ...issued, note: 'Store this key now: it will not be shown again.' }, 201);
      },
    )
    .openapi(
      createRoute({
        method: 'delete',
        path: '/keys/{id}',
        tags: ['keys'],
        summary: 'Revoke an API key',
        description: 'Admin. The key stops working at once. Revoking a revoked key changes nothing.',
        request: { params: IdParamSchema },
        responses: { 200: json(KeySchema, 'The revoked key'), ...errorResponses(401, 403, 404) },
      }),
      async (c) => {
        const p = requireRole(c, 'admin');
        const { db, now } = c.get('deps');
        return c.json(await revokeKey(db, p, c.req.valid('param').id, now()), 200);
      },
    );
}
