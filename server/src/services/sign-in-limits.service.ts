import { and, eq, gt, inArray, lte, sql, type SQL } from 'drizzle-orm';
import type { Db } from '@lead-router/db/client';
import { signInLimits } from '@lead-router/db/schema';
import { formatMs } from '@lead-router/shared';
import { sha256 } from '../auth/secrets';
import { DomainError } from '../errors/domain-error';

/**
 * How many attempts a key gets before it must wait, and how the wait grows: after the `free`-th attempt
 * the next one waits `baseMs`, each attempt after that doubles the wait up to `capMs`. The count starts
 * over `forgetMs` after the latest attempt.
 */
export interface BackoffPolicy {
  free: number;
  baseMs: number;
  capMs: number;
  forgetMs: number;
}

/**
 * Per account (unknown emails alike): 5 attempts, then 2 s, 4 s, 8 s ... up to 5 minutes between attempts.
 * The owner who types the right password after the wait signs in; a guesser gets about 12 tries an hour.
 */
export const ACCOUNT_POLICY: BackoffPolicy = { free: 5, baseMs: 2_000, capMs: 5 * 60_000, forgetMs: 60 * 60_000 };

/** Per client address, across every account: 100 attempts, then a 15-minute pause. */
export const ADDRESS_POLICY: BackoffPolicy = { free: 100, baseMs: 15 * 60_000, capMs: 15 * 60_000, forgetMs: 15 * 60_000 };

const at = (d: Date) => sql`${d.toISOString()}::timestamptz`;
const plusMs = (d: Date, ms: SQL | number) => sql`(${at(d)} + ${ms}::float8 * interval '1 millisecond')`;

/** `next_at` after the `attempt`-th attempt (1-based) at `now`: null while free, else `now` + the wait. */
function nextAtSql(now: Date, attempt: SQL, p: BackoffPolicy): SQL {
  // What delayMs computes; the exponent is clamped so power() cannot overflow, whatever the count.
  const wait = sql`least(${p.capMs}::float8, ${p.baseMs}::float8 * power(2, least(${attempt} - ${p.free}::int, 30)))`;
  return sql`(case when ${attempt} < ${p.free}::int then null else ${plusMs(now, wait)} end)`;
}

/** The outcome of a reservation: granted, or refused with the seconds until one may be. */
export type Reservation = { granted: true } | { granted: false; retryAfterSeconds: number };

/**
 * Reserves one attempt for `key`, atomically: one upsert decides and records it, so concurrent requests
 * (in this process or another) are counted one by one against the same row and no more than the policy
 * allows are granted. A refused attempt changes nothing but the row's `refused` flag.
 */
export async function reserveAttempt(db: Db, key: string, p: BackoffPolicy, now: Date): Promise<Reservation> {
  const t = signInLimits;
  const stale = sql`(${t.expiresAt} <= ${at(now)})`;
  const blocked = sql`(not ${stale} and coalesce(${t.nextAt} > ${at(now)}, false))`;
  const attempt = sql`(case when ${stale} then 1 else ${t.attempts} + 1 end)`;
  const [row] = await db
    .insert(t)
    .values({ key: hashKey(key), attempts: 1, nextAt: delayMs(1, p) > 0 ? new Date(now.getTime() + delayMs(1, p)) : null, expiresAt: new Date(now.getTime() + p.forgetMs), refused: false })
    .onConflictDoUpdate({
      target: t.key,
      set: {
        attempts: sql`case when ${blocked} then ${t.attempts} else ${attempt} end`,
        nextAt: sql`case when ${blocked} then ${t.nextAt} else ${nextAtSql(now, attempt, p)} end`,
        expiresAt: sql`case when ${blocked} then ${t.expiresAt} else ${plusMs(now, p.forgetMs)} end`,
        refused: blocked,
      },
    })
    .returning({ refused: t.refused, nextAt: t.nextAt });
  if (!row) throw new Error('sign-in limit upsert returned nothing');
  if (!row.refused || !row.nextAt) return { granted: true };
  return { granted: false, retryAfterSeconds: Math.max(1, Math.ceil((row.nextAt.getTime() - now.getTime()) / 1000)) };
}

