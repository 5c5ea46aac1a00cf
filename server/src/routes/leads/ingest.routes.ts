import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../../http/context';
import { ingestLead } from '../../services/ingest.service';
import { ErrorSchema } from './schemas';

const AcceptedSchema = z.object({ leadId: z.string(), status: z.literal('queued') }).openapi('LeadAccepted');

const ingestRoute = createRoute({
  method: 'post',
  path: '/{id}/leads',
  tags: ['leads'],
  summary: "Post a lead to a workflow's trigger",
  description:
    'Authenticate with `Authorization: Bearer <api key>` (any role, `ingest` and up) or sign the request with the workflow\'s webhook secret: ' +
    '`X-LeadRouter-Timestamp: <unix seconds>` and `X-LeadRouter-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>">`. ' +
    'The timestamp is required and must be within 5 minutes of the server\'s clock (else 401 naming the header); a signature already received within that window is refused (409 `webhook_replayed`): sign each delivery afresh. ' +
    'The lead is stored with an outbox row in one transaction and routed as soon as Temporal takes it. ' +
    'A retry with the same `Idempotency-Key` header (or the same lead `id`) and the same body answers the first answer with `Idempotent-Replayed: true`; ' +
    'the same key with another body is refused (422 `idempotency_key_reused`, naming the header or `id`).',
  request: {
    params: z.object({ id: z.string().openapi({ description: 'The workflow id' }) }),
    headers: z.object({
      'idempotency-key': z.string().optional().openapi({ description: 'Makes retries safe; defaults to the lead\'s own `id` field' }),
      'x-leadrouter-signature': z.string().optional().openapi({ description: 'Instead of an API key: `sha256=<hex HMAC-SHA256 of "<X-LeadRouter-Timestamp>.<raw body>" with the workflow\'s webhook secret>`' }),
      'x-leadrouter-timestamp': z.string().optional().openapi({ description: 'Required with a signature: the unix time in seconds it was signed at, within 5 minutes of the server\'s clock' }),
    }),
    // Documented but not validated by zod: the handler reads the raw bytes itself (size limit, signature).
    body: {
      required: true,
      content: { 'application/json': { schema: { type: 'object', additionalProperties: true, description: 'The lead: standard and custom fields, at most 64 KiB' } } },
    },
  },
  responses: {
    202: { description: 'Stored and queued for routing (or the first answer, replayed)', content: { 'application/json': { schema: AcceptedSchema } } },
    400: { description: 'Malformed JSON, not an object, or fields of the wrong type (each named)', content: { 'application/json': { schema: ErrorSchema } } },
    401: { description: 'No credentials, a signature that does not match, or a timestamp missing or more than 5 minutes off (each names the header)', content: { 'application/json': { schema: ErrorSchema } } },
    403: { description: 'The credentials cannot post leads', content: { 'application/json': { schema: ErrorSchema } } },
    404: { description: 'No such workflow in this workspace', content: { 'application/json': { schema: ErrorSchema } } },
    409: { description: 'The workflow is archived or has no published version, or the signed request was already received (`webhook_replayed`)', content: { 'application/json': { schema: ErrorSchema } } },
    413: { description: 'The body is larger than 64 KiB', content: { 'application/json': { schema: ErrorSchema } } },
    422: { description: '`idempotency_key_reused`: the Idempotency-Key (or lead `id`) was used for a request with another body', content: { 'application/json': { schema: ErrorSchema } } },
  },
});

/** The trigger endpoint: `POST /api/workflows/{id}/leads`. */
export function ingestRoutes() {
  return new OpenAPIHono<AppEnv>().openapi(ingestRoute, async (c) => {
    const result = await ingestLead(c.get('deps'), { workflowId: c.req.valid('param').id, principal: c.get('principal'), request: c.req.raw });
    if (result.replayed) c.header('Idempotent-Replayed', 'true');
    return c.json({ leadId: result.leadId, status: 'queued' as const }, 202);
  });
}
