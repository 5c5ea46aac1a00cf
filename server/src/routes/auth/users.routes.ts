import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { getCookie } from 'hono/cookie';
import { SESSION_COOKIE } from '../../auth/authenticate';
import { requireRole } from '../../auth/principal';
import { sha256 } from '../../auth/secrets';
import type { AppEnv } from '../../http/context';
import { createWorkspaceUser, disableUser, listUsers, updateUser } from '../../services/users.service';
import { errorResponses, IdParamSchema, json, NewUserSchema, UserPatchSchema, UserSchema } from './schemas';

/** `/users`: the workspace's people (admin only). Users are disabled, never deleted. */
export function usersRoutes() {
  return new OpenAPIHono<AppEnv>()
    .openapi(
      createRoute({
        method: 'get',
        path: '/users',
        tags: ['users'],
        summary: "List the workspace's users",
        description: 'Admin.',
        responses: { 200: json(z.object({ items: z.array(UserSchema) }), 'Every user, oldest first'), ...errorResponses(401, 403) },
      }),
      async (c) => {
        const p = requireRole(c, 'admin');
        return c.json({ items: await listUsers(c.get('deps').db, p.workspaceId) }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/users',
        tags: ['users'],
        summary: 'Create a user',
        description: 'Admin. Emails are unique across the installation (409 `email_taken`); `repId` must name a rep of the directory (422 `unknown_rep`).',
        request: { body: { required: true, content: { 'application/json': { schema: NewUserSchema } } } },
        responses: { 201: json(UserSchema, 'Created'), ...errorResponses(400, 401, 403, 409, 422) },
      }),
      async (c) => {
        const p = requireRole(c, 'admin');
        const user = await createWorkspaceUser(c.get('deps').db, p, p.workspaceId, c.req.valid('json'));
        return c.json(user, 201);
      },
    )
    .openapi(
      createRoute({
        method: 'patch',
        path: '/users/{id}',
        tags: ['users'],
        summary: 'Change a user',
        description:
          'Admin. Changes name, role, repId, disabled or password. A workspace always keeps one active admin: you cannot disable or demote yourself (409 `cannot_demote_self`) nor the last active admin (409 `last_admin`). Disabling a user or setting their password ends their sessions.',
        request: { params: IdParamSchema, body: { required: true, content: { 'application/json': { schema: UserPatchSchema } } } },
        responses: { 200: json(UserSchema, 'The changed user'), ...errorResponses(400, 401, 403, 404, 409, 422) },
      }),
      async (c) => {
        const p = requireRole(c, 'admin');
        const token = getCookie(c, SESSION_COOKIE);
        const user = await updateUser(c.get('deps').db, p, c.req.valid('param').id, c.req.valid('json'), { keepSessionHash: token ? sha256(token) : null });
        return c.json(user, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'delete',
        path: '/users/{id}',
        tags: ['users'],
        summary: 'Disable a user',
        description: 'Admin. The user can no longer sign in and their sessions end; the audit log keeps their name. Same admin protections as PATCH.',
        request: { params: IdParamSchema },
        responses: { 200: json(UserSchema, 'The disabled user'), ...errorResponses(401, 403, 404, 409) },
      }),
      async (c) => {
        const p = requireRole(c, 'admin');
        return c.json(await disableUser(c.get('deps').db, p, c.req.valid('param').id), 200);
      },
    );
}
