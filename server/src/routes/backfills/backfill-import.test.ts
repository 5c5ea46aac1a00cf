// The app first: its routes extend zod with .openapi() before shared's schemas are built.
import { setupTestApp, type TestWorkspace } from '../../test/harness';
import { HUBSPOT_CONTACTS_EXPORT_CSV, SALESFORCE_LEADS_REPORT_CSV } from '@lead-router/shared/fixtures';
import { and, eq, inArray } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditLog, leads, outbox, routingRuns, versions, workflows } from '@lead-router/db/schema';
import { backfillItems } from '@lead-router/db/backfill-schema';
import { createLogger } from '../../http/logger';
import { BackfillRunner } from '../../services/backfill-runner';
import { createWorkflowWithDraft, insertVersion, roundRobinDirectory, roundRobinGraph, seedDirectory } from '../test-runs/test-runs.fixtures';

// POST /api/workflows/{id}/backfills/import against the real database: a CRM export stored once and routed by
// a backfill job the runner works (stepped by hand, as backfills.test.ts does).

const t = setupTestApp();
const db = t.database.db;
const directory = roundRobinDirectory(3);
const CSV = { 'content-type': 'text/csv' };

let ws: TestWorkspace;
let other: TestWorkspace;
let wfId: string;
let unpublished: string;

beforeAll(async () => {
  ws = await t.workspace();
  other = await t.workspace();
  await seedDirectory(db, ws.id, directory);
  wfId = await createWorkflowWithDraft(db, ws.id, roundRobinGraph(), 'CRM backfill');
  await insertVersion(db, wfId, 1, roundRobinGraph(), directory);
  const [v] = await db.select({ id: versions.id }).from(versions).where(and(eq(versions.workflowId, wfId), eq(versions.number, 1)));
  await db.update(workflows).set({ activeVersionId: v!.id }).where(eq(workflows.id, wfId));
  unpublished = await createWorkflowWithDraft(db, ws.id, roundRobinGraph(), 'Never published');
});

const importCsv = (text: string, init: { key?: string; id?: string; query?: string } = {}) =>
  t.call('POST', `/api/workflows/${init.id ?? wfId}/backfills/import${init.query ?? ''}`, { key: init.key ?? ws.keys.editor, rawBody: text, headers: CSV });

const SALESFORCE_IDS = [...SALESFORCE_LEADS_REPORT_CSV.matchAll(/"(00Q5g[0-9A-Za-z]+)"/g)].map((m) => m[1]!);

const storedLeads = () => db.select({ id: leads.id, key: leads.idempotencyKey }).from(leads).where(eq(leads.workflowId, wfId));

