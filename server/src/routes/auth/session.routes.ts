import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { formatMs, Text } from '@lead-router/shared';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { SESSION_COOKIE } from '../../auth/authenticate';
import { requireRole } from '../../auth/principal';
import { clientAddress } from '../../http/client-address';
import type { AppEnv } from '../../http/context';
import { describePrincipal, login, logout } from '../../services/sessions.service';
import { ACCOUNT_POLICY, ADDRESS_POLICY } from '../../services/sign-in-limits.service';
import { errorResponses, json, RoleSchema } from './schemas';

const LoginSchema = z.object({
  email: Text(320).trim().min(1),
  password: Text(1000).min(1),
});

const SessionUserSchema = z.object({ id: z.string(), email: z.string(), name: z.string(), role: RoleSchema, workspaceId: z.string(), repId: z.string().nullable() });

const MeSchema = z.object({
  kind: z.enum(['user', 'key']),
  id: z.string(),
  name: z.string(),
  email: z.string().nullable().openapi({ description: "A user's email; null for an API key" }),
  role: z.enum(['ingest', 'viewer', 'editor', 'publisher', 'admin']),
  repId: z.string().nullable(),
  workspaceId: z.string(),
  workspaceName: z.string(),
});

// Behind a TLS-terminating proxy the app sees http; the proxy says what the browser used.
function isHttps(c: Context<AppEnv>): boolean {
  return new URL(c.req.url).protocol === 'https:' || c.req.header('x-forwarded-proto')?.split(',')[0]?.trim() === 'https';
}

const LOGIN_DESCRIPTION = [
  `Sets the HttpOnly session cookie \`${SESSION_COOKIE}\`. No credentials needed.`,
  'Each attempt is counted before its password is checked, in the database (so across server processes and restarts), per email and per client address;',
  'a refused attempt checks no password and answers 429 `too_many_attempts` with Retry-After (seconds).',
  `Per email, known or not: ${ACCOUNT_POLICY.free} attempts, then the next waits ${formatMs(ACCOUNT_POLICY.baseMs)}, the wait doubling with each attempt up to ${formatMs(ACCOUNT_POLICY.capMs)};`,
  `the count starts over after a successful sign-in, or after ${formatMs(ACCOUNT_POLICY.forgetMs)} without attempts.`,
  `Per client address: ${ADDRESS_POLICY.free} attempts, then a pause of ${formatMs(ADDRESS_POLICY.capMs)}; a successful sign-in gives its attempt back.`,
  "The client address is the connection's peer, or with TRUST_PROXY set, the address the trusted proxies put in X-Forwarded-For.",
].join(' ');

/** `POST /auth/login`, `POST /auth/logout`, `GET /auth/me`: cookie sessions for people. */
export function sessionRoutes() {
  return new OpenAPIHono<AppEnv>()
    .openapi(
      createRoute({
        method: 'post',
        path: '/auth/login',
        tags: ['auth'],
        summary: 'Sign in with email and password',
        description: LOGIN_DESCRIPTION,
        request: { body: { required: true, content: { 'application/json': { schema: LoginSchema } } } },
        responses: { 200: json(SessionUserSchema, 'Signed in; the session cookie is set'), ...errorResponses(400, 401, 429) },
      }),
      async (c) => {
        const { db, config, now } = c.get('deps');
        const body = c.req.valid('json');
        const session = await login(db, { email: body.email, password: body.password, clientAddress: clientAddress(c, config.TRUST_PROXY), now: now(), ttlHours: config.SESSION_TTL_HOURS });
        setCookie(c, SESSION_COOKIE, session.token, { httpOnly: true, sameSite: 'Lax', path: '/', secure: isHttps(c), maxAge: config.SESSION_TTL_HOURS * 3600 });
        return c.json(session.user, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/auth/logout',
        tags: ['auth'],
        summary: 'Sign out',
        description: 'Ends the session of the cookie and clears it. Answers 204 even without a session.',
        responses: { 204: { description: 'Signed out' } },
      }),
      async (c) => {
        const token = getCookie(c, SESSION_COOKIE);
        if (token) await logout(c.get('deps').db, token);
        deleteCookie(c, SESSION_COOKIE, { httpOnly: true, sameSite: 'Lax', path: '/', secure: isHttps(c) });
        return c.body(null, 204);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/auth/me',
        tags: ['auth'],
        summary: 'Who am I',
        description: 'The signed-in user or the API key, its role and its workspace. Any role.',
        responses: { 200: json(MeSchema, 'The caller'), ...errorResponses(401) },
      }),
      async (c) => {
        const p = requireRole(c, 'ingest');
        return c.json(await describePrincipal(c.get('deps').db, p), 200);
      },
    );
}
