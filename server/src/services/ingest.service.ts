import { createHmac, randomUUID } from 'node:crypto';
import { buildCatalog, normalizeLead, type CustomField, type Lead } from '@lead-router/shared';
import { and, eq, sql } from 'drizzle-orm';
import { assertRole, type Principal } from '../auth/principal';
import { safeEqual, sha256 } from '../auth/secrets';
import type { Db, Tx } from '@lead-router/db/client';
import { leads, outbox, routingRuns, webhookSignatures, workflows, type customFields } from '@lead-router/db/schema';
import { DomainError, notFound } from '../errors/domain-error';
import type { Logger } from '../http/context';
import { kickDispatcher } from '@lead-router/db/outbox-dispatcher';
import { workflowIdOf } from '@lead-router/shared/workflow-contract';
import { UUID_PATTERN } from './workflow-access';

/** The largest lead body the trigger endpoint reads: 64 KiB. */
export const MAX_LEAD_BODY_BYTES = 65_536;

/** How far a signed timestamp may be from the server's clock: 5 minutes either way. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

/** The longest Idempotency-Key header accepted. */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;

export const SIGNATURE_HEADER = 'X-LeadRouter-Signature';
export const TIMESTAMP_HEADER = 'X-LeadRouter-Timestamp';

const tooLarge = () =>
  new DomainError('payload_too_large', `A lead may be at most ${MAX_LEAD_BODY_BYTES} bytes (64 KiB); nothing was stored.`);

/**
 * Reads a request body up to `limit` bytes: a declared Content-Length above it is refused before reading,
 * and a body that turns out longer is cut off as soon as it passes the limit, so nothing is buffered
 * without bound.
 */
async function readBodyLimited(req: Request, limit = MAX_LEAD_BODY_BYTES): Promise<Uint8Array> {
  const declared = req.headers.get('content-length');
  if (declared !== null && /^\d+$/.test(declared.trim()) && Number(declared) > limit) throw tooLarge();
  if (!req.body) return new Uint8Array(0);
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(value);
  }
  const body = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) {
    body.set(c, offset);
    offset += c.byteLength;
  }
  return body;
}

/**
 * The signature header value for `body` signed with `secret`: `sha256=<hex HMAC-SHA256 of <timestamp>.<body>>`
 * (of the body alone without a timestamp, which the trigger endpoint no longer takes).
 */
export function signLeadBody(secret: string, body: string | Uint8Array, timestamp?: string | number): string {
  const mac = createHmac('sha256', secret);
  if (timestamp !== undefined) mac.update(`${timestamp}.`);
  mac.update(body);
  return `sha256=${mac.digest('hex')}`;
}

const invalidSignature = (message: string, header = SIGNATURE_HEADER) => new DomainError('invalid_signature', message, [{ path: header, message }]);

/** A verified signature, kept until its timestamp leaves the tolerance so a replay of it is refused. */
export interface SeenSignature {
  /** The HMAC, lower-case hex. */
  value: string;
  /** When the timestamp it signs leaves the tolerance: from then on the timestamp alone refuses it. */
  expiresAt: Date;
}

/**
 * Checks an HMAC-SHA256 webhook signature over `<timestamp>.<raw body>`, whose timestamp (unix seconds,
 * X-LeadRouter-Timestamp, required) must be within 5 minutes of `now`: a captured request cannot be
 * replayed after that, and within it the signature is remembered (see storeLead). Throws
 * `invalid_signature` naming the header otherwise.
 */