describe('POST /api/workflows/{id}/backfills/import', () => {
  it('a dry run gives the recognition summary and the count, and stores nothing', async () => {
    const r = await importCsv(SALESFORCE_LEADS_REPORT_CSV, { query: '?dryRun=true' });
    expect(r.status, r.text).toBe(200);
    expect(r.body).toMatchObject({ source: 'salesforce', rows: 20, leads: 20, added: 0, alreadyStored: 0, toRoute: 20, problems: [], backfill: null });
    expect(r.body.summary).toMatch(/^Recognised as a Salesforce export: \d+ columns mapped/);
    expect(await storedLeads()).toEqual([]);
    const hubspot = await importCsv(HUBSPOT_CONTACTS_EXPORT_CSV, { query: '?dryRun=true' });
    expect(hubspot.body).toMatchObject({ source: 'hubspot', rows: 20, toRoute: 20, backfill: null });
    expect(await storedLeads()).toEqual([]);
  });

  it('stores the Salesforce export once, unrouted, and a backfill over exactly those leads routes each to completion', async () => {
    expect(SALESFORCE_IDS).toHaveLength(20);
    const r = await importCsv(SALESFORCE_LEADS_REPORT_CSV, { query: '?note=Q1%20import' });
    expect(r.status, r.text).toBe(202);
    expect(r.body).toMatchObject({ source: 'salesforce', leads: 20, added: 20, alreadyStored: 0, toRoute: 20 });
    expect(r.body.backfill).toMatchObject({ status: 'running', total: 20, done: 0, version: 1, workflowName: 'CRM backfill', note: 'Q1 import', filter: { import: 'salesforce' } });
    const jobId: string = r.body.backfill.id;
    const stored = await storedLeads();
    expect(stored.map((l) => l.key).sort()).toEqual([...SALESFORCE_IDS].sort());
    const ids = stored.map((l) => l.id);
    // Received in the file's order, never after the import.
    const received = await db.select({ id: leads.id, at: leads.receivedAt }).from(leads).where(inArray(leads.id, ids));
    expect(received.every((l) => l.at.getTime() <= Date.now())).toBe(true);
    // Not routed at once: no run, no outbox row yet.
    expect(await db.select().from(routingRuns).where(inArray(routingRuns.leadId, ids))).toEqual([]);
    expect(await db.select().from(outbox).where(inArray(outbox.leadId, ids))).toEqual([]);
    const items = await db.select().from(backfillItems).where(eq(backfillItems.jobId, jobId));
    expect(items.map((i) => i.leadId).sort()).toEqual([...ids].sort());
    const [entry] = await db.select().from(auditLog).where(and(eq(auditLog.entityId, jobId), eq(auditLog.action, 'backfill.started')));
    expect(entry?.details).toMatchObject({ total: 20, import: { source: 'salesforce', added: 20 } });

    const runner = new BackfillRunner({ db, engine: t.deps.engine, log: createLogger('silent'), now: () => new Date() }, { batchSize: 8, maxInFlight: 1000, maxLiveBacklog: 1_000_000 });
    expect(await runner.step()).toMatchObject({ kind: 'batch', jobId, done: 8, skipped: 0, left: 12 });
    expect(await runner.step()).toMatchObject({ kind: 'batch', done: 8, left: 4 });
    expect(await runner.step()).toMatchObject({ kind: 'batch', done: 4, left: 0 });
    expect(await runner.step()).toEqual({ kind: 'completed', jobId });
    await runner.stop();

    const job = await t.call('GET', `/api/backfills/${jobId}`, { key: ws.keys.viewer });
    expect(job.body).toMatchObject({ status: 'completed', total: 20, done: 20, skipped: 0 });
    // Each lead: its first run, queued through version 1, and one outbox row marked as the job's.
    const runs = await db.select().from(routingRuns).where(inArray(routingRuns.leadId, ids));
    expect(runs).toHaveLength(20);
    expect(runs.every((x) => x.status === 'queued' && x.runNumber === 1 && x.temporalWorkflowId === `lead-${x.leadId}`)).toBe(true);
    const rows = await db.select().from(outbox).where(inArray(outbox.leadId, ids));
    expect(rows).toHaveLength(20);
    expect(rows.every((o) => o.backfillJobId === jobId && !o.retry)).toBe(true);
    const done = await db.select().from(backfillItems).where(eq(backfillItems.jobId, jobId));
    expect(done.every((i) => i.state === 'done' && i.runNumber === 1)).toBe(true);
    // Routed in the file's order.
    const first = stored.find((l) => l.key === SALESFORCE_IDS[0])!;
    expect(done.find((i) => i.seq === 1)?.leadId).toBe(first.id);
  });

  it('a second import of the same file adds no lead and says so', async () => {
    const r = await importCsv(SALESFORCE_LEADS_REPORT_CSV);
    expect(r.status, r.text).toBe(200);
    expect(r.body).toMatchObject({ leads: 20, added: 0, alreadyStored: 20, toRoute: 0, backfill: null });
    expect(r.body.message).toBe('All 20 leads of this file are already stored in this workflow and routed (imported before, or posted); nothing new to route.');
    expect(await storedLeads()).toHaveLength(20);
    const dry = await importCsv(SALESFORCE_LEADS_REPORT_CSV, { query: '?dryRun=true' });
    expect(dry.body).toMatchObject({ added: 0, alreadyStored: 20, toRoute: 0 });
  });

  it('leaves bad rows out, named by row and column; rows without a CRM id are keyed by their content', async () => {
    const text = 'Email,No. of Employees,Company\nana@zeta.com,40,Zeta\nben@zeta.com,"1,2",Zeta\ncy@zeta.com,12,Zeta\n';
    const r = await importCsv(text);
    expect(r.status, r.text).toBe(202);
    expect(r.body.problems).toEqual([{ row: 2, column: 'No. of Employees', message: 'Row 2, column "No. of Employees": "1,2" is not a whole number.' }]);
    expect(r.body).toMatchObject({ source: 'generic', rows: 3, leads: 2, added: 2, toRoute: 2, backfill: { total: 2, note: 'CRM import: CSV export' } });
    const emails = await db.select({ email: leads.data, key: leads.idempotencyKey }).from(leads).where(and(eq(leads.workflowId, wfId), inArray(leads.idempotencyKey, await keysOf(['ana@zeta.com', 'ben@zeta.com', 'cy@zeta.com']))));
    expect(emails).toHaveLength(2);
    expect(emails.every((e) => e.key!.startsWith('row:'))).toBe(true);
    // The same rows again: the job from before still holds them, so nothing is stored or started twice.
    const again = await importCsv(text);
    expect(again.body).toMatchObject({ added: 0, alreadyStored: 2, toRoute: 0, backfill: null });
    await t.call('POST', `/api/backfills/${r.body.backfill.id}/cancel`, { key: ws.keys.editor });
    // Cancelled before routing them: a new import of the file routes the two it left unrouted.
    const third = await importCsv(text);
    expect(third.status, third.text).toBe(202);
    expect(third.body).toMatchObject({ added: 0, alreadyStored: 2, toRoute: 2, backfill: { total: 2 } });
    await t.call('POST', `/api/backfills/${third.body.backfill.id}/cancel`, { key: ws.keys.editor });
  });

  it('roles, workflows and files: viewer 403, another workspace 404, unpublished 409, not CSV 415, over 5 MiB 413, empty 422', async () => {
    const viewer = await importCsv(SALESFORCE_LEADS_REPORT_CSV, { key: ws.keys.viewer });
    expect(viewer.status).toBe(403);
    const foreign = await importCsv(SALESFORCE_LEADS_REPORT_CSV, { key: other.keys.editor });
    expect(foreign.status).toBe(404);
    const none = await importCsv(SALESFORCE_LEADS_REPORT_CSV, { id: unpublished });
    expect(none.status).toBe(409);
    expect(none.body.error.code).toBe('not_published');
    const noVersion = await importCsv(SALESFORCE_LEADS_REPORT_CSV, { query: '?version=7' });
    expect(noVersion.status).toBe(422);
    expect(noVersion.body.error.details[0].path).toBe('version');
    const badQuery = await importCsv(SALESFORCE_LEADS_REPORT_CSV, { query: '?version=abc' });
    expect(badQuery.status).toBe(400);
    expect(JSON.stringify(badQuery.body.error.details)).toContain('version');
    const json = await t.call('POST', `/api/workflows/${wfId}/backfills/import`, { key: ws.keys.editor, rawBody: '{}', headers: { 'content-type': 'application/json' } });
    expect(json.status).toBe(415);
    const huge = await importCsv(`Email\n${'a'.repeat(5 * 1024 * 1024)}\n`);
    expect(huge.status).toBe(413);
    expect(huge.body.error.code).toBe('payload_too_large');
    const empty = await importCsv('');
    expect(empty.status).toBe(422);
    expect(empty.body.error.code).toBe('invalid_import');
    expect(await storedLeads()).toHaveLength(22);
  });
});

/** The keys the generic rows were stored under (their content's hash), read back by email. */
async function keysOf(emails: string[]): Promise<string[]> {
  const rows = await db.select({ key: leads.idempotencyKey, data: leads.data }).from(leads).where(eq(leads.workflowId, wfId));
  return rows.filter((r) => emails.includes(String(r.data.email))).map((r) => r.key!);
}
