import { apiCall, expect, signIn, test } from './support/fixtures';
import { queueGraph } from './support/graphs';
import { postLead, publishWorkflow } from './support/workflows';

// Working a queue on the real stack: a rep claims a queued lead (and sees it as theirs on the lead page),
// a manager selects several and assigns them to a rep, one of them taken meanwhile (its conflict shown).

test.use({ viewport: { width: 1440, height: 900 } });

let workflowId = '';

test.beforeAll(async ({ stack }) => {
  workflowId = (await publishWorkflow(stack, 'Queue work (e2e)', queueGraph)).id;
});

/** Posts a lead and waits until its run has left it in the queue. */
async function queuedLead(stack: Parameters<typeof postLead>[0], lead: Record<string, unknown>): Promise<string> {
  const id = await postLead(stack, workflowId, lead);
  await expect
    .poll(async () => (await apiCall<{ status: string; assignee: { id: string } | null }>(stack, stack.keys.viewer, 'GET', `/api/leads/${id}`)).assignee?.id ?? null, { timeout: 30_000 })
    .toBe('q-unassigned');
  return id;
}

test('a rep claims a queued lead from the queue page and sees it as theirs on the lead page', async ({ page, stack, snap }) => {
  const leadId = await queuedLead(stack, { email: 'marie@curie.example', firstName: 'Marie', lastName: 'Curie', company: 'Radium Institute', leadSource: 'Webinar' });
  await signIn(page, stack.rep);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Queues' }).click();
  await expect(page.getByRole('table', { name: 'Queues' })).toBeVisible();
  const row = page.getByTestId('queue-row-q-unassigned');
  await expect(row).toContainText('Unassigned leads');
  await expect(row).toContainText('60 min (default)');
  await snap(page, '1-queues-overview');

  await row.getByRole('link', { name: 'Unassigned leads' }).click();
  await expect(page.getByRole('heading', { name: 'Unassigned leads' })).toBeVisible();
  const lead = page.getByRole('row').filter({ hasText: 'Marie Curie' });
  await expect(lead).toContainText('Radium Institute');
  await expect(lead).toContainText('Webinar');
  await expect(lead).toContainText('Queue work (e2e)');
  // A rep has no selection boxes: assigning is a manager's.
  await expect(page.getByRole('button', { name: 'Assign to…' })).toHaveCount(0);
  await snap(page, '2-queue-as-rep');
  await lead.getByRole('button', { name: 'Claim Marie Curie' }).click();
  await expect(page.getByText("Marie Curie is Ana Diaz's now")).toBeVisible();
  await expect(page.getByRole('row').filter({ hasText: 'Marie Curie' })).toHaveCount(0, { timeout: 10_000 });

  await page.goto(`/leads/${leadId}`);
  await expect(page.getByTestId('assignee')).toContainText('Ana Diaz');
  await expect(page.getByRole('list', { name: 'Trace' })).toContainText('Claimed by Ana Diaz from Unassigned leads');
  await snap(page, '3-claimed-lead');
});

test('a lost race says who took the lead, plainly', async ({ page, stack, snap }) => {
  await queuedLead(stack, { email: 'lise@meitner.example', firstName: 'Lise', lastName: 'Meitner', company: 'KWI' });
  await signIn(page, stack.rep);
  await page.goto('/queues/q-unassigned');
  const lead = page.getByRole('row').filter({ hasText: 'Lise Meitner' });
  await expect(lead).toBeVisible();
  // Someone else takes it between the page's read and Ana's click.
  const id = (await apiCall<{ items: Array<{ leadId: string; name: string }> }>(stack, stack.keys.viewer, 'GET', '/api/queues/q-unassigned/leads?limit=200')).items.find((l) => l.name === 'Lise Meitner')!.leadId;
  await apiCall(stack, stack.keys.publisher, 'POST', `/api/queues/q-unassigned/leads/${id}/claim`, { repId: 'rep-ben' });
  await lead.getByRole('button', { name: 'Claim Lise Meitner' }).click();
  await expect(lead.getByRole('alert')).toContainText('The lead is no longer in Unassigned leads: Ben Okafor has it.');
  await snap(page, '4-lost-race');
});

test('a manager selects several queued leads and assigns them to a rep, seeing each result', async ({ page, stack, snap }) => {
  const names = ['Emmy Noether', 'Rosalind Franklin', 'Chien-Shiung Wu'];
  const ids: string[] = [];
  for (const n of names) {
    const [first, last] = n.split(' ');
    ids.push(await queuedLead(stack, { email: `${first!.toLowerCase()}@science.example`, firstName: first, lastName: last, company: 'Science Ltd' }));
  }
  await signIn(page, stack.admin);
  await page.goto('/queues/q-unassigned');
  for (const n of names) await page.getByRole('checkbox', { name: `Select ${n}` }).check();
  await expect(page.getByText('3 selected')).toBeVisible();
  await snap(page, '5-selected');
  // Cara takes one of them meanwhile.
  await apiCall(stack, stack.keys.publisher, 'POST', `/api/queues/q-unassigned/leads/${ids[2]}/claim`, { repId: 'rep-cara' });
  await page.getByRole('button', { name: 'Assign to…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Assign 3 leads to a rep' });
  // Ana: no cap of hers is set by any spec (pages.spec gives Ben a daily cap of 12, which the specs before
  // this one may have filled by now).
  await dialog.getByLabel('Rep', { exact: true }).selectOption({ label: 'Ana Diaz' });
  await snap(page, '6-assign-dialog');
  await dialog.getByRole('button', { name: 'Assign' }).click();
  const results = page.getByTestId('move-results');
  await expect(results).toContainText('Assigned to Ana Diaz');
  await expect(results).toContainText('2 assigned');
  await expect(results).toContainText('1 conflict');
  await expect(results.locator('li[data-result="conflict"]')).toContainText('Chien-Shiung Wu');
  await expect(results.locator('li[data-result="conflict"]')).toContainText('Cara Singh has it');
  await expect(page.getByRole('row').filter({ hasText: 'Emmy Noether' })).toHaveCount(0, { timeout: 10_000 });
  await snap(page, '7-assign-results');
  const emmy = await apiCall<{ assignee: { id: string } }>(stack, stack.keys.viewer, 'GET', `/api/leads/${ids[0]}`);
  expect(emmy.assignee.id).toBe('rep-ana');
});

test('an admin edits the queue alert settings; the overview shows the new threshold', async ({ page, stack, snap }) => {
  await signIn(page, stack.admin);
  await page.goto('/queues/q-unassigned');
  await page.getByRole('button', { name: 'Alert settings…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Alerts of Unassigned leads' });
  await dialog.getByLabel('Alert after (minutes; empty for the default, 60)').fill('30');
  await dialog.getByLabel('Notify channel').selectOption('slack');
  await dialog.getByRole('textbox', { name: 'URL' }).fill('https://hooks.slack.example/services/T000/B000/XXXX');
  await dialog.getByRole('checkbox', { name: 'Ana Diaz' }).check();
  await dialog.getByRole('checkbox', { name: 'Ben Okafor' }).check();
  await snap(page, '8-alert-settings');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.locator('.queue-meta')).toContainText('Alert after 30 min');
  await expect(page.locator('.queue-meta')).toContainText('Notify: slack');
  await expect(page.locator('.queue-meta')).toContainText('2 members');
  await page.goto('/queues');
  await expect(page.getByTestId('queue-row-q-unassigned')).toContainText('30 min');
  await expect(page.getByTestId('queue-row-q-unassigned')).not.toContainText('(default)');
});
