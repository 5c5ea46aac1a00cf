import { ApplicationFailure } from '@temporalio/activity';
import { DrizzleQueryError } from 'drizzle-orm/errors';
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

/**
 * SQLSTATEs no retry can change: the data itself is refused (class 22: a NUL or a lone surrogate, a value
 * out of range, an invalid representation) or breaks an integrity rule (class 23). A unique violation
 * (23505) is the one integrity error a retry may get past (a concurrent insert that lost a race), and a
 * foreign key violation the activities expect is turned into `NotFound` where it is met.
 */
export function isPermanentSqlState(code: string | null): boolean {
  if (code === null) return false;
  return code.startsWith('22') || (code.startsWith('23') && code !== '23505');
}

/** The failure type of a database error no retry can change (see isPermanentSqlState). */
export const PERMANENT_DATABASE_FAILURE = 'PermanentDatabaseError';

/** Names of the SQLSTATEs an activity is likely to meet, for messages (the code alone is always given). */
const SQLSTATE_NAMES: Record<string, string> = {
  '08000': 'connection_exception',
  '08001': 'sqlclient_unable_to_establish_sqlconnection',
  '08003': 'connection_does_not_exist',
  '08006': 'connection_failure',
  '22001': 'string_data_right_truncation',
  '22003': 'numeric_value_out_of_range',
  '22007': 'invalid_datetime_format',
  '22008': 'datetime_field_overflow',
  '22021': 'character_not_in_repertoire',
  '22P02': 'invalid_text_representation',
  '22P05': 'untranslatable_character',
  '23502': 'not_null_violation',
  '23503': 'foreign_key_violation',
  '23505': 'unique_violation',
  '23514': 'check_violation',
  '23P01': 'exclusion_violation',
  '25P02': 'in_failed_sql_transaction',
  '3D000': 'invalid_catalog_name',
  '40001': 'serialization_failure',
  '40P01': 'deadlock_detected',
  '42P01': 'undefined_table',
  '42703': 'undefined_column',
  '53300': 'too_many_connections',
  '57014': 'query_canceled',
  '57P01': 'admin_shutdown',
};

/**
 * A database failure as it leaves an activity: the operation, the run's ids and the PostgreSQL error code,
 * never the query's parameters or the server's message (both carry lead data: drizzle's message lists every
 * parameter, and PostgreSQL quotes the values it refuses). Retryable like any transient error: Temporal
 * logs it, records it in the run's history and retries it, so it must not carry what it was writing.
 */
export class DatabaseError extends Error {
  override readonly name = 'DatabaseError';
  /** The SQLSTATE, or the driver's code when the database could not be reached (`ECONNREFUSED`...). */
  readonly code: string | null;
  constructor(message: string, code: string | null) {
    super(message);
    this.code = code;
  }
}

/** The errors of a database error's chain (drizzle's DrizzleQueryError wraps the driver's as `cause`). */
function chainOf(e: unknown): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  let cur: unknown = e;
  for (let depth = 0; depth < 4 && cur !== null && typeof cur === 'object'; depth++) {
    out.push(cur as Record<string, unknown>);
    cur = (cur as { cause?: unknown }).cause;
  }
  return out;
}

/** An error PostgreSQL answered (postgres.js names it PostgresError; PGlite's carries a severity too). */
const isServerError = (x: Record<string, unknown>): boolean => x.name === 'PostgresError' || (typeof x.code === 'string' && /^[0-9A-Z]{5}$/.test(x.code) && typeof x.severity === 'string');

/** A database error: drizzle's query error or the driver's (postgres.js, PGlite) error. */
function isDatabaseError(e: unknown): boolean {
  return chainOf(e).some((x) => x instanceof DrizzleQueryError || isServerError(x));
}

const SAFE_ID = /^[A-Za-z0-9_.:-]{1,100}$/;

/**
 * `e` as it may leave an activity: a database error becomes a `DatabaseError` that names the operation, the
 * lead (or version) and the run, the error code and the table or constraint, and nothing of the data; any
 * other error is returned as it is. An error no retry can change (see isPermanentSqlState) becomes a
 * non-retryable ApplicationFailure of type PERMANENT_DATABASE_FAILURE with the same message, `details[0]`
 * `{ code }`: retrying it would fail the same way until the attempts run out, with the lead stuck meanwhile.
 */
export function scrubDatabaseError(e: unknown, operation: string, ids: { leadId?: unknown; workflowId?: unknown; versionId?: unknown }): unknown {
  if (e instanceof DatabaseError || e instanceof ApplicationFailure || !isDatabaseError(e)) return e;
  const chain = chainOf(e);
  const pg = chain.find(isServerError);
  const sqlstate = typeof pg?.code === 'string' ? pg.code : null;
  const driverCode = chain.map((x) => x.code).find((c): c is string => typeof c === 'string' && SAFE_ID.test(c)) ?? null;
  const id = (v: unknown) => (typeof v === 'string' && SAFE_ID.test(v) ? v : null);
  const about = [
    id(ids.leadId) ? `lead ${id(ids.leadId)}` : id(ids.versionId) ? `version ${id(ids.versionId)}` : null,
    id(ids.workflowId) ? `run ${id(ids.workflowId)}` : null,
  ].filter((x) => x !== null);
  const where = about.length > 0 ? ` for ${about.join(', ')}` : '';
  if (sqlstate !== null) {
    const name = SQLSTATE_NAMES[sqlstate];
    const objects = (['table_name', 'column_name', 'constraint_name'] as const)
      .map((k) => (typeof pg?.[k] === 'string' && SAFE_ID.test(pg[k]) ? `${k.replace('_name', '')} ${pg[k]}` : null))
      .filter((x) => x !== null);
    const on = objects.length > 0 ? ` (${objects.join(', ')})` : '';
    const message = `${operation} failed${where}: PostgreSQL error ${sqlstate}${name ? ` ${name}` : ''}${on}`;
    if (isPermanentSqlState(sqlstate)) return ApplicationFailure.create({ type: PERMANENT_DATABASE_FAILURE, nonRetryable: true, message, details: [{ code: sqlstate }] });
    return new DatabaseError(message, sqlstate);
  }
  return new DatabaseError(`${operation} failed${where}: the database call failed${driverCode ? ` (${driverCode})` : ''}`, driverCode);
}
