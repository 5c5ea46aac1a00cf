import { Client } from '@hubspot/api-client';
import type { CrmFailureKind } from './salesforce-client';

// Every call to HubSpot goes through @hubspot/api-client (its `basePath` is the connection's API URL:
// https://api.hubapi.com, or the contract server in tests). Around each call this module adds what the
// library does not do the way the product needs:
// - a token bucket per connection (HubSpot's burst limit: 190 calls per 10 s for a private app on Pro and
//   Enterprise; 100 on Free and Starter), so the product stays under it rather than running into it;
// - 429s retried after the answer's hint (Retry-After, else the X-HubSpot-RateLimit-Interval-Milliseconds
//   window, else a second), a few times, then reported as a limit (the caller backs off and resumes);
// - an OAuth access token that expired (401) refreshed once with the refresh token and the call repeated.
// The library's own retry decorator (fixed waits, logs to the console) is left off.

/** HubSpot's API base URL. */
export const HUBSPOT_API_BASE = 'https://api.hubapi.com';

/** A token bucket: `capacity` calls, refilled evenly over `intervalMs`. `take` waits for a token. */
export class TokenBucket {
  private tokens: number;
  private last: number;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    readonly capacity: number,
    readonly intervalMs: number,
    private readonly clock: () => number = Date.now,
  ) {
    this.tokens = capacity;
    this.last = clock();
  }

  private refill(): void {
    const now = this.clock();
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.last) * this.capacity) / this.intervalMs);
    this.last = now;
  }

  /** Waits until a call may go (callers are served in order). */
  take(): Promise<void> {
    const turn = this.queue.then(async () => {
      this.refill();
      if (this.tokens < 1) {
        await new Promise((r) => setTimeout(r, Math.ceil(((1 - this.tokens) * this.intervalMs) / this.capacity)));
        this.refill();
      }
      this.tokens -= 1;
    });
    this.queue = turn.catch(() => {});
    return turn;
  }
}

/** HubSpot's burst limit the product keeps to, per connection. */
export const HUBSPOT_BURST = { capacity: 190, intervalMs: 10_000 };
const buckets = new Map<string, TokenBucket>();

/** The bucket of a connection (one per process; HubSpot counts per app and account). */
export function bucketFor(connectionId: string): TokenBucket {
  let b = buckets.get(connectionId);
  if (!b) buckets.set(connectionId, (b = new TokenBucket(HUBSPOT_BURST.capacity, HUBSPOT_BURST.intervalMs)));
  return b;
}

/** How many 429s a call waits out, and the longest single wait, before it is reported as a limit. */
export interface HubSpotRetryPolicy {
  max429Retries: number;
  maxWaitMs: number;
}

export const DEFAULT_HUBSPOT_RETRY: HubSpotRetryPolicy = { max429Retries: 3, maxWaitMs: 15_000 };

/** What calling one HubSpot account needs; the token is never logged. */
export interface HubSpotSession {
  basePath: string;
  accessToken: string | null;
  bucket: TokenBucket;
  retry?: HubSpotRetryPolicy;
  /** OAuth: gets a fresh access token (refresh_token grant) and stores it; absent for a private app token. */
  refresh?: () => Promise<string>;
}

/** An error of the library: `code` is the HTTP status, `body` the parsed error, `headers` lowercase. */
interface ApiError {
  code: number;
  body?: { message?: string; category?: string; status?: string; errors?: unknown } | string | null;
  headers?: Record<string, string>;
  message?: string;
}

const isApiError = (e: unknown): e is ApiError => typeof e === 'object' && e !== null && typeof (e as { code?: unknown }).code === 'number';

/** How long a 429 asks to wait (ms). */
export function retryAfterMs(headers: Record<string, string> | undefined): number {
  const h = headers ?? {};
  const ra = h['retry-after'];
  if (ra !== undefined) {
    const s = Number(ra);
    if (Number.isFinite(s)) return Math.max(0, s * 1000);
    const at = Date.parse(ra);
    if (Number.isFinite(at)) return Math.max(0, at - Date.now());
  }
  // Without Retry-After: the secondly limit clears within a second; the burst window within its interval.
  if (h['x-hubspot-ratelimit-secondly-remaining'] === '0') return 1_000;
  const interval = Number(h['x-hubspot-ratelimit-interval-milliseconds']);
  return Number.isFinite(interval) && interval > 0 ? interval : 1_000;
}

/** A HubSpot account through the client library: `call` runs one library call with the bucket, 429 waits and a token refresh. */
export class HubSpotApi {
  private client: Client;
  private refreshing: Promise<string> | null = null;
  /** The waits 429s asked for, for tests and logs. */
  readonly waits: number[] = [];

  constructor(private readonly s: HubSpotSession) {
    this.client = this.build(s.accessToken);
  }

