import { apiCall, expect, signIn, test } from './support/fixtures';
import { inboundGraph } from './support/graphs';
import { node } from './support/canvas';

// Issue 13: the builder speaks in names. Step cards and the test-run results show the directory's names for
// reps, teams and queues (ids only in tooltips), from one directory query the inspector's pickers share; and
// dates show their day as well as their time.

test.use({ viewport: { width: 1440, height: 900 } });

test('cards and test-run results show rep and queue names, ids only as tooltips, from one directory query', async ({ page, stack, snap }) => {
  const wf = await apiCall<{ id: string }>(stack, stack.keys.editor, 'POST', '/api/workflows', { name: 'Names e2e', graph: inboundGraph });
  await signIn(page, stack.admin);
  const directoryCalls: string[] = [];
  page.on('request', (r) => {
    const path = new URL(r.url()).pathname;
    if (/^\/api\/(reps|teams|queues|territories|directory)$/.test(path)) directoryCalls.push(path);
  });
  await page.goto(`/workflows/${wf.id}`);

  const ana = node(page, 'assign-ana').locator('.route-node-summary').first();
  await expect(ana).toContainText('Ana Diaz');
  await expect(ana).not.toContainText('rep-ana');
  await expect(ana).toHaveAttribute('title', /rep-ana/);
  const queue = node(page, 'to-queue').locator('.route-node-summary').first();
  await expect(queue).toContainText('Unassigned leads');
  await expect(queue).not.toContainText('q-unassigned');

  // The inspector's pickers read the same directory: opening assign and escalate steps asks for nothing more.
  for (const id of ['assign-ana', 'to-queue']) {
    await page.getByRole('tab', { name: 'Step' }).click();
    await node(page, id).locator('.route-node-summary').first().click();
    await expect(page.getByTestId('inspector')).toHaveAttribute('aria-label', `Settings of ${id}`);
  }
  await expect(page.getByTestId('inspector').getByLabel('Queue').locator('option:checked')).toHaveText(/Unassigned leads/);
  expect(directoryCalls).toEqual(['/api/directory']);

  // A batch of three leads, waits timing out: every lead goes to Ana and ends in the queue.
  await page.getByRole('tab', { name: 'Test run' }).click();
  const run = page.getByTestId('test-run');
  await run.getByLabel('Upload a CSV, JSON or JSONL file').setInputFiles({
    name: 'leads.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(['id,firstName,email,company', 'N-1,Ida,ida@example.com,Ida Co', 'N-2,Jo,jo@example.com,Jo Co', 'N-3,Kim,kim@example.com,Kim Co'].join('\n')),
  });
  await page.getByRole('dialog', { name: 'Import leads.csv' }).getByRole('button', { name: 'Import 3 leads' }).click();
  await expect(run).toContainText('3 leads chosen');
  await run.getByLabel('Waits resolve as').selectOption('timed_out');
  await run.getByRole('button', { name: 'Run 3 leads' }).click();
  const perAssignee = run.getByRole('figure', { name: 'Leads per assignee (rep or queue)' });
  await expect(perAssignee).toContainText('Unassigned leads');
  await expect(perAssignee).not.toContainText('q-unassigned');
  await expect(perAssignee.getByText('Unassigned leads')).toHaveAttribute('title', /q-unassigned/);
  const table = run.getByTestId('run-table');
  await expect(table).toContainText('Unassigned leads');
  await expect(table).not.toContainText('q-unassigned');
  await snap(page, 'test-run-batch-names');

  await run.getByRole('button', { name: 'Show path of N-2' }).click();
  const result = run.getByTestId('lead-result');
  await expect(result).toContainText('Unassigned leads');
  await expect(result).not.toContainText('q-unassigned');
  await snap(page, 'test-run-one-lead-names');
});

test('dates show the day and the time: the workflow list\'s "Last published" and the versions panel', async ({ page, stack, snap }) => {
  const wf = await apiCall<{ id: string }>(stack, stack.keys.editor, 'POST', '/api/workflows', { name: 'Dates e2e', graph: inboundGraph });
  await apiCall(stack, stack.keys.publisher, 'POST', `/api/workflows/${wf.id}/publish`, { note: 'dated' });
  await signIn(page, stack.admin);
  await page.goto('/workflows');
  const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: 'Dates e2e' }) });
  // Published a moment ago, still shown with its day ("today 14:03"): a list mixes today's and older dates.
  await expect(row.getByRole('cell').nth(2)).toHaveText(/^today \d\d:\d\d$/);
  await snap(page, 'workflows-last-published');

  await row.getByRole('link', { name: 'Dates e2e' }).click();
  await page.getByRole('tab', { name: 'Versions' }).click();
  await expect(page.getByTestId('versions')).toContainText(/today \d\d:\d\d/);
});
