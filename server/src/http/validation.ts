import type { Context } from 'hono';
import type { ZodError } from 'zod';
import type { AppEnv } from './context';
import { unauthorized, type ErrorBody, type ErrorDetail } from './errors';

/** Routes under /api that anonymous callers may use: sign-in and sign-out, and the trigger endpoint (HMAC-signed). */
const OPEN_ROUTES: ReadonlyArray<readonly [string, RegExp]> = [
  ['POST', /^\/api\/auth\/(login|logout)$/],
  ['POST', /^\/api\/workflows\/[^/]+\/leads$/],
];

/** Every zod issue as `{ path, message }`, paths dotted (`leads.3.employees`). */
export function zodDetails(error: ZodError): ErrorDetail[] {
  return error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(body)', message: i.message, code: i.code }));
}

/**
 * The hook OpenAPIHono runs after validating a request: a 400 listing every invalid field. Credentials come
 * first: a caller without any gets 401, never a 400 about input it may not send (open routes excepted).
 */
export function validationHook(result: { success: boolean; error?: unknown; target?: string }, c: Context): Response | undefined {
  if (result.success) return undefined;
  const open = OPEN_ROUTES.some(([method, path]) => method === c.req.method && path.test(c.req.path));
  if (!open && !(c as Context<AppEnv>).get('principal')) throw unauthorized();
  const details = zodDetails(result.error as ZodError);
  const where = result.target === 'query' ? 'query parameters' : result.target === 'param' ? 'path' : 'request body';
  const body: ErrorBody = {
    error: {
      code: 'invalid_request',
      message: `The ${where} is not valid: ${details
        .slice(0, 3)
        .map((d) => `${d.path}: ${d.message}`)
        .join('; ')}${details.length > 3 ? ` (and ${details.length - 3} more)` : ''}`,
      details,
    },
  };
  return c.json(body, 400);
}
