import { ApplicationFailure } from '@temporalio/activity';
import { BUSINESS_FAILURE } from './types';

// Two kinds of failure leave an activity (STYLE.md): a business outcome that retrying cannot change is a
// non-retryable ApplicationFailure; anything transient (database down, provider 503, network) is a plain
// Error, which Temporal retries with backoff.

/**
 * A business outcome the step reports as failure (nobody eligible, no account, not found): non-retryable,
 * with the step's result as `details[0]` so the workflow can take the node's failure outcome from it.
 */
export function businessFailure<T>(message: string, result: T): ApplicationFailure {
  return ApplicationFailure.create({ type: BUSINESS_FAILURE, nonRetryable: true, message, details: [result] });
}

/** A lead, version or run that does not exist: no retry will make it appear. */
export function notFoundFailure(message: string): ApplicationFailure {
  return ApplicationFailure.create({ type: 'NotFound', nonRetryable: true, message });
}

/** A permanent failure that is neither a business outcome nor a missing row (a bad configuration...). */
export function permanentFailure(type: string, message: string): ApplicationFailure {
  return ApplicationFailure.create({ type, nonRetryable: true, message });
}

/** The message of anything thrown. */
export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Refuses an id that cannot name a row (Postgres would fail the query on every retry) as not found. */
export function assertUuid(id: string, what: string): void {
  if (typeof id !== 'string' || !UUID.test(id)) throw notFoundFailure(`${what} ${String(id).slice(0, 80)} does not exist`);
}

/** The SQLSTATE of a database error (drizzle wraps the driver's error as `cause`), or null. */
export function pgErrorCode(e: unknown): string | null {
  let cur: unknown = e;
  for (let depth = 0; depth < 4 && cur !== null && typeof cur === 'object'; depth++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
    cur = (cur as { cause?: unknown }).cause;
  }
  return null;
}

/** A foreign key violation: the lead the row refers to is gone, and a retry cannot bring it back. */
export const isForeignKeyViolation = (e: unknown): boolean => pgErrorCode(e) === '23503';