/** The wait after the `attempt`-th attempt (1-based): what `nextAtSql` adds, for a new row and for tests. */
export function delayMs(attempt: number, p: BackoffPolicy): number {
  return attempt < p.free ? 0 : Math.min(p.capMs, p.baseMs * 2 ** Math.min(attempt - p.free, 30));
}

/** Gives back one attempt of `key` (a sign-in that succeeded should not count against its address). */
export async function refundAttempt(db: Db, key: string, p: BackoffPolicy, now: Date): Promise<void> {
  const t = signInLimits;
  await db
    .update(t)
    .set({
      attempts: sql`greatest(${t.attempts} - 1, 0)`,
      // Back under the free budget: no wait is owed any more.
      nextAt: sql`case when ${t.attempts} - 1 < ${p.free}::int then null else ${t.nextAt} end`,
    })
    .where(and(eq(t.key, hashKey(key)), gt(t.expiresAt, now)));
}

/** Forgets every attempt of `key` (the account's owner has just proved who they are). */
export async function resetAttempts(db: Db, key: string): Promise<void> {
  await db.delete(signInLimits).where(eq(signInLimits.key, hashKey(key)));
}

/** Deletes up to `max` rows whose count has started over anyway; returns how many. */
export async function pruneSignInLimits(db: Db, now: Date, max = 1000): Promise<number> {
  const t = signInLimits;
  const stale = db.select({ key: t.key }).from(t).where(lte(t.expiresAt, now)).limit(max);
  const gone = await db.delete(t).where(inArray(t.key, stale)).returning({ key: t.key });
  return gone.length;
}

function hashKey(key: string): string {
  return sha256(key);
}

/** The limiter key of an account: its normalised email, whether or not a user has it. */
export const accountKey = (email: string) => `account:${email.trim().toLowerCase()}`;
/** The limiter key of a client address (see http/client-address.ts for how it is found). */
export const addressKey = (address: string) => `address:${address}`;

// One reservation in this many also clears out rows whose count has started over, so a spray of made-up
// emails cannot grow the table without bound.
const PRUNE_EVERY = 64;

/**
 * Reserves a sign-in attempt for the address (when known) and then for the account, before any password
 * is checked; throws `too_many_attempts` with Retry-After when either must wait. The account is only
 * charged when the address was not refused.
 */
export async function reserveSignIn(db: Db, input: { email: string; clientAddress: string | null; now: Date }): Promise<void> {
  if (Math.random() * PRUNE_EVERY < 1) await pruneSignInLimits(db, input.now);
  if (input.clientAddress !== null) {
    const byAddress = await reserveAttempt(db, addressKey(input.clientAddress), ADDRESS_POLICY, input.now);
    if (!byAddress.granted) throw tooMany('Too many sign-in attempts from your network', byAddress.retryAfterSeconds);
  }
  const byAccount = await reserveAttempt(db, accountKey(input.email), ACCOUNT_POLICY, input.now);
  if (!byAccount.granted) throw tooMany('Too many failed sign-ins for this email', byAccount.retryAfterSeconds);
}

/** After a successful sign-in: the account starts over, and the address gets its attempt back. */
export async function settleSignIn(db: Db, input: { email: string; clientAddress: string | null; now: Date }): Promise<void> {
  await resetAttempts(db, accountKey(input.email));
  if (input.clientAddress !== null) await refundAttempt(db, addressKey(input.clientAddress), ADDRESS_POLICY, input.now);
}

function tooMany(what: string, retryAfterSeconds: number): DomainError {
  return new DomainError('too_many_attempts', `${what}; try again in ${formatMs(retryAfterSeconds * 1000)}.`, undefined, { retryAfterSeconds });
}
