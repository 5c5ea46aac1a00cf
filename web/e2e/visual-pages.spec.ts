import { edgeId, GRAPH_SCHEMA_VERSION, type Graph, type GraphEdge } from '@lead-router/shared';
import type { Locator, Page } from '@playwright/test';
import { apiCall, expect, signIn, test } from './support/fixtures';
import { postLead, publishWorkflow } from './support/workflows';

// Issue 13, visual quality outside the builder: every page at 1440x900 on the design tokens, sortable tables
// with a remembered column choice, Radix dialogs, menus, tooltips and toasts, and 24-hour working hours.

test.use({ viewport: { width: 1440, height: 900 } });

const e = (source: string, sourceHandle: string, target: string): GraphEdge => ({ id: edgeId(source, sourceHandle, target), source, sourceHandle, target });
const eligibility = { skills: [], respectCapacity: false, respectWorkingHours: false, respectOutOfOffice: false };

/** Every lead straight to the end: the lead list fills at once. */
const straightThrough: Graph = {
  schemaVersion: GRAPH_SCHEMA_VERSION,
  nodes: [
    { id: 'trigger', type: 'trigger', position: { x: 280, y: 0 }, label: 'Inbound lead', config: { source: 'webhook' } },
    { id: 'done', type: 'end', position: { x: 280, y: 160 }, label: 'Done', config: { outcome: 'done' } },
  ],
  edges: [e('trigger', 'next', 'done')],
};

/** Every lead to Vera (this spec's own rep, so no other spec's inbox fills up), 10 minutes to accept. */
const toVera: Graph = {
  schemaVersion: GRAPH_SCHEMA_VERSION,
  nodes: [
    { id: 'trigger', type: 'trigger', position: { x: 280, y: 0 }, label: 'Inbound lead', config: { source: 'webhook' } },
    { id: 'assign', type: 'assign', position: { x: 280, y: 140 }, label: 'Vera', config: { strategy: { type: 'specific_rep', repId: 'rep-vera' }, eligibility, excludePreviousAssignees: false } },
    { id: 'sla', type: 'wait', position: { x: 280, y: 280 }, label: 'Accept within 10 min', config: { until: 'accepted', timeout: { amount: 10, unit: 'minutes' } } },
    { id: 'done', type: 'end', position: { x: 280, y: 420 }, label: 'Done', config: { outcome: 'done' } },
  ],
  edges: [e('trigger', 'next', 'assign'), e('assign', 'assigned', 'sla'), e('assign', 'no_eligible_rep', 'done'), e('sla', 'accepted', 'done'), e('sla', 'timed_out', 'done')],
};

type Box = { x: number; y: number; width: number; height: number };
const overlap = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
const inside = (a: Box, b: Box) => a.x >= b.x - 0.5 && a.y >= b.y - 0.5 && a.x + a.width <= b.x + b.width + 0.5 && a.y + a.height <= b.y + b.height + 0.5;

/** The first column's text of each body row, top to bottom. */
const firstCells = async (table: Locator) => (await table.locator('tbody tr td a[href^="/leads/"]').allTextContents()).map((t) => t.trim());

test('sign-in page', async ({ page, snap }) => {
  await page.goto('/sign-in');
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await snap(page, 'sign-in');
});

test('workflows list: the row menu and the New workflow dialog close on Escape and give focus back', async ({ page, stack, snap }) => {
  await publishWorkflow(stack, 'Visual pages (e2e)', straightThrough);
  await signIn(page, stack.admin);
  const table = page.getByRole('table', { name: 'Workflows' });
  const row = table.getByRole('row').filter({ has: page.getByRole('link', { name: 'Visual pages (e2e)', exact: true }) });
  await expect(row).toContainText('active · v1');
  await snap(page, 'workflows');

  const menuButton = row.getByRole('button', { name: 'Actions for Visual pages (e2e)' });
  await menuButton.click();
  await expect(page.getByRole('menuitem', { name: 'Duplicate' })).toBeVisible();
  await snap(page, 'workflows-row-menu');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('menu')).toHaveCount(0);
  await expect(menuButton).toBeFocused();

  const opener = page.getByRole('button', { name: 'New workflow' });
  await opener.click();
  const dialog = page.getByRole('dialog', { name: 'New workflow' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByLabel('Name')).toBeFocused();
  await snap(page, 'workflows-new-dialog');
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await expect(opener).toBeFocused();
});

