import { createHmac } from 'node:crypto';

// HubSpot's webhook deliveries, as the contract server sends them: a JSON array of events (the Webhooks API
// reference's example shapes), signed with v3: base64(HMAC-SHA256(client secret, method + URI + body +
// timestamp)), in X-HubSpot-Signature-v3, with the millisecond timestamp in X-HubSpot-Request-Timestamp.

/** One event of a delivery (contact.creation, contact.propertyChange, ...). */
export interface HubSpotWebhookEvent {
  eventId: number;
  subscriptionId: number;
  portalId: number;
  appId: number;
  occurredAt: number;
  subscriptionType: string;
  attemptNumber: number;
  objectId: number;
  changeSource: string;
  changeFlag?: string;
  propertyName?: string;
  propertyValue?: string;
  sourceId?: string;
}

let nextEventId = 1000;

/** An event in the documented shape; `over` replaces any of it. */
export function webhookEvent(subscriptionType: string, objectId: string | number, over: Partial<HubSpotWebhookEvent> = {}): HubSpotWebhookEvent {
  const base: HubSpotWebhookEvent = {
    eventId: nextEventId++,
    subscriptionId: 1234,
    portalId: 62515,
    appId: 54321,
    occurredAt: Date.now(),
    subscriptionType,
    attemptNumber: 0,
    objectId: Number(objectId),
    changeSource: 'CRM',
    ...(subscriptionType.endsWith('.creation') ? { changeFlag: 'NEW' } : {}),
  };
  return { ...base, ...over };
}

/** The v3 signature of a request (HubSpot signs the URI it calls, the raw body, and the timestamp). */
export function signV3(clientSecret: string, method: string, uri: string, body: string, timestamp: number): string {
  return createHmac('sha256', clientSecret).update(`${method}${uri}${body}${timestamp}`, 'utf8').digest('base64');
}

/** How a delivery is signed: properly, or wrong in one of the ways tests need. */
export interface DeliveryOptions {
  /** The secret to sign with (the app's client secret); omit for an unsigned delivery. */
  clientSecret?: string;
  /** The timestamp to send (default now). */
  timestamp?: number;
  /** Sign another body than the one sent (a tampered delivery). */
  signBody?: string;
  /** Extra headers. */
  headers?: Record<string, string>;
}

/** POSTs a delivery to `url` the way HubSpot does; answers the status and body. */
export async function deliverWebhook(url: string, events: readonly HubSpotWebhookEvent[] | string, o: DeliveryOptions = {}): Promise<{ status: number; body: unknown }> {
  const body = typeof events === 'string' ? events : JSON.stringify(events);
  const timestamp = o.timestamp ?? Date.now();
  const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'HubSpot Connect 2.0 (http://dev.hubspot.com/)', ...o.headers };
  if (o.clientSecret !== undefined) {
    headers['X-HubSpot-Signature-v3'] = signV3(o.clientSecret, 'POST', url, o.signBody ?? body, timestamp);
    headers['X-HubSpot-Request-Timestamp'] = String(timestamp);
    headers['X-HubSpot-Signature-Version'] = 'v3';
  }
  const res = await fetch(url, { method: 'POST', headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // not JSON
  }
  return { status: res.status, body: parsed };
}
