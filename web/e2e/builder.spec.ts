import type { Locator, Page } from '@playwright/test';
import { apiCall, expect, signIn, test } from './support/fixtures';
import { inboundGraph } from './support/graphs';

// The builder as a RevOps person uses it: drag steps from the palette, wire them, configure a branch,
// fix the problem the live validation shows, test-run two leads and publish.

test.use({ viewport: { width: 1600, height: 1100 } });

const node = (page: Page, id: string): Locator => page.getByTestId(`node-${id}`);
const inspector = (page: Page): Locator => page.getByTestId('inspector');

/** Drops a palette item on the canvas at a point of the pane. */
async function drop(page: Page, kind: string, x: number, y: number) {
  await page.getByTestId(`palette-${kind}`).dragTo(page.locator('.react-flow__pane'), { targetPosition: { x, y } });
}

/** Selects a step on the canvas and opens its settings. */
async function select(page: Page, id: string) {
  await page.getByRole('tab', { name: 'Step' }).click();
  await node(page, id).locator('.route-node-summary').first().click();
  await expect(inspector(page)).toHaveAttribute('aria-label', `Settings of ${id}`);
}

/** The keys of the versions kept by conflict reloads in the page's localStorage. */
async function keptKeys(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const storage = (globalThis as unknown as { localStorage: { length: number; key: (i: number) => string | null } }).localStorage;
    return Array.from({ length: storage.length }, (_, i) => storage.key(i) ?? '').filter((k) => k.startsWith('lead-router:kept-draft:'));
  });
}

