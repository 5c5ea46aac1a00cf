import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { connectPostgres } from '@lead-router/db/client';
import { signInLimits } from '@lead-router/db/schema';
import { providedDatabaseUrl } from '@lead-router/testkit/provided';
import { sha256 } from '../auth/secrets';
import { ACCOUNT_POLICY, delayMs, pruneSignInLimits, refundAttempt, reserveAttempt, resetAttempts, type BackoffPolicy } from './sign-in-limits.service';

const database = connectPostgres(providedDatabaseUrl(), { max: 10 });
const db = database.db;
afterAll(() => database.close());

const key = () => `test:${randomUUID()}`;
const later = (d: Date, ms: number) => new Date(d.getTime() + ms);
// Near the real time: other test files share this table, and pruning goes by the clock it is given.
const start = () => new Date(Math.floor(Date.now() / 1000) * 1000);

describe('delayMs', () => {
  it('is free for the first attempts, then doubles from the base up to the cap', () => {
    const waits = Array.from({ length: 16 }, (_, i) => delayMs(i + 1, ACCOUNT_POLICY) / 1000);
    expect(waits).toEqual([0, 0, 0, 0, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300, 300, 300]);
    expect(delayMs(1_000_000, ACCOUNT_POLICY)).toBe(ACCOUNT_POLICY.capMs);
  });
});

describe('reserveAttempt', () => {
  it('grants the free attempts, then refuses until the wait has passed, the wait doubling each time', async () => {
    const k = key();
    const t0 = start();
    for (let i = 0; i < ACCOUNT_POLICY.free; i++) expect(await reserveAttempt(db, k, ACCOUNT_POLICY, t0)).toEqual({ granted: true });
    expect(await reserveAttempt(db, k, ACCOUNT_POLICY, t0)).toEqual({ granted: false, retryAfterSeconds: 2 });
    expect(await reserveAttempt(db, k, ACCOUNT_POLICY, later(t0, 1_500))).toEqual({ granted: false, retryAfterSeconds: 1 });
    // A refused attempt does not push the wait out.
    const t1 = later(t0, 2_000);
    expect(await reserveAttempt(db, k, ACCOUNT_POLICY, t1)).toEqual({ granted: true });
    expect(await reserveAttempt(db, k, ACCOUNT_POLICY, t1)).toEqual({ granted: false, retryAfterSeconds: 4 });
    const t2 = later(t1, 4_000);
    expect(await reserveAttempt(db, k, ACCOUNT_POLICY, t2)).toEqual({ granted: true });
    expect(await reserveAttempt(db, k, ACCOUNT_POLICY, t2)).toEqual({ granted: false, retryAfterSeconds: 8 });
  });

  it('does not refuse a free attempt whose clock read a little earlier than one already recorded', async () => {
    const k = key();
    const t0 = start();
    expect(await reserveAttempt(db, k, ACCOUNT_POLICY, later(t0, 300))).toEqual({ granted: true });
    for (let i = 1; i < ACCOUNT_POLICY.free; i++) expect(await reserveAttempt(db, k, ACCOUNT_POLICY, t0)).toEqual({ granted: true });
    expect(await reserveAttempt(db, k, ACCOUNT_POLICY, t0)).toEqual({ granted: false, retryAfterSeconds: 2 });
  });

  it('grants exactly the free budget to 150 concurrent attempts, across two connection pools', async () => {
    const other = connectPostgres(providedDatabaseUrl(), { max: 10 });
    try {
      const k = key();
      const t0 = start();
      const results = await Promise.all(Array.from({ length: 150 }, (_, i) => reserveAttempt(i % 2 ? db : other.db, k, ACCOUNT_POLICY, t0)));
      expect(results.filter((r) => r.granted)).toHaveLength(ACCOUNT_POLICY.free);
      for (const r of results.filter((x) => !x.granted)) expect(r).toEqual({ granted: false, retryAfterSeconds: 2 });
      const [row] = await db.select().from(signInLimits).where(eq(signInLimits.key, sha256(k)));
      expect(row?.attempts).toBe(ACCOUNT_POLICY.free);
    } finally {
      await other.close();
    }
  });

  it('starts the count over once the key has been left alone for forgetMs', async () => {
    const k = key();
    const t0 = start();
    for (let i = 0; i < ACCOUNT_POLICY.free + 3; i++) await reserveAttempt(db, k, ACCOUNT_POLICY, later(t0, i * ACCOUNT_POLICY.capMs));
    const last = later(t0, (ACCOUNT_POLICY.free + 2) * ACCOUNT_POLICY.capMs);
    expect((await reserveAttempt(db, k, ACCOUNT_POLICY, later(last, ACCOUNT_POLICY.forgetMs - 1_000))).granted).toBe(true);
    const [row] = await db.select().from(signInLimits).where(eq(signInLimits.key, sha256(k)));
    expect(row?.attempts).toBe(ACCOUNT_POLICY.free + 4);
    const fresh = later(last, 2 * ACCOUNT_POLICY.forgetMs);
    expect(await reserveAttempt(db, k, ACCOUNT_POLICY, fresh)).toEqual({ granted: true });
    const [again] = await db.select().from(signInLimits).where(eq(signInLimits.key, sha256(k)));
    expect(again?.attempts).toBe(1);
  });

  it('keeps only a hash of the key', async () => {
    const k = `account:someone-${randomUUID()}@example.com`;
    await reserveAttempt(db, k, ACCOUNT_POLICY, start());
    const rows = await db.select().from(signInLimits).where(eq(signInLimits.key, k));
    expect(rows).toHaveLength(0);
    expect(await db.select().from(signInLimits).where(eq(signInLimits.key, sha256(k)))).toHaveLength(1);
  });
});

