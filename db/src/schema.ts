import type { AssignmentRef, Candidate, CustomField, Graph, HolidayCalendar, LeadValue, Plan, Rep, TerritoryRule, WorkingHours, WorkspaceSettings } from '@lead-router/shared';
import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

// Everything a workspace owns carries `workspace_id`, and every query filters on it: a key of one workspace
// never sees another's rows. Directory entries keep the author-facing ids the graph references (`rep-ana`),
// unique per workspace.

const createdAt = () => timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow();
const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const roleEnum = pgEnum('role', ['viewer', 'editor', 'publisher', 'admin']);
/** API keys may also be ingest-only: they can post leads and nothing else. */
export const keyRoleEnum = pgEnum('key_role', ['ingest', 'viewer', 'editor', 'publisher', 'admin']);

export const workspaces = pgTable('workspaces', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  /** WorkspaceSettings (shared/src/directory/schema.ts): time zone, holiday calendar, company days off. */
  settings: jsonb('settings').$type<WorkspaceSettings>().notNull().default({ timeZone: 'UTC', holidayCalendar: null, daysOff: [] }),
  /**
   * Bumped (by migration 0022's triggers) in every transaction that changes the workspace's directory: its reps,
   * teams, territories, accounts, queues, custom fields or settings. Workers cache a directory and drop it once a
   * run reads a newer version, so a lead routed after a change (a rep switched offline) sees it.
   */
  directoryVersion: bigint('directory_version', { mode: 'number' }).notNull().default(0),
  createdAt: createdAt(),
});

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: uuid('workspace_id').notNull().references(() => workspaces.id, { onDelete: 'cascade' }),
    email: text('email').notNull(),
    name: text('name').notNull(),
    role: roleEnum('role').notNull(),
    passwordHash: text('password_hash').notNull(),
    /** The rep this user is, for the inbox. */
    repId: text('rep_id'),
    disabled: boolean('disabled').notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('users_email_unique').on(sql`lower(${t.email})`)],
);

