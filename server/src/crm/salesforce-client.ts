import { Connection, OAuth2, type TokenResponse } from 'jsforce';
import { signJwtAssertion } from './salesforce-auth';

// Every call to Salesforce goes through jsforce: the OAuth flows (its OAuth2 class), the session refresh
// (its refresh delegate: an expired session is refreshed once and the call repeated), queries and paging,
// sObject writes, limits. This module only builds the connection from what a connection row holds and
// turns jsforce's errors into plain words.

/** The REST API version the product speaks. */
export const SALESFORCE_API_VERSION = '62.0';

/** What signing in to one org needs, secrets already decrypted (never logged). */
export interface SalesforceCredentials {
  loginUrl: string;
  authKind: 'oauth_web_server' | 'jwt_bearer';
  clientId: string;
  clientSecret?: string | undefined;
  /** JWT bearer: the user to act as, and the key whose certificate the connected app holds. */
  username?: string | undefined;
  privateKey?: string | undefined;
  redirectUri?: string | undefined;
  instanceUrl?: string | undefined;
  accessToken?: string | undefined;
  refreshToken?: string | undefined;
}

/** How jsforce retries one call (it retries 5xx and refused connections itself; the poller retries later). */
export interface RetryPolicy {
  maxRetries: number;
  minTimeout: number;
}

/** A new access token (and instance URL) jsforce obtained: to be stored, encrypted. */
export interface RefreshedSession {
  accessToken: string;
  instanceUrl: string;
}

/** The jsforce OAuth2 client of a connection (web-server flow, refresh, JWT grant). */
export function oauth2Of(c: Pick<SalesforceCredentials, 'loginUrl' | 'clientId' | 'clientSecret' | 'redirectUri'>, useVerifier = false): OAuth2 {
  return new OAuth2({
    loginUrl: c.loginUrl,
    clientId: c.clientId,
    ...(c.clientSecret ? { clientSecret: c.clientSecret } : {}),
    ...(c.redirectUri ? { redirectUri: c.redirectUri } : {}),
    ...(useVerifier ? { useVerifier: true } : {}),
  });
}

/** The JWT bearer grant: a fresh assertion for a token (no refresh token in this flow). */
export async function jwtBearerToken(c: SalesforceCredentials): Promise<TokenResponse> {
  if (!c.username || !c.privateKey) throw new Error('The JWT bearer flow needs a username and a private key.');
  const assertion = signJwtAssertion({ clientId: c.clientId, username: c.username, audience: c.loginUrl, privateKey: c.privateKey });
  return oauth2Of(c).requestToken({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion });
}

/**
 * A jsforce connection for these credentials. When the session expires jsforce refreshes it (the refresh
 * token for the web-server flow, a new assertion for JWT) and repeats the call; `onRefresh` gets the new
 * session to store.
 */
export function salesforceConnection(c: SalesforceCredentials, onRefresh: (s: RefreshedSession) => void | Promise<void>): Connection {
  const base = {
    oauth2: oauth2Of(c),
    version: SALESFORCE_API_VERSION,
    ...(c.instanceUrl ? { instanceUrl: c.instanceUrl } : {}),
    ...(c.accessToken ? { accessToken: c.accessToken } : {}),
  };
  const conn =
    c.authKind === 'jwt_bearer'
      ? new Connection({
          ...base,
          refreshFn: (cn, callback) => {
            jwtBearerToken(c).then(
              (res) => {
                cn.instanceUrl = res.instance_url;
                callback(null, res.access_token, res);
              },
              (e: unknown) => callback(e instanceof Error ? e : new Error(String(e))),
            );
          },
        })
      : new Connection({ ...base, ...(c.refreshToken ? { refreshToken: c.refreshToken } : {}) });
  conn.on('refresh', (accessToken: string) => {
    void Promise.resolve(onRefresh({ accessToken, instanceUrl: conn.instanceUrl })).catch(() => {});
  });
  return conn;
}

/** The org's daily API usage, as the last answer's Sforce-Limit-Info said. */
export function apiUsageOf(conn: Connection): { used: number; limit: number } | null {
  const u = conn.limitInfo.apiUsage;
  return u ? { used: u.used, limit: u.limit } : null;
}

/** What kind of failure a Salesforce error is, for the poller's back-off. */
export type CrmFailureKind = 'limit' | 'auth' | 'unreachable' | 'query' | 'other';

/** A Salesforce error in plain words, and its kind. */
export function describeSalesforceError(e: unknown): { kind: CrmFailureKind; code: string; message: string } {
  const err = e as { name?: string; errorCode?: string; message?: string; code?: string } | null;
  const code = err?.errorCode ?? err?.code ?? err?.name ?? 'ERROR';
  const raw = err?.message ?? String(e);
  // Our own: a stored credential that this server's SECRET_KEY cannot open (secret-box.ts says which key).
  if (err?.name === 'SecretBoxError') return { kind: 'auth', code: 'secret_unreadable', message: raw };
  // OAuth errors: jsforce names the error after the token endpoint's `error`.
  const oauth = /^(invalid_grant|invalid_client_id|invalid_client|unsupported_grant_type|redirect_uri_mismatch|inactive_user|inactive_org)$/.exec(err?.name ?? '');
  if (oauth || /Unable to refresh session/.test(raw)) {
    return { kind: 'auth', code: oauth?.[1] ?? 'invalid_grant', message: `Salesforce refused the sign-in (${raw.replace(/^Unable to refresh session due to: /, '')}). Connect again, or check the connected app's settings.` };
  }
  if (code === 'REQUEST_LIMIT_EXCEEDED') return { kind: 'limit', code, message: `The org has used its daily API allocation (Salesforce: ${raw}); polling waits and resumes from where it stopped.` };
  if (code === 'INVALID_SESSION_ID') return { kind: 'auth', code, message: 'Salesforce says the session is invalid and it could not be refreshed; connect again.' };
  // A 5xx of the token endpoint comes as ERROR_HTTP_5xx; of the REST API with Salesforce's error code.
  if (['ECONNREFUSED', 'ENOTFOUND', 'ETIMEDOUT', 'ECONNRESET', 'EHOSTUNREACH', 'UND_ERR_SOCKET', 'SERVER_UNAVAILABLE'].includes(code) || /^ERROR_HTTP_5\d\d$/.test(code) || /fetch failed|socket hang up/i.test(raw)) {
    return { kind: 'unreachable', code, message: `Salesforce could not be reached (${code}); reading resumes from where it stopped when it is back.` };
  }
  if (['MALFORMED_QUERY', 'INVALID_FIELD', 'INVALID_TYPE'].includes(code)) return { kind: 'query', code, message: `Salesforce refused the query (${code}: ${raw}); check the field mapping.` };
  return { kind: 'other', code, message: `Salesforce answered ${code}: ${raw}` };
}