function verifyLeadSignature(input: { secret: string; body: Uint8Array; signature: string; timestamp: string | undefined; now: Date }): SeenSignature {
  const given = input.signature.trim();
  if (!/^sha256=[0-9a-f]{64}$/i.test(given)) {
    throw invalidSignature(`${SIGNATURE_HEADER} must be "sha256=<hex HMAC-SHA256 of \`<timestamp>.<body>\` with the workflow's webhook secret>".`);
  }
  if (input.timestamp === undefined) {
    throw invalidSignature(`${TIMESTAMP_HEADER} is required with a signature: send the unix time in seconds and sign \`<timestamp>.<body>\`.`, TIMESTAMP_HEADER);
  }
  const ts = input.timestamp.trim();
  if (!/^\d{1,12}$/.test(ts)) throw invalidSignature(`${TIMESTAMP_HEADER} must be a unix time in seconds.`, TIMESTAMP_HEADER);
  const skew = Math.abs(input.now.getTime() / 1000 - Number(ts));
  if (skew > SIGNATURE_TOLERANCE_SECONDS) {
    throw invalidSignature(`${TIMESTAMP_HEADER} is more than ${SIGNATURE_TOLERANCE_SECONDS / 60} minutes away from the server's time; sign the request again.`, TIMESTAMP_HEADER);
  }
  const expected = signLeadBody(input.secret, input.body, ts);
  const value = given.slice(7).toLowerCase();
  if (!safeEqual(`sha256=${value}`, expected)) {
    throw invalidSignature("The signature does not match `<timestamp>.<body>` signed with this workflow's webhook secret.");
  }
  return { value, expiresAt: new Date((Number(ts) + SIGNATURE_TOLERANCE_SECONDS) * 1000) };
}

/** The workflow a lead is posted to, ready to take leads. */
export interface IngestTarget {
  workflowId: string;
  workspaceId: string;
  versionId: string;
  webhookSecret: string;
}

/**
 * The workflow with this id (in `workspaceId` when the caller has one; any, for HMAC-signed posts, whose
 * signature is checked next). `not_found` when unknown or another workspace's.
 */
async function findIngestWorkflow(db: Db, id: string, workspaceId: string | null) {
  if (!UUID_PATTERN.test(id)) throw notFound(`Workflow ${id}`);
  // The workspace's custom fields come in the same round trip (a lead is validated against them next).
  const fields = sql<CustomFieldRow[] | null>`(select json_agg(json_build_object('key', f.key, 'label', f.label, 'type', f.type, 'options', f.options, 'description', f.description)
    order by f.created_at, f.key) from custom_fields f where f.workspace_id = ${workflows.workspaceId})`;
  const [wf] = await db
    .select({ id: workflows.id, workspaceId: workflows.workspaceId, archivedAt: workflows.archivedAt, activeVersionId: workflows.activeVersionId, webhookSecret: workflows.webhookSecret, fields })
    .from(workflows)
    .where(workspaceId === null ? eq(workflows.id, id) : and(eq(workflows.id, id), eq(workflows.workspaceId, workspaceId)))
    .limit(1);
  if (!wf) throw notFound(`Workflow ${id}`);
  return wf;
}

/** The workflow as an ingest target: `archived` or `not_published` when it cannot take leads. */
function requireIngestible(wf: Awaited<ReturnType<typeof findIngestWorkflow>>): IngestTarget {
  if (wf.archivedAt) throw new DomainError('archived', 'This workflow is archived and takes no leads; restore it or post to another workflow.');
  if (!wf.activeVersionId) throw new DomainError('not_published', 'Publish a version of this workflow first.');
  return { workflowId: wf.id, workspaceId: wf.workspaceId, versionId: wf.activeVersionId, webhookSecret: wf.webhookSecret };
}

/** A custom_fields row as findIngestWorkflow reads it. */
type CustomFieldRow = Pick<typeof customFields.$inferSelect, 'key' | 'label' | 'type' | 'options' | 'description'>;

/** The workspace's custom fields, as the shared field catalog takes them. */
function customFieldsOf(rows: CustomFieldRow[] | null): CustomField[] {
  return (rows ?? []).map((f) => ({ key: f.key, label: f.label, type: f.type, ...(f.options ? { options: f.options } : {}), ...(f.description ? { description: f.description } : {}) }));
}