export const sessions = pgTable('sessions', {
  /** sha256 of the cookie token: a stolen database does not yield live sessions. */
  tokenHash: text('token_hash').primaryKey(),
  userId: uuid('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  createdAt: createdAt(),
  expiresAt: ts('expires_at').notNull(),
});

export * from './schema-sign-in';

export const apiKeys = pgTable(
  'api_keys',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: uuid('workspace_id').notNull().references(() => workspaces.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    role: keyRoleEnum('role').notNull(),
    /** The first characters of the key, shown in lists so people can tell keys apart. */
    prefix: text('prefix').notNull(),
    /** sha256 of the whole key; the key itself is shown once and never stored. */
    keyHash: text('key_hash').notNull(),
    createdBy: uuid('created_by'),
    createdAt: createdAt(),
    lastUsedAt: ts('last_used_at'),
    revokedAt: ts('revoked_at'),
  },
  (t) => [uniqueIndex('api_keys_hash_unique').on(t.keyHash)],
);

export const workflows = pgTable(
  'workflows',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: uuid('workspace_id').notNull().references(() => workspaces.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    archivedAt: ts('archived_at'),
    activeVersionId: uuid('active_version_id'),
    /** Shared secret for HMAC-signed webhooks to this workflow's trigger endpoint. */
    webhookSecret: text('webhook_secret').notNull(),
    createdAt: createdAt(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [index('workflows_workspace_idx').on(t.workspaceId)],
);

export const drafts = pgTable('drafts', {
  workflowId: uuid('workflow_id')
    .primaryKey()
    .references(() => workflows.id, { onDelete: 'cascade' }),
  graph: jsonb('graph').$type<Graph>().notNull(),
  /** Incremented by every save; a save naming an older revision is refused (409), never merged. */
  revision: integer('revision').notNull().default(1),
  updatedBy: uuid('updated_by'),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

export const versions = pgTable(
  'versions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workflowId: uuid('workflow_id')
      .notNull()
      .references(() => workflows.id, { onDelete: 'cascade' }),
    number: integer('number').notNull(),
    graph: jsonb('graph').$type<Graph>().notNull(),
    plan: jsonb('plan').$type<Plan>().notNull(),
    /** sha256 of the canonical plan JSON. */
    checksum: text('checksum').notNull(),
    authorId: uuid('author_id'),
    authorName: text('author_name').notNull(),
    note: text('note').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('versions_workflow_number_unique').on(t.workflowId, t.number)],
);

export const goldenLeads = pgTable('golden_leads', {
  id: uuid('id').primaryKey().defaultRandom(),
  workflowId: uuid('workflow_id')
    .notNull()
    .references(() => workflows.id, { onDelete: 'cascade' }),
  name: text('name').notNull(),
  lead: jsonb('lead').$type<Record<string, LeadValue>>().notNull(),
  /** What the lead must get: any of assignee (rep or queue id), team, node reached, outcome. */
  expect: jsonb('expect').$type<{ assignee?: string; team?: string; node?: string; outcome?: string }>().notNull(),
  createdAt: createdAt(),
});

// ---- The directory -------------------------------------------------------------------------------------

export const reps = pgTable(
  'reps',
  {
    workspaceId: uuid('workspace_id').notNull().references(() => workspaces.id, { onDelete: 'cascade' }),
    id: text('id').notNull(),
    name: text('name').notNull(),
    email: text('email').notNull(),
    timeZone: text('time_zone').notNull(),
    workingHours: jsonb('working_hours').$type<WorkingHours | null>(),
    outOfOffice: jsonb('out_of_office').$type<Rep['outOfOffice']>().notNull().default([]),
    skills: jsonb('skills').$type<string[]>().notNull().default([]),
    capPerDay: integer('cap_per_day'),
    capOpenLeads: integer('cap_open_leads'),
    capPerWeek: integer('cap_per_week'),
    capPerMonth: integer('cap_per_month'),
    capsTimeZone: text('caps_time_zone').$type<'rep' | 'workspace'>().notNull().default('rep'),
    active: boolean('active').notNull().default(true),
    online: boolean('online').notNull().default(true),
    managerId: text('manager_id'),
    /** Holiday calendar (issue #16): NULL = the workspace's, `{ "none": true }` = none, else `{ country, region? }`. */
    holidayCalendar: jsonb('holiday_calendar').$type<HolidayCalendar | { none: true } | null>(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.id] })],
);

export const teams = pgTable(
  'teams',
  {
    workspaceId: uuid('workspace_id').notNull().references(() => workspaces.id, { onDelete: 'cascade' }),
    id: text('id').notNull(),
    name: text('name').notNull(),
    managerId: text('manager_id'),
    members: jsonb('members').$type<Array<{ repId: string; weight: number }>>().notNull().default([]),
    capPerDay: integer('cap_per_day'),
    capPerWeek: integer('cap_per_week'),
    capPerMonth: integer('cap_per_month'),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.id] })],
);

export const territories = pgTable(
  'territories',
  {
    workspaceId: uuid('workspace_id').notNull().references(() => workspaces.id, { onDelete: 'cascade' }),
    id: text('id').notNull(),
    name: text('name').notNull(),
    rules: jsonb('rules').$type<TerritoryRule[]>().notNull(),
    repIds: jsonb('rep_ids').$type<string[]>().notNull().default([]),
    priority: integer('priority').notNull().default(100),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.id] })],
);

export const accounts = pgTable(
  'accounts',
  {
    workspaceId: uuid('workspace_id').notNull().references(() => workspaces.id, { onDelete: 'cascade' }),
    id: text('id').notNull(),
    name: text('name').notNull(),
    domains: jsonb('domains').$type<string[]>().notNull().default([]),
    ownerId: text('owner_id'),
    /** When the account was last active: a match_account tie-breaker (most recent first). */
    lastActivityAt: ts('last_activity_at'),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.id] })],
);

/** Where a queue's age alerts go besides the in-app inbox (server/src/services/queue-settings.service.ts). */
export type QueueNotifyChannel = { channel: 'slack' | 'webhook'; url: string } | { channel: 'email'; address: string };

