import { randomBytes } from 'node:crypto';
import { DirectorySchema, type Graph } from '@lead-router/shared';
import { demoDirectory, generateSampleLeads, hybridRoutingGraph } from '@lead-router/shared/fixtures';
import { count } from 'drizzle-orm';
import type { Principal } from '../auth/principal';
import type { Db } from '@lead-router/db/client';
import { workspaces } from '@lead-router/db/schema';
import { insertDirectory } from '@lead-router/db/directory-seed';
import { analyticsFromTrace } from '@lead-router/db/analytics-from-trace';
import { seedDemoHistory } from './demo-history';
import { storeLead } from './ingest.service';
import { inlineSimulations } from './simulation/pool';
import { activateVersion, loadActiveVersion, publishDraft } from './versions.service';
import { createApiKey, createUser, createWorkspace } from './workspaces.service';
import { createWorkflow } from './workflows.service';

/** How many sample leads the demo routes live on first start (its history holds a few hundred more). */
export const DEMO_LEAD_COUNT = 40;
/** The gap between two sample leads' arrivals: the live leads flow for two minutes. */
export const DEMO_LEAD_SPREAD_MS = 3_000;
export const DEMO_ADMIN_EMAIL = 'admin@demo.local';
export const DEMO_WORKFLOW_NAME = 'Inbound routing (hybrid)';
/** The lead the first start's curl line posts. */
export const DEMO_CURL_LEAD = { email: 'jo@globex.com', firstName: 'Jo', lastName: 'Rivera', company: 'Globex Corporation', title: 'VP of Sales', country: 'US', leadSource: 'Demo Request' };

/**
 * Accounts that show off account matching: several domains each, names written unlike the leads' (legal
 * forms, accents, "The"), found by the demo graph's match step, which also matches similar names.
 */
export const DEMO_MATCHING_ACCOUNTS = [
  { id: 'acct-stark', name: 'Stark Industries, Inc.', domains: ['stark.com', 'starkindustries.com', 'stark.co.uk'], ownerId: 'rep-cara', lastActivityAt: '2026-01-15T10:00:00Z' },
  { id: 'acct-lumiere', name: 'Lumière S.A.', domains: ['lumiere.fr', 'lumiere.be'], ownerId: 'rep-fay' },
  { id: 'acct-nakatomi', name: 'Nakatomi Trading Co., Ltd.', domains: ['nakatomi.co.jp'], ownerId: 'rep-dev' },
  { id: 'acct-wonka', name: 'The Wonka Industries Company', domains: ['wonka.com', 'wonka.co.uk'], ownerId: 'rep-ana' },
];

/**
 * The demo graph: the hybrid graph whose match step also takes similar company names (0.85) and sends a repeat
 * lead (same email within 30 days) to the rep who has the earlier one, whose inbound pool is balanced
 * (reps back from leave or a cap catch up, two in a row at most; level again every day; leads taken away
 * credited back), and whose manager's SLA counts an hour of their working time and reminds them at 50% and
 * 80% (issue #16).
 */
function demoGraph(): Graph {
  return {
    ...hybridRoutingGraph,
    nodes: hybridRoutingGraph.nodes.map((n) => {
      if (n.type === 'match_account') return { ...n, config: { ...n.config, fuzzyThreshold: 0.85, duplicateWithinDays: 30 } };
      if (n.type === 'assign' && n.id === 'assign-pool') return { ...n, config: { ...n.config, fairness: { mode: 'balanced', maxInARow: 2, resetWindow: 'daily', creditBack: true } } };
      if (n.type === 'wait' && n.id === 'sla-manager') {
        const notify = { channel: 'in_app' as const, recipient: { type: 'assignee' as const }, message: 'Reminder: {{firstName}} {{lastName}} at {{company}} is waiting for you' };
        return { ...n, label: 'Manager SLA (1 working hour)', config: { ...n.config, clock: 'business' as const, reminders: { atPercent: [50, 80], notify } } };
      }
      return n;
    }),
  };
}