test('build, fix, test-run and publish a routing graph', async ({ page, stack, snap }) => {
  const wf = await apiCall<{ id: string }>(stack, stack.keys.editor, 'POST', '/api/workflows', {
    name: 'Builder e2e',
    graph: { schemaVersion: 1, nodes: [], edges: [] },
  });
  await signIn(page, stack.admin);
  await page.goto(`/workflows/${wf.id}`);
  await expect(page.getByRole('heading', { name: 'Builder e2e' })).toBeVisible();

  // Five steps from the palette.
  await drop(page, 'trigger', 320, 40);
  await drop(page, 'branch', 320, 200);
  await drop(page, 'assign', 80, 380);
  await drop(page, 'assign', 560, 380);
  await drop(page, 'end', 320, 560);
  for (const id of ['trigger-1', 'branch-1', 'assign-1', 'assign-2', 'end-1']) await expect(node(page, id)).toBeVisible();

  // The trigger is wired by dragging its handle onto the branch.
  await node(page, 'trigger-1').locator('.react-flow__handle.source').dragTo(node(page, 'branch-1').locator('.react-flow__handle.target'));
  await expect(page.locator('.react-flow__edge[data-id="trigger-1:next->branch-1"]')).toHaveCount(1);
  await snap(page, '1-dropped-and-first-connection');

  // The branch: employees > 500 goes to the first assign.
  await select(page, 'branch-1');
  const ins = inspector(page);
  await ins.getByRole('button', { name: 'Add condition' }).click();
  await ins.getByLabel('Field').selectOption('employees');
  await ins.getByLabel('Operator').selectOption({ label: 'is greater than' });
  await ins.getByLabel('Value').fill('500');
  await expect(node(page, 'branch-1')).toContainText('employees > 500');
  await page.getByTestId('connect-branch-1-case-1').selectOption('assign-1');

  // The else is not connected yet: the problem shows in the panel and on the node.
  const missingElse = page.getByTestId('problems-panel').locator('li[data-code="branch_missing_else"]');
  await expect(missingElse).toBeVisible();
  await expect(node(page, 'branch-1').locator('.badge.error')).toBeVisible();
  await snap(page, '2-else-not-connected');
  // Clicking the problem selects the node it names; connect its else there.
  await missingElse.getByRole('button').click();
  await page.getByRole('tab', { name: 'Step' }).click();
  await expect(inspector(page)).toHaveAttribute('aria-label', 'Settings of branch-1');
  await page.getByTestId('connect-branch-1-else').selectOption('assign-2');
  await expect(missingElse).toHaveCount(0);

  // Each assign goes to a team of the directory; both outcomes end.
  for (const [id, team] of [
    ['assign-1', 'team-inbound'],
    ['assign-2', 'team-drill'],
  ] as const) {
    await select(page, id);
    await inspector(page).getByLabel('Team').selectOption(team);
    await inspector(page).getByLabel('Respect working hours').uncheck();
    await page.getByTestId(`connect-${id}-assigned`).selectOption('end-1');
    await page.getByTestId(`connect-${id}-no_eligible_rep`).selectOption('end-1');
  }
  await page.getByRole('button', { name: 'Auto layout' }).click();
  await expect(page.getByTestId('problems-panel')).toContainText('Problems (0 errors');
  await expect(page.getByTestId('save-status')).toHaveText('All changes saved');
  await snap(page, '3-graph-valid-and-saved');

  // Test-run two leads: a sample from the library (no employee count: else) and a typed one with 650.
  await page.getByRole('tab', { name: 'Test run' }).click();
  const run = page.getByTestId('test-run');
  await run.getByRole('checkbox', { name: /L-1 Wile/ }).check();
  await run.getByText('Type a lead').click();
  await run.getByLabel('company').fill('Big Co');
  await run.getByLabel('employees').fill('650');
  await run.getByRole('button', { name: 'Add this lead' }).click();
  await run.getByRole('button', { name: 'Run 2 leads' }).click();
  await expect(run.getByTestId('run-table')).toBeVisible();

  await run.getByRole('button', { name: 'Show path of L-1' }).click();
  await expect(node(page, 'assign-2')).toHaveAttribute('data-on-path', 'true');
  await expect(node(page, 'assign-1')).not.toHaveAttribute('data-on-path', 'true');
  await expect(page.getByTestId('decision-branch-1')).toBeVisible();
  await snap(page, '4-path-of-sample-lead');

  await run.getByRole('button', { name: 'Show path of typed-2' }).click();
  await expect(node(page, 'assign-1')).toHaveAttribute('data-on-path', 'true');
  await expect(node(page, 'assign-2')).not.toHaveAttribute('data-on-path', 'true');
  await expect(page.getByTestId('decision-branch-1')).toContainText('650');
  await snap(page, '5-path-of-typed-lead');

  // Publish with a note.
  await page.getByRole('button', { name: 'Publish…' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByTestId('publish-diff')).toContainText('Added');
  await dialog.getByLabel(/Note \(required\)/).fill('First routing: big companies to Inbound, the rest to the drill team');
  await dialog.getByRole('button', { name: 'Publish', exact: true }).click();
  await expect(dialog.getByTestId('published')).toContainText('Published version 1');
  await snap(page, '6-published');
  await dialog.getByRole('button', { name: 'Close' }).click();
  await page.getByRole('tab', { name: 'Versions' }).click();
  await expect(page.getByTestId('versions')).toContainText('First routing');

  // The version opens read-only on its own page.
  await page.getByTestId('versions').getByRole('link', { name: 'Version 1' }).click();
  await expect(page.getByRole('heading', { name: 'Version 1 (active)' })).toBeVisible();
  await expect(node(page, 'branch-1')).toContainText('employees > 500');
  await expect(page.getByTestId('palette-trigger')).toHaveCount(0);
  await snap(page, '6b-version-read-only');
});

test('keyboard editing, a save conflict resolved without losing work, and a viewer sees no edit controls', async ({ page, stack, snap }) => {
  // Many steps (two conflicts, a page load, a restore, a second sign-in): on a loaded machine it can pass 60 s.
  test.setTimeout(180_000);
  // A new workflow starts as a trigger wired to an end (nodes `trigger` and `end`).
  const wf = await apiCall<{ id: string }>(stack, stack.keys.editor, 'POST', '/api/workflows', { name: 'Keyboard e2e' });
  await signIn(page, stack.admin);
  await page.goto(`/workflows/${wf.id}`);
  await expect(node(page, 'end')).toBeVisible();

  // Select by keyboard (nodes are focusable; Enter selects), then delete, undo, redo, undo.
  await page.locator('.react-flow__node[data-id="end"]').focus();
  await page.keyboard.press('Enter');
  await expect(inspector(page)).toHaveAttribute('aria-label', 'Settings of end');
  await page.keyboard.press('Delete');
  await expect(node(page, 'end')).toHaveCount(0);
  await page.keyboard.press('Control+z');
  await expect(node(page, 'end')).toBeVisible();
  await page.keyboard.press('Control+y');
  await expect(node(page, 'end')).toHaveCount(0);
  await page.keyboard.press('Control+Shift+z');
  await expect(node(page, 'end')).toHaveCount(0);
  await page.keyboard.press('Control+z');
  await expect(node(page, 'end')).toBeVisible();
  // Copy and paste the end: a new id, placed beside it.
  await select(page, 'end');
  await page.keyboard.press('Control+c');
  await page.keyboard.press('Control+v');
  await expect(node(page, 'end-1')).toBeVisible();
  await expect(page.getByTestId('save-status')).toHaveText('All changes saved');

  // Someone else saves the draft meanwhile.
  const theirs = await apiCall<{ graph: { nodes: unknown[] }; revision: number }>(stack, stack.keys.editor, 'GET', `/api/workflows/${wf.id}/draft`);
  await apiCall(stack, stack.keys.editor, 'PUT', `/api/workflows/${wf.id}/draft`, { graph: theirs.graph, revision: theirs.revision });
  // Our next edit is refused as stale: a clear message, and our change stays on the canvas.
  await drop(page, 'notify', 700, 300);
  const conflict = page.getByRole('alert').filter({ hasText: 'Someone saved this draft' });
  await expect(conflict).toBeVisible();
  await expect(node(page, 'notify-1')).toBeVisible();
  await snap(page, '7-save-conflict');
  await conflict.getByRole('button', { name: 'Overwrite with mine' }).click();
  await expect(page.getByTestId('save-status')).toHaveText('All changes saved');
  const saved = await apiCall<{ graph: { nodes: { id: string }[] } }>(stack, stack.keys.viewer, 'GET', `/api/workflows/${wf.id}/draft`);
  expect(saved.graph.nodes.map((n) => n.id)).toEqual(['trigger', 'end', 'end-1', 'notify-1']);

  // Again, and this time take theirs: Reload shows their draft, and keeps a copy of ours to restore.
  const draft2 = await apiCall<{ graph: { nodes: { id: string }[]; edges: unknown[] }; revision: number }>(stack, stack.keys.editor, 'GET', `/api/workflows/${wf.id}/draft`);
  const withoutNotify = { ...draft2.graph, nodes: draft2.graph.nodes.filter((n) => n.id !== 'notify-1') };
  await apiCall(stack, stack.keys.editor, 'PUT', `/api/workflows/${wf.id}/draft`, { graph: withoutNotify, revision: draft2.revision });
  // Below the notify step, well apart: the viewer's fitted view zooms in, and overlapping steps would hide each other.
  await drop(page, 'update', 700, 500);
  await expect(conflict).toBeVisible();
  await conflict.getByRole('button', { name: 'Reload theirs (keep a copy of mine)' }).click();
  await expect(node(page, 'update-1')).toHaveCount(0);
  await expect(node(page, 'notify-1')).toHaveCount(0);
  await expect(page.getByTestId('save-status')).toHaveText('All changes saved');
  const keptBox = page.getByTestId('kept-version');
  await expect(keptBox).toContainText('Your version');
  await expect(keptBox).toContainText('5 steps');
  expect(await keptKeys(page)).toHaveLength(1);
  // The copy outlives the tab: it is still offered after the page is loaded again.
  await page.reload();
  await expect(node(page, 'end-1')).toBeVisible();
  await expect(node(page, 'update-1')).toHaveCount(0);
  await snap(page, '7b-kept-version-after-reload');
  // Restore it: our version goes on top of theirs as a normal edit, saved from their revision.
  await keptBox.getByRole('button', { name: 'Restore my version' }).click();
  await expect(node(page, 'update-1')).toBeVisible();
  await expect(node(page, 'notify-1')).toBeVisible();
  await expect(keptBox).toHaveCount(0);
  await expect(page.getByTestId('save-status')).toHaveText('All changes saved');
  const restored = await apiCall<{ graph: { nodes: { id: string }[] } }>(stack, stack.keys.viewer, 'GET', `/api/workflows/${wf.id}/draft`);
  expect(restored.graph.nodes.map((n) => n.id)).toEqual(['trigger', 'end', 'end-1', 'notify-1', 'update-1']);
  // Saved, so the copy is gone from the browser's storage too.
  await expect.poll(() => keptKeys(page)).toEqual([]);
  // Undo goes back to their version (and that is saved too), redo to ours again.
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(node(page, 'update-1')).toHaveCount(0);
  await expect(page.getByTestId('save-status')).toHaveText('All changes saved');
  await page.getByRole('button', { name: 'Redo' }).click();
  await expect(node(page, 'update-1')).toBeVisible();
  await expect(page.getByTestId('save-status')).toHaveText('All changes saved');

  // A viewer gets the canvas read-only: no palette, no publish, no autosave, disabled settings.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await signIn(page, stack.viewer);
  await page.goto(`/workflows/${wf.id}`);
  await expect(node(page, 'notify-1')).toBeVisible();
  await expect(page.getByTestId('palette-trigger')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Publish…' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Undo' })).toHaveCount(0);
  await select(page, 'notify-1');
  await expect(inspector(page).getByLabel('Message')).toBeDisabled();
  await page.keyboard.press('Delete');
  await expect(node(page, 'notify-1')).toBeVisible();
  await snap(page, '8-viewer-read-only');
});

