import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { requireRole } from '../../auth/principal';
import type { AppEnv } from '../../http/context';
import { DomainError } from '../../errors/domain-error';
import { kickDispatcher } from '../../services/dispatcher';
import {
  findIngestWorkflow,
  idempotencyKeyOf,
  loadCustomFields,
  parseLead,
  readBodyLimited,
  requireIngestible,
  SIGNATURE_HEADER,
  storeLead,
  TIMESTAMP_HEADER,
  verifyLeadSignature,
} from '../../services/ingest.service';
import { ErrorSchema } from './schemas';

const AcceptedSchema = z.object({ leadId: z.string(), status: z.literal('queued') }).openapi('LeadAccepted');

const ingestRoute = createRoute({
  method: 'post',
  path: '/{id}/leads',
  tags: ['leads'],
  summary: "Post a lead to a workflow's trigger",
  description:
    'Authenticate with `Authorization: Bearer <api key>` (any role, `ingest` and up) or sign the raw body with the workflow\'s webhook secret: ' +
    '`X-LeadRouter-Signature: sha256=<hex HMAC-SHA256>`, over `<X-LeadRouter-Timestamp>.<body>` when a timestamp (unix seconds, within 5 minutes) is sent. ' +
    'The lead is stored with an outbox row in one transaction and routed as soon as Temporal takes it. ' +
    'A retry with the same `Idempotency-Key` header (or the same lead `id`) answers the first answer with `Idempotent-Replayed: true`.',
  request: {
    params: z.object({ id: z.string().openapi({ description: 'The workflow id' }) }),
    headers: z.object({
      'idempotency-key': z.string().optional().openapi({ description: 'Makes retries safe; defaults to the lead\'s own `id` field' }),
      'x-leadrouter-signature': z.string().optional(),
      'x-leadrouter-timestamp': z.string().optional(),
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
    401: { description: 'No credentials, or a signature that does not match', content: { 'application/json': { schema: ErrorSchema } } },
    403: { description: 'The credentials cannot post leads', content: { 'application/json': { schema: ErrorSchema } } },
    404: { description: 'No such workflow in this workspace', content: { 'application/json': { schema: ErrorSchema } } },
    409: { description: 'The workflow is archived or has no published version', content: { 'application/json': { schema: ErrorSchema } } },
    413: { description: 'The body is larger than 64 KiB', content: { 'application/json': { schema: ErrorSchema } } },
  },
});

/** The trigger endpoint: `POST /api/workflows/{id}/leads`. */
export function ingestRoutes() {
  return new OpenAPIHono<AppEnv>().openapi(ingestRoute, async (c) => {
    const { db, now, log } = c.get('deps');
    const principal = c.get('principal');
    const signature = c.req.header(SIGNATURE_HEADER);
    // A valid key or session wins; a signature is the way in for senders that have neither.
    if (!principal && signature === undefined) throw new DomainError('unauthorized', `Send an API key as "Authorization: Bearer <key>", or sign the body in ${SIGNATURE_HEADER}.`);
    // The HMAC path has no principal: the workflow in the path decides the workspace.
    const p = principal ? requireRole(c, 'ingest') : null;

    const body = await readBodyLimited(c.req.raw);
    const { id } = c.req.valid('param');
    const wf = await findIngestWorkflow(db, id, p ? p.workspaceId : null);
    if (!p) {
      verifyLeadSignature({ secret: wf.webhookSecret, body, signature: signature ?? '', timestamp: c.req.header(TIMESTAMP_HEADER), now: now() });
    }
    const target = requireIngestible(wf);
    const lead = parseLead(body, await loadCustomFields(db, target.workspaceId));
    const key = idempotencyKeyOf(c.req.header('idempotency-key'), lead);

    const result = await storeLead(db, target, lead, key, now());
    if (result.replayed) {
      c.header('Idempotent-Replayed', 'true');
    } else {
      log.info('lead received', { leadId: result.leadId, workflowId: target.workflowId, workspaceId: target.workspaceId });
      kickDispatcher(db);
    }
    return c.json({ leadId: result.leadId, status: 'queued' as const }, 202);
  });
}