/** What the first start prints once: the secrets are not stored in plain text anywhere else. */
export interface DemoWorkspace {
  workspaceId: string;
  workflowId: string;
  admin: { email: string; password: string };
  /** An admin API key: post leads, call the API, drive `lead-router`. */
  apiKey: string;
  leads: number;
  /** Finished leads of the past two weeks, with their traces. */
  history: number;
}

/** True when the database has no workspace yet: a first start. */
export async function isEmptyDatabase(db: Db): Promise<boolean> {
  const [row] = await db.select({ n: count() }).from(workspaces);
  return (row?.n ?? 0) === 0;
}

/**
 * Seeds the demo workspace: an admin user and key; the demo directory (reps across time zones with
 * capacity, one out of office, two weighted teams, territories, accounts, queues, the firmographics
 * table); the hybrid routing graph created, published and made active through the same services the API
 * uses; two weeks of routing history (finished leads with whole traces, accepted, re-assigned, rejected and
 * escalated as reps really answer: demo-history.ts) with the open loads it leaves; and `leadCount` sample
 * leads stored through ingestion, arriving over the next two minutes, so the outbox dispatcher routes them
 * on Temporal like any posted lead.
 */
export async function seedDemo(db: Db, options: { now?: Date; leadCount?: number; spreadMs?: number; graph?: Graph } = {}): Promise<DemoWorkspace> {
  const now = options.now ?? new Date();
  const ws = await createWorkspace(db, 'Demo workspace');
  const password = randomBytes(9).toString('base64url');
  const admin = await createUser(db, { workspaceId: ws.id, email: DEMO_ADMIN_EMAIL, name: 'Demo Admin', role: 'admin', password });
  const key = await createApiKey(db, { workspaceId: ws.id, name: 'Demo admin key (printed at first start)', role: 'admin', createdBy: admin.id });

  const workspaceId = ws.id;
  // The demo's custom fields are not seeded: the workspace starts with the standard catalog only.
  const directory = { ...demoDirectory, accounts: [...demoDirectory.accounts, ...DEMO_MATCHING_ACCOUNTS], customFields: [] };
  await db.transaction((tx) => insertDirectory(tx, workspaceId, directory));

  const p: Principal = { kind: 'user', id: admin.id, name: 'Demo Admin', workspaceId, role: 'admin', repId: null };
  const wf = await createWorkflow(
    db,
    p,
    {
      name: DEMO_WORKFLOW_NAME,
      description: 'Known accounts to their owner, enterprise to a weighted AE pool, the rest by territory then round robin; SLAs re-assign and escalate.',
      graph: options.graph ?? demoGraph(),
    },
    now,
  );
  // A new workflow has no golden leads, so publishing runs none: no simulation threads are needed.
  const version = await publishDraft(db, inlineSimulations(), p, wf.id, { note: 'Demo: the hybrid routing graph' }, now);
  await activateVersion(db, p, wf.id, version.number, now);
  const active = await loadActiveVersion(db, workspaceId, wf.id);
  if (!active) throw new Error('demo seed: the published version is not active');
  const history = await seedDemoHistory(db, { workspaceId, workflowId: wf.id, versionId: active.id }, active.plan, DirectorySchema.parse(directory), now);
  // The history was written without the worker: its analytics rows (and so the analytics page) come from its traces.
  await analyticsFromTrace(db, workspaceId);

  const leadCount = options.leadCount ?? DEMO_LEAD_COUNT;
  const target = { workflowId: wf.id, workspaceId, versionId: active.id, webhookSecret: '' };
  const sample = generateSampleLeads(leadCount);
  // They arrive one every `spreadMs` (the outbox dispatches each when it is due), so a first start shows
  // leads flowing through the canvas for a minute instead of one burst that a posted lead queues behind.
  const spreadMs = options.spreadMs ?? DEMO_LEAD_SPREAD_MS;
  for (const [i, lead] of sample.entries()) {
    await storeLead(db, target, lead, { key: `demo-seed-${i + 1}`, field: 'Idempotency-Key' }, new Date(now.getTime() + i * spreadMs));
  }
  return { workspaceId, workflowId: wf.id, admin: { email: DEMO_ADMIN_EMAIL, password }, apiKey: key.key, leads: sample.length, history };
}
