import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { leads, workflows, workspaces } from './schema';

// CRM connections (drizzle.config.ts reads this file beside schema.ts): where leads come from (Salesforce,
// HubSpot), how the product signs in to them, and how far it has read. Secrets (client secret, private key,
// access and refresh tokens, private app token) are stored only as ciphertext (server/src/crm/secret-box.ts:
// AES-256-GCM with a key from SECRET_KEY); no column here ever holds one in clear.

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export type CrmProvider = 'salesforce' | 'hubspot';
export type CrmAuthKind = 'oauth_web_server' | 'jwt_bearer' | 'hubspot_private_app' | 'hubspot_oauth';
/** `new`: never signed in; `connected`: the last call worked; `error`: the last call failed (see last_error); `paused`: off by an admin. */
export type CrmConnectionStatus = 'new' | 'connected' | 'error' | 'paused';

/** What a change to a record already read does: nothing, or the lead routed again (when a mapped field changed). */
export type CrmOnUpdate = 'ignore' | 'reroute';

/** One field mapping row: a CRM field's API name into a lead field's key. */
export interface CrmFieldMap {
  crmField: string;
  leadField: string;
}

export const crmConnections = pgTable(
  'crm_connections',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    provider: text('provider').$type<CrmProvider>().notNull(),
    name: text('name').notNull(),
    /** Salesforce: https://login.salesforce.com, https://test.salesforce.com or a My Domain / custom URL. */
    loginUrl: text('login_url').notNull(),
    authKind: text('auth_kind').$type<CrmAuthKind>().notNull(),
    /** The connected app's consumer key (OAuth client id). */
    clientId: text('client_id'),
    /** The user the JWT bearer flow acts as (the assertion's `sub`). */
    username: text('username'),
    // Ciphertexts (secret-box format `v1.<key id>.<iv>.<tag>.<data>`), bound to this row and column.
    clientSecretEnc: text('client_secret_enc'),
    privateKeyEnc: text('private_key_enc'),
    accessTokenEnc: text('access_token_enc'),
    refreshTokenEnc: text('refresh_token_enc'),
    /** Where the org's API answers (from the token response). */
    instanceUrl: text('instance_url'),
    /** The org (Salesforce organization id) and user the tokens belong to, from the identity URL. */
    orgId: text('org_id'),
    crmUserId: text('crm_user_id'),
    /** The workflow the CRM's leads are posted to; no polling without one. */
    workflowId: uuid('workflow_id').references(() => workflows.id, { onDelete: 'set null' }),
    /** The objects polled for leads: Lead, and optionally Contact. */
    objects: jsonb('objects').$type<Array<'Lead' | 'Contact'>>().notNull().default(['Lead']),
    /** Per object, CRM field -> lead field; an object without an entry uses the default mapping. */
    fieldMapping: jsonb('field_mapping').$type<Partial<Record<string, CrmFieldMap[]>>>().notNull().default({}),
    pollIntervalSeconds: integer('poll_interval_seconds').notNull().default(60),
    /** Polling stops while the org's daily API usage is at or above this share (percent) of its allocation. */
    apiUsageCeilingPercent: integer('api_usage_ceiling_percent').notNull().default(50),
    enabled: boolean('enabled').notNull().default(true),
    /** When a record already routed changes in the CRM: `ignore` it, or `reroute` the lead when a mapped field changed. */
    onUpdate: text('on_update').$type<CrmOnUpdate>().notNull().default('ignore'),
    status: text('status').$type<CrmConnectionStatus>().notNull().default('new'),
    lastError: text('last_error'),
    lastErrorAt: ts('last_error_at'),
    /** The last Sforce-Limit-Info seen: api-usage=used/limit. */
    apiUsed: integer('api_used'),
    apiLimit: integer('api_limit'),
    /** When the next poll may run (backs off after errors and REQUEST_LIMIT_EXCEEDED). */
    nextPollAt: ts('next_poll_at').notNull().defaultNow(),
    /** Consecutive failed polls, for the back-off. */
    failures: integer('failures').notNull().default(0),
    /** A poller holds the connection until then: one poller per connection across servers. */
    leaseUntil: ts('lease_until'),
    lastPolledAt: ts('last_polled_at'),
    /** How often users and accounts are synced from the CRM (seconds); 0 turns the sync off. */
    syncIntervalSeconds: integer('sync_interval_seconds').notNull().default(3600),
    /** When the next users and accounts sync may run. */
    nextSyncAt: ts('next_sync_at').notNull().defaultNow(),
    /** The accounts sync's high-water mark: the last modification (ISO instant) read. */
    accountsMark: text('accounts_mark'),
    lastSyncedAt: ts('last_synced_at'),
    lastSyncError: text('last_sync_error'),
    // The OAuth web-server flow in progress: sha256 of `state`, and the PKCE verifier (ciphertext).
    oauthStateHash: text('oauth_state_hash'),
    oauthVerifierEnc: text('oauth_verifier_enc'),
    oauthStartedAt: ts('oauth_started_at'),
    oauthReturnTo: text('oauth_return_to'),
    createdBy: uuid('created_by'),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('crm_connections_workspace_idx').on(t.workspaceId),
    uniqueIndex('crm_connections_oauth_state_unique').on(t.oauthStateHash).where(sql`${t.oauthStateHash} is not null`),
  ],
);