/**
 * Parses and validates a raw lead body against the workspace's field catalog: `malformed_json` for
 * bytes that are not JSON, `invalid_request` listing every field problem otherwise.
 */
function parseLead(body: Uint8Array, custom: readonly CustomField[]): { lead: Lead; requestHash: string } {
  let value: unknown;
  try {
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(body);
    value = JSON.parse(text);
  } catch {
    throw new DomainError('malformed_json', 'The request body is not valid JSON.');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const got = value === null ? 'null' : Array.isArray(value) ? 'a list' : `a ${typeof value}`;
    throw new DomainError('invalid_request', `A lead must be a JSON object of fields; got ${got}.`, [{ path: '(body)', message: `must be a JSON object; got ${got}` }]);
  }
  const r = normalizeLead(value, buildCatalog(custom));
  if (!r.ok) {
    const details = r.problems.map((p) => ({ path: p.field || '(body)', message: p.message, code: p.code }));
    throw new DomainError('invalid_request', 
      `The lead is not valid: ${details
        .slice(0, 3)
        .map((d) => d.message)
        .join('; ')}${details.length > 3 ? ` (and ${details.length - 3} more)` : ''}`,
      details,
    );
  }
  // The lead as it is stored is what a retry must repeat: keys in any order, spacing, and values the
  // catalog reads alike (`77` and `"77"` for a text field) are the same request.
  return { lead: r.lead, requestHash: sha256(canonicalJson(r.lead)) };
}

/** JSON with every object's keys sorted: the same value however its sender ordered or spaced it. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * The idempotency key of a post: the Idempotency-Key header, else the lead's own `id`. Long external ids
 * are stored as their sha256 so the unique index never meets an oversized entry.
 */
function idempotencyKeyOf(header: string | undefined, lead: Lead): IdempotencyKey | null {
  if (header !== undefined) {
    const k = header.trim();
    if (k === '' || k.length > MAX_IDEMPOTENCY_KEY_LENGTH) {
      throw new DomainError('invalid_request', `The Idempotency-Key header must be 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} characters.`, [
        { path: 'Idempotency-Key', message: `must be 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} characters` },
      ]);
    }
    return { key: k, field: 'Idempotency-Key' };
  }
  const id = lead.id;
  if (typeof id !== 'string' || id === '') return null;
  return { key: id.length > MAX_IDEMPOTENCY_KEY_LENGTH ? `sha256:${sha256(id)}` : id, field: 'id' };
}

/** The key a post is deduplicated by, and where it came from (the header, or the lead's `id`). */
export interface IdempotencyKey {
  key: string;
  field: 'Idempotency-Key' | 'id';
}

/** What else a lead is stored with: its request's hash, and the signature it came signed with. */
export interface StoreOptions {
  /** sha256 of the request body: a known key with another body is `idempotency_key_reused`. */
  requestHash?: string;
  /** A verified webhook signature: one seen before within its tolerance is `webhook_replayed`. */
  signature?: SeenSignature;
}

// Expired signatures are pruned a bounded batch at a time by whichever post comes along, skipping rows
// another post is already deleting, so pruning never makes two posts wait on each other.
const PRUNE_BATCH = 100;

/** Remembers a webhook signature for its tolerance; `webhook_replayed` when it was already seen. */
async function rememberSignature(tx: Tx, workflowId: string, seen: SeenSignature, now: Date): Promise<void> {
  await tx.execute(sql`delete from ${webhookSignatures} where ${webhookSignatures.signature} in (
    select ${webhookSignatures.signature} from ${webhookSignatures} where ${webhookSignatures.expiresAt} < ${now.toISOString()}::timestamptz
    limit ${PRUNE_BATCH} for update skip locked)`);
  const [fresh] = await tx
    .insert(webhookSignatures)
    .values({ signature: seen.value, workflowId, expiresAt: seen.expiresAt })
    .onConflictDoNothing()
    .returning({ signature: webhookSignatures.signature });
  if (!fresh) {
    throw new DomainError('webhook_replayed', `This signed request was already received (the same ${SIGNATURE_HEADER}); nothing was stored. Sign each delivery again with a fresh ${TIMESTAMP_HEADER}, and send an Idempotency-Key to make retries safe.`, [
      { path: SIGNATURE_HEADER, message: 'was already used' },
    ]);
  }
}

