import { messageOf } from './failures';

/** The most of a response body read: enrichment answers and webhook replies are small. */
export const MAX_RESPONSE_BYTES = 1_048_576;

/** A finished HTTP exchange. */
export interface HttpAnswer {
  status: number;
  body: string;
  /** The body was cut at MAX_RESPONSE_BYTES. */
  truncated: boolean;
}

/** A response status a retry may change: 5xx, 429 Too Many Requests and 408 Request Timeout. */
export const isTransientStatus = (status: number): boolean => status >= 500 || status === 429 || status === 408;

function isTimeout(e: unknown): boolean {
  return e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError');
}

/** The network-level reason of a failed fetch (undici puts it in `cause`): `ECONNREFUSED`, `ENOTFOUND`... */
function networkReason(e: unknown): string {
  const cause = (e as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? messageOf(e);
}

async function readLimited(res: Response): Promise<{ body: string; truncated: boolean }> {
  if (!res.body) return { body: '', truncated: false };
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  let truncated = false;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    total += value.byteLength;
    if (total > MAX_RESPONSE_BYTES) {
      truncated = true;
      await reader.cancel().catch(() => {});
      break;
    }
  }
  return { body: Buffer.concat(chunks).subarray(0, MAX_RESPONSE_BYTES).toString('utf8'), truncated };
}

/**
 * One HTTP request with a deadline over the whole exchange (headers and body). Redirects are not followed:
 * a redirect could lead past the target check to a private address. A network failure or the deadline
 * passing throws a plain Error (transient: Temporal retries it); any response is returned as it is.
 */
export async function httpRequest(fetchFn: typeof fetch, url: URL, init: RequestInit, timeoutMs: number): Promise<HttpAnswer> {
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const res = await fetchFn(url, { ...init, redirect: 'manual', signal });
    const { body, truncated } = await readLimited(res);
    return { status: res.status, body, truncated };
  } catch (e) {
    if (isTimeout(e) || signal.aborted) throw new Error(`${url.origin} did not answer within ${timeoutMs} ms`);
    throw new Error(`Could not reach ${url.origin}: ${networkReason(e)}`);
  }
}

/** The first characters of a response body, for a detail line. */
export const snippet = (body: string, max = 200): string => {
  const s = body.replace(/\s+/g, ' ').trim();
  return s.length > max ? `${s.slice(0, max)}...` : s;
};
