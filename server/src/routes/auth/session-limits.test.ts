import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { connectPostgres, type Database } from '@lead-router/db/client';
import { signInLimits } from '@lead-router/db/schema';
import { providedDatabaseUrl } from '@lead-router/testkit/provided';
import { createApp } from '../../app';
import type * as secrets from '../../auth/secrets';
import { sha256, verifyPassword } from '../../auth/secrets';
import { loadEnv } from '../../env';
import { ACCOUNT_POLICY, ADDRESS_POLICY, delayMs } from '../../services/sign-in-limits.service';
import { setupTestApp, UNREACHABLE_TEMPORAL } from '../../test/harness';

// Every password check goes through verifyPassword: counting its calls counts the scrypt work done.
vi.mock('../../auth/secrets', async (importOriginal) => {
  const real = await importOriginal<typeof secrets>();
  return { ...real, verifyPassword: vi.fn(real.verifyPassword) };
});
const checks = () => vi.mocked(verifyPassword).mock.calls.length;
const realVerify = (await vi.importActual<typeof secrets>('../../auth/secrets')).verifyPassword;

const t = setupTestApp();
beforeEach(() => {
  vi.mocked(verifyPassword).mockClear();
  vi.mocked(verifyPassword).mockImplementation(realVerify);
});

/** A clock the test moves; starts at the real time, since other test files prune the same table by theirs. */
function testClock() {
  let at = Date.now();
  return { now: () => new Date(at), advance: (seconds: number) => void (at += seconds * 1000) };
}

/**
 * Another app instance on the same database, as another server process or one after a restart: its own
 * clock, configuration and (optionally) its own connection pool.
 */
function instance(options: { now?: () => Date; env?: Record<string, string>; database?: Database } = {}) {
  const config = loadEnv({ DATABASE_URL: providedDatabaseUrl(), TEMPORAL_ADDRESS: UNREACHABLE_TEMPORAL, LOG_LEVEL: 'silent', ...options.env });
  const app = createApp({ ...t.deps, db: (options.database ?? t.database).db, config, now: options.now ?? t.deps.now });
  return async (email: string, password: string, from: { forwardedFor?: string; socket?: string } = {}) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (from.forwardedFor) headers['x-forwarded-for'] = from.forwardedFor;
    const env = from.socket ? { incoming: { socket: { remoteAddress: from.socket } } } : undefined;
    const res = await app.request('/api/auth/login', { method: 'POST', headers, body: JSON.stringify({ email, password }) }, env);
    const body = (await res.json()) as { error?: { code: string; message: string } };
    return { status: res.status, retryAfter: res.headers.get('retry-after'), body };
  };
}

const ghost = () => `ghost-${randomUUID()}@example.com`;
let addresses = 0;
/** A documentation address (RFC 5737) that no other test uses (the database is the run's own). */
const address = () => `198.51.100.${++addresses}`;

