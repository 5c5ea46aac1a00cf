import { z } from 'zod';

// Workspace secrets: API keys, tokens and webhook URLs that a graph's outbound calls need. A graph never holds
// one: it names it, `{{secret.ENRICH_API_KEY}}`, in an HTTP enrich step's URL or header values or in a Slack or
// webhook notification's URL. The value is stored encrypted (the server's SECRET_KEY), is never sent back by the
// API, and is filled in by the worker at the moment of the call; what the trace and the logs record says the
// secret's name, never its value.

/** A secret's name: upper case letters, digits and underscores, starting with a letter (ENRICH_API_KEY). */
export const SECRET_NAME_PATTERN = /^[A-Z][A-Z0-9_]{0,63}$/;
export const SecretNameSchema = z.string().regex(SECRET_NAME_PATTERN, 'must be 1-64 upper-case letters, digits or underscores, starting with a letter (e.g. ENRICH_API_KEY)');

/** The longest secret value (a PEM key or a long token fits; a document does not). */
export const MAX_SECRET_VALUE_LENGTH = 8000;
/** Secrets a workspace may hold. */
export const MAX_SECRETS_PER_WORKSPACE = 200;

export const SecretValueSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(MAX_SECRET_VALUE_LENGTH, `must be at most ${MAX_SECRET_VALUE_LENGTH} characters`)
  .refine((v) => !/[\r\n\0]/.test(v.trim()), 'must be one line (no line breaks or NUL characters inside)');

/** A reference as written in a graph; names are matched as written, so `{{secret.api_key}}` is reported as not a valid name. */
const SECRET_REF = /\{\{\s*secret\.([A-Za-z0-9_]*)\s*\}\}/g;

/** The secret names a text refers to, in order of first use (invalid names included, for the compiler to report). */
export function secretRefs(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(SECRET_REF)) {
    const name = m[1] as string;
    if (!out.includes(name)) out.push(name);
  }
  return out;
}

/** Whether a text is exactly one secret reference (a notification URL kept as a secret). */
export function isSecretRefOnly(text: string): boolean {
  return /^\{\{\s*secret\.[A-Z][A-Z0-9_]{0,63}\s*\}\}$/.test(text);
}

/** A text with each secret reference replaced by `valueOf(name)`, in one pass (a filled-in value is never read again). */
export function fillSecrets(text: string, valueOf: (name: string) => string): string {
  return text.replace(SECRET_REF, (_, name: string) => valueOf(name));
}

/**
 * A text with every occurrence of the given secret values replaced by their reference: what a trace step or a
 * log line may carry of an answer or an error that echoes a URL or header back. Values shorter than 4
 * characters are left alone (they would redact ordinary words).
 */
export function redactSecrets(text: string, secrets: ReadonlyMap<string, string>): string {
  let out = text;
  const byLength = [...secrets].filter(([, v]) => v.length >= 4).sort((a, b) => b[1].length - a[1].length);
  for (const [name, value] of byLength) {
    out = out.split(value).join(`{{secret.${name}}}`);
    const encoded = encodeURIComponent(value);
    if (encoded !== value) out = out.split(encoded).join(`{{secret.${name}}}`);
  }
  return out;
}

/** Header names whose value is a credential: written in plain in a graph, the publish gate warns. */
export function isCredentialHeader(name: string): boolean {
  const n = name.trim().toLowerCase();
  return n === 'authorization' || n === 'proxy-authorization' || n === 'cookie' || /(^|[-_])(api[-_]?key|key|token|secret|password|auth)([-_]|$)/.test(n);
}

/** URL query parameters that carry a credential (`?api_key=...`). */
export function credentialQueryParams(url: string): string[] {
  const query = url.split('#')[0]!.split('?')[1];
  if (!query) return [];
  const out: string[] = [];
  for (const pair of query.split('&')) {
    const [rawKey, value = ''] = pair.split('=');
    const key = rawKey ?? '';
    if (value && !/\{\{/.test(value) && /(^|[-_])(api[-_]?key|key|token|secret|password|access[-_]?token|sig|signature)$/i.test(key)) out.push(key);
  }
  return out;
}

/** Slack incoming-webhook URLs: the URL itself is the credential (anyone holding it can post to the channel). */
export function isSlackWebhookUrl(url: string): boolean {
  return /^https:\/\/hooks\.slack(-gov)?\.com\/(services|workflows|triggers)\//i.test(url.trim());
}

/** What the API says of a secret: never its value. */
export const SecretInfoSchema = z.object({
  name: z.string(),
  /** The value's last 4 characters when it is at least 16 long, so a person can tell two keys apart; else null. */
  hint: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  updatedBy: z.string().nullable(),
  /** Published workflows whose active version names this secret. */
  usedBy: z.array(z.object({ workflowId: z.string(), name: z.string() })),
  /** Queues whose age alerts go to a URL that names this secret. */
  usedByQueues: z.array(z.object({ queueId: z.string(), name: z.string() })),
});
export type SecretInfo = z.infer<typeof SecretInfoSchema>;

/** The hint stored beside a sealed value (see SecretInfo.hint). */
export function secretHint(value: string): string | null {
  return value.length >= 16 ? value.slice(-4) : null;
}