/**
 * How far a connection has read each object: the last (SystemModstamp, Id) ingested. Written in the
 * transaction that stores the leads of that page, so a restart neither misses nor doubles a record.
 */
export const crmPollMarks = pgTable(
  'crm_poll_marks',
  {
    connectionId: uuid('connection_id')
      .notNull()
      .references(() => crmConnections.id, { onDelete: 'cascade' }),
    object: text('object').notNull(),
    /** ISO 8601 with milliseconds, UTC (`2026-01-01T00:00:00.000Z`). */
    modstamp: text('modstamp').notNull(),
    lastId: text('last_id').notNull(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.connectionId, t.object] })],
);

/**
 * Each CRM record read, and the lead it became: the link owners are written back through, and what makes
 * an update of a record known (no second lead, no second run).
 */
export const crmRecords = pgTable(
  'crm_records',
  {
    connectionId: uuid('connection_id')
      .notNull()
      .references(() => crmConnections.id, { onDelete: 'cascade' }),
    crmId: text('crm_id').notNull(),
    object: text('object').notNull(),
    leadId: uuid('lead_id')
      .notNull()
      .references(() => leads.id, { onDelete: 'cascade' }),
    /** The record's SystemModstamp when last read. */
    modstamp: text('modstamp').notNull(),
    /** How many updates of the record were read after it became a lead. */
    updates: integer('updates').notNull().default(0),
    firstSeenAt: ts('first_seen_at').notNull().defaultNow(),
    lastSeenAt: ts('last_seen_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.connectionId, t.crmId] }), index('crm_records_lead_idx').on(t.leadId)],
);

/** A write-back's state: `pending` until the CRM answered (retried meanwhile), then `written` or `failed`. */
export type CrmWriteStatus = 'pending' | 'written' | 'failed';

/** What the CRM answered a write-back, as the trace shows it. */
export interface CrmWriteAnswer {
  recordId?: string;
  taskId?: string;
  errorCode?: string;
  message?: string;
}

/**
 * Owner write-backs (`crm_update` steps), one row per (run, step): the activity inserts it (keyed
 * `<workflow id>:<step seq>`, so a retried activity finds its row instead of writing twice) and waits for
 * it; the server's CRM writer claims pending rows per connection (a lease), sends them in batches (sObject
 * Collections, 200 a call), records each answer, and keeps retryable failures pending with a back-off
 * (nothing is lost while the CRM is down).
 */
export const crmWrites = pgTable(
  'crm_writes',
  {
    key: text('key').primaryKey(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    connectionId: uuid('connection_id')
      .notNull()
      .references(() => crmConnections.id, { onDelete: 'cascade' }),
    leadId: uuid('lead_id')
      .notNull()
      .references(() => leads.id, { onDelete: 'cascade' }),
    object: text('object').notNull(),
    recordId: text('record_id').notNull(),
    /** The CRM user id to make the owner; null leaves the owner as it is. */
    ownerCrmId: text('owner_crm_id'),
    fields: jsonb('fields').$type<Record<string, string | number | boolean | null>>().notNull().default({}),
    task: jsonb('task').$type<{ subject: string; description?: string; dueInDays?: number } | null>(),
    status: text('status').$type<CrmWriteStatus>().notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: ts('next_attempt_at').notNull().defaultNow(),
    /** A writer sending the row holds it until then (a writer that dies mid-call releases it by expiry). */
    leaseUntil: ts('lease_until'),
    /** The CRM's answer (the last error while pending). */
    answer: jsonb('answer').$type<CrmWriteAnswer | null>(),
    createdAt: ts('created_at').notNull().defaultNow(),
    answeredAt: ts('answered_at'),
  },
  (t) => [index('crm_writes_pending_idx').on(t.connectionId, t.nextAttemptAt).where(sql`${t.status} = 'pending'`), index('crm_writes_lead_idx').on(t.leadId)],
);

/**
 * The CRM's users (Salesforce Users, HubSpot owners), synced per connection. A rep is linked to the CRM
 * user with the same email (case-insensitive): the owner a `crm_update` step writes for that rep.
 */
export const crmUsers = pgTable(
  'crm_users',
  {
    connectionId: uuid('connection_id')
      .notNull()
      .references(() => crmConnections.id, { onDelete: 'cascade' }),
    crmId: text('crm_id').notNull(),
    email: text('email').notNull(),
    name: text('name').notNull(),
    active: boolean('active').notNull().default(true),
    syncedAt: ts('synced_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.connectionId, t.crmId] }), index('crm_users_email_idx').on(t.connectionId, sql`lower(${t.email})`)],
);