/** What ingestion answered: the lead id, and whether it is the first answer replayed. */
export interface IngestResult {
  leadId: string;
  replayed: boolean;
}

/**
 * Stores a lead, its queued routing run and its outbox row in one transaction, so either all three land
 * or none does. A lead whose idempotency key this workflow has already seen is not stored again: the
 * first lead's id is returned (race-safe through the unique index, not a read-then-write).
 */
export async function storeLead(db: Db, target: IngestTarget, lead: Lead, idempotency: IdempotencyKey | null, receivedAt: Date, options: StoreOptions = {}): Promise<IngestResult> {
  const idempotencyKey = idempotency?.key ?? null;
  const requestHash = options.requestHash ?? null;
  if (!options.signature) {
    // The usual post: lead, run and outbox row in one statement (atomic as any statement), one round trip.
    const leadId = await insertLeadAtOnce(db, target, lead, idempotencyKey, requestHash, receivedAt);
    if (leadId !== null) return { leadId, replayed: false };
  }
  return db.transaction(async (tx) => {
    if (options.signature) await rememberSignature(tx, target.workflowId, options.signature, receivedAt);
    const [inserted] = await tx
      .insert(leads)
      .values({ workspaceId: target.workspaceId, workflowId: target.workflowId, idempotencyKey, requestHash, data: lead, receivedAt })
      .onConflictDoNothing({ target: [leads.workflowId, leads.idempotencyKey] })
      .returning({ id: leads.id });
    if (!inserted) {
      // A concurrent twin waited on the index and committed first: its row is visible to this statement.
      const [existing] = await tx
        .select({ id: leads.id, requestHash: leads.requestHash })
        .from(leads)
        .where(and(eq(leads.workflowId, target.workflowId), eq(leads.idempotencyKey, idempotencyKey ?? '')))
        .limit(1);
      if (!existing) throw new Error('idempotency conflict without an existing lead');
      // A lead stored before hashes were kept has none to compare: it is answered as before.
      if (existing.requestHash !== null && requestHash !== null && existing.requestHash !== requestHash) throw keyReused(idempotency);
      return { leadId: existing.id, replayed: true };
    }
    await tx.insert(routingRuns).values({
      leadId: inserted.id,
      workspaceId: target.workspaceId,
      workflowId: target.workflowId,
      versionId: target.versionId,
      temporalWorkflowId: workflowIdOf(inserted.id),
      status: 'queued',
      receivedAt,
    });
    await tx.insert(outbox).values({ leadId: inserted.id, workspaceId: target.workspaceId, versionId: target.versionId, nextAttemptAt: receivedAt });
    return { leadId: inserted.id, replayed: false };
  });
}

/**
 * Inserts the lead, its queued run and its outbox row in one statement (data-modifying CTEs: all three or
 * none). Null when the idempotency key is already taken: the caller looks the first lead up.
 */
