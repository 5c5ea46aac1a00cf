import { request } from 'undici';
import { messageOf } from './failures';
import { RefusedTarget, type TargetGuard } from './target-guard';

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

/** The network-level reason of a failed request: `ECONNREFUSED`, `ENOTFOUND`... */
function networkReason(e: unknown): string {
  const err = e as { code?: string; cause?: { code?: string; message?: string } };
  return err.code ?? err.cause?.code ?? err.cause?.message ?? messageOf(e);
}

async function readLimited(body: AsyncIterable<Buffer> & { destroy(): void }): Promise<{ body: string; truncated: boolean }> {
  const chunks: Buffer[] = [];
  let total = 0;
  let truncated = false;
  for await (const chunk of body) {
    chunks.push(chunk);
    total += chunk.byteLength;
    if (total > MAX_RESPONSE_BYTES) {
      truncated = true;
      body.destroy();
      break;
    }
  }
  return { body: Buffer.concat(chunks).subarray(0, MAX_RESPONSE_BYTES).toString('utf8'), truncated };
}

/** A request as the activities make them. */
export interface HttpRequestInit {
  method: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
}

/**
 * One HTTP request to a target the guard allows (`raw`, checked first), through the guard's dispatcher,
 * with a deadline over the whole exchange (headers and body). Redirects are not followed: a redirect could
 * lead past the target check. A refused target throws `RefusedTarget` (permanent); a network failure or the
 * deadline passing throws a plain Error (transient: Temporal retries it); any response is returned as it is.
 */
export async function httpRequest(guard: TargetGuard, raw: string, init: HttpRequestInit, timeoutMs: number): Promise<HttpAnswer> {
  const url = await guard.check(raw);
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const res = await request(url, { dispatcher: guard.dispatcher, method: init.method, headers: init.headers ?? {}, body: init.body ?? null, signal });
    const { body, truncated } = await readLimited(res.body);
    return { status: res.statusCode, body, truncated };
  } catch (e) {
    if (e instanceof RefusedTarget) throw e;
    if (isTimeout(e) || signal.aborted) throw new Error(`${url.origin} did not answer within ${timeoutMs} ms`);
    throw new Error(`Could not reach ${url.origin}: ${networkReason(e)}`);
  }
}

/** The first characters of a response body, for a detail line. */
export const snippet = (body: string, max = 200): string => {
  const s = body.replace(/\s+/g, ' ').trim();
  return s.length > max ? `${s.slice(0, max)}...` : s;
};
