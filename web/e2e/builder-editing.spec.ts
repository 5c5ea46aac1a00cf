import { apiCall, expect, signIn, test } from './support/fixtures';
import { inspector, node, select } from './support/canvas';

// Issue 13, defects 3, 4 and 9: what an author does in the builder keeps its meaning. Undo after a paste
// leaves no stale selection behind, an edit made just before leaving by an in-app link is saved, and a new
// Assign step asks for its team instead of starting on one that does not exist.

test.use({ viewport: { width: 1440, height: 900 } });

type Draft = { graph: { nodes: { id: string; label?: string }[] }; revision: number };

test('paste then undo: the pasted steps leave the selection with the canvas', async ({ page, stack, snap }) => {
  // A new workflow starts as a trigger wired to an end (nodes `trigger` and `end`).
  const wf = await apiCall<{ id: string }>(stack, stack.keys.editor, 'POST', '/api/workflows', { name: 'Paste undo e2e' });
  await signIn(page, stack.admin);
  await page.goto(`/workflows/${wf.id}`);
  await expect(node(page, 'end')).toBeVisible();
  const panel = page.getByRole('tabpanel');

  await select(page, 'trigger');
  await node(page, 'end').locator('.route-node-summary').first().click({ modifiers: ['Control'] });
  await expect(panel).toContainText('2 steps selected');
  await page.keyboard.press('Control+c');
  await page.keyboard.press('Control+v');
  await expect(node(page, 'trigger-1')).toBeVisible();
  await expect(node(page, 'end-1')).toBeVisible();
  await expect(panel).toContainText('2 steps selected');

  // Undo takes the pasted steps away, and the selection of them with them.
  await page.keyboard.press('Control+z');
  await expect(node(page, 'trigger-1')).toHaveCount(0);
  await expect(node(page, 'end-1')).toHaveCount(0);
  await expect(panel).not.toContainText('selected');
  await expect(panel).toContainText('Select a step');
  await snap(page, 'paste-undo-selection-cleared');

  // Redo brings them back, selected again as they were pasted; one click selects a single step as usual.
  await page.keyboard.press('Control+y');
  await expect(node(page, 'end-1')).toBeVisible();
  await select(page, 'end');
  await expect(panel).not.toContainText('steps selected');
});

test('an edit made just before clicking "Back to workflows" is saved, and is there when the workflow opens again', async ({ page, stack, snap }) => {
  const wf = await apiCall<{ id: string }>(stack, stack.keys.editor, 'POST', '/api/workflows', { name: 'Leave soon e2e' });
  await signIn(page, stack.admin);
  await page.goto(`/workflows/${wf.id}`);
  await select(page, 'end');
  // Typed and left at once: well under the autosave's pause.
  await inspector(page).getByLabel('Title').fill('Routed before leaving');
  await page.getByRole('link', { name: 'Back to workflows' }).click();
  await expect(page.getByRole('table', { name: 'Workflows' })).toBeVisible();
  await expect
    .poll(async () => (await apiCall<Draft>(stack, stack.keys.viewer, 'GET', `/api/workflows/${wf.id}/draft`)).graph.nodes.find((n) => n.id === 'end')?.label)
    .toBe('Routed before leaving');

  // Back in the builder (from the app's own cache): the edit is there, and the next edit saves cleanly.
  await page.getByRole('link', { name: 'Leave soon e2e' }).click();
  await expect(node(page, 'end')).toContainText('Routed before leaving');
  await select(page, 'end');
  await inspector(page).getByLabel('Title').fill('Routed, second edit');
  await expect(page.getByTestId('save-status')).toHaveText('All changes saved');
  await snap(page, 'edit-kept-after-leaving');
  const saved = await apiCall<Draft>(stack, stack.keys.viewer, 'GET', `/api/workflows/${wf.id}/draft`);
  expect(saved.graph.nodes.find((n) => n.id === 'end')?.label).toBe('Routed, second edit');
});

test('a new Assign step starts with no team: it asks for one, and its problem stays until one is chosen', async ({ page, stack, snap }) => {
  const wf = await apiCall<{ id: string }>(stack, stack.keys.editor, 'POST', '/api/workflows', { name: 'New assign e2e' });
  await signIn(page, stack.admin);
  await page.goto(`/workflows/${wf.id}`);
  await expect(node(page, 'end')).toBeVisible();
  // Pressed in the palette: the step is added in view and selected.
  await page.getByTestId('palette-assign').click();
  await expect(inspector(page)).toHaveAttribute('aria-label', 'Settings of assign-1');
  const team = inspector(page).getByLabel('Team');
  await expect(team).toHaveValue('');
  await expect(team.locator('option:checked')).toHaveText('Choose a team');
  await expect(node(page, 'assign-1')).toContainText('Choose a team');
  const problem = page.getByTestId('problems-panel').locator('li').filter({ hasText: 'assign-1' }).filter({ hasText: /team/i });
  await expect(problem).toHaveCount(1);
  await snap(page, 'new-assign-asks-for-a-team');

  await team.selectOption('team-inbound');
  await expect(problem).toHaveCount(0);
  await expect(node(page, 'assign-1')).toContainText('Inbound');
  await expect(node(page, 'assign-1')).not.toContainText('team-inbound');
});