describe('sign-in limits: reserved before the password is checked', () => {
  it('backs an email off after 5 failures, even for the right password and in another case; other emails are not affected', async () => {
    const ws = await t.workspace();
    const other = await t.workspace();
    const clock = testClock();
    const signIn = instance({ now: clock.now });
    for (let i = 0; i < ACCOUNT_POLICY.free; i++) expect((await signIn(ws.admin.email, `wrong ${i}`)).status).toBe(401);
    const blocked = await signIn(ws.admin.email, ws.admin.password);
    expect(blocked).toMatchObject({ status: 429, retryAfter: '2' });
    expect(blocked.body).toEqual({ error: { code: 'too_many_attempts', message: 'Too many failed sign-ins for this email; try again in 2 seconds.' } });
    expect((await signIn(` ${ws.admin.email.toUpperCase()}`, ws.admin.password)).status).toBe(429);
    expect((await signIn(other.admin.email, other.admin.password)).status).toBe(200);
    expect(checks()).toBe(ACCOUNT_POLICY.free + 1);
  });

  it('backs unknown emails off the same way (no enumeration through 429)', async () => {
    const clock = testClock();
    const signIn = instance({ now: clock.now });
    const email = ghost();
    for (let i = 0; i < ACCOUNT_POLICY.free; i++) expect((await signIn(email, 'guess guess')).status).toBe(401);
    expect(await signIn(email, 'guess guess')).toMatchObject({ status: 429, retryAfter: '2' });
    expect(checks()).toBe(ACCOUNT_POLICY.free);
  });

  it('150 concurrent wrong passwords: only the 5 free attempts are checked, the rest are 429 with Retry-After', { timeout: 120_000 }, async () => {
    const ws = await t.workspace();
    const clock = testClock();
    const signIn = instance({ now: clock.now });
    const results = await Promise.all(Array.from({ length: 150 }, (_, i) => signIn(ws.admin.email, `wrong ${i}`)));
    expect(checks()).toBe(ACCOUNT_POLICY.free);
    expect(results.filter((r) => r.status === 401)).toHaveLength(ACCOUNT_POLICY.free);
    const refused = results.filter((r) => r.status === 429);
    expect(refused).toHaveLength(150 - ACCOUNT_POLICY.free);
    for (const r of refused) {
      expect(r.retryAfter).toBe('2');
      expect(r.body.error?.code).toBe('too_many_attempts');
    }
    // Not locked out: the owner signs in once the Retry-After has passed.
    expect((await signIn(ws.admin.email, ws.admin.password)).status).toBe(429);
    clock.advance(2);
    expect((await signIn(ws.admin.email, ws.admin.password)).status).toBe(200);
    expect(checks()).toBe(ACCOUNT_POLICY.free + 1);
  });

  it("backs a guesser off exponentially up to 5 minutes; the owner signs in after the wait, and that resets the account's count", { timeout: 120_000 }, async () => {
    const ws = await t.workspace();
    const clock = testClock();
    const signIn = instance({ now: clock.now });
    const waits: number[] = [];
    for (let guess = 0; guess < 14; guess++) {
      let r = await signIn(ws.admin.email, `guess ${guess}`);
      if (r.status === 429) {
        waits.push(Number(r.retryAfter));
        clock.advance(Number(r.retryAfter));
        r = await signIn(ws.admin.email, `guess ${guess}`);
      }
      expect(r.status).toBe(401);
    }
    expect(waits).toEqual([2, 4, 8, 16, 32, 64, 128, 256, 300]);
    expect(checks()).toBe(14);

    const owner = await signIn(ws.admin.email, ws.admin.password);
    expect(owner.status).toBe(429);
    expect(owner.body.error?.message).toBe('Too many failed sign-ins for this email; try again in 5 minutes.');
    expect(Number(owner.retryAfter)).toBe(delayMs(14, ACCOUNT_POLICY) / 1000);
    clock.advance(Number(owner.retryAfter));
    expect((await signIn(ws.admin.email, ws.admin.password)).status).toBe(200);
    // Counted from zero again: the free attempts, then the first wait.
    for (let i = 0; i < ACCOUNT_POLICY.free; i++) expect((await signIn(ws.admin.email, 'typo')).status).toBe(401);
    expect((await signIn(ws.admin.email, 'typo')).retryAfter).toBe('2');
  });

  it('limits a client address across accounts: 100 attempts, then 15 minutes, whatever it puts left in X-Forwarded-For', { timeout: 120_000 }, async () => {
    const ws = await t.workspace();
    const clock = testClock();
    const signIn = instance({ now: clock.now, env: { TRUST_PROXY: '1' } });
    const attacker = address();
    // 25 accounts, 4 guesses each: under every account's free budget, so only the address can stop it.
    // The guesses are counted but not hashed (100 scrypt runs would only make the test slow).
    vi.mocked(verifyPassword).mockImplementation(async () => false);
    const accounts = Array.from({ length: 25 }, ghost);
    for (let round = 0; round < 4; round++) {
      const results = await Promise.all(accounts.map((email) => signIn(email, 'guess', { forwardedFor: `10.0.${round}.${Math.floor(Math.random() * 250)}, ${attacker}` })));
      expect(results.map((r) => r.status)).toEqual(accounts.map(() => 401));
    }
    vi.mocked(verifyPassword).mockImplementation(realVerify);
    expect(checks()).toBe(ADDRESS_POLICY.free);

    const next = await signIn(ghost(), 'guess', { forwardedFor: `203.0.113.1, ${attacker}` });
    expect(next.status).toBe(429);
    expect(next.retryAfter).toBe(String(ADDRESS_POLICY.capMs / 1000));
    expect(next.body.error?.message).toBe('Too many sign-in attempts from your network; try again in 15 minutes.');
    // The right password from there waits too, and is not checked; from elsewhere it signs in.
    expect((await signIn(ws.admin.email, ws.admin.password, { forwardedFor: attacker })).status).toBe(429);
    expect(checks()).toBe(ADDRESS_POLICY.free);
    expect((await signIn(ws.admin.email, ws.admin.password, { forwardedFor: address() })).status).toBe(200);
    clock.advance(ADDRESS_POLICY.capMs / 1000);
    expect((await signIn(ghost(), 'guess', { forwardedFor: attacker })).status).toBe(401);
  });

  it('a successful sign-in gives its address the attempt back, so an office behind one address is not shut out by its own people', { timeout: 120_000 }, async () => {
    const ws = await t.workspace();
    const signIn = instance({ env: { TRUST_PROXY: '1' } });
    const office = address();
    // Every password right, without 100 scrypt runs.
    vi.mocked(verifyPassword).mockImplementation(async () => true);
    // Five at a time: sign-ins in flight count against the account too, and it has five free.
    for (let i = 0; i < ADDRESS_POLICY.free; i += 5) {
      const results = await Promise.all(Array.from({ length: 5 }, () => signIn(ws.admin.email, ws.admin.password, { forwardedFor: office })));
      expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    }
    expect((await signIn(ghost(), 'typo', { forwardedFor: office })).status).toBe(401);
  });

  it("without TRUST_PROXY the connection's peer is the address, and X-Forwarded-For is ignored", async () => {
    const signIn = instance();
    const peer = address();
    const claimed = address();
    expect((await signIn(ghost(), 'guess', { socket: peer, forwardedFor: claimed })).status).toBe(401);
    const row = async (a: string) => (await t.database.db.select().from(signInLimits).where(eq(signInLimits.key, sha256(`address:${a}`))))[0];
    expect((await row(peer))?.attempts).toBe(1);
    expect(await row(claimed)).toBeUndefined();
  });

  it('the count lives in PostgreSQL: a second instance on its own pool (another process, or after a restart) carries on from it', async () => {
    const ws = await t.workspace();
    const clock = testClock();
    const first = instance({ now: clock.now });
    for (let i = 0; i < ACCOUNT_POLICY.free; i++) expect((await first(ws.admin.email, `wrong ${i}`)).status).toBe(401);
    const database = connectPostgres(providedDatabaseUrl(), { max: 2 });
    try {
      const second = instance({ now: clock.now, database });
      const refused = await second(ws.admin.email, ws.admin.password);
      expect(refused.status).toBe(429);
      expect(refused.retryAfter).toBe('2');
      clock.advance(2);
      expect((await second(ws.admin.email, ws.admin.password)).status).toBe(200);
    } finally {
      await database.close();
    }
  });
});
