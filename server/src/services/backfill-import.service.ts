import type { CrmImport, Lead } from '@lead-router/shared';
import { and, asc, eq, inArray, notExists, sql } from 'drizzle-orm';
import type { Db } from '@lead-router/db/client';
import { leads, routingRuns } from '@lead-router/db/schema';
import { backfillItems, backfillJobs } from '@lead-router/db/backfill-schema';
import type { Principal } from '../auth/principal';
import { sha256 } from '../auth/secrets';
import { audit } from './audit.service';
import { kickBackfills } from './backfill-runner';
import { getBackfill, type BackfillView } from './backfill.service';
import { MAX_IDEMPOTENCY_KEY_LENGTH } from './ingest.service';
import { targetVersion } from './reroute.service';
import { importTestLeads } from './test-leads-import.service';
import { requireWorkflow } from './workflow-access';

// A CRM export routed as a backfill: the file is read as the test-run import reads it (importCrmCsv: the same
// recognition summary and per-row problems), its valid rows are stored as leads of the workflow WITHOUT a run
// (nothing is routed at once), and a backfill job is made over exactly those leads; the runner
// (backfill-runner.ts) queues each one's first run, throttled, with the job's progress, pause and cancel.
// Each lead is keyed as the trigger endpoint keys it (its CRM id: Lead ID / Record ID, else a hash of the
// row), so the same file imported twice, or a lead already posted, is stored once. docs/backfill.md.

/** What `POST /api/workflows/{id}/backfills/import` answers. */
export interface BackfillImport extends Omit<CrmImport, 'leads'> {
  /** Rows read into a lead (rows with a problem are left out). */
  leads: number;
  /** Of them, leads stored now. */
  added: number;
  /** Of them, leads this workflow already had (the same CRM id or row): not stored again. */
  alreadyStored: number;
  /** Leads the backfill routes: those added now, and earlier ones of the file never routed and in no live job. */
  toRoute: number;
  /** What happened, in a sentence. */
  message: string;
  /** The job routing them; null on a dry run or when there is nothing to route. */
  backfill: BackfillView | null;
}

