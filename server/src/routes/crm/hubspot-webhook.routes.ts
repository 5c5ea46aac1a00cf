import { createRoute, z } from '@hono/zod-openapi';
import { receiveHubSpotWebhook } from '../../crm/hubspot-webhook';
import { directoryRouter, ErrorSchema, errors, json } from '../directory/common';

const Params = z.object({ connectionId: z.string().openapi({ param: { name: 'connectionId', in: 'path' }, example: '0b7e3c1e-9d0f-4c55-8a8e-1b2f3c4d5e6f' }) });

const Received = z
  .object({
    events: z.int().openapi({ description: 'Events in the delivery' }),
    contacts: z.int().openapi({ description: 'Distinct contacts named by contact.creation / contact.propertyChange events' }),
    created: z.int().openapi({ description: 'Contacts that became leads' }),
    updated: z.int().openapi({ description: 'Contacts already leads, changed since (no second lead; re-routed when the connection’s onUpdate is reroute and a mapped property changed)' }),
    unchanged: z.int().openapi({ description: 'Contacts already read as they are (a redelivery, or the poller was first)' }),
    ignored: z.string().optional().openapi({ description: 'Why nothing was stored, when the connection takes no leads now' }),
  })
  .openapi('HubSpotWebhookReceived');

/**
 * `POST /crm/hubspot/webhook/{connectionId}`: HubSpot's webhook deliveries (no API key: the v3 signature
 * with the connection's client secret is the authentication).
 */
export function hubspotWebhookRoutes() {
  return directoryRouter().openapi(
    createRoute({
      method: 'post',
      path: '/crm/hubspot/webhook/{connectionId}',
      tags: ['crm'],
      summary: 'HubSpot webhook deliveries (contact.creation, contact.propertyChange), signed v3',
      description:
        'Set this URL as the app’s webhook target URL. Each delivery must carry `X-HubSpot-Signature-v3` (base64 HMAC-SHA256, keyed with the app’s client secret, of method + URI + body + timestamp) and `X-HubSpot-Request-Timestamp` within 5 minutes; otherwise 401 naming the header. ' +
        'Bodies are limited to 256 KiB (413). The contacts named are read back from HubSpot and stored as leads of the connection’s workflow, once each (an update starts no second run unless the connection’s onUpdate is reroute and a mapped property changed). 503 when HubSpot cannot be read at that moment: HubSpot delivers again, and the poller reads the contacts meanwhile.',
      request: { params: Params },
      responses: { 200: json(Received, 'The delivery was taken'), ...errors(400, 401, 413), 503: { description: 'HubSpot could not be read now: it delivers again, and the poller reads the contacts meanwhile', content: { 'application/json': { schema: ErrorSchema } } } },
    }),
    async (c) => {
      return c.json(await receiveHubSpotWebhook(c.get('deps'), c.req.valid('param').connectionId, c.req.raw), 200);
    },
  );
}
