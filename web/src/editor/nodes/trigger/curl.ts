/** What a ready-to-paste request needs of the trigger endpoint (see `GET /api/workflows/{id}/endpoint`). */
export interface CurlTarget {
  url: string;
  lead: Record<string, unknown>;
  signature: { header: string; timestampHeader: string };
}

/** The lead's JSON as the command sends it: indented, so it reads well and pastes as one quoted word. */
export const leadJson = (lead: Record<string, unknown>) => JSON.stringify(lead, null, 2);

/** The shell variables the lines read when no real value can be printed. */
export const API_KEY_VAR = 'LEADROUTER_API_KEY';
export const SECRET_VAR = 'LEADROUTER_WEBHOOK_SECRET';

/** A POSIX shell word that stands for `s` exactly: single-quoted, each `'` written as `'\''`. */
export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * A curl command that posts the lead with an API key, read from $LEADROUTER_API_KEY (keys are shown once,
 * when created, so the line never holds one).
 */
export function curlWithKey(t: CurlTarget): string {
  return [
    `curl -sS -X POST ${shellQuote(t.url)} \\`,
    `  -H "Authorization: Bearer $${API_KEY_VAR}" \\`,
    `  -H 'Content-Type: application/json' \\`,
    `  --data-raw ${shellQuote(leadJson(t.lead))}`,
  ].join('\n');
}

/**
 * Shell lines that sign the lead with the webhook secret and post it: the signature is the hex HMAC-SHA256
 * of `<timestamp>.<body>`, computed with openssl over the very bytes curl sends. With `secret` null the
 * lines read it from $LEADROUTER_WEBHOOK_SECRET.
 */
export function curlSigned(t: CurlTarget, secret: string | null): string {
  return [
    `secret=${secret === null ? `"$${SECRET_VAR}"` : shellQuote(secret)}`,
    `body=${shellQuote(leadJson(t.lead))}`,
    `ts=$(date +%s)`,
    `sig=$(printf '%s.%s' "$ts" "$body" | openssl dgst -sha256 -hmac "$secret" | sed 's/^.* //')`,
    `curl -sS -X POST ${shellQuote(t.url)} \\`,
    `  -H 'Content-Type: application/json' \\`,
    `  -H "${t.signature.timestampHeader}: $ts" \\`,
    `  -H "${t.signature.header}: sha256=$sig" \\`,
    `  --data-raw "$body"`,
  ].join('\n');
}
