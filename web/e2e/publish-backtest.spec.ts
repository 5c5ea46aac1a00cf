import type { Graph, GraphEdge, GraphNode } from '@lead-router/shared';
import { GRAPH_SCHEMA_VERSION, edgeId } from '@lead-router/shared';
import type { Locator, Page } from '@playwright/test';
import { inspector, node, select } from './support/canvas';
import { apiCall, expect, signIn, test } from './support/fixtures';
import { postLead, publishWorkflow } from './support/workflows';

// Issue 13, items 1 and 2: the publish gate's backtest tells the truth. On the real stack, a workflow's
// leads are routed by the worker; the publish dialog then replays them through the active version and the
// draft from the same starting state: an unchanged draft (after an edit and its undo) moves no lead, the
// model reproduces the real assignments, counts and shares are shown by name, the assumptions are listed;
// a real change (a split's weights) moves leads; the window is the person's to pick.

test.use({ viewport: { width: 1440, height: 900 } });

const e = (source: string, sourceHandle: string, target: string): GraphEdge => ({ id: edgeId(source, sourceHandle, target), source, sourceHandle, target });
const at = (col: number, row: number) => ({ x: col * 280, y: row * 140 });
const eligibility = { skills: [], respectCapacity: true, respectWorkingHours: false, respectOutOfOffice: true };

/** A 50/50 split: the drill team's round-robin (Ben, Cara), or the Unassigned leads queue. */
const splitGraph: Graph = {
  schemaVersion: GRAPH_SCHEMA_VERSION,
  nodes: [
    { id: 'trigger', type: 'trigger', position: at(1, 0), label: 'Inbound lead', config: { source: 'webhook' } },
    { id: 'split', type: 'split', position: at(1, 1), label: 'A/B', config: { variants: [{ id: 'team', label: 'Team', percent: 50 }, { id: 'queue', label: 'Queue', percent: 50 }] } },
    { id: 'to-team', type: 'assign', position: at(0, 2), label: 'Drill team', config: { strategy: { type: 'round_robin', teamId: 'team-drill' }, eligibility, excludePreviousAssignees: true } },
    { id: 'to-queue', type: 'assign', position: at(2, 2), label: 'Queue', config: { strategy: { type: 'queue', queueId: 'q-unassigned' }, eligibility, excludePreviousAssignees: true } },
    { id: 'end-routed', type: 'end', position: at(0, 3), label: 'Routed', config: { outcome: 'routed' } },
    { id: 'end-queued', type: 'end', position: at(2, 3), label: 'Queued', config: { outcome: 'queued' } },
  ] satisfies GraphNode[],
  edges: [
    e('trigger', 'next', 'split'),
    e('split', 'team', 'to-team'),
    e('split', 'queue', 'to-queue'),
    e('to-team', 'assigned', 'end-routed'),
    e('to-team', 'no_eligible_rep', 'to-queue'),
    e('to-queue', 'assigned', 'end-queued'),
    e('to-queue', 'no_eligible_rep', 'end-queued'),
  ],
};

const LEADS = 12;
let workflowId = '';
const leadIds: string[] = [];

test.beforeAll(async ({ stack }) => {
  workflowId = (await publishWorkflow(stack, 'Backtest (e2e)', splitGraph)).id;
  // One after another, each routed before the next arrives: a trickle of real traffic.
  for (let i = 1; i <= LEADS; i++) {
    const n = String(i).padStart(2, '0');
    const id = await postLead(stack, workflowId, { firstName: 'Lead', lastName: `No ${n}`, email: `lead${n}@backtest.example`, company: 'Backtest Co' });
    await expect
      .poll(async () => (await apiCall<{ status: string }>(stack, stack.keys.viewer, 'GET', `/api/leads/${id}`)).status, { timeout: 30_000, intervals: [50, 100, 200] })
      .toBe('completed');
    leadIds.push(id);
  }
});

