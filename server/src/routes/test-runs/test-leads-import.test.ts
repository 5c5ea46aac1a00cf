// The app first: its routes extend zod with .openapi() before shared's schemas are built.
import { setupTestApp, type TestWorkspace } from '../../test/harness';
import { demoDirectory, HUBSPOT_CONTACTS_EXPORT_CSV, hybridRoutingGraph, SALESFORCE_LEADS_REPORT_CSV } from '@lead-router/shared/fixtures';
import { beforeAll, describe, expect, it } from 'vitest';
import { createWorkflowWithDraft, seedDirectory } from './test-runs.fixtures';

const t = setupTestApp();
const CSV = { 'content-type': 'text/csv' };

let ws: TestWorkspace;
let other: TestWorkspace;
let wfId: string;

beforeAll(async () => {
  ws = await t.workspace();
  other = await t.workspace();
  // The demo directory declares custom fields `budget` (number) and `timeline`; add the HubSpot lead status.
  await seedDirectory(t.database.db, ws.id, {
    ...demoDirectory,
    customFields: [...demoDirectory.customFields, { key: 'leadStatus', label: 'Lead Status', type: 'text' }],
  });
  wfId = await createWorkflowWithDraft(t.database.db, ws.id, hybridRoutingGraph);
});

const importCsv = (text: string, init: { key?: string; id?: string; headers?: Record<string, string> } = {}) =>
  t.call('POST', `/api/workflows/${init.id ?? wfId}/test-leads/import`, { key: init.key ?? ws.keys.editor, rawBody: text, headers: init.headers ?? CSV });

describe('POST /api/workflows/{id}/test-leads/import', () => {
  it('reads the Salesforce Leads report export, and its leads run through the draft', async () => {
    const r = await importCsv(SALESFORCE_LEADS_REPORT_CSV);
    expect(r.status).toBe(200);
    expect(r.body.source).toBe('salesforce');
    // The workspace defines Lead Status, so that column is kept; Lead Owner, Rating and Street are not fields.
    expect(r.body.summary).toBe('Recognised as a Salesforce export: 18 columns mapped, 3 ignored (Lead Owner, Rating, Street)');
    expect(r.body.columns.find((c: { header: string }) => c.header === 'No. of Employees')).toEqual({ index: 11, header: 'No. of Employees', field: 'employees', fieldLabel: 'Employees', ignored: null });
    expect(r.body.columns.find((c: { header: string }) => c.header === 'Lead Owner')).toMatchObject({ field: null, ignored: 'owners are set by routing, not imported' });
    expect(r.body.rows).toBe(20);
    expect(r.body.problems).toEqual([]);
    expect(r.body.leads).toHaveLength(20);
    expect(r.body.leads[0].lead).toMatchObject({ id: '00Q5g00000KxA1B', company: 'Northwind Robotics', employees: 1200, annualRevenue: 48_000_000, country: 'US', createdAt: '2026-01-15', leadStatus: 'Open - Not Contacted' });

    const sim = await t.call('POST', `/api/workflows/${wfId}/simulate`, { key: ws.keys.editor, body: { leads: r.body.leads.map((l: { lead: unknown }) => l.lead), detail: 'path' } });
    expect(sim.status).toBe(200);
    expect(sim.body.results).toHaveLength(20);
    expect(sim.body.results.filter((x: { outcome: string }) => x.outcome === 'invalid')).toEqual([]);
    expect(sim.body.results[0].leadId).toBe('00Q5g00000KxA1B');
  });

  it('reads the HubSpot contacts export', async () => {
    const r = await importCsv(HUBSPOT_CONTACTS_EXPORT_CSV);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ source: 'hubspot', summary: 'Recognised as a HubSpot export: 18 columns mapped, 2 ignored (Lifecycle Stage, Contact owner)', rows: 20, problems: [] });
    expect(r.body.notes).toEqual(['"Number of Employees" holds ranges such as 500-1000 or 1000+; each is read as its lowest value.']);
    expect(r.body.leads).toHaveLength(20);
    expect(r.body.leads[0].lead).toMatchObject({ id: '51234001', employees: 500, annualRevenue: 85_000_000, createdAt: '2026-01-12T09:14:00.000Z', leadStatus: 'New' });
  });

  it('types custom fields by their declaration and names each bad cell by row and column', async () => {
    const text = 'Email,Budget,No. of Employees\nana@acme.com,"$12,000",40\nben@acme.com,lots,40\ncy@acme.com,100,"1,2"\n';
    const r = await importCsv(text);
    expect(r.status).toBe(200);
    expect(r.body.leads).toEqual([{ row: 1, lead: { email: 'ana@acme.com', budget: 12_000, employees: 40, domain: 'acme.com' } }]);
    expect(r.body.problems).toEqual([
      { row: 2, column: 'Budget', message: 'Row 2, column "Budget": "lots" is not a number.' },
      { row: 3, column: 'No. of Employees', message: 'Row 3, column "No. of Employees": "1,2" is not a whole number.' },
    ]);
  });

  it('refuses a file it cannot read at all, and one that is not CSV, with a clear error', async () => {
    const empty = await importCsv('');
    expect(empty.status).toBe(422);
    expect(empty.body.error).toMatchObject({ code: 'invalid_import', message: 'The file is empty; a CSV export starts with a header row naming its columns.' });
    const noField = await importCsv('foo,bar\n1,2\n');
    expect(noField.status).toBe(422);
    expect(noField.body.error.message).toMatch(/^No column of the file is a lead field/);
    const json = await importCsv('{"email":"a@b.co"}', { headers: { 'content-type': 'application/json' } });
    expect(json.status).toBe(415);
    expect(json.body.error.code).toBe('unsupported_media_type');
  });

  it('refuses a body over 5 MiB before reading it whole, and more than 10,000 rows', async () => {
    const big = await importCsv(`Email,Title\n${`a@b.co,${'x'.repeat(1000)}\n`.repeat(5300)}`);
    expect(big.status).toBe(413);
    expect(big.body.error).toMatchObject({ code: 'payload_too_large', message: 'The file is larger than 5 MiB; split it into smaller files and import each.' });
    const long = await importCsv(`Email\n${'a@b.co\n'.repeat(10_001)}`);
    expect(long.status).toBe(422);
    expect(long.body.error.message).toBe('The file has 10,001 rows; at most 10,000 can be imported at once. Split it.');
  });

  it('is for editors of this workspace’s workflows', async () => {
    expect((await importCsv('Email\na@b.co\n', { key: ws.keys.viewer })).status).toBe(403);
    expect((await importCsv('Email\na@b.co\n', { key: other.keys.editor })).status).toBe(404);
  });
});
