import { buildCatalog, normalizeLead, type CustomField, type Lead } from '@lead-router/shared';
import { eq } from 'drizzle-orm';
import { assertRole, type Principal } from '../auth/principal';
import type { Db } from '@lead-router/db/client';
import { routingRuns, versions } from '@lead-router/db/schema';
import { getFieldCatalog, type CatalogField } from './directory-fields.service';
import { ingestLead, MAX_LEAD_BODY_BYTES, SIGNATURE_HEADER, SIGNATURE_TOLERANCE_SECONDS, TIMESTAMP_HEADER, type IngestDeps, type IngestResult } from './ingest.service';
import { requireWorkflow } from './workflow-access';

/** Why a workflow's trigger takes no leads now: the same codes the trigger endpoint answers 409 with. */
export interface NotAccepting {
  code: 'archived' | 'not_published';
  message: string;
}

/** What a sender needs to post leads to a workflow's trigger (no secret: see getWebhookSecret). */
export interface TriggerEndpoint {
  workflowId: string;
  /** The absolute URL leads are posted to. */
  url: string;
  method: 'POST';
  /** The version new leads are routed by, or null before the first publish. */
  activeVersion: { id: string; number: number } | null;
  /** Null when the trigger takes leads now; else why not. */
  notAccepting: NotAccepting | null;
  signature: { header: string; timestampHeader: string; toleranceSeconds: number; algorithm: 'HMAC-SHA256'; signs: string };
  idempotencyHeader: 'Idempotency-Key';
  maxBodyBytes: number;
  /** A lead this workspace's catalog accepts, for a ready-to-paste request and "Send a test lead". */
  sampleLead: Lead;
}

/** The trigger endpoint's path for a workflow, under the app's base URL. */
export const triggerPath = (workflowId: string) => `/api/workflows/${encodeURIComponent(workflowId)}/leads`;

// The standard part of the sample: what a web form sends, and what territory rules read.
const STANDARD_SAMPLE: Lead = { firstName: 'Test', lastName: 'Lead', email: 'test.lead@example.com', company: 'Example Inc', title: 'Head of Operations', country: 'US', leadSource: 'test' };

// A few custom fields show the sender where theirs go; more would only lengthen the line to paste.
const MAX_CUSTOM_SAMPLES = 3;

function sampleValue(f: CatalogField): Lead[string] | undefined {
  switch (f.type) {
    case 'text':
      return 'sample';
    case 'number':
      return 1;
    case 'boolean':
      return true;
    case 'date':
      return '2024-05-01';
    case 'picklist':
      return f.options?.[0];
    default:
      return undefined;
  }
}

/**
 * A sample lead for this workspace: the standard fields a form sends and a value for the first few custom
 * fields, kept only when the catalog accepts it, so the sample always passes the trigger's validation.
 */
export function sampleLeadFor(fields: readonly CatalogField[]): Lead {
  const custom = fields.filter((f) => !f.standard && !f.system);
  const catalog = buildCatalog(custom.map((f): CustomField => ({ key: f.key, label: f.label, type: f.type as CustomField['type'], ...(f.options ? { options: f.options } : {}) })));
  const lead: Lead = { ...STANDARD_SAMPLE };
  for (const f of custom.slice(0, MAX_CUSTOM_SAMPLES)) {
    const v = sampleValue(f);
    if (v === undefined) continue;
    const r = normalizeLead({ [f.key]: v }, catalog);
    if (r.ok) lead[f.key] = v;
  }
  const r = normalizeLead(lead, catalog);
  return r.ok ? lead : STANDARD_SAMPLE;
}

/** Why this workflow takes no leads now, or null (the same rules as the trigger endpoint). */
function notAcceptingOf(wf: { archivedAt: Date | null; activeVersionId: string | null }): NotAccepting | null {
  if (wf.archivedAt) return { code: 'archived', message: 'This workflow is archived and takes no leads; restore it to take leads again.' };
  if (!wf.activeVersionId) return { code: 'not_published', message: 'This workflow has no published version yet; publish it to take leads.' };
  return null;
}

/** Where and how leads are posted to this workflow (any role that can read it). */
export async function getTriggerEndpoint(db: Db, p: Principal, workflowId: string, baseUrl: string): Promise<TriggerEndpoint> {
  assertRole(p, 'viewer');
  const wf = await requireWorkflow(db, p.workspaceId, workflowId);
  const [active] = wf.activeVersionId ? await db.select({ id: versions.id, number: versions.number }).from(versions).where(eq(versions.id, wf.activeVersionId)).limit(1) : [];
  const catalog = await getFieldCatalog(db, p.workspaceId);
  return {
    workflowId: wf.id,
    url: `${baseUrl.replace(/\/+$/, '')}${triggerPath(wf.id)}`,
    method: 'POST',
    activeVersion: active ?? null,
    notAccepting: notAcceptingOf(wf),
    signature: { header: SIGNATURE_HEADER, timestampHeader: TIMESTAMP_HEADER, toleranceSeconds: SIGNATURE_TOLERANCE_SECONDS, algorithm: 'HMAC-SHA256', signs: '<timestamp>.<raw body>' },
    idempotencyHeader: 'Idempotency-Key',
    maxBodyBytes: MAX_LEAD_BODY_BYTES,
    sampleLead: sampleLeadFor(catalog.fields),
  };
}

/** The workflow's webhook secret: admins only (`forbidden` for every other role). */
export async function getWebhookSecret(db: Db, p: Principal, workflowId: string): Promise<{ webhookSecret: string }> {
  assertRole(p, 'admin');
  const wf = await requireWorkflow(db, p.workspaceId, workflowId);
  return { webhookSecret: wf.webhookSecret };
}

/** A test lead's answer: the stored lead and the version its run is pinned to. */
export interface TestLeadResult extends IngestResult {
  version: { id: string; number: number };
}

/**
 * Posts a test lead (the workspace's sample, or the one given) to the workflow's trigger, through the very
 * ingestion a sender's post goes through: the same validation, the same store and outbox, routed by the
 * ACTIVE version like any lead. Editors and up; `not_published` / `archived` when it takes no leads.
 */
export async function sendTestLead(deps: IngestDeps, p: Principal, input: { workflowId: string; baseUrl: string; lead?: Record<string, unknown> }): Promise<TestLeadResult> {
  assertRole(p, 'editor');
  const endpoint = await getTriggerEndpoint(deps.db, p, input.workflowId, input.baseUrl);
  const lead = input.lead ?? endpoint.sampleLead;
  // A request as a sender would make it: the ingest service reads its raw body, limit and headers itself.
  const request = new Request(endpoint.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(lead) });
  const result = await ingestLead(deps, { workflowId: input.workflowId, principal: p, request });
  // The version the run was pinned to when it was stored (a publish since then does not move it).
  const [pinned] = await deps.db
    .select({ id: versions.id, number: versions.number })
    .from(routingRuns)
    .innerJoin(versions, eq(versions.id, routingRuns.versionId))
    .where(eq(routingRuns.leadId, result.leadId))
    .limit(1);
  if (!pinned) throw new Error(`test lead ${result.leadId} was stored without its run`);
  return { ...result, version: pinned };
}
