import { timingSafeEqual } from 'node:crypto';
import { Signature } from '@hubspot/api-client';
import { crmConnections } from '@lead-router/db/crm-schema';
import { and, eq } from 'drizzle-orm';
import { DomainError } from '../errors/domain-error';
import { openSecret, resealIfRotated } from './connections.service';
import { contactProperties, hubspotApiFor, hubspotMappingOf, hubspotSignedIn } from './hubspot-connections';
import { describeHubSpotError, isRetryable } from './hubspot-client';
import { ingestContacts, leadTarget, workspaceCatalog, type HubSpotContact, type IngestCounts } from './hubspot-ingest';
import type { RerouteDeps } from './crm-reroute';
import { secretBoxFrom } from './secret-box';

// HubSpot's webhook deliveries: POST /api/crm/hubspot/webhook/{connectionId}, a JSON array of up to 100
// events, signed v3 (X-HubSpot-Signature-v3: base64 HMAC-SHA256 with the app's client secret of method +
// URI + body + X-HubSpot-Request-Timestamp). A delivery without a valid signature, or older than 5 minutes,
// is refused (401 naming what is wrong) before anything is read. contact.creation and
// contact.propertyChange events name contacts; those are read back (batch read, the mapped properties) and
// stored as leads like the poller's. HubSpot down at that moment: 503, so HubSpot delivers again (it retries
// for about a day), and the poller reads the contact anyway: no lead is lost.

/** The largest delivery read: 256 KiB (HubSpot sends at most 100 events, a few hundred bytes each). */
export const MAX_WEBHOOK_BODY_BYTES = 256 * 1024;
/** How old (or how far ahead) a delivery's timestamp may be: 5 minutes, as HubSpot documents. */
export const MAX_WEBHOOK_AGE_MS = 5 * 60_000;
const CONTACT_EVENTS = new Set(['contact.creation', 'contact.propertyChange']);

const refuse = (message: string, header: string) => new DomainError('invalid_signature', message, [{ path: header, message }]);

async function readLimited(req: Request): Promise<string> {
  const tooLarge = () => new DomainError('payload_too_large', `A webhook delivery may be at most ${MAX_WEBHOOK_BODY_BYTES} bytes; nothing was read.`);
  const declared = req.headers.get('content-length');
  if (declared !== null && /^\d+$/.test(declared.trim()) && Number(declared) > MAX_WEBHOOK_BODY_BYTES) throw tooLarge();
  if (!req.body) return '';
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > MAX_WEBHOOK_BODY_BYTES) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * The URI HubSpot signed: the public URL it was configured with (PUBLIC_URL + path + query when set, else
 * the URL as received), with the characters HubSpot decodes before signing decoded.
 */
export function signedUri(requestUrl: string, publicUrl: string | undefined): string {
  const u = new URL(requestUrl);
  const full = publicUrl ? `${publicUrl.replace(/\/$/, '')}${u.pathname}${u.search}` : u.toString();
  const decode: Record<string, string> = { '%3A': ':', '%2F': '/', '%3F': '?', '%40': '@', '%21': '!', '%24': '$', '%27': "'", '%28': '(', '%29': ')', '%2A': '*', '%2C': ',', '%3B': ';' };
  return full.replace(/%(3A|2F|3F|40|21|24|27|28|29|2A|2C|3B)/gi, (m) => decode[m.toUpperCase()] ?? m);
}

/** Checks a delivery's v3 signature and age; throws 401 naming the problem. */
export function verifyHubSpotSignature(input: { clientSecret: string; method: string; uri: string; body: string; signature: string | null; timestamp: string | null; now: number }): void {
  if (!input.signature) throw refuse('The delivery is not signed: X-HubSpot-Signature-v3 is missing.', 'X-HubSpot-Signature-v3');
  if (!input.timestamp || !/^\d{10,16}$/.test(input.timestamp)) throw refuse('X-HubSpot-Request-Timestamp is missing or not a millisecond timestamp.', 'X-HubSpot-Request-Timestamp');
  const age = input.now - Number(input.timestamp);
  if (Math.abs(age) > MAX_WEBHOOK_AGE_MS) throw refuse(`The delivery's X-HubSpot-Request-Timestamp is ${Math.round(age / 1000)} s from now; more than 5 minutes is refused.`, 'X-HubSpot-Request-Timestamp');
  const expected = Buffer.from(Signature.getSignature(input.method, 'v3', { signature: input.signature, clientSecret: input.clientSecret, requestBody: input.body, url: input.uri, timestamp: Number(input.timestamp) }), 'utf8');
  const given = Buffer.from(input.signature, 'utf8');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw refuse('X-HubSpot-Signature-v3 does not match: the delivery was not signed with this connection’s client secret, or was changed on the way.', 'X-HubSpot-Signature-v3');
}