async function insertLeadAtOnce(db: Db, target: IngestTarget, lead: Lead, idempotencyKey: string | null, requestHash: string | null, receivedAt: Date): Promise<string | null> {
  const id = randomUUID();
  const inserted = db.$with('inserted').as(
    db
      .insert(leads)
      .values({ id, workspaceId: target.workspaceId, workflowId: target.workflowId, idempotencyKey, requestHash, data: lead, receivedAt })
      .onConflictDoNothing({ target: [leads.workflowId, leads.idempotencyKey] })
      .returning({ id: leads.id }),
  );
  const at = sql`${receivedAt.toISOString()}::timestamptz`;
  const run = db.$with('run', { n: sql<number>`n` }).as(
    sql`insert into routing_runs (lead_id, workspace_id, workflow_id, version_id, temporal_workflow_id, status, received_at)
      select i.id, ${target.workspaceId}, ${target.workflowId}, ${target.versionId}, ${workflowIdOf(id)}, 'queued', ${at} from "inserted" i returning 1 as n`,
  );
  const queued = db.$with('queued', { n: sql<number>`n` }).as(
    sql`insert into outbox (lead_id, workspace_id, version_id, next_attempt_at) select i.id, ${target.workspaceId}, ${target.versionId}, ${at} from "inserted" i returning 1 as n`,
  );
  // PostgreSQL runs every data-modifying CTE to completion, read or not.
  const rows = await db
    .with(inserted, run, queued)
    .select({ id: inserted.id })
    .from(inserted);
  return rows[0]?.id ?? null;
}

function keyReused(k: IdempotencyKey | null): DomainError {
  const what = k?.field === 'id' ? 'The lead `id`' : 'The Idempotency-Key';
  const path = k?.field ?? 'Idempotency-Key';
  return new DomainError('idempotency_key_reused', `${what} was used for another request (another body); nothing was stored. A retry must send the same body; a new lead needs a new key.`, [
    { path, message: 'was used for another request' },
  ]);
}

/** What ingestion needs of the app. */
export interface IngestDeps {
  db: Db;
  now: () => Date;
  log: Logger;
}

/** A lead posted to a workflow's trigger. */
export interface IngestInput {
  workflowId: string;
  /** The caller, when the post carried an API key or a session; null for HMAC-signed posts. */
  principal: Principal | null;
  /** The post itself: its raw body (read up to MAX_LEAD_BODY_BYTES) and its signature, timestamp and Idempotency-Key headers. */
  request: Request;
}

/**
 * Takes a lead posted to a workflow's trigger: checks the caller (an API key or session of `ingest` and up,
 * else the body's HMAC signature), reads the body within its limit, checks the workflow takes leads,
 * validates the lead against the workspace's fields, stores it with its outbox row, and wakes the
 * dispatcher. A retry with a known idempotency key and the same body answers the first lead's id,
 * `replayed`; with another body it is `idempotency_key_reused`. A signed request seen before is
 * `webhook_replayed`.
 */
export async function ingestLead(deps: IngestDeps, input: IngestInput): Promise<IngestResult> {
  const { db, now, log } = deps;
  const header = (name: string) => input.request.headers.get(name) ?? undefined;
  const signature = header(SIGNATURE_HEADER);
  // A valid key or session wins; a signature is the way in for senders that have neither.
  if (!input.principal && signature === undefined) {
    throw new DomainError('unauthorized', `Send an API key as "Authorization: Bearer <key>", or sign the body in ${SIGNATURE_HEADER}.`);
  }
  // The HMAC path has no principal: the workflow in the path decides the workspace.
  const p = input.principal ? assertRole(input.principal, 'ingest') : null;

  const body = await readBodyLimited(input.request);
  const wf = await findIngestWorkflow(db, input.workflowId, p ? p.workspaceId : null);
  const seen = p ? undefined : verifyLeadSignature({ secret: wf.webhookSecret, body, signature: signature ?? '', timestamp: header(TIMESTAMP_HEADER), now: now() });
  const target = requireIngestible(wf);
  const { lead, requestHash } = parseLead(body, customFieldsOf(wf.fields));
  const key = idempotencyKeyOf(header('idempotency-key'), lead);

  const result = await storeLead(db, target, lead, key, now(), { requestHash, ...(seen ? { signature: seen } : {}) });
  if (!result.replayed) {
    log.info('lead received', { leadId: result.leadId, workflowId: target.workflowId, workspaceId: target.workspaceId });
    kickDispatcher(db);
  }
  return result;
}