/** Opens the publish dialog and waits for its backtest. */
async function openPublish(page: Page): Promise<Locator> {
  await page.getByRole('button', { name: 'Publish…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Publish the draft' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByTestId('backtest-moved').or(dialog.getByTestId('backtest-empty'))).toBeVisible({ timeout: 30_000 });
  return dialog;
}

/** The shares table's row of an assignee, by name. */
const row = (dialog: Locator, name: string) => dialog.getByRole('table', { name: 'Leads per assignee' }).getByRole('row').filter({ has: dialog.page().getByRole('rowheader', { name: new RegExp(`^${name}`) }) });

test('an unchanged draft moves no lead, the model reproduces reality; a real change moves leads; the window is picked', async ({ page, stack, snap }) => {
  // What really happened, for the counts the dialog must show.
  type Lead = { assignee: { id: string } | null };
  const real = await Promise.all(leadIds.map((id) => apiCall<Lead>(stack, stack.keys.viewer, 'GET', `/api/leads/${id}`)));
  const count = (id: string) => real.filter((l) => l.assignee?.id === id).length;
  const queued = count('q-unassigned');
  expect(queued + count('rep-ben') + count('rep-cara')).toBe(LEADS);

  await signIn(page, stack.admin);
  await page.goto(`/workflows/${workflowId}`);
  await expect(node(page, 'split')).toBeVisible();

  // Edit, then undo: the draft is the active version again.
  await select(page, 'split');
  await inspector(page).getByLabel('Variant 1 weight (%)').fill('80');
  await expect(page.getByTestId('save-status')).toHaveAttribute('data-state', 'saved');
  await page.locator('.react-flow__pane').click({ position: { x: 40, y: 40 } });
  await page.keyboard.press('Control+z');
  await expect(page.getByTestId('save-status')).toHaveAttribute('data-state', 'saved');
  await expect.poll(async () => (await apiCall<{ graph: Graph }>(stack, stack.keys.viewer, 'GET', `/api/workflows/${workflowId}/draft`)).graph.nodes.find((n) => n.id === 'split')?.config).toEqual(splitGraph.nodes[1]!.config);

  let dialog = await openPublish(page);
  await expect(dialog.getByTestId('publish-diff')).toContainText('No changes.');
  const backtest = dialog.getByTestId('publish-backtest');
  await expect(backtest).toContainText(`${LEADS} leads from`);
  await expect(backtest).toContainText('replayed through version 1, the active one, and through the draft, from the same starting state');
  await expect(dialog.getByTestId('backtest-moved')).toHaveText('No lead would move: the draft routes every lead of the window as the active version does.');
  await expect(dialog.getByTestId('backtest-moved-leads')).toHaveCount(0);
  // The model reproduces every real assignment of the window.
  await expect(dialog.getByTestId('backtest-fidelity')).toContainText('The model reproduces 100% of real assignments');
  await expect(dialog.getByTestId('backtest-fidelity')).toContainText(`gives ${LEADS} of ${LEADS} leads the assignee they really got`);
  // Counts and shares of the window by name, the same in both replays; no ids in the table.
  const share = (n: number) => `${Math.round((n / LEADS) * 1000) / 10}%`;
  const table = dialog.getByRole('table', { name: 'Leads per assignee' });
  await expect(table.getByRole('columnheader')).toHaveText(['Assignee', 'Version 1 (active)', 'Draft', 'Change', 'Really']);
  for (const [id, name] of [
    ['rep-ben', 'Ben Okafor'],
    ['rep-cara', 'Cara Singh'],
    ['q-unassigned', 'Unassigned leads'],
  ] as const) {
    const n = count(id);
    if (n === 0) continue;
    await expect(row(dialog, name).getByRole('cell')).toHaveText([`${n} ${share(n)}`, `${n} ${share(n)}`, 'no change', String(n)]);
  }
  await expect(table).not.toContainText('rep-');
  await expect(table).not.toContainText('q-unassigned');
  // The assumptions, listed on request.
  await dialog.getByText(/^How the replay works: \d+ assumptions$/).click();
  const assumptions = dialog.getByTestId('backtest-assumptions');
  await expect(assumptions).toBeVisible();
  await expect(assumptions.locator('[data-assumption="same-start"]')).toContainText('an unchanged draft therefore moves no lead');
  await expect(assumptions.locator('[data-assumption="open-loads"]')).toContainText('accepting it does not close it');
  await expect(assumptions.locator('[data-assumption="waits"]')).toContainText('Each wait ends as it really did');
  await expect(assumptions.locator('[data-assumption="directory"]')).toBeVisible();
  await snap(page, '1-unchanged-draft-no-moves');

  // The dialog keeps Tab inside and closes on Escape, giving focus back to Publish….
  const stops = await dialog.locator('button:not([disabled]), select, textarea, summary').count();
  for (let i = 0; i < stops + 2; i++) {
    await page.keyboard.press('Tab');
    expect(await page.locator('[role="dialog"] :focus').count(), `Tab ${i + 1} left the dialog`).toBe(1);
  }
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Publish…' })).toBeFocused();

  // A real change of the split's weights: every lead to the drill team (or, should the split have sent none
  // to the queue, every lead to the queue). The leads on the other side move, and the turns after them shift.
  const toTeam = queued > 0;
  const others = toTeam ? queued : LEADS - queued;
  await select(page, 'split');
  await inspector(page).getByLabel('Variant 1 weight (%)').fill(toTeam ? '100' : '0');
  await inspector(page).getByLabel('Variant 2 weight (%)').fill(toTeam ? '0' : '100');
  await expect(page.getByTestId('save-status')).toHaveAttribute('data-state', 'saved');
  dialog = await openPublish(page);
  await expect(dialog.getByTestId('publish-diff')).toContainText('Changed A/B');
  const moved = dialog.getByTestId('backtest-moved');
  await expect(moved).toHaveText(/^\d+ leads? of 12 would move to another assignee\.$/);
  const movedCount = Number((await moved.textContent())?.match(/^(\d+)/)?.[1]);
  expect(movedCount).toBeGreaterThanOrEqual(others);
  const list = dialog.getByTestId('backtest-moved-leads').getByRole('listitem');
  await expect(list).toHaveCount(movedCount);
  await expect(list.first()).toContainText(/^Lead No \d\d/);
  if (toTeam) {
    await expect(list.filter({ hasText: 'Unassigned leads' })).toHaveCount(queued);
    await expect(row(dialog, 'Unassigned leads').getByRole('cell')).toHaveText([`${queued} ${share(queued)}`, '0 0%', `−${Math.round((queued / LEADS) * 1000) / 10} pts`, String(queued)]);
  } else {
    await expect(row(dialog, 'Unassigned leads').getByRole('cell')).toHaveText(['0 0%', `${LEADS} 100%`, '+100 pts', '0']);
  }
  // The fidelity is the active version's: unchanged.
  await expect(dialog.getByTestId('backtest-fidelity')).toContainText('The model reproduces 100% of real assignments');
  await snap(page, '2-weight-change-moves');

  // The window: the last 24 hours hold the same leads; a custom window before them holds none.
  const window = dialog.getByRole('group', { name: 'Backtest window' });
  await window.getByLabel('Window').selectOption({ label: 'Last 24 hours' });
  await expect(backtest).toContainText(`${LEADS} leads from`);
  await expect(moved).toHaveText(`${movedCount} lead${movedCount === 1 ? '' : 's'} of 12 would move to another assignee.`);
  await window.getByLabel('Window').selectOption({ label: 'Custom…' });
  const local = (ms: number) => {
    const d = new Date(ms);
    const p = (x: number) => String(x).padStart(2, '0');
    return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
  };
  const dayAgo = Date.now() - 86_400_000;
  // The end before the start is refused, naming the field.
  await window.getByLabel('From').fill(local(dayAgo));
  await window.getByLabel('To').fill(local(dayAgo - 3_600_000));
  await window.getByRole('button', { name: 'Apply' }).click();
  await expect(window.getByRole('alert')).toHaveText('To: The end must come after the start.');
  await expect(window.getByLabel('To')).toHaveAttribute('aria-invalid', 'true');
  await window.getByLabel('From').fill(local(dayAgo - 2 * 86_400_000));
  await window.getByLabel('To').fill(local(dayAgo));
  await window.getByRole('button', { name: 'Apply' }).click();
  await expect(window.getByRole('alert')).toHaveCount(0);
  await expect(dialog.getByTestId('backtest-empty')).toContainText('No lead arrived from');
  await expect(dialog.getByRole('table', { name: 'Leads per assignee' })).toHaveCount(0);
  await snap(page, '3-custom-window-empty');
  await window.getByLabel('Window').selectOption({ label: 'Last 7 days' });
  await expect(moved).toHaveText(`${movedCount} lead${movedCount === 1 ? '' : 's'} of 12 would move to another assignee.`);
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toHaveCount(0);
});

test('before the first publish the backtest says there is no active version to compare with', async ({ page, stack, snap }) => {
  const wf = await apiCall<{ id: string }>(stack, stack.keys.editor, 'POST', '/api/workflows', { name: 'Backtest first publish (e2e)', graph: splitGraph });
  await signIn(page, stack.admin);
  await page.goto(`/workflows/${wf.id}`);
  await expect(node(page, 'split')).toBeVisible();
  const dialog = await openPublish(page);
  await expect(dialog.getByTestId('publish-diff')).toContainText('Changes since nothing (first version)');
  await expect(dialog.getByTestId('backtest-first-publish')).toContainText('No version is active yet');
  await expect(dialog.getByTestId('backtest-empty')).toContainText('No lead arrived from');
  await expect(dialog.getByTestId('backtest-fidelity')).toHaveCount(0);
  await snap(page, '4-first-publish');
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
});
