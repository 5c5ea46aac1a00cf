import { inboundGraph } from './support/graphs';
import { apiCall, expect, signIn, test } from './support/fixtures';
import { postLead, publishWorkflow } from './support/workflows';

// What an operator does with a lead once it is routed, on the real stack: its rep's close (it leaves their
// open leads) and an editor's re-route through a version, which starts a second run on the same page.

test.use({ viewport: { width: 1440, height: 900 } });

let workflowId = '';

test.beforeAll(async ({ stack }) => {
  workflowId = (await publishWorkflow(stack, 'Close and re-route (e2e)', inboundGraph)).id;
});

test('a worked lead is closed with its reason, then re-routed: a second run, the first kept and the trace divided', async ({ page, stack, snap }) => {
  const leadId = await postLead(stack, workflowId, { email: 'hedy@lamarr.example', firstName: 'Hedy', lastName: 'Lamarr', company: 'Frequency Hopping Inc' });
  // Ana accepts it (through the API, as her inbox would), so its route ends.
  await expect.poll(async () => (await apiCall<{ status: string }>(stack, stack.keys.viewer, 'GET', `/api/leads/${leadId}`)).status, { timeout: 30_000 }).toBe('waiting');
  await apiCall(stack, stack.keys.editor, 'POST', `/api/leads/${leadId}/accept`, {});
  await expect.poll(async () => (await apiCall<{ status: string }>(stack, stack.keys.viewer, 'GET', `/api/leads/${leadId}`)).status, { timeout: 30_000 }).toBe('completed');

  await signIn(page, stack.admin);
  await page.goto(`/leads/${leadId}`);
  await expect(page.getByTestId('assignee')).toContainText('Ana');
  await page.getByRole('button', { name: 'Close lead…' }).click();
  const close = page.getByRole('dialog', { name: 'Close this lead' });
  await close.getByLabel('Why').selectOption('disqualified');
  await close.getByLabel('Note (optional)').fill('A student project, no budget');
  await snap(page, '1-close-dialog');
  await close.getByRole('button', { name: 'Close lead' }).click();
  await expect(close).toBeHidden();
  const closed = page.getByTestId('lead-closed');
  await expect(closed).toContainText('Closed · Disqualified');
  await expect(closed).toContainText(stack.admin.name);
  await expect(closed).toContainText('A student project, no budget');
  await expect(page.getByRole('button', { name: 'Close lead…' })).toHaveCount(0);
  await snap(page, '2-closed');

  // Re-route through the active version: the page follows the new run, the first one listed above it.
  await page.getByRole('button', { name: 'Re-route…' }).click();
  const reroute = page.getByRole('dialog', { name: 'Re-route this lead' });
  await expect(reroute.getByLabel('Version')).toContainText('v1 (active)');
  await reroute.getByLabel('Why (optional)').fill('Ana has it again after the budget call');
  await snap(page, '3-reroute-dialog');
  await reroute.getByRole('button', { name: 'Re-route through v1' }).click();
  await expect(page.getByTestId('run-divider')).toContainText(`Run 2: re-routed by ${stack.admin.name}`, { timeout: 30_000 });
  const runs = page.getByRole('region', { name: 'Earlier runs' });
  await expect(runs.locator('[data-run="1"]')).toContainText('Run 1 on v1: held by Ana');
  await expect(runs.locator('[data-run="1"]')).toContainText('re-routed by');
  await expect(runs.locator('[data-run="2"]')).toContainText('Run 2 (this run)');
  // The reopened lead is routed again: Ana holds it, waiting for her answer; the close is gone.
  await expect(page.getByTestId('assignee')).toContainText('Ana', { timeout: 30_000 });
  await expect(page.getByTestId('lead-closed')).toHaveCount(0);
  await expect(page.getByRole('list', { name: 'Trace' }).locator('[data-node-id="trigger"]')).toHaveCount(2);
  await snap(page, '4-rerouted');
});