test('a batch test run from an uploaded CSV, with waits timing out: counts per rep, on the edges, and one lead opened', async ({ page, stack, snap }) => {
  const wf = await apiCall<{ id: string }>(stack, stack.keys.editor, 'POST', '/api/workflows', { name: 'Batch e2e', graph: inboundGraph });
  await signIn(page, stack.admin);
  await page.goto(`/workflows/${wf.id}`);
  await expect(node(page, 'sla')).toBeVisible();
  await page.getByRole('tab', { name: 'Test run' }).click();
  const run = page.getByTestId('test-run');

  const rows = Array.from({ length: 40 }, (_, i) => `B-${i + 1},Lead ${i + 1},lead${i + 1}@example.com,Company ${i + 1},${(i + 1) * 50}`);
  await run.getByLabel('Upload a CSV, JSON or JSONL file').setInputFiles({
    name: 'leads.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(['id,firstName,email,company,employees', ...rows].join('\n')),
  });
  // A CSV opens the import dialog (issue 17): how its columns were read, then its leads join the library.
  const dialog = page.getByRole('dialog', { name: 'Import leads.csv' });
  await expect(dialog.getByRole('status')).toContainText('read as a generic CSV: 5 columns mapped');
  await dialog.getByRole('button', { name: 'Import 40 leads' }).click();
  await expect(run).toContainText('40 leads chosen');
  await run.getByLabel('Waits resolve as').selectOption('timed_out');
  await run.getByRole('button', { name: 'Run 40 leads' }).click();

  // Every lead was assigned to Ana, timed out and was parked in the queue: where it ended is what counts.
  await expect(run.getByRole('figure', { name: 'Leads per assignee (rep or queue)' })).toContainText('Unassigned leads40');
  await expect(run.getByRole('figure', { name: 'Leads per outcome' })).toContainText('queued');
  // Counts drawn on the edges: every lead timed out on the SLA.
  await expect(page.locator('.react-flow__edge[data-id="sla:timed_out->to-queue"]')).toContainText('40');
  await expect(page.getByTestId('decision-sla')).toHaveText('40 leads');
  await snap(page, '9-batch-run');

  await run.getByRole('button', { name: 'Show path of B-7' }).click();
  await expect(node(page, 'to-queue')).toHaveAttribute('data-on-path', 'true');
  await expect(node(page, 'end-routed')).not.toHaveAttribute('data-on-path', 'true');
  await expect(page.getByTestId('lead-result')).toContainText('B-7');
});

