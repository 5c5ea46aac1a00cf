import { describe, expect, it } from 'vitest';
import { LOGIN_WINDOW_MS, LoginThrottle, MAX_FAILED_LOGINS } from './sessions.service';

describe('LoginThrottle', () => {
  const t0 = Date.UTC(2026, 0, 1);

  it('lets 10 failures through, then refuses until the oldest leaves the 15-minute window', () => {
    const th = new LoginThrottle();
    for (let i = 0; i < MAX_FAILED_LOGINS; i++) {
      expect(th.retryAfter('a@example.com', t0 + i * 1000)).toBeNull();
      th.fail('a@example.com', t0 + i * 1000);
    }
    expect(th.retryAfter('a@example.com', t0 + 10_000)).toBe(LOGIN_WINDOW_MS / 1000 - 10);
    expect(th.retryAfter('A@Example.com ', t0 + 10_000)).not.toBeNull();
    expect(th.retryAfter('b@example.com', t0 + 10_000)).toBeNull();
    // Once the first failure is 15 minutes old, one more attempt is allowed.
    expect(th.retryAfter('a@example.com', t0 + LOGIN_WINDOW_MS - 1)).toBe(1);
    expect(th.retryAfter('a@example.com', t0 + LOGIN_WINDOW_MS)).toBeNull();
  });

  it('forgets failures after a success', () => {
    const th = new LoginThrottle(3, 60_000);
    for (let i = 0; i < 3; i++) th.fail('a@example.com', t0);
    expect(th.retryAfter('a@example.com', t0)).toBe(60);
    th.succeed('a@example.com');
    expect(th.retryAfter('a@example.com', t0)).toBeNull();
  });

  it('keeps only the attempts that decide, so memory per email is bounded', () => {
    const th = new LoginThrottle(3, 60_000);
    for (let i = 0; i < 1000; i++) th.fail('a@example.com', t0 + i);
    // The third-newest failure (t0 + 997) decides when the email is free again.
    expect(th.retryAfter('a@example.com', t0 + 1000)).toBe(Math.ceil((997 + 60_000 - 1000) / 1000));
  });
});