/** The lead's key: its CRM id as the trigger endpoint takes it (`id`), else a hash of the row as read. */
export function importKeyOf(lead: Lead): string {
  const id = lead.id;
  if (typeof id === 'string' && id !== '') return id.length > MAX_IDEMPOTENCY_KEY_LENGTH ? `sha256:${sha256(id)}` : id;
  return `row:${sha256(canonical(lead))}`;
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

const CHUNK = 1000;
const VENDOR = { salesforce: 'Salesforce', hubspot: 'HubSpot', generic: 'CSV' } as const;
const n = (x: number) => x.toLocaleString('en-US');

/**
 * Reads the file, stores its new leads and starts a backfill over the file's unrouted leads, in one
 * transaction with the `backfill.started` audit entry. `dryRun` reads and counts only.
 */
export async function importBackfill(
  deps: { db: Db; now: () => Date },
  p: Principal,
  workflowId: string,
  body: () => Promise<string>,
  o: { version?: number | undefined; note?: string | undefined; dryRun?: boolean | undefined },
): Promise<BackfillImport> {
  const { db } = deps;
  const wf = await requireWorkflow(db, p.workspaceId, workflowId);
  const version = await targetVersion(db, wf.id, o.version);
  const read = await importTestLeads(db, p.workspaceId, wf.id, body);
  const { leads: rows, ...recognition } = read;
  // Keys in file order; a key twice in the file is one lead (its first row).
  const byKey = new Map<string, { row: number; lead: Lead }>();
  for (const r of rows) {
    const k = importKeyOf(r.lead);
    if (!byKey.has(k)) byKey.set(k, r);
  }
  const keys = [...byKey.keys()];
  const stored = new Set<string>();
  for (let i = 0; i < keys.length; i += CHUNK) {
    const part = keys.slice(i, i + CHUNK);
    const found = await db.select({ key: leads.idempotencyKey }).from(leads).where(and(eq(leads.workflowId, wf.id), inArray(leads.idempotencyKey, part)));
    for (const f of found) if (f.key !== null) stored.add(f.key);
  }
  const duplicates = rows.length - keys.length;
  const base = { ...recognition, leads: rows.length, alreadyStored: stored.size + duplicates };
  if (o.dryRun) {
    const added = keys.length - stored.size;
    return { ...base, added: 0, toRoute: added, message: `${n(added)} of the file's ${n(rows.length)} leads are new to this workflow; importing stores them and routes them through version ${version.number} as a backfill.`, backfill: null };
  }

  const now = deps.now();
  const lastRow = rows.reduce((m, r) => Math.max(m, r.row), 0);
  const result = await db.transaction(async (tx) => {
    let added = 0;
    for (let i = 0; i < keys.length; i += CHUNK) {
      const part = keys.slice(i, i + CHUNK).filter((k) => !stored.has(k));
      if (part.length === 0) continue;
      // One millisecond a row, ending now (never in the future), so the file's order is the order they are
      // received and routed in.
      const values = part.map((k) => {
        const r = byKey.get(k)!;
        return { workspaceId: p.workspaceId, workflowId: wf.id, idempotencyKey: k, requestHash: sha256(canonical(r.lead)), data: r.lead, receivedAt: new Date(now.getTime() - (lastRow - r.row)) };
      });
      const ins = await tx.insert(leads).values(values).onConflictDoNothing({ target: [leads.workflowId, leads.idempotencyKey] }).returning({ id: leads.id });
      added += ins.length;
    }
    // The set: the file's leads never routed and not waiting in another running or paused job.
    const inLiveJob = tx
      .select({ one: sql`1` })
      .from(backfillItems)
      .innerJoin(backfillJobs, eq(backfillJobs.id, backfillItems.jobId))
      .where(and(eq(backfillItems.leadId, leads.id), eq(backfillItems.state, 'pending'), inArray(backfillJobs.status, ['running', 'paused'])));
    const set: string[] = [];
    for (let i = 0; i < keys.length; i += CHUNK) {
      const part = keys.slice(i, i + CHUNK);
      const found = await tx
        .select({ id: leads.id })
        .from(leads)
        .where(
          and(
            eq(leads.workflowId, wf.id),
            inArray(leads.idempotencyKey, part),
            notExists(tx.select({ one: sql`1` }).from(routingRuns).where(eq(routingRuns.leadId, leads.id))),
            notExists(inLiveJob),
          ),
        )
        .orderBy(asc(leads.receivedAt), asc(leads.id));
      set.push(...found.map((f) => f.id));
    }
    if (set.length === 0) return { added, jobId: null };
    const [job] = await tx
      .insert(backfillJobs)
      .values({
        workspaceId: p.workspaceId,
        workflowId: wf.id,
        versionId: version.id,
        version: version.number,
        filter: { import: recognition.source, file: recognition.summary },
        total: set.length,
        createdBy: `${p.kind}:${p.id}`,
        createdByName: p.name,
        note: o.note ?? `CRM import: ${VENDOR[recognition.source]} export`,
        createdAt: now,
        updatedAt: now,
      })
      .returning({ id: backfillJobs.id });
    for (let i = 0; i < set.length; i += CHUNK) {
      await tx.insert(backfillItems).values(set.slice(i, i + CHUNK).map((leadId, j) => ({ jobId: job!.id, leadId, seq: i + j + 1 })));
    }
    await audit(tx, p, p.workspaceId, 'backfill.started', { type: 'backfill', id: job!.id }, { workflowId: wf.id, version: version.number, total: set.length, import: { source: recognition.source, rows: recognition.rows, added, problems: recognition.problems.length } });
    return { added, jobId: job!.id };
  });
  if (result.jobId) kickBackfills(db);
  const backfill = result.jobId ? await getBackfill(deps, p.workspaceId, result.jobId) : null;
  const alreadyStored = rows.length - result.added;
  const toRoute = backfill?.total ?? 0;
  const message =
    toRoute === 0
      ? `All ${n(rows.length)} leads of this file are already stored in this workflow and routed (imported before, or posted); nothing new to route.`
      : `Stored ${n(result.added)} new leads${alreadyStored > 0 ? ` (${n(alreadyStored)} already stored)` : ''}; a backfill routes ${n(toRoute)} through version ${version.number}.`;
  return { ...base, added: result.added, alreadyStored, toRoute, message, backfill };
}
