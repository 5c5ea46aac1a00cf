import type { DomainError } from '../errors/domain-error';

export type { ErrorDetail } from '../errors/domain-error';

/** The one error body: `{ error: { code, message, details? } }`. */
export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

/** The body a domain error is answered with. */
export function errorBody(e: Pick<DomainError, 'code' | 'message' | 'details'>): ErrorBody {
  return { error: { code: e.code, message: e.message, ...(e.details !== undefined ? { details: e.details } : {}) } };
}