export const queues = pgTable(
  'queues',
  {
    workspaceId: uuid('workspace_id').notNull().references(() => workspaces.id, { onDelete: 'cascade' }),
    id: text('id').notNull(),
    name: text('name').notNull(),
    createdAt: createdAt(),
    /** A lead queued longer than this raises one age alert (null: the default, 60 minutes). */
    ageAlertMinutes: integer('age_alert_minutes'),
    /** The queue's own notify channel for age alerts, if it has one. */
    notify: jsonb('notify').$type<QueueNotifyChannel | null>(),
    /** The reps who work the queue: their inboxes (and their managers') get its age alerts. */
    memberIds: jsonb('member_ids').$type<string[]>().notNull().default([]),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.id] })],
);

/** One age alert per lead, queue and threshold, inserted before anything is sent (worker/src/queue-alerts.ts). */
export const queueAlerts = pgTable(
  'queue_alerts',
  {
    leadId: uuid('lead_id')
      .notNull()
      .references(() => leads.id, { onDelete: 'cascade' }),
    workspaceId: uuid('workspace_id').notNull(),
    queueId: text('queue_id').notNull(),
    thresholdMinutes: integer('threshold_minutes').notNull(),
    /** When the lead entered the queue (the run's assigned_at then). */
    queuedAt: ts('queued_at').notNull(),
    alertedAt: ts('alerted_at').notNull().defaultNow(),
    /** What the queue's notify channel answered (null without one). */
    channelDetail: text('channel_detail'),
  },
  (t) => [primaryKey({ columns: [t.leadId, t.queueId, t.thresholdMinutes] })],
);

/** The workspace's firmographics table, which the `enrich` step reads by domain. */
export const companies = pgTable(
  'companies',
  {
    workspaceId: uuid('workspace_id').notNull().references(() => workspaces.id, { onDelete: 'cascade' }),
    domain: text('domain').notNull(),
    name: text('name'),
    employees: integer('employees'),
    annualRevenue: bigint('annual_revenue', { mode: 'number' }),
    industry: text('industry'),
    country: text('country'),
    technologies: jsonb('technologies').$type<string[]>(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.domain] })],
);

export const customFields = pgTable(
  'custom_fields',
  {
    workspaceId: uuid('workspace_id').notNull().references(() => workspaces.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    label: text('label').notNull(),
    type: text('type').$type<CustomField['type']>().notNull(),
    options: jsonb('options').$type<string[] | null>(),
    description: text('description'),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.key] })],
);

// ---- Leads, the outbox and routing ---------------------------------------------------------------------

export const leads = pgTable(
  'leads',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: uuid('workspace_id').notNull().references(() => workspaces.id, { onDelete: 'cascade' }),
    workflowId: uuid('workflow_id')
      .notNull()
      .references(() => workflows.id, { onDelete: 'cascade' }),
    /** The Idempotency-Key header, or the lead's own external id: a retry returns the first answer. */
    idempotencyKey: text('idempotency_key'),
    /**
     * sha256 of the lead the request carried, as stored (its JSON with keys sorted): the same idempotency
     * key with another body is refused, not answered with the first lead. Null for leads stored before.
     */
    requestHash: text('request_hash'),
    data: jsonb('data').$type<Record<string, LeadValue>>().notNull(),
    receivedAt: ts('received_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('leads_idempotency_unique').on(t.workflowId, t.idempotencyKey),
    index('leads_workspace_received_idx').on(t.workspaceId, t.receivedAt),
    // match_account's duplicate check: earlier leads with the same email (db/src/earlier-leads.ts).
    index('leads_workspace_email_idx').on(t.workspaceId, sql`lower(trim(${t.data}->>'email'))`, t.receivedAt),
  ],
);

/**
 * Webhook signatures seen while their timestamp is within the tolerance: a signed request replayed inside
 * that window is refused. A row is worth keeping only until `expires_at` (the timestamp plus the
 * tolerance), after which the timestamp alone refuses the request; ingestion prunes expired rows as it goes.
 */