describe('refundAttempt and resetAttempts', () => {
  // Forgets after an hour, so no other test file's pruning (by a clock up to 20 minutes ahead) removes the rows mid-test.
  const flat: BackoffPolicy = { free: 3, baseMs: 60_000, capMs: 60_000, forgetMs: 3_600_000 };

  it('a refund gives one attempt back and lifts a wait that is no longer owed', async () => {
    const k = key();
    const t0 = start();
    for (let i = 0; i < 3; i++) expect((await reserveAttempt(db, k, flat, t0)).granted).toBe(true);
    expect(await reserveAttempt(db, k, flat, t0)).toEqual({ granted: false, retryAfterSeconds: 60 });
    await refundAttempt(db, k, flat, t0);
    expect(await reserveAttempt(db, k, flat, t0)).toEqual({ granted: true });
    expect((await reserveAttempt(db, k, flat, t0)).granted).toBe(false);
  });

  it('a reset forgets the key', async () => {
    const k = key();
    const t0 = start();
    for (let i = 0; i < 4; i++) await reserveAttempt(db, k, flat, t0);
    await resetAttempts(db, k);
    for (let i = 0; i < 3; i++) expect((await reserveAttempt(db, k, flat, t0)).granted).toBe(true);
  });
});

describe('pruneSignInLimits', () => {
  it('deletes the rows whose count has started over, and no others', async () => {
    const t0 = start();
    const old = key();
    const live = key();
    await reserveAttempt(db, old, { ...ACCOUNT_POLICY, forgetMs: 1_000 }, t0);
    await reserveAttempt(db, live, ACCOUNT_POLICY, t0);
    expect(await pruneSignInLimits(db, later(t0, 2_000))).toBeGreaterThanOrEqual(1);
    expect(await db.select().from(signInLimits).where(eq(signInLimits.key, sha256(old)))).toHaveLength(0);
    expect(await db.select().from(signInLimits).where(eq(signInLimits.key, sha256(live)))).toHaveLength(1);
  });
});