interface WebhookEvent {
  subscriptionType?: unknown;
  objectId?: unknown;
  portalId?: unknown;
}

export interface WebhookOutcome extends IngestCounts {
  events: number;
  contacts: number;
  ignored?: string;
}

/** Receives one delivery for a connection: verified, then its contacts stored as leads. */
export async function receiveHubSpotWebhook(deps: RerouteDeps, connectionId: string, req: Request): Promise<WebhookOutcome> {
  const invalid = () => refuse('No HubSpot connection takes deliveries at this URL.', 'connectionId');
  if (!/^[0-9a-f-]{36}$/i.test(connectionId)) throw invalid();
  const [found] = await deps.db
    .select()
    .from(crmConnections)
    .where(and(eq(crmConnections.id, connectionId), eq(crmConnections.provider, 'hubspot')))
    .limit(1);
  if (!found) throw invalid();
  const box = secretBoxFrom(deps.config);
  if (!box) throw new DomainError('unavailable', 'SECRET_KEY is not set on the server, so the delivery cannot be verified.');
  const clientSecret = openSecret(box, found, 'clientSecretEnc');
  if (!clientSecret) throw refuse('The connection has no client secret to verify deliveries with: set the app’s client secret on the connection.', 'X-HubSpot-Signature-v3');
  const body = await readLimited(req);
  verifyHubSpotSignature({ clientSecret, method: req.method, uri: signedUri(req.url, deps.config.PUBLIC_URL), body, signature: req.headers.get('x-hubspot-signature-v3'), timestamp: req.headers.get('x-hubspot-request-timestamp'), now: deps.now().getTime() });

  let events: WebhookEvent[];
  try {
    const parsed = JSON.parse(body) as unknown;
    if (!Array.isArray(parsed)) throw new Error('not an array');
    events = parsed as WebhookEvent[];
  } catch {
    throw new DomainError('malformed_json', 'A HubSpot delivery is a JSON array of events.', [{ path: '(body)', message: 'is not a JSON array' }]);
  }
  const portal = found.orgId;
  const ids = [...new Set(events.filter((e) => typeof e.subscriptionType === 'string' && CONTACT_EVENTS.has(e.subscriptionType) && (portal === null || String(e.portalId) === portal) && (typeof e.objectId === 'number' || typeof e.objectId === 'string')).map((e) => String(e.objectId)))];
  const none = { events: events.length, contacts: ids.length, created: 0, updated: 0, unchanged: 0 };
  if (ids.length === 0) return none;
  if (!found.enabled) return { ...none, ignored: 'the connection is paused' };
  if (!found.workflowId) return { ...none, ignored: 'the connection has no workflow' };
  const target = await leadTarget(deps.db, found.workflowId);
  if (!target) return { ...none, ignored: 'the workflow is archived or has no published version' };
  const row = await resealIfRotated(deps.db, box, found);
  if (!hubspotSignedIn(row)) return { ...none, ignored: 'the connection has no HubSpot credentials' };

  const mapping = hubspotMappingOf(row.fieldMapping);
  const api = hubspotApiFor(deps, box, row);
  const contacts: HubSpotContact[] = [];
  try {
    for (let i = 0; i < ids.length; i += 100) {
      const r = await api.call((c) => c.crm.contacts.batchApi.read({ inputs: ids.slice(i, i + 100).map((id) => ({ id })), properties: contactProperties(mapping), propertiesWithHistory: [] }));
      contacts.push(...r.results.map((x) => ({ id: x.id, properties: x.properties, updatedAt: x.updatedAt })));
    }
  } catch (e) {
    const d = describeHubSpotError(e);
    deps.log.warn('hubspot webhook contacts not read', { connectionId: row.id, code: d.code, kind: d.kind });
    if (isRetryable(d.kind)) throw new DomainError('unavailable', `${d.message} HubSpot will deliver again; the poller reads the contacts meanwhile.`);
    throw new DomainError('unavailable', d.message);
  }
  const counts = await ingestContacts(deps, row, target, contacts, mapping, await workspaceCatalog(deps.db, row.workspaceId));
  return { events: events.length, contacts: ids.length, ...counts };
}
