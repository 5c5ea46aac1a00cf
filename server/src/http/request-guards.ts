import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { secureHeaders } from 'hono/secure-headers';
import { SESSION_COOKIE } from '../auth/authenticate';
import type { AppEnv } from './context';
import { DomainError } from '../errors/domain-error';

// What every request passes before a route sees it: a bound on its body (enforced while it streams in),
// the content type its route documents, and, for a browser session, proof that the page that sent it is
// ours. Plus the security headers on every answer.

const KiB = 1024;
const MiB = 1024 * KiB;

/** The body limit of every route not listed in BODY_LIMITS. */
export const DEFAULT_BODY_LIMIT = 1 * MiB;

/**
 * Routes whose limit is not the default, by method and path: a draft or a published graph (up to 1,000
 * nodes) may take 4 MiB; `route` marks the routes that bound their body themselves, with a limit and a
 * message of their own (test runs: up to 10,000 sample leads; CSV imports: 5 MiB; a lead: 64 KiB).
 */
export const BODY_LIMITS: ReadonlyArray<{ method: string; path: RegExp; limit: number | 'route'; what: string }> = [
  { method: 'PUT', path: /^\/api\/workflows\/[^/]+\/draft$/, limit: 4 * MiB, what: 'a draft' },
  { method: 'POST', path: /^\/api\/workflows\/[^/]+\/publish$/, limit: 4 * MiB, what: 'a publish' },
  { method: 'POST', path: /^\/api\/workflows\/[^/]+\/(simulate|backtest|golden|leads)$/, limit: 'route', what: 'a test run or a lead' },
  { method: 'POST', path: /^\/api\/[a-z]+\/import$/, limit: 'route', what: 'an import' },
  { method: 'POST', path: /^\/api\/workflows\/[^/]+\/test-leads\/import$/, limit: 'route', what: 'an import' },
  { method: 'POST', path: /^\/api\/workflows\/[^/]+\/backfills\/import$/, limit: 'route', what: 'an import' },
];

const shownSize = (bytes: number) => (bytes >= MiB ? `${bytes / MiB} MiB` : `${bytes / KiB} KiB`);

// One limiter per limit and wording (a draft and a publish share 4 MiB but not their message).
const limiters = new Map<string, MiddlewareHandler<AppEnv>>();
function limiter(limit: number, what: string): MiddlewareHandler<AppEnv> {
  const key = `${limit} ${what}`;
  let l = limiters.get(key);
  if (!l) {
    l = bodyLimit({
      maxSize: limit,
      onError: () => {
        throw new DomainError('payload_too_large', `The body is larger than ${shownSize(limit)}, the most ${what} may carry; nothing was read further or stored.`, [
          { path: 'body', message: `at most ${limit} bytes`, code: 'too_large' },
        ]);
      },
    });
    limiters.set(key, l);
  }
  return l;
}

/** Every request body bounded by its route's limit, checked from Content-Length or while it streams in. */
export function bodyLimits(): MiddlewareHandler<AppEnv> {
  return (c, next) => {
    const special = BODY_LIMITS.find((b) => b.method === c.req.method && b.path.test(c.req.path));
    if (special?.limit === 'route') return next();
    return special ? limiter(special.limit, special.what)(c, next) : limiter(DEFAULT_BODY_LIMIT, 'a request')(c, next);
  };
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const isJson = (type: string) => type === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(type);

/**
 * A body is accepted only in the content type its route documents: JSON everywhere but the CSV imports
 * (which refuse anything but CSV themselves). A form or text/plain post (what a page on another site can send without asking) is refused with
 * 415 before anything reads it. Requests without a body are not concerned.
 */
export function contentTypes(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (!UNSAFE.has(c.req.method) || !c.req.raw.body || c.req.header('content-length') === '0') return next();
    // HTTP/1.1: a request has a body only with a Content-Length or a Transfer-Encoding; the Node adapter
    // gives every DELETE and POST a body stream, empty or not. One that says neither and names no type
    // (a browser's bodiless DELETE) has nothing to check.
    const declared = c.req.header('content-length') !== undefined || c.req.header('transfer-encoding') !== undefined;
    if (!declared && c.req.header('content-type') === undefined) return next();
    // The CSV imports check their own content type, after the caller's role.
    if (c.req.method === 'POST' && /\/import$/.test(c.req.path)) return next();
    const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    if (isJson(type)) return next();
    throw new DomainError('unsupported_media_type', `Send the body as application/json${type ? ` (not ${type})` : ' (no Content-Type was given)'}.`, [
      { path: 'content-type', message: 'must be application/json', code: 'unsupported_media_type' },
    ]);
  };
}

/**
 * Same-origin check for browser sessions (CSRF): a state change that a session cookie would authorise is
 * accepted only from our own pages, told by `Sec-Fetch-Site: same-origin` or an `Origin` equal to ours
 * (the request's, or PUBLIC_URL's behind a proxy). A page on another port or subdomain of the same site
 * is a different origin and is refused, whatever the content type. Requests with an API key (no cookie)
 * and non-browser clients (neither header) are not concerned.
 */
export function sameOriginSessions(publicUrl: string | undefined): MiddlewareHandler<AppEnv> {
  const publicOrigin = publicUrl ? new URL(publicUrl).origin : null;
  return async (c, next) => {
    if (!UNSAFE.has(c.req.method)) return next();
    const cookie = c.req.header('cookie') ?? '';
    const bearer = /^bearer\s+/i.test(c.req.header('authorization') ?? '');
    if (bearer || !cookie.includes(`${SESSION_COOKIE}=`)) return next();
    const site = c.req.header('sec-fetch-site');
    const origin = c.req.header('origin');
    if (site === undefined && origin === undefined) return next();
    if (site === 'same-origin' || site === 'none') return next();
    if (site === undefined && origin !== undefined && (origin === new URL(c.req.url).origin || origin === publicOrigin)) return next();
    throw new DomainError('cross_origin_request', 'This request came from a page outside this app, so its session cookie is not accepted. Use the app, or an API key.', [
      { path: 'origin', message: `${origin ?? 'unknown'} (${site ?? 'no Sec-Fetch-Site'}) is not this app's origin`, code: 'cross_origin_request' },
    ]);
  };
}

/**
 * Security headers on every answer: no framing (frame-ancestors and X-Frame-Options), no MIME sniffing,
 * and a Content-Security-Policy the web app passes (its own scripts and styles; React Flow positions nodes
 * with inline styles; images may be data: URLs). Routes that set a stricter CSP (the API reference) keep it.
 */
export function securityHeaders(): MiddlewareHandler<AppEnv> {
  return secureHeaders({
    overwrite: false,
    xFrameOptions: 'DENY',
    strictTransportSecurity: false,
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:'],
      fontSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      objectSrc: ["'none'"],
      baseUri: ["'self'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
    },
  });
}