test('version history: who, when and why, and a publisher rolls back to an older version', async ({ page, stack, snap }) => {
  const wf = await apiCall<{ id: string }>(stack, stack.keys.editor, 'POST', '/api/workflows', { name: 'Rollback e2e', graph: inboundGraph });
  await apiCall(stack, stack.keys.publisher, 'POST', `/api/workflows/${wf.id}/publish`, { note: 'v1: everything to Ana' });
  const draft = await apiCall<{ graph: typeof inboundGraph; revision: number }>(stack, stack.keys.editor, 'GET', `/api/workflows/${wf.id}/draft`);
  const longer = { ...draft.graph, nodes: draft.graph.nodes.map((n) => (n.type === 'wait' ? { ...n, config: { until: 'accepted' as const, timeout: { amount: 10, unit: 'minutes' as const } } } : n)) };
  await apiCall(stack, stack.keys.editor, 'PUT', `/api/workflows/${wf.id}/draft`, { graph: longer, revision: draft.revision });
  await apiCall(stack, stack.keys.publisher, 'POST', `/api/workflows/${wf.id}/publish`, { note: 'v2: a 10-minute SLA' });

  await signIn(page, stack.admin);
  await page.goto(`/workflows/${wf.id}`);
  await page.getByRole('tab', { name: 'Versions' }).click();
  const versions = page.getByTestId('versions');
  await expect(versions).toContainText('v2: a 10-minute SLA');
  await expect(versions).toContainText('v1: everything to Ana');
  await expect(versions.getByRole('listitem').first()).toContainText('(active)');
  page.once('dialog', (d) => void d.accept());
  await versions.getByRole('button', { name: 'Roll back to version 1' }).click();
  await expect(versions.getByRole('listitem').last()).toContainText('(active)');
  await expect(versions.getByRole('button', { name: 'Roll back to version 2' })).toBeVisible();
  const wfNow = await apiCall<{ activeVersion: number }>(stack, stack.keys.viewer, 'GET', `/api/workflows/${wf.id}`);
  expect(wfNow.activeVersion).toBe(1);
  await snap(page, '10-rolled-back');
});

