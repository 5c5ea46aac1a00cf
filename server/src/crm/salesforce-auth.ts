import { createSign } from 'node:crypto';

/** What a JWT bearer assertion for Salesforce names: the connected app, the user, the login URL. */
export interface JwtAssertionInput {
  /** The connected app's consumer key (the `iss`). */
  clientId: string;
  /** The Salesforce username the server acts as (the `sub`). */
  username: string;
  /** The login URL (the `aud`): https://login.salesforce.com, https://test.salesforce.com or a custom one. */
  audience: string;
  /** The PEM private key whose certificate is uploaded to the connected app. */
  privateKey: string;
  now?: Date;
}

/**
 * An RS256-signed JWT for Salesforce's OAuth 2.0 JWT bearer flow, valid for 3 minutes (Salesforce's own
 * limit for `exp`). Signed with node:crypto: jsforce takes the assertion, it does not make one.
 */
export function signJwtAssertion(input: JwtAssertionInput): string {
  const now = Math.floor((input.now ?? new Date()).getTime() / 1000);
  const part = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const unsigned = `${part({ alg: 'RS256', typ: 'JWT' })}.${part({ iss: input.clientId, sub: input.username, aud: input.audience.replace(/\/$/, ''), exp: now + 180 })}`;
  const signature = createSign('RSA-SHA256').update(unsigned).sign(input.privateKey).toString('base64url');
  return `${unsigned}.${signature}`;
}