  private build(accessToken: string | null): Client {
    return new Client({ basePath: s(this.s.basePath), ...(accessToken ? { accessToken } : {}), numberOfApiCallRetries: 0 });
  }

  /** The library's client (for calls that need no token, e.g. the OAuth token endpoint). */
  get raw(): Client {
    return this.client;
  }

  async call<T>(fn: (c: Client) => Promise<T>): Promise<T> {
    const policy = this.s.retry ?? DEFAULT_HUBSPOT_RETRY;
    let refreshed = false;
    if (!this.s.accessToken && this.s.refresh) await this.refreshToken();
    for (let attempt = 0; ; attempt++) {
      await this.s.bucket.take();
      try {
        return await fn(this.client);
      } catch (e) {
        if (!isApiError(e)) throw e;
        if (e.code === 429 && attempt < policy.max429Retries) {
          const wait = retryAfterMs(e.headers);
          if (wait <= policy.maxWaitMs) {
            this.waits.push(wait);
            await new Promise((r) => setTimeout(r, wait));
            continue;
          }
        }
        if (e.code === 401 && this.s.refresh && !refreshed) {
          refreshed = true;
          await this.refreshToken();
          continue;
        }
        throw e;
      }
    }
  }

  /** One refresh at a time: concurrent calls that meet an expired token share it. */
  private async refreshToken(): Promise<void> {
    this.refreshing ??= this.s.refresh!().finally(() => (this.refreshing = null));
    const token = await this.refreshing;
    this.s.accessToken = token;
    this.client = this.build(token);
  }
}

const s = (base: string) => base.replace(/\/$/, '');

/** HubSpot's OAuth refresh through the library: a new access token (and the refresh token, which HubSpot keeps). */
export async function refreshHubSpotToken(basePath: string, c: { clientId: string; clientSecret: string; refreshToken: string }): Promise<{ accessToken: string; refreshToken: string; expiresIn: number }> {
  const client = new Client({ basePath: s(basePath), numberOfApiCallRetries: 0 });
  const r = await client.oauth.tokensApi.create('refresh_token', undefined, undefined, c.clientId, c.clientSecret, c.refreshToken);
  return { accessToken: r.accessToken, refreshToken: r.refreshToken || c.refreshToken, expiresIn: r.expiresIn };
}

/** A HubSpot error in plain words, and its kind (for the back-off and the write answers). */
export function describeHubSpotError(e: unknown): { kind: CrmFailureKind; code: string; message: string } {
  if ((e as { name?: string } | null)?.name === 'SecretBoxError') return { kind: 'auth', code: 'secret_unreadable', message: (e as Error).message };
  if (isApiError(e)) {
    const body = typeof e.body === 'object' && e.body !== null ? e.body : null;
    const text = body?.message ?? (typeof e.body === 'string' ? e.body : (e.message ?? ''));
    const category = body?.category ?? body?.status ?? `HTTP_${e.code}`;
    if (e.code === 429) return { kind: 'limit', code: 'RATE_LIMIT', message: `HubSpot's rate limit was reached (${text || 'too many requests'}); the call waits and resumes.` };
    if (e.code === 401) return { kind: 'auth', code: category, message: `HubSpot refused the credentials (${text}). Check the private app token, or connect again.` };
    if (e.code === 403) return { kind: 'auth', code: category, message: `HubSpot says the token lacks a scope this needs (${text}); add the scopes listed in docs/crm.md to the app.` };
    if (e.code === 400 && /BAD_REFRESH_TOKEN|BAD_CLIENT/.test(category)) return { kind: 'auth', code: category, message: `HubSpot refused the refresh (${text}); connect again.` };
    if (e.code >= 500) return { kind: 'unreachable', code: category, message: `HubSpot answered ${e.code} (${text}); reading resumes from where it stopped when it is back.` };
    return { kind: 'other', code: category, message: `HubSpot answered ${e.code} ${category}: ${text}` };
  }
  const err = e as { code?: string; message?: string; type?: string } | null;
  const code = err?.code ?? 'ERROR';
  const raw = err?.message ?? String(e);
  if (['ECONNREFUSED', 'ENOTFOUND', 'ETIMEDOUT', 'ECONNRESET', 'EHOSTUNREACH'].includes(code) || err?.type === 'system' || /socket hang up|fetch failed/i.test(raw)) {
    return { kind: 'unreachable', code, message: `HubSpot could not be reached (${code}); reading resumes from where it stopped when it is back.` };
  }
  return { kind: 'other', code, message: `HubSpot call failed: ${raw}` };
}

/** Whether trying again later may succeed. */
export function isRetryable(kind: CrmFailureKind): boolean {
  return kind === 'limit' || kind === 'unreachable';
}
