import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** One field-level problem in a request: where, and what is wrong. */
export interface ErrorDetail {
  path: string;
  message: string;
  code?: string;
  nodeId?: string;
}

/** The one error body: `{ error: { code, message, details? } }`. */
export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

/** An error the API answers with its own status and code; anything else is a 500 (and a bug). */
export class AppError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }

  body(): ErrorBody {
    return { error: { code: this.code, message: this.message, ...(this.details !== undefined ? { details: this.details } : {}) } };
  }
}

export const badRequest = (message: string, details?: unknown) => new AppError(400, 'invalid_request', message, details);
export const unauthorized = (message = 'Sign in, or send an API key as "Authorization: Bearer <key>".') => new AppError(401, 'unauthorized', message);
export const forbidden = (message: string) => new AppError(403, 'forbidden', message);
export const notFound = (what: string) => new AppError(404, 'not_found', `${what} was not found.`);
export const conflict = (code: string, message: string, details?: unknown) => new AppError(409, code, message, details);
export const unprocessable = (code: string, message: string, details?: unknown) => new AppError(422, code, message, details);
export const unavailable = (message: string, retryAfterSeconds = 5) =>
  new AppError(503, 'unavailable', message, undefined, { 'Retry-After': String(retryAfterSeconds) });