test('lead list: the order is chosen, the column choice is remembered; a lead page', async ({ page, stack, snap }) => {
  const wf = await publishWorkflow(stack, 'Visual sorting (e2e)', straightThrough);
  for (const first of ['Zora', 'Abel', 'Mina']) {
    await postLead(stack, wf.id, { email: `${first.toLowerCase()}@visual.example`, firstName: first, lastName: 'Visual', company: `${first} Co` });
  }
  await signIn(page, stack.admin);
  await page.goto(`/leads?workflow=${wf.id}`);
  const table = page.getByRole('table', { name: 'Leads' });
  await expect(table.getByRole('row').filter({ hasText: 'completed · done' })).toHaveCount(3, { timeout: 30_000 });
  // Newest first until another order is chosen: the order is the server's (over every page, not this one).
  expect(await firstCells(table)).toEqual(['Mina Visual', 'Abel Visual', 'Zora Visual']);
  await page.getByRole('combobox', { name: /^Order/ }).selectOption({ label: 'Oldest first' });
  await expect(page).toHaveURL(/order=asc/);
  await expect.poll(() => firstCells(table)).toEqual(['Zora Visual', 'Abel Visual', 'Mina Visual']);
  await snap(page, 'leads-oldest-first');

  // Hide the Workflow column: gone from the table, and still gone after a reload.
  await page.getByRole('button', { name: 'Columns of Leads' }).click();
  const workflowItem = page.getByRole('menuitemcheckbox', { name: 'Workflow' });
  await expect(workflowItem).toHaveAttribute('aria-checked', 'true');
  await workflowItem.click();
  await expect(workflowItem).toHaveAttribute('aria-checked', 'false');
  await snap(page, 'leads-column-chooser');
  await page.keyboard.press('Escape');
  await expect(table.getByRole('columnheader', { name: 'Workflow' })).toHaveCount(0);
  await expect(table.getByRole('columnheader')).toHaveCount(9);
  await page.reload();
  await expect(table.getByRole('row').filter({ hasText: 'Abel Visual' })).toBeVisible();
  await expect(table.getByRole('columnheader', { name: 'Workflow' })).toHaveCount(0);
  await snap(page, 'leads-workflow-column-hidden');
  await page.getByRole('button', { name: 'Columns of Leads' }).click();
  await page.getByRole('menuitemcheckbox', { name: 'Workflow' }).click();
  await page.keyboard.press('Escape');
  await expect(table.getByRole('columnheader', { name: 'Workflow' })).toBeVisible();

  // A lead page: names and days, the lead id in a tooltip.
  await table.getByRole('link', { name: 'Abel Visual' }).click();
  await expect(page.getByRole('heading', { name: 'Abel Visual' })).toBeVisible();
  await expect(page.getByText('completed · done')).toBeVisible({ timeout: 20_000 });
  await page.getByText('lead id', { exact: true }).hover();
  await expect(page.getByRole('tooltip')).toContainText('Lead id:');
  await snap(page, 'lead-page');
});

test('inbox: the confirmation after Accept covers none of the rows’ buttons', async ({ page, stack, snap }) => {
  await apiCall(stack, stack.keys.admin, 'POST', '/api/reps', { id: 'rep-vera', name: 'Vera Visual', email: 'vera@example.com', timeZone: 'Europe/Vienna', workingHours: null });
  const wf = await publishWorkflow(stack, 'Visual inbox (e2e)', toVera);
  const names = Array.from({ length: 10 }, (_, i) => `Visitor ${String(i + 1).padStart(2, '0')}`);
  for (const n of names) await postLead(stack, wf.id, { email: `${n.replace(' ', '').toLowerCase()}@visual.example`, firstName: 'Visitor', lastName: n.slice(8), company: `Firm ${n.slice(8)}` });

  await signIn(page, stack.admin);
  await page.goto('/inbox');
  await page.getByLabel('Rep').selectOption({ label: 'Vera Visual' });
  const list = page.getByRole('list', { name: 'Waiting leads' });
  await expect(list.getByRole('listitem')).toHaveCount(10, { timeout: 30_000 });
  await snap(page, 'inbox');

  // Accept the lowest row on screen; the toast shows while the other rows' buttons stay clear.
  const items = list.getByRole('listitem');
  let last = items.first();
  for (let i = 0; i < 10; i++) {
    const b = await items.nth(i).boundingBox();
    if (b && b.y + b.height <= 900) last = items.nth(i);
  }
  const title = (await last.getAttribute('aria-label')) ?? '';
  await last.getByRole('button', { name: 'Accept' }).click();
  const toast = page.getByRole('status');
  await expect(toast).toContainText(`Accepted ${title}`);
  const toastBox = await toast.locator('.toast').boundingBox();
  expect(toastBox).not.toBeNull();
  const buttons = list.getByRole('button');
  expect(await buttons.count()).toBe(18);
  for (let i = 0; i < (await buttons.count()); i++) {
    const b = await buttons.nth(i).boundingBox();
    expect(b).not.toBeNull();
    expect(overlap(b!, toastBox!), `the toast covers button ${i}`).toBe(false);
  }
  await snap(page, 'inbox-toast-after-accept');
});

