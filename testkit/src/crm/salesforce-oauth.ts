import { randomBytes, verify, type KeyObject } from 'node:crypto';

// The OAuth 2.0 checks of the Salesforce contract server: the authorize page (web-server flow) and the JWT
// bearer assertion, answered as Salesforce documents them.

/** What a JWT bearer assertion is checked against. */
export interface JwtCheck {
  apps: ReadonlyMap<string, { clientId: string; publicKey?: KeyObject }>;
  users: ReadonlyMap<string, string>;
  audiences: readonly string[];
  now: number;
}

/**
 * Salesforce's checks of a JWT bearer assertion: RS256, signed by the key of the certificate uploaded to the
 * connected app named by `iss`, `aud` a login URL, `exp` not past (a few minutes of skew), `sub` a user who
 * may use the app. The OAuth error Salesforce answers otherwise.
 */
export function verifyJwtAssertion(assertion: string, check: JwtCheck): { clientId: string; userId: string } | { error: string; description: string } {
  const invalid = { error: 'invalid_grant', description: 'invalid assertion' };
  const parts = assertion.split('.');
  if (parts.length !== 3) return invalid;
  let header: { alg?: string };
  let claims: { iss?: string; sub?: string; aud?: string; exp?: number };
  try {
    header = JSON.parse(Buffer.from(parts[0]!, 'base64url').toString('utf8')) as typeof header;
    claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as typeof claims;
  } catch {
    return invalid;
  }
  if (header.alg !== 'RS256') return invalid;
  const app = check.apps.get(claims.iss ?? '');
  if (!app) return { error: 'invalid_client_id', description: 'client identifier invalid' };
  if (!app.publicKey) return { error: 'invalid_client', description: 'no certificate is registered for this connected app' };
  if (!verify('RSA-SHA256', Buffer.from(`${parts[0]}.${parts[1]}`), app.publicKey, Buffer.from(parts[2]!, 'base64url'))) return invalid;
  if (!check.audiences.includes((claims.aud ?? '').replace(/\/$/, ''))) return { error: 'invalid_grant', description: 'audience is invalid' };
  if (typeof claims.exp !== 'number' || claims.exp * 1000 + 3 * 60_000 < check.now) return { error: 'invalid_grant', description: 'expired authorization code' };
  const userId = check.users.get(claims.sub ?? '');
  if (!userId) return { error: 'invalid_grant', description: "user hasn't approved this consumer" };
  return { clientId: app.clientId, userId };
}

/** An authorization code waiting to be exchanged. */
export interface PendingCode {
  clientId: string;
  redirectUri: string;
  userId: string;
  challenge?: string;
}

/**
 * GET /services/oauth2/authorize, approved at once by the first registered user (or `login_hint`): a
 * redirect to the callback with a code and the state, or 400 for an unknown app or callback URL.
 */
export function authorizeRequest(
  q: URLSearchParams,
  known: { apps: ReadonlyMap<string, { redirectUris: string[] }>; users: ReadonlyMap<string, string> },
): { status: 400; text: string; code?: undefined } | { status: 302; location: string; code?: { value: string; pending: PendingCode } } {
  const clientId = q.get('client_id') ?? '';
  const redirectUri = q.get('redirect_uri') ?? '';
  const app = known.apps.get(clientId);
  if (!app) return { status: 400, text: 'error=invalid_client_id&error_description=client%20identifier%20invalid' };
  if (!app.redirectUris.includes(redirectUri)) return { status: 400, text: 'error=redirect_uri_mismatch&error_description=redirect_uri%20must%20match%20configuration' };
  if (q.get('response_type') !== 'code') return { status: 400, text: 'error=unsupported_response_type' };
  const hint = q.get('login_hint');
  const userId = (hint && known.users.get(hint)) ?? [...known.users.values()][0];
  const target = new URL(redirectUri);
  const state = q.get('state');
  let code: { value: string; pending: PendingCode } | undefined;
  if (!userId) {
    target.searchParams.set('error', 'access_denied');
    target.searchParams.set('error_description', 'end-user denied authorization');
  } else {
    const challenge = q.get('code_challenge');
    code = { value: `aPrx${randomBytes(24).toString('base64url')}`, pending: { clientId, redirectUri, userId, ...(challenge ? { challenge } : {}) } };
    target.searchParams.set('code', code.value);
  }
  if (state !== null) target.searchParams.set('state', state);
  return { status: 302, location: target.toString(), ...(code ? { code } : {}) };
}
