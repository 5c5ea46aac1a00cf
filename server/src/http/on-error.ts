import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { DomainError } from '../errors/domain-error';
import { API_ERRORS } from '../errors/error-codes';
import type { AppEnv } from './context';
import { errorBody } from './errors';

// postgres.js and Node report a lost or refused database connection with these codes; the client did
// nothing wrong, so they are 503 with a retry hint, never 500.
const DB_UNAVAILABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'CONNECTION_ENDED', 'CONNECTION_CLOSED', 'CONNECTION_DESTROYED', 'CONNECT_TIMEOUT', '57P01', '57P02', '57P03', '08000', '08003', '08006', '53300']);

// Postgres refuses NUL characters and lone surrogates in text and jsonb: that is the client's data, so 400.
const TEXT_POSTGRES_REFUSES = new Set(['22021', '22P05', '22P02', '22P04', '22025']);

function causeCode(e: unknown): string | undefined {
  let cur: unknown = e;
  for (let i = 0; i < 4 && cur && typeof cur === 'object'; i++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * The response to a domain error: the status the registry gives its code (or `status`, for refusals the
 * framework made with a status of its own), with Retry-After when a retry may succeed.
 */
export function errorResponse(c: Context, e: DomainError, status: ContentfulStatusCode = API_ERRORS[e.code].status): Response {
  const spec = API_ERRORS[e.code];
  const retryAfter = e.options.retryAfterSeconds ?? ('retryAfterSeconds' in spec ? spec.retryAfterSeconds : undefined);
  if (retryAfter !== undefined) c.header('Retry-After', String(retryAfter));
  return c.json(errorBody(e), status);
}

/** The framework's own refusals (a body that is no JSON, one over a size limit) as domain errors. */
function fromHttpException(err: HTTPException): DomainError {
  if (err.status === 400 && /malformed json|unexpected|json/i.test(err.message)) return new DomainError('malformed_json');
  if (err.status === 413) return new DomainError('payload_too_large', err.message || API_ERRORS.http_error.message);
  return new DomainError('http_error', err.message || undefined);
}

/** The one place errors become responses: domain errors by the registry, bad JSON as 400, lost databases as 503. */
export function onError(err: Error, c: Context<AppEnv>): Response {
  if (err instanceof DomainError) return errorResponse(c, err);
  if (err instanceof HTTPException) {
    const bodyError = c.get('bodyError');
    if (bodyError) return errorResponse(c, bodyError);
    return errorResponse(c, fromHttpException(err), err.status);
  }
  const code = causeCode(err);
  if (code && TEXT_POSTGRES_REFUSES.has(code)) {
    return errorResponse(c, new DomainError('invalid_request', 'The request holds text the database cannot store (a NUL character or invalid Unicode); nothing was saved.'));
  }
  if (code && DB_UNAVAILABLE.has(code)) {
    return errorResponse(c, new DomainError('unavailable', 'The database is unavailable; nothing was saved. Retry in a few seconds.'));
  }
  const deps = c.get('deps');
  deps?.log.error('unhandled error', { err: err.message, stack: err.stack, path: c.req.path, method: c.req.method });
  return errorResponse(c, new DomainError('internal_error'));
}
