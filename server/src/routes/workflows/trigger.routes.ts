import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { requireRole } from '../../auth/principal';
import type { AppEnv } from '../../http/context';
import { getTriggerEndpoint, getWebhookSecret, sendTestLead } from '../../services/trigger-endpoint.service';
import { conflictResponse, errors, json, tags, WorkflowIdParams } from './workflows.schemas';

const VersionRef = z.object({ id: z.string(), number: z.number().int() });

const TriggerEndpointSchema = z
  .object({
    workflowId: z.string(),
    url: z.string().openapi({ description: 'The absolute URL leads are posted to (PUBLIC_URL when configured, else the URL this request came to)' }),
    method: z.literal('POST'),
    activeVersion: VersionRef.nullable().openapi({ description: 'The version new leads are routed by; null before the first publish' }),
    notAccepting: z
      .object({ code: z.enum(['archived', 'not_published']), message: z.string() })
      .nullable()
      .openapi({ description: 'Null when the trigger takes leads now; else why not (the code the trigger would answer 409 with)' }),
    signature: z.object({
      header: z.string(),
      timestampHeader: z.string(),
      toleranceSeconds: z.number().int(),
      algorithm: z.literal('HMAC-SHA256'),
      signs: z.string().openapi({ description: 'What is signed: the timestamp, a dot, and the raw body' }),
    }),
    idempotencyHeader: z.literal('Idempotency-Key'),
    maxBodyBytes: z.number().int(),
    sampleLead: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).openapi({ description: "A lead this workspace's field catalog accepts" }),
  })
  .openapi('TriggerEndpoint');

const TestLeadBody = z
  .object({ lead: z.record(z.string(), z.unknown()).optional().openapi({ description: "The lead to send; the workspace's sample lead when absent" }) })
  .openapi('TestLead');

const TestLeadSchema = z
  .object({ leadId: z.string(), status: z.literal('queued'), version: VersionRef.openapi({ description: 'The active version the lead is routed by' }) })
  .openapi('TestLeadSent');

/** Where links and printed requests point: PUBLIC_URL behind a proxy, else the URL the caller used. */
const baseUrlOf = (c: Context<AppEnv>) => c.get('deps').config.PUBLIC_URL ?? new URL(c.req.url).origin;

/** A workflow's trigger as senders see it: its endpoint, its webhook secret (admins) and test leads. */
export function triggerRoutes() {
  return new OpenAPIHono<AppEnv>()
    .openapi(
      createRoute({
        method: 'get',
        path: '/{id}/endpoint',
        tags,
        summary: "Where and how leads are posted to this workflow's trigger",
        description: 'Any role that can read the workflow (viewer and up). The webhook secret is not here: `GET /{id}/webhook-secret` (admins).',
        request: { params: WorkflowIdParams },
        responses: { 200: json(TriggerEndpointSchema, 'The endpoint'), ...errors },
      }),
      async (c) => {
        const p = requireRole(c, 'viewer');
        return c.json(await getTriggerEndpoint(c.get('deps').db, p, c.req.valid('param').id, baseUrlOf(c)), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/{id}/webhook-secret',
        tags,
        summary: "The workflow's webhook secret (admins only)",
        description: 'The HMAC-SHA256 key a sender signs `<timestamp>.<raw body>` with (see the trigger endpoint). Every other role gets 403.',
        request: { params: WorkflowIdParams },
        responses: { 200: json(z.object({ webhookSecret: z.string() }).openapi('WebhookSecret'), 'The secret'), ...errors },
      }),
      async (c) => {
        const p = requireRole(c, 'admin');
        return c.json(await getWebhookSecret(c.get('deps').db, p, c.req.valid('param').id), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/{id}/test-lead',
        tags,
        summary: 'Send a test lead through the trigger (editor and up)',
        description:
          "Posts the workspace's sample lead (or `lead`) through the trigger's own ingestion: the same validation (400 naming each field), store and outbox as any lead, " +
          'routed by the ACTIVE published version, so a rep may really be assigned. 409 when the workflow is archived or has no published version.',
        request: { params: WorkflowIdParams, body: { required: false, content: { 'application/json': { schema: TestLeadBody } } } },
        responses: { 202: json(TestLeadSchema, 'Stored and queued for routing'), ...errors, 409: conflictResponse },
      }),
      async (c) => {
        const p = requireRole(c, 'editor');
        const body = c.req.valid('json');
        const r = await sendTestLead(c.get('deps'), p, { workflowId: c.req.valid('param').id, baseUrl: baseUrlOf(c), ...(body?.lead ? { lead: body.lead } : {}) });
        return c.json({ leadId: r.leadId, status: 'queued' as const, version: r.version }, 202);
      },
    );
}
