import { z } from '@hono/zod-openapi';

// What the connections API takes and answers. Secrets go in and never come out: the answer says only
// whether each one is set.

const FieldMapRow = z.object({
  crmField: z.string().trim().min(1).max(120).openapi({ description: 'The CRM field: its API name (NumberOfEmployees; HubSpot: jobtitle) or its label (No. of Employees; Job Title)', example: 'NumberOfEmployees' }),
  leadField: z.string().trim().min(1).max(64).openapi({ description: 'The lead field key it fills', example: 'employees' }),
});

const FieldMapping = z
  .object({ Lead: z.array(FieldMapRow).max(200).optional(), Contact: z.array(FieldMapRow).max(200).optional() })
  .strict()
  .openapi({ description: 'Per object, CRM field -> lead field (HubSpot: contacts, under Contact); an object left out uses the default mapping' });

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

// ---- HubSpot (issue 17, part 2) ----

/** HubSpot's secrets: a private app's access token, or an OAuth app's refresh token (with clientId and clientSecret). */
const HubSpotSecrets = {
  accessToken: Secret('HubSpot private app: its access token (pat-...)').optional(),
  refreshToken: Secret('HubSpot OAuth: the refresh token of an installation made elsewhere (else install with oauth/start)').optional(),
};

function checkHubSpot(v: { authKind: string; clientId?: string | undefined; clientSecret?: string | undefined; accessToken?: string | undefined; refreshToken?: string | undefined; objects?: string[] | undefined; username?: string | undefined; privateKey?: string | undefined }, ctx: z.RefinementCtx): void {
  if (v.authKind === 'hubspot_private_app') {
    if (!v.accessToken) ctx.addIssue({ code: 'custom', path: ['accessToken'], message: 'a HubSpot private app connection needs the private app’s access token' });
  } else if (v.authKind === 'hubspot_oauth') {
    if (!v.clientId) ctx.addIssue({ code: 'custom', path: ['clientId'], message: 'HubSpot OAuth needs the app’s client id' });
    if (!v.clientSecret) ctx.addIssue({ code: 'custom', path: ['clientSecret'], message: 'HubSpot OAuth needs the app’s client secret' });
  } else {
    ctx.addIssue({ code: 'custom', path: ['authKind'], message: 'a HubSpot connection signs in with hubspot_private_app or hubspot_oauth' });
  }
  if (v.objects && (v.objects.length !== 1 || v.objects[0] !== 'Contact')) ctx.addIssue({ code: 'custom', path: ['objects'], message: 'HubSpot leads are read from contacts: give ["Contact"] or leave it out' });
  if (v.username || v.privateKey) ctx.addIssue({ code: 'custom', path: [v.username ? 'username' : 'privateKey'], message: 'is a Salesforce JWT setting; HubSpot does not use it' });
}

// ---- end HubSpot ----

/** A new connection. */
export const CreateConnectionSchema = z
  .object({
    provider: z.enum(['salesforce', 'hubspot']),
    authKind: z.enum(['oauth_web_server', 'jwt_bearer', 'hubspot_private_app', 'hubspot_oauth']),
    ...Settings,
    // Salesforce needs both; HubSpot defaults the API URL and needs a client id only for OAuth.
    loginUrl: LoginUrl.optional(),
    clientId: Settings.clientId.optional(),
    ...HubSpotSecrets,
  })
  .superRefine((v, ctx) => {
    if (v.provider === 'hubspot') {
      checkHubSpot(v, ctx);
      return;
    }
    if (v.authKind.startsWith('hubspot')) ctx.addIssue({ code: 'custom', path: ['authKind'], message: 'is a HubSpot sign-in; a Salesforce connection uses oauth_web_server or jwt_bearer' });
    for (const k of ['accessToken', 'refreshToken'] as const) if (v[k]) ctx.addIssue({ code: 'custom', path: [k], message: 'is a HubSpot setting; a Salesforce connection gets its tokens by signing in' });
    if (!v.loginUrl) ctx.addIssue({ code: 'custom', path: ['loginUrl'], message: 'a Salesforce connection needs its login URL' });
    if (!v.clientId) ctx.addIssue({ code: 'custom', path: ['clientId'], message: "a Salesforce connection needs the connected app's consumer key" });
    if (v.authKind === 'jwt_bearer') {
      if (!v.username) ctx.addIssue({ code: 'custom', path: ['username'], message: 'the JWT bearer flow needs the Salesforce username to act as' });
      if (!v.privateKey) ctx.addIssue({ code: 'custom', path: ['privateKey'], message: 'the JWT bearer flow needs the private key of the certificate uploaded to the connected app' });
    }
  })
  .openapi('CrmConnectionCreate');
export type CreateConnectionInput = z.infer<typeof CreateConnectionSchema>;

/** Changes to a connection: any setting; a secret given replaces the stored one. */
export const UpdateConnectionSchema = z.object({ ...Settings, ...HubSpotSecrets }).partial().strict().openapi('CrmConnectionUpdate');
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