/** Visits a directory section and saves its screenshot. */
async function section(page: Page, id: string, table: string, snap: (page: Page, name: string) => Promise<void>) {
  await page.goto(`/directory/${id}`);
  await expect(page.getByRole('table', { name: table })).toBeVisible();
  await expect(page.getByRole('table', { name: table }).locator('tbody tr').first()).toBeVisible();
  await snap(page, `directory-${id}`);
}

test('directory pages; the accounts forms do not overlap; a record id is in its name’s tooltip', async ({ page, stack, snap }) => {
  await signIn(page, stack.admin);
  for (const [id, table] of [
    ['reps', 'Reps'],
    ['teams', 'Teams'],
    ['territories', 'Territories'],
    ['queues', 'Queues'],
    ['fields', 'Fields'],
    ['keys', 'API keys'],
    ['users', 'Users'],
  ] as const) {
    await section(page, id, table, snap);
  }

  await page.goto('/directory/teams');
  await page.getByRole('table', { name: 'Teams' }).getByText('Inbound', { exact: true }).hover();
  await expect(page.getByRole('tooltip')).toContainText('team-inbound');
  await snap(page, 'directory-teams-id-tooltip');

  await page.goto('/directory/accounts');
  const importForm = page.getByRole('form', { name: 'Import accounts' });
  const addForm = page.getByRole('form', { name: 'New account' });
  const importBox = (await importForm.boundingBox())!;
  const addBox = (await addForm.boundingBox())!;
  expect(overlap(importBox, addBox)).toBe(false);
  // Every control stays inside its own card.
  for (const [form, box] of [
    [importForm, importBox],
    [addForm, addBox],
  ] as const) {
    const controls = form.locator('input, select, button');
    for (let i = 0; i < (await controls.count()); i++) expect(inside((await controls.nth(i).boundingBox())!, box), `control ${i} leaves its card`).toBe(true);
  }
  await snap(page, 'directory-accounts');
});

test('the rep form takes working hours as 24-hour HH:MM, like the rest of the app', async ({ page, stack, snap }) => {
  const mon = [{ start: '09:00', end: '17:00' }];
  await apiCall(stack, stack.keys.admin, 'POST', '/api/reps', { id: 'rep-wanda', name: 'Wanda Visual', email: 'wanda@example.com', timeZone: 'Europe/Vienna', workingHours: { mon } });
  await signIn(page, stack.admin);
  await page.goto('/directory/reps');
  await page.getByRole('button', { name: 'Edit Wanda Visual' }).click();
  const form = page.getByRole('dialog', { name: 'Edit Wanda Visual' });
  const until = form.getByLabel('Monday until');
  await expect(until).toHaveValue('17:00');
  // Not a browser time picker (which shows 5:00 PM in en-US).
  await expect(until).toHaveAttribute('type', 'text');
  await until.fill('25:00');
  expect(await until.evaluate((el) => (el as unknown as { validity: { valid: boolean } }).validity.valid)).toBe(false);
  await until.fill('18:30');
  expect(await until.evaluate((el) => (el as unknown as { validity: { valid: boolean } }).validity.valid)).toBe(true);
  await expect(form.getByTestId('working-hours-summary')).toHaveText('Mon 09:00-18:30');
  await snap(page, 'rep-form-24-hour');
  await form.getByRole('button', { name: 'Save rep' }).click();
  await expect(page.getByRole('status')).toContainText('Saved Wanda Visual');
  await expect(page.getByRole('table', { name: 'Reps' }).getByRole('row').filter({ hasText: 'Wanda Visual' })).toContainText('Mon 09:00-18:30');
});