export const webhookSignatures = pgTable(
  'webhook_signatures',
  {
    /** The HMAC, lower-case hex. */
    signature: text('signature').primaryKey(),
    workflowId: uuid('workflow_id')
      .notNull()
      .references(() => workflows.id, { onDelete: 'cascade' }),
    expiresAt: ts('expires_at').notNull(),
  },
  (t) => [index('webhook_signatures_expiry_idx').on(t.expiresAt)],
);

/** Leads waiting to be handed to Temporal. Written in the same transaction as the lead: nothing is lost. */
export const outbox = pgTable(
  'outbox',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    leadId: uuid('lead_id')
      .notNull()
      .references(() => leads.id, { onDelete: 'cascade' }),
    workspaceId: uuid('workspace_id').notNull(),
    versionId: uuid('version_id').notNull(),
    createdAt: createdAt(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: ts('next_attempt_at').notNull().defaultNow(),
    lastError: text('last_error'),
    dispatchedAt: ts('dispatched_at'),
    /** An operator's retry of a failed run: started again under the lead's workflow id, after the run it failed. */
    retry: boolean('retry').notNull().default(false),
    /** The backfill job that wrote it (backfill-schema.ts); null for a live lead. The dispatcher starts live rows first. */
    backfillJobId: uuid('backfill_job_id'),
  },
  (t) => [index('outbox_pending_idx').on(t.nextAttemptAt).where(sql`${t.dispatchedAt} is null`)],
);

export const runStatusEnum = pgEnum('run_status', ['queued', 'running', 'waiting', 'completed', 'failed']);

/** One routing of one lead: which version, where it stands, who has it, and the timings. */
export const routingRuns = pgTable(
  'routing_runs',
  {
    leadId: uuid('lead_id')
      .primaryKey()
      .references(() => leads.id, { onDelete: 'cascade' }),
    workspaceId: uuid('workspace_id').notNull(),
    workflowId: uuid('workflow_id').notNull(),
    versionId: uuid('version_id').notNull(),
    temporalWorkflowId: text('temporal_workflow_id').notNull(),
    status: runStatusEnum('status').notNull().default('queued'),
    currentNodeId: text('current_node_id'),
    assigneeType: text('assignee_type').$type<'rep' | 'queue'>(),
    assigneeId: text('assignee_id'),
    outcome: text('outcome'),
    /** When the current wait's SLA runs out. */
    deadlineAt: ts('deadline_at'),
    receivedAt: ts('received_at').notNull(),
    startedAt: ts('started_at'),
    /** The run's first assignment: speed to lead is received -> this, whatever re-assignments follow. */
    firstAssignedAt: ts('first_assigned_at'),
    /** The latest (re)assignment: the clock that the assigned -> accepted time runs on. */
    assignedAt: ts('assigned_at'),
    acceptedAt: ts('accepted_at'),
    completedAt: ts('completed_at'),
    lastAssignment: jsonb('last_assignment').$type<AssignmentRef | null>(),
    /** Why a run failed (status `failed`): shown on the lead until an operator retries it. */
    error: text('error'),
    /** When the lead was closed (its rep worked it: converted, disqualified...): it no longer counts as the rep's open lead. */
    closedAt: ts('closed_at'),
    /** Why it was closed: one of LEAD_CLOSE_REASONS. */
    closeReason: text('close_reason'),
    /** A note with the close, as its closer wrote it. */
    closeNote: text('close_note'),
    /** Who closed it: a rep id, or `user:<id>` / `key:<id>` for someone closing on a rep's behalf. */
    closedBy: text('closed_by'),
    /** Their name as it was then. */
    closedByName: text('closed_by_name'),
    /** 1 for the lead's first run; each re-route starts the next (the earlier ones are in run_history). */
    runNumber: integer('run_number').notNull().default(1),
    // ---- Maintained for analytics by recordSteps as the run moves (server/src/services/analytics*.ts) ----
    /** Who got the lead first (speed to lead's rep): kept apart from whoever holds it now. */
    firstAssigneeType: text('first_assignee_type').$type<'rep' | 'queue'>(),
    firstAssigneeId: text('first_assignee_id'),
    /** The first time a wait `until: contacted` ended contacted. */
    firstContactAt: ts('first_contact_at'),
    /** Received -> first assignment, -> accepted, -> first contact, counted only in the rep's working hours. */
    firstAssignedWorkMs: bigint('first_assigned_work_ms', { mode: 'number' }),
    acceptedWorkMs: bigint('accepted_work_ms', { mode: 'number' }),
    firstContactWorkMs: bigint('first_contact_work_ms', { mode: 'number' }),
    /** Assignments after the first (escalations included), and escalations alone. */
    reassignments: integer('reassignments').notNull().default(0),
    escalations: integer('escalations').notNull().default(0),
    /** Waits that ended answered within the SLA, and waits whose SLA ran out. */
    slaMet: integer('sla_met').notNull().default(0),
    slaBreached: integer('sla_breached').notNull().default(0),
    rejections: integer('rejections').notNull().default(0),
  },
  (t) => [
    index('routing_runs_workspace_idx').on(t.workspaceId, t.receivedAt),
    index('routing_runs_assignee_idx').on(t.workspaceId, t.assigneeId),
    // Every analytics figure of a run reads its workflow's runs received in a range.
    index('routing_runs_analytics_idx').on(t.workspaceId, t.workflowId, t.receivedAt),
    // Queue age: the leads queues hold now, by receipt, with what the figure reads (an index-only scan).
    index('routing_runs_queued_idx').on(t.workspaceId, t.workflowId, t.receivedAt, t.assigneeId, t.assignedAt).where(sql`${t.assigneeType} = 'queue'`),
    // A queue's page and its age alerts: the leads a queue holds, oldest first.
    index('routing_runs_queue_idx').on(t.workspaceId, t.assigneeId, t.assignedAt).where(sql`${t.assigneeType} = 'queue'`),
  ],
);

