import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inboundGraph } from './support/graphs';
import { apiCall, expect, signIn, test } from './support/fixtures';
import { publishWorkflow } from './support/workflows';

// Issue 17, item 7: a Salesforce "Leads" report export routed as a backfill from the /backfills page. The
// dialog's dry run says what the file was recognised as and how many leads are new; Import stores them and
// starts the job, whose progress reaches 100%; a second import of the same file has nothing new to route.
// (Its workflow is its own: the leads' CRM ids are keyed per workflow.)

test.use({ viewport: { width: 1440, height: 900 } });

const FIXTURE = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'shared', 'fixtures', 'salesforce-leads-report.csv');
const WORKFLOW = 'CRM export backfill (e2e)';

test('a Salesforce export: summary first, then its 20 leads stored and routed by a backfill; a second import adds none', async ({ page, stack, snap }) => {
  const wf = await publishWorkflow(stack, WORKFLOW, inboundGraph);
  await signIn(page, stack.admin);
  await page.goto('/backfills');
  await page.getByRole('button', { name: 'Import a CRM export…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Import a CRM export' });
  await dialog.getByLabel('Workflow').selectOption({ label: WORKFLOW });
  await dialog.getByLabel(/CSV file/).setInputFiles(FIXTURE);
  await dialog.getByRole('button', { name: 'Read the file' }).click();
  const preview = dialog.getByTestId('crm-backfill-preview');
  await expect(preview).toContainText('Recognised as a Salesforce export');
  await expect(preview).toContainText('20 rows read: 20 leads, of which 20 new to route');
  await snap(page, '1-dry-run-summary');
  await dialog.getByRole('button', { name: 'Import and route 20 leads' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('status').filter({ hasText: 'Stored 20 new leads' })).toBeVisible();

  const row = page.getByRole('row', { name: /CRM export backfill \(e2e\) → version 1/ });
  await expect(row).toContainText('leads of a Salesforce export (imported)');
  await expect(row.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '100', { timeout: 60_000 });
  await expect(row).toContainText('20 of 20 routed');
  await expect(row).toContainText('completed');
  await snap(page, '2-import-backfill-completed');

  // The leads are routed by the real stack: each ends up waiting on Ana, as a live lead would.
  await expect
    .poll(async () => (await apiCall<{ items: Array<{ status: string }> }>(stack, stack.keys.viewer, 'GET', `/api/leads?workflow=${wf.id}&limit=50`)).items.filter((l) => l.status === 'waiting').length, { timeout: 60_000 })
    .toBe(20);

  await page.getByRole('button', { name: 'Import a CRM export…' }).click();
  await dialog.getByLabel('Workflow').selectOption({ label: WORKFLOW });
  await dialog.getByLabel(/CSV file/).setInputFiles(FIXTURE);
  await dialog.getByRole('button', { name: 'Read the file' }).click();
  await expect(preview).toContainText('of which 0 new to route and 20 already stored (not imported again)');
  await expect(dialog.getByRole('button', { name: 'Import and route 0 leads' })).toBeDisabled();
  await snap(page, '3-second-import-nothing-new');
});
