import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { parseCsv } from '@lead-router/shared';
import { apiCall, expect, signIn, test } from './support/fixtures';
import { queueGraph } from './support/graphs';
import { postLead, publishWorkflow } from './support/workflows';

// The lead list on the real stack: search, column choice (remembered), the CSV export, a drill-down
// filter's chip, and a bulk re-route whose new run the lead page follows.

test.use({ viewport: { width: 1440, height: 900 } });

const PEOPLE = [
  { firstName: 'Katherine', lastName: 'Johnson', email: 'katherine@zebra-orbits.example', company: 'Zebra Orbits' },
  { firstName: 'Dorothy', lastName: 'Vaughan', email: 'dorothy@zebra-orbits.example', company: 'Zebra Orbits' },
  { firstName: 'Mary', lastName: 'Jackson', email: 'mary@wind-tunnel.example', company: '=Wind Tunnel+1' },
];
const ids: string[] = [];
// Every page is narrowed to this spec's workflow: the suite's specs share one stack and its leads.
let workflowId = '';

test.beforeAll(async ({ stack }) => {
  const wf = await publishWorkflow(stack, 'Lead list (e2e)', queueGraph);
  workflowId = wf.id;
  for (const p of PEOPLE) ids.push(await postLead(stack, wf.id, p));
  for (const id of ids) {
    await expect.poll(async () => (await apiCall<{ status: string }>(stack, stack.keys.viewer, 'GET', `/api/leads/${id}`)).status, { timeout: 30_000 }).toBe('completed');
  }
});

const rows = (page: Page) => page.getByRole('table', { name: 'Leads' }).locator('tbody tr');

test('search, columns remembered, a drill-down chip, and the CSV of what is shown', async ({ page, stack, snap }) => {
  await signIn(page, stack.admin);
  await page.goto(`/leads?workflow=${workflowId}`);
  await expect(rows(page)).toHaveCount(3);
  await page.getByRole('searchbox', { name: 'Search' }).fill('ZEBRA');
  await expect(page).toHaveURL(/q=ZEBRA/);
  await expect(rows(page)).toHaveCount(2);
  await expect(rows(page).first()).toContainText('Zebra Orbits');
  await page.getByRole('searchbox', { name: 'Search' }).fill('dorothy vaughan');
  await expect(rows(page)).toHaveCount(1);
  await expect(rows(page)).toContainText('Dorothy Vaughan');
  await snap(page, '1-search');

  // Hide the Email and To accept columns: the choice stays after a reload.
  await page.getByRole('button', { name: 'Columns of Leads' }).click();
  await page.getByRole('menuitemcheckbox', { name: 'Email' }).click();
  await page.getByRole('menuitemcheckbox', { name: 'To accept' }).click();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('columnheader', { name: 'Email' })).toHaveCount(0);
  await page.reload();
  await expect(rows(page)).toHaveCount(1);
  await expect(page.getByRole('columnheader', { name: 'Email' })).toHaveCount(0);
  await expect(page.getByRole('columnheader', { name: 'Company' })).toBeVisible();
  await expect(page.getByRole('searchbox', { name: 'Search' })).toHaveValue('dorothy vaughan');
  await snap(page, '2-columns');

  // The CSV holds what the filters match, formula-safe.
  await page.getByRole('searchbox', { name: 'Search' }).fill('');
  await expect(rows(page)).toHaveCount(3);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Export CSV' }).click()]);
  expect(download.suggestedFilename()).toMatch(/^leads-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = parseCsv(readFileSync((await download.path())!, 'utf8'));
  expect(csv.header.slice(0, 5)).toEqual(['leadId', 'receivedAt', 'name', 'email', 'company']);
  expect(csv.rows.map((r) => r[2]).sort()).toEqual(['Dorothy Vaughan', 'Katherine Johnson', 'Mary Jackson']);
  expect(csv.rows.find((r) => r[2] === 'Mary Jackson')![4]).toBe("'=Wind Tunnel+1");

  // A link from the analytics page: its filter shows as a chip, removable.
  await page.goto(`/leads?workflow=${workflowId}&assignedTo=q-unassigned&waitOutcome=timed_out`);
  await expect(page.getByTestId('chip-assignedTo')).toContainText('Assigned to: Unassigned leads');
  await expect(page.getByTestId('chip-waitOutcome')).toContainText('Wait outcome: timed out');
  await expect(page.getByText('No leads match these filters.')).toBeVisible();
  await snap(page, '3-chips');
  await page.getByRole('button', { name: 'Remove filter Wait outcome' }).click();
  await expect(page).not.toHaveURL(/waitOutcome/);
  await expect(rows(page)).toHaveCount(3);
});

test('bulk re-route of selected leads, then the lead page follows the new run', async ({ page, stack, snap }) => {
  await signIn(page, stack.admin);
  await page.goto(`/leads?workflow=${workflowId}&q=zebra`);
  await expect(rows(page)).toHaveCount(2);
  await page.getByRole('checkbox', { name: 'Select Katherine Johnson' }).check();
  await page.getByRole('checkbox', { name: 'Select Dorothy Vaughan' }).check();
  await expect(page.getByText('2 selected')).toBeVisible();
  await page.getByRole('button', { name: 'Re-route…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Re-route 2 leads' });
  await dialog.getByLabel('Version').selectOption({ label: 'v1 (active) · e2e: first version' });
  await dialog.getByLabel('Why (optional)').fill('New territory rules');
  await snap(page, '4-bulk-reroute-dialog');
  await dialog.getByRole('button', { name: 'Re-route' }).click();
  const results = page.getByTestId('move-results');
  await expect(results).toContainText('2 re-routed');
  await snap(page, '5-bulk-results');

  await results.getByRole('link', { name: 'Katherine Johnson' }).click();
  await expect(page.getByTestId('run-divider')).toContainText(`Run 2: re-routed by ${stack.admin.name}`, { timeout: 30_000 });
  await expect(page.getByRole('list', { name: 'Trace' }).locator('[data-node-id="trigger"]')).toHaveCount(2, { timeout: 30_000 });
  await expect(page.getByTestId('assignee')).toContainText('Unassigned leads');
  await snap(page, '6-new-run');
});