/** Each step of a run, written as it happens (the SSE stream follows this table). */
export const traceSteps = pgTable(
  'trace_steps',
  {
    leadId: uuid('lead_id')
      .notNull()
      .references(() => leads.id, { onDelete: 'cascade' }),
    seq: integer('seq').notNull(),
    nodeId: text('node_id').notNull(),
    nodeType: text('node_type').notNull(),
    label: text('label').notNull(),
    at: ts('at').notNull(),
    durationMs: integer('duration_ms').notNull().default(0),
    input: jsonb('input').$type<Record<string, LeadValue>>().notNull(),
    decision: text('decision').notNull(),
    explanation: jsonb('explanation').$type<string[]>().notNull(),
    output: jsonb('output').$type<Record<string, unknown>>().notNull(),
    outcome: text('outcome'),
    next: text('next'),
    candidates: jsonb('candidates').$type<Candidate[] | null>(),
    recordedAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.leadId, t.seq] })],
);

// ---- Routing state: cursors and loads, updated atomically with each assignment ---------------------------

export * from './schema-routing-state';
export * from './period-caps-schema';

// The analytics tables that recordSteps keeps as leads move are in analytics-schema.ts (run_waits, ...).

// ---- Notifications and the audit log --------------------------------------------------------------------

export const notifications = pgTable(
  'notifications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: uuid('workspace_id').notNull(),
    leadId: uuid('lead_id').references(() => leads.id, { onDelete: 'cascade' }),
    /** Idempotency: `<temporal workflow id>:<step seq>`, so an activity retry never sends twice. */
    dedupeKey: text('dedupe_key'),
    channel: text('channel').notNull(),
    recipient: text('recipient').notNull(),
    repId: text('rep_id'),
    subject: text('subject'),
    body: text('body').notNull(),
    status: text('status').$type<'delivered' | 'failed' | 'pending'>().notNull(),
    detail: text('detail'),
    createdAt: createdAt(),
    readAt: ts('read_at'),
  },
  (t) => [uniqueIndex('notifications_dedupe_unique').on(t.dedupeKey), index('notifications_rep_idx').on(t.workspaceId, t.repId, t.createdAt)],
);

export * from './schema-audit';
