import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { AppError, type ErrorBody } from './errors';
import type { AppEnv } from './context';

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

/** The one place errors become responses: AppErrors as they say, bad JSON as 400, lost databases as 503. */
export function onError(err: Error, c: Context<AppEnv>): Response {
  if (err instanceof AppError) {
    if (err.headers) for (const [k, v] of Object.entries(err.headers)) c.header(k, v);
    return c.json(err.body(), err.status);
  }
  if (err instanceof HTTPException) {
    const status = err.status;
    const malformed = /malformed json|unexpected|json/i.test(err.message) && status === 400;
    const body: ErrorBody = {
      error: {
        code: malformed ? 'malformed_json' : status === 413 ? 'payload_too_large' : 'http_error',
        message: malformed ? 'The request body is not valid JSON.' : err.message || 'Request refused.',
      },
    };
    return c.json(body, status);
  }
  const code = causeCode(err);
  if (code && TEXT_POSTGRES_REFUSES.has(code)) {
    return c.json({ error: { code: 'invalid_request', message: 'The request holds text the database cannot store (a NUL character or invalid Unicode); nothing was saved.' } } satisfies ErrorBody, 400);
  }
  if (code && DB_UNAVAILABLE.has(code)) {
    c.header('Retry-After', '5');
    return c.json({ error: { code: 'unavailable', message: 'The database is unavailable; nothing was saved. Retry in a few seconds.' } } satisfies ErrorBody, 503);
  }
  const deps = c.get('deps');
  deps?.log.error('unhandled error', { err: err.message, stack: err.stack, path: c.req.path, method: c.req.method });
  return c.json({ error: { code: 'internal_error', message: 'Something went wrong on our side; it has been logged.' } } satisfies ErrorBody, 500);
}