test('score rules and an enrich provider set through their forms: a test lead is enriched, scored and graded on its path', async ({ page, stack, snap }) => {
  test.setTimeout(180_000);
  // The firmographics table knows bigco.com; the lead itself says nothing of its size.
  await apiCall(stack, stack.keys.admin, 'PUT', '/api/companies/bigco.com', { name: 'BigCo', employees: 650, industry: 'Software' });
  const n = (id: string, type: string, row: number, config: unknown) => ({ id, type, position: { x: 300, y: row * 160 }, config });
  const wf = await apiCall<{ id: string }>(stack, stack.keys.editor, 'POST', '/api/workflows', {
    name: 'Scoring e2e',
    graph: {
      schemaVersion: 1,
      nodes: [
        n('trigger', 'trigger', 0, { source: 'webhook' }),
        n('enrich', 'enrich', 1, { provider: 'firmographics', fields: ['employees', 'industry', 'annualRevenue', 'country'], overwrite: false }),
        n('match', 'match_account', 2, { by: ['email_domain', 'website_domain', 'company_name'] }),
        n('score', 'score', 3, { rules: [], grades: [{ grade: 'A', min: 80 }, { grade: 'B', min: 50 }, { grade: 'C', min: 20 }, { grade: 'D', min: -100000 }] }),
        n('end', 'end', 4, { outcome: 'routed' }),
      ],
      edges: [
        { id: 'trigger:next->enrich', source: 'trigger', sourceHandle: 'next', target: 'enrich' },
        { id: 'enrich:enriched->match', source: 'enrich', sourceHandle: 'enriched', target: 'match' },
        { id: 'enrich:not_found->match', source: 'enrich', sourceHandle: 'not_found', target: 'match' },
        { id: 'match:matched->score', source: 'match', sourceHandle: 'matched', target: 'score' },
        { id: 'match:not_matched->score', source: 'match', sourceHandle: 'not_matched', target: 'score' },
        { id: 'score:next->end', source: 'score', sourceHandle: 'next', target: 'end' },
      ],
    },
  });
  await signIn(page, stack.admin);
  await page.goto(`/workflows/${wf.id}`);
  await expect(node(page, 'score')).toBeVisible();
  const ins = inspector(page);

  // Enrich: the HTTP provider shows its settings, and an unfinished URL shows its problem under the field.
  await select(page, 'enrich');
  await ins.getByLabel('Provider', { exact: true }).selectOption({ label: 'HTTP provider' });
  const url = ins.getByLabel('URL template');
  await expect(url).toHaveAttribute('aria-invalid', 'true');
  await url.fill('https://enrich.example.com/companies?domain={{websiteDomian}}');
  await expect(ins.getByRole('note')).toContainText('{{websiteDomian}}');
  await expect(ins.getByLabel('Mapping 1 lead field')).toHaveValue('employees');
  await expect(ins.getByLabel('Mapping 1 response path')).toHaveValue('employees');
  await ins.getByRole('button', { name: 'Add header' }).click();
  await ins.getByLabel('Header 1 name').fill('X-Api-Key');
  await ins.getByLabel('Header 1 value').fill('secret-1');
  await snap(page, '11-enrich-http-form');
  // Back to the workspace table, which fills only the employee count here.
  await ins.getByLabel('Provider', { exact: true }).selectOption({ label: 'Workspace firmographics table' });
  await expect(ins.getByLabel('URL template')).toHaveCount(0);
  for (const i of [4, 3, 2]) await ins.getByRole('button', { name: `Remove field ${i}` }).click();
  await expect(ins.getByLabel('Field to fill 1')).toHaveValue('employees');
  await expect(node(page, 'enrich')).toContainText('firmographics: employees');

  // Match account: company name first, website not tried.
  await select(page, 'match');
  await ins.getByLabel(/Website domain/).uncheck();
  await expect(node(page, 'match')).toContainText('By email domain, company name');
  await expect(ins.getByRole('button', { name: 'Try email domain earlier' })).toBeDisabled();
  await ins.getByRole('button', { name: 'Try company name earlier' }).click();
  await expect(node(page, 'match')).toContainText('By company name, email domain');

  // Score: one rule, big companies get 60 fit points (B). Out-of-range points show their problem first.
  await select(page, 'score');
  await ins.getByRole('button', { name: 'Add rule' }).click();
  const rule = ins.getByTestId('score-rule-1');
  await rule.getByLabel('Rule 1 name').fill('Big company');
  await rule.getByRole('button', { name: 'Add condition' }).click();
  await rule.getByLabel('Field').selectOption('employees');
  await rule.getByLabel('Operator').selectOption({ label: 'is greater than' });
  await rule.getByLabel('Value').fill('500');
  const points = rule.getByLabel('Rule 1 points');
  await points.fill('5000');
  await expect(points).toHaveAttribute('aria-invalid', 'true');
  await expect(rule.getByRole('note')).toBeVisible();
  await points.fill('60');
  await expect(points).not.toHaveAttribute('aria-invalid', 'true');
  await expect(node(page, 'score')).toContainText('1 rule, 4 grades');
  // A second rule, moved above the first and removed again.
  await ins.getByRole('button', { name: 'Add rule' }).click();
  await ins.getByRole('button', { name: 'Move rule 2 up' }).click();
  await expect(ins.getByRole('group', { name: 'Big company (rule 2)', exact: true })).toBeVisible();
  await expect(ins.getByRole('group', { name: 'Rule 1', exact: true })).toBeVisible();
  await ins.getByRole('button', { name: 'Remove rule 1' }).click();
  await expect(ins.getByRole('group', { name: 'Big company (rule 1)', exact: true })).toBeVisible();
  await expect(ins.getByTestId('score-rule-2')).toHaveCount(0);
  // The JSON fallback shows the same rule.
  await ins.getByRole('button', { name: 'Edit as JSON' }).click();
  await expect(ins.getByLabel('Settings (JSON)')).toHaveValue(/"label": "Big company"/);
  await ins.getByRole('button', { name: 'Back to the form' }).click();

  await expect(page.getByTestId('problems-panel')).toContainText('Problems (0 errors');
  await expect(page.getByTestId('save-status')).toHaveText('All changes saved');
  await snap(page, '12-score-rule-form');
  const saved = await apiCall<{ graph: { nodes: { id: string; config: unknown }[] } }>(stack, stack.keys.viewer, 'GET', `/api/workflows/${wf.id}/draft`);
  const cfg = (id: string) => saved.graph.nodes.find((x) => x.id === id)?.config;
  expect(cfg('enrich')).toEqual({ provider: 'firmographics', fields: ['employees'], overwrite: false });
  expect(cfg('match')).toEqual({ by: ['company_name', 'email_domain'] });
  expect(cfg('score')).toMatchObject({ rules: [{ label: 'Big company', category: 'fit', points: 60, condition: { match: 'all', conditions: [{ field: 'employees', operator: 'gt', value: 500 }] } }] });

  // A typed lead from bigco.com: enriched to 650 employees, so the rule adds 60 and the grade is B.
  await page.getByRole('tab', { name: 'Test run' }).click();
  const run = page.getByTestId('test-run');
  await run.getByText('Type a lead').click();
  await run.getByLabel('email', { exact: true }).fill('pat@bigco.com');
  await run.getByLabel('company', { exact: true }).fill('BigCo');
  await run.getByRole('button', { name: 'Add this lead' }).click();
  await run.getByRole('button', { name: 'Run 1 lead' }).click();
  // One lead: its path opens at once, each step with what it decided.
  const result = run.getByTestId('lead-result');
  await expect(result).toContainText('Found bigco.com in the firmographics table; employees = 650');
  await expect(result).toContainText('score: Score 60, grade B');
  await expect(result).toContainText('Big company (+60 fit): true');
  await expect(node(page, 'enrich')).toHaveAttribute('data-on-path', 'true');
  await expect(node(page, 'score')).toHaveAttribute('data-on-path', 'true');
  await expect(page.getByTestId('decision-score')).toContainText('Score 60, grade B');
  await snap(page, '13-scored-path');
});
