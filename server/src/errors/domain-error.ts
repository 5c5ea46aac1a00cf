import type { ZodError } from 'zod';
import { API_ERRORS, type ApiErrorCode } from './error-codes';

/** One field-level problem: where, and what is wrong. */
export interface ErrorDetail {
  path: string;
  message: string;
  code?: string;
  nodeId?: string;
}

/**
 * An error of the domain, raised by services and the layers above them: a registered code, a message for
 * the person (the registry's when none is given) and optional details (usually ErrorDetail[]). It says
 * nothing of HTTP: the HTTP layer answers it with the status the registry gives its code.
 */
export class DomainError extends Error {
  override readonly name = 'DomainError';

  constructor(
    readonly code: ApiErrorCode,
    message?: string,
    readonly details?: unknown,
    /** How soon a retry may succeed, for errors that are nobody's fault (`unavailable`, `too_many_attempts`). */
    readonly options: { retryAfterSeconds?: number } = {},
  ) {
    super(message ?? API_ERRORS[code].message);
  }
}

/** `not_found`, worded "<what> was not found.". */
export const notFound = (what: string) => new DomainError('not_found', `${what} was not found.`);

/** `invalid_request` naming each problem: "The request body is not valid: a: ...; b: ... (and n more)". */
export function invalidInput(details: ErrorDetail[], where = 'request body'): DomainError {
  return new DomainError(
    'invalid_request',
    `The ${where} is not valid: ${details
      .slice(0, 3)
      .map((d) => `${d.path}: ${d.message}`)
      .join('; ')}${details.length > 3 ? ` (and ${details.length - 3} more)` : ''}`,
    details,
  );
}

/** Every zod issue as `{ path, message, code }`, paths dotted (`leads.3.employees`). */
export function zodDetails(error: ZodError): ErrorDetail[] {
  return error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(body)', message: i.message, code: i.code }));
}
