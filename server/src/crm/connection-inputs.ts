import { z } from '@hono/zod-openapi';

// What the connections API takes and answers. Secrets go in and never come out: the answer says only
// whether each one is set.

const FieldMapRow = z.object({
  crmField: z.string().trim().min(1).max(120).openapi({ description: 'The CRM field: its API name (NumberOfEmployees) or its label (No. of Employees)', example: 'NumberOfEmployees' }),
  leadField: z.string().trim().min(1).max(64).openapi({ description: 'The lead field key it fills', example: 'employees' }),
});

const FieldMapping = z
  .object({ Lead: z.array(FieldMapRow).max(200).optional(), Contact: z.array(FieldMapRow).max(200).optional() })
  .strict()
  .openapi({ description: 'Per object, CRM field -> lead field; an object left out uses the default mapping' });

const LoginUrl = z
  .string()
  .trim()
  .url()
  .max(500)
  .refine((u) => /^https?:\/\//.test(u), 'must be an http(s) URL')
  // No URL in the text: the reference page links nowhere outside the app.
  .openapi({ description: 'The login URL, with https: login.salesforce.com (production), test.salesforce.com (sandbox), or your My Domain' });

const Secret = (what: string) => z.string().min(1).max(20_000).openapi({ description: `${what}; stored encrypted, never returned` });

const Settings = {
  name: z.string().trim().min(1).max(100),
  loginUrl: LoginUrl,
  clientId: z.string().trim().min(1).max(500).openapi({ description: "The connected app's consumer key" }),
  clientSecret: Secret("The connected app's consumer secret (web-server flow)").optional(),
  username: z.string().trim().min(1).max(200).optional().openapi({ description: 'JWT bearer: the Salesforce username the server acts as' }),
  privateKey: Secret('JWT bearer: the PEM private key whose certificate is uploaded to the connected app').optional(),
  workflowId: z.string().uuid().nullable().optional().openapi({ description: 'The workflow the CRM’s leads are posted to (no polling without one)' }),
  objects: z
    .array(z.enum(['Lead', 'Contact']))
    .min(1)
    .max(2)
    .refine((a) => new Set(a).size === a.length, 'lists an object twice')
    .optional()
    .openapi({ description: 'The objects read as leads (default Lead)' }),
  fieldMapping: FieldMapping.optional(),
  pollIntervalSeconds: z.int().min(10).max(86_400).optional().openapi({ description: 'Seconds between polls (default 60)' }),
  syncIntervalSeconds: z.int().min(0).max(604_800).optional().openapi({ description: 'Seconds between syncs of users and accounts (default 3600; 0: off)' }),
  apiUsageCeilingPercent: z.int().min(1).max(100).optional().openapi({ description: 'Polling pauses while the org has used this share of its daily API allocation (default 50)' }),
  enabled: z.boolean().optional(),
  onUpdate: z.enum(['ignore', 'reroute']).optional().openapi({ description: 'A record already routed that changes in the CRM: ignore it (default), or re-route its lead when a mapped field changed' }),
};

/** A new connection. */
export const CreateConnectionSchema = z
  .object({
    provider: z.enum(['salesforce', 'hubspot']),
    authKind: z.enum(['oauth_web_server', 'jwt_bearer', 'hubspot_private_app', 'hubspot_oauth']),
    ...Settings,
  })
  .superRefine((v, ctx) => {
    if (v.provider === 'hubspot' || v.authKind.startsWith('hubspot')) {
      ctx.addIssue({ code: 'custom', path: ['provider'], message: 'HubSpot connections are not available yet; connect Salesforce' });
      return;
    }
    if (v.authKind === 'jwt_bearer') {
      if (!v.username) ctx.addIssue({ code: 'custom', path: ['username'], message: 'the JWT bearer flow needs the Salesforce username to act as' });
      if (!v.privateKey) ctx.addIssue({ code: 'custom', path: ['privateKey'], message: 'the JWT bearer flow needs the private key of the certificate uploaded to the connected app' });
    }
  })
  .openapi('CrmConnectionCreate');
export type CreateConnectionInput = z.infer<typeof CreateConnectionSchema>;

/** Changes to a connection: any setting; a secret given replaces the stored one. */
export const UpdateConnectionSchema = z.object(Settings).partial().strict().openapi('CrmConnectionUpdate');
export type UpdateConnectionInput = z.infer<typeof UpdateConnectionSchema>;

/** A connection as the API shows it: settings and state, never a secret. */
export const ConnectionViewSchema = z
  .object({
    id: z.string(),
    provider: z.enum(['salesforce', 'hubspot']),
    name: z.string(),
    loginUrl: z.string(),
    authKind: z.enum(['oauth_web_server', 'jwt_bearer', 'hubspot_private_app', 'hubspot_oauth']),
    clientId: z.string().nullable(),
    username: z.string().nullable(),
    hasClientSecret: z.boolean(),
    hasPrivateKey: z.boolean(),
    signedIn: z.boolean().openapi({ description: 'Whether tokens are stored (after the OAuth flow or a JWT grant)' }),
    instanceUrl: z.string().nullable(),
    orgId: z.string().nullable(),
    workflowId: z.string().nullable(),
    objects: z.array(z.enum(['Lead', 'Contact'])),
    fieldMapping: z.record(z.string(), z.array(z.object({ crmField: z.string(), leadField: z.string() }))).openapi({ description: 'The mapping each polled object is read with (the default where none is set)' }),
    pollIntervalSeconds: z.int(),
    syncIntervalSeconds: z.int(),
    lastSyncedAt: z.string().nullable(),
    lastSyncError: z.string().nullable(),
    apiUsageCeilingPercent: z.int(),
    enabled: z.boolean(),
    onUpdate: z.enum(['ignore', 'reroute']),
    status: z.enum(['new', 'connected', 'error', 'paused']),
    lastError: z.string().nullable(),
    lastErrorAt: z.string().nullable(),
    apiUsage: z.object({ used: z.int(), limit: z.int() }).nullable(),
    lastPolledAt: z.string().nullable(),
    nextPollAt: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('CrmConnection');
export type ConnectionView = z.infer<typeof ConnectionViewSchema>;

/** What "test connection" found. */
export const TestResultSchema = z
  .object({
    ok: z.boolean(),
    orgId: z.string().nullable(),
    instanceUrl: z.string().nullable(),
    apiUsage: z.object({ used: z.int(), limit: z.int() }).nullable(),
    error: z.object({ code: z.string(), message: z.string() }).nullable(),
  })
  .openapi('CrmConnectionTest');
export type TestResult = z.infer<typeof TestResultSchema>;
