import type { Context } from 'hono';
import type { ZodError } from 'zod';
import { DomainError, invalidInput, zodDetails } from '../errors/domain-error';
import type { AppEnv } from './context';
import { errorResponse } from './on-error';

/** Routes under /api that anonymous callers may use: sign-in and sign-out, and the trigger endpoint (HMAC-signed). */
const OPEN_ROUTES: ReadonlyArray<readonly [string, RegExp]> = [
  ['POST', /^\/api\/auth\/(login|logout)$/],
  ['POST', /^\/api\/workflows\/[^/]+\/leads$/],
];

/**
 * The hook OpenAPIHono runs after validating a request: a 400 listing every invalid field. Credentials come
 * first: a caller without any gets 401, never a 400 about input it may not send (open routes excepted).
 */
export function validationHook(result: { success: boolean; error?: unknown; target?: string }, c: Context): Response | undefined {
  if (result.success) return undefined;
  const open = OPEN_ROUTES.some(([method, path]) => method === c.req.method && path.test(c.req.path));
  if (!open && !(c as Context<AppEnv>).get('principal')) throw new DomainError('unauthorized');
  const details = zodDetails(result.error as ZodError);
  const where = result.target === 'query' ? 'query parameters' : result.target === 'param' ? 'path' : 'request body';
  return errorResponse(c, invalidInput(details, where));
}
