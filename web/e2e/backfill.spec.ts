import type { Graph, GraphNode } from '@lead-router/shared';
import { inboundGraph } from './support/graphs';
import { apiCall, expect, signIn, test } from './support/fixtures';
import { postLead, publishWorkflow } from './support/workflows';

// A backfill on the real stack, from the /backfills page: four leads waiting on Ana are sent through a new
// version that gives them to Ben. The preview counts them by name, the job's progress bar reaches 100%, and
// each lead ends up with a second run, held by Ben. (Its leads' names are its own: specs share the stack's lead list.)

test.use({ viewport: { width: 1440, height: 900 } });

const WORKFLOW = 'Backfill demo (e2e)';
let workflowId = '';
const leadIds: string[] = [];

/** The inbound graph, its assignment to Ben instead of Ana. */
const toBen: Graph = {
  ...inboundGraph,
  nodes: inboundGraph.nodes.map((n): GraphNode => (n.id === 'assign-ana' && n.type === 'assign' ? { ...n, label: 'Ben', config: { ...n.config, strategy: { type: 'specific_rep', repId: 'rep-ben' } } } : n)),
};

test.beforeAll(async ({ stack }) => {
  workflowId = (await publishWorkflow(stack, WORKFLOW, inboundGraph)).id;
  for (const [first, last] of [
    ['Frances', 'Allen'],
    ['John', 'Backus'],
    ['Barbara', 'Liskov'],
    ['Niklaus', 'Wirth'],
  ] as const) {
    leadIds.push(await postLead(stack, workflowId, { email: `${first.toLowerCase()}@example.com`, firstName: first, lastName: last, company: 'Compilers Ltd' }));
  }
  for (const id of leadIds) {
    await expect.poll(async () => (await apiCall<{ status: string }>(stack, stack.keys.viewer, 'GET', `/api/leads/${id}`)).status, { timeout: 30_000 }).toBe('waiting');
  }
  const draft = await apiCall<{ revision: number }>(stack, stack.keys.editor, 'GET', `/api/workflows/${workflowId}/draft`);
  await apiCall(stack, stack.keys.editor, 'PUT', `/api/workflows/${workflowId}/draft`, { graph: toBen, revision: draft.revision });
  await apiCall(stack, stack.keys.publisher, 'POST', `/api/workflows/${workflowId}/publish`, { note: 'Ben takes inbound' });
});

test("leads waiting on Ana go through version 2: previewed by name, the job's progress reaches 100%, Ben holds them", async ({ page, stack, snap }) => {
  await signIn(page, stack.admin);
  await page.goto('/backfills');
  await expect(page.getByRole('heading', { name: 'Backfills' })).toBeVisible();
  await page.getByRole('button', { name: 'New backfill' }).click();
  const choose = page.getByRole('dialog', { name: 'New backfill' });
  await choose.getByLabel('Workflow').selectOption({ label: WORKFLOW });
  await choose.getByLabel('Status').selectOption('waiting');
  await choose.getByLabel('Held by').selectOption({ label: 'Ana Diaz' });
  await snap(page, '1-filter');
  await choose.getByRole('button', { name: 'Continue' }).click();

  const dialog = page.getByRole('dialog', { name: 'Re-route matching leads' });
  await expect(dialog).toContainText('status waiting · held by Ana Diaz');
  await dialog.getByLabel('Version').selectOption({ label: 'Version 2 — Ben takes inbound' });
  await dialog.getByRole('button', { name: 'Preview' }).click();
  const preview = dialog.getByLabel('Preview');
  await expect(preview).toContainText('4 leads match');
  await expect(preview.getByRole('row', { name: /Ben Okafor/ })).toContainText('4');
  await expect(preview.getByRole('row', { name: /Ana Diaz/ })).toBeVisible();
  await expect(preview).toContainText('Replayed all 4 matching leads');
  await snap(page, '2-preview');
  await dialog.getByRole('button', { name: 'Re-route 4 leads' }).click();
  await expect(dialog).toBeHidden();

  const row = page.getByRole('row', { name: new RegExp(`${WORKFLOW.replace(/[()]/g, '\\$&')} → version 2`) });
  await expect(row.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '100', { timeout: 60_000 });
  await expect(row).toContainText('completed');
  await expect(row).toContainText('4 of 4 re-routed');
  await expect(row).toContainText(stack.admin.name);
  await snap(page, '3-completed');

  for (const id of leadIds) {
    await expect
      .poll(async () => {
        const lead = await apiCall<{ runNumber: number; version: number; assignee: { id: string } | null }>(stack, stack.keys.viewer, 'GET', `/api/leads/${id}`);
        return [lead.runNumber, lead.version, lead.assignee?.id];
      }, { timeout: 30_000 })
      .toEqual([2, 2, 'rep-ben']);
  }
});

test('from the lead list: "Re-route all matching…" sends exactly the filtered leads, and the page follows the job', async ({ page, stack, snap }) => {
  await signIn(page, stack.admin);
  // The four leads Ben now holds, found by the list's filters (the workflow and who holds them).
  await page.goto(`/leads?workflow=${workflowId}&assignee=rep-ben`);
  await expect(page.getByRole('link', { name: /Frances Allen/ })).toBeVisible();
  await page.getByRole('button', { name: 'Re-route all matching…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Re-route matching leads' });
  await expect(dialog).toContainText('Ben Okafor');
  await dialog.getByLabel('Version').selectOption('1');
  await dialog.getByRole('button', { name: 'Preview' }).click();
  await expect(dialog.getByLabel('Preview')).toContainText('4 leads match');
  await expect(dialog.getByLabel('Preview').getByRole('row', { name: /Ana Diaz/ })).toContainText('4');
  await snap(page, '4-from-lead-list');
  await dialog.getByRole('button', { name: 'Re-route 4 leads' }).click();
  await expect(page).toHaveURL(/\/backfills$/);
  const row = page.getByRole('row', { name: new RegExp(`${WORKFLOW.replace(/[()]/g, '\\$&')} → version 1`) });
  await expect(row.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '100', { timeout: 60_000 });
  for (const id of leadIds) {
    await expect
      .poll(async () => {
        const lead = await apiCall<{ runNumber: number; version: number; assignee: { id: string } | null }>(stack, stack.keys.viewer, 'GET', `/api/leads/${id}`);
        return [lead.runNumber, lead.version, lead.assignee?.id];
      }, { timeout: 30_000 })
      .toEqual([3, 1, 'rep-ana']);
  }
});
