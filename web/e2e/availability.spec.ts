import { edgeId, GRAPH_SCHEMA_VERSION, type Graph, type GraphEdge } from '@lead-router/shared';
import { apiCall, expect, signIn, test } from './support/fixtures';

// Issue 16, availability: a rep switched offline in the inbox is skipped by a test run (verdict `offline`,
// shown by name), and back online takes the lead again. Reps and team of this spec's own, so no other
// spec's routing changes.

test.use({ viewport: { width: 1440, height: 900 } });

const e = (source: string, sourceHandle: string, target: string): GraphEdge => ({ id: edgeId(source, sourceHandle, target), source, sourceHandle, target });
const eligibility = { skills: [], respectCapacity: true, respectWorkingHours: false, respectOutOfOffice: true };

const graph: Graph = {
  schemaVersion: GRAPH_SCHEMA_VERSION,
  nodes: [
    { id: 'trigger', type: 'trigger', position: { x: 280, y: 0 }, label: 'Inbound lead', config: { source: 'webhook' } },
    { id: 'assign', type: 'assign', position: { x: 280, y: 150 }, label: 'Availability pool', config: { strategy: { type: 'round_robin', teamId: 'team-avail' }, eligibility, excludePreviousAssignees: false } },
    { id: 'end', type: 'end', position: { x: 280, y: 300 }, label: 'Routed', config: { outcome: 'routed' } },
  ],
  edges: [e('trigger', 'next', 'assign'), e('assign', 'assigned', 'end'), e('assign', 'no_eligible_rep', 'end')],
};

const LEAD = { id: 'AV-1', firstName: 'Avery', lastName: 'Lane', email: 'avery@availability-e2e.example', company: 'Lane Logistics' };

test('a rep switched offline in the inbox is skipped by a test run, with the verdict by name; back online, they get the lead', async ({ page, stack, snap }) => {
  await apiCall(stack, stack.keys.admin, 'POST', '/api/reps', { id: 'rep-ola', name: 'Ola Berg', email: 'ola@availability-e2e.example', timeZone: 'Europe/Oslo', workingHours: null });
  await apiCall(stack, stack.keys.admin, 'POST', '/api/reps', { id: 'rep-pia', name: 'Pia Lund', email: 'pia@availability-e2e.example', timeZone: 'Europe/Stockholm', workingHours: null });
  await apiCall(stack, stack.keys.admin, 'POST', '/api/teams', { id: 'team-avail', name: 'Availability pool', members: [{ repId: 'rep-ola', weight: 1 }, { repId: 'rep-pia', weight: 1 }] });
  const wf = await apiCall<{ id: string }>(stack, stack.keys.editor, 'POST', '/api/workflows', { name: 'Availability e2e', graph });

  // The inbox: Ola is online; the switch turns her offline (an admin may switch any rep).
  await signIn(page, stack.admin);
  await page.goto('/inbox');
  await page.getByLabel('Rep').selectOption({ label: 'Ola Berg' });
  const online = page.getByRole('switch', { name: 'Online' });
  await expect(online).toBeChecked();
  await expect(page.getByText('Online: taking new leads', { exact: true })).toBeVisible();
  await online.click();
  await expect(online).not.toBeChecked();
  await expect(page.getByText('Offline: no new leads', { exact: true })).toBeVisible();
  await expect(page.getByRole('status')).toContainText('Ola Berg is now offline');
  await snap(page, '1-inbox-switched-offline');
  // The server has it.
  expect((await apiCall<{ online: boolean }>(stack, stack.keys.viewer, 'GET', '/api/reps/rep-ola/availability')).online).toBe(false);

  // A test run: Ola is passed over as offline, Pia gets the lead.
  await page.goto(`/workflows/${wf.id}`);
  await expect(page.getByRole('heading', { name: 'Availability e2e' })).toBeVisible();
  await page.getByRole('tab', { name: 'Test run' }).click();
  const run = page.getByTestId('test-run');
  await run.getByText('Paste JSON').click();
  await run.getByLabel('Leads as JSON (an object or an array)').fill(JSON.stringify(LEAD));
  await run.getByRole('button', { name: 'Add pasted leads' }).click();
  await run.getByRole('button', { name: 'Run 1 lead' }).click();
  const result = run.getByTestId('lead-result');
  await expect(result).toContainText('Pia Lund');
  const step = result.locator('.tr-step').filter({ hasText: 'Availability pool' });
  await expect(step).toContainText('Ola Berg: offline: switched to offline, not taking leads until back online');
  await expect(step).not.toContainText('rep-ola');
  // Open the step: its candidates, each with the verdict and reason, by name.
  await step.getByRole('button').first().click();
  await step.getByTestId('step-details').scrollIntoViewIfNeeded();
  await snap(page, '2-test-run-offline-verdict');

  // Back online (the switch again): the next test run gives the lead to Ola, first in rotation.
  await page.goto('/inbox');
  await page.getByLabel('Rep').selectOption({ label: 'Ola Berg' });
  await expect(page.getByRole('switch', { name: 'Online' })).not.toBeChecked();
  await page.getByRole('switch', { name: 'Online' }).click();
  await expect(page.getByRole('switch', { name: 'Online' })).toBeChecked();
  await page.goto(`/workflows/${wf.id}`);
  await page.getByRole('tab', { name: 'Test run' }).click();
  await run.getByText('Paste JSON').click();
  await run.getByLabel('Leads as JSON (an object or an array)').fill(JSON.stringify(LEAD));
  await run.getByRole('button', { name: 'Add pasted leads' }).click();
  await run.getByRole('button', { name: 'Run 1 lead' }).click();
  await expect(run.getByTestId('lead-result')).toContainText('Ola Berg');
  await expect(run.getByTestId('lead-result').locator('.tr-step').filter({ hasText: 'Availability pool' })).not.toContainText('offline');
});

test('the rep form edits a break and weekly caps, the team form a team cap', async ({ page, stack, snap }) => {
  const day = [{ start: '09:00', end: '17:00' }];
  await apiCall(stack, stack.keys.admin, 'POST', '/api/reps', { id: 'rep-bree', name: 'Bree Kask', email: 'bree@availability-e2e.example', timeZone: 'Europe/Tallinn', workingHours: { mon: day, tue: day } });
  await signIn(page, stack.admin);
  await page.goto('/directory/reps');
  const row = page.getByRole('table', { name: 'Reps' }).getByRole('row').filter({ hasText: 'Bree Kask' });
  await row.getByRole('button', { name: 'Edit Bree Kask' }).click();
  const form = page.getByRole('dialog', { name: 'Edit Bree Kask' });
  // Monday: 09:00-12:00, a break, then 13:00-17:00.
  await form.getByLabel('Monday until').fill('12:00');
  await form.getByRole('button', { name: 'Add a break on Monday' }).click();
  await form.getByLabel('Monday from (2)').fill('13:00');
  await form.getByLabel('Monday until (2)').fill('17:00');
  await expect(form.getByTestId('working-hours-summary')).toHaveText('Mon 09:00-12:00 & 13:00-17:00, Tue 09:00-17:00');
  await form.getByLabel('Leads per week cap').fill('40');
  await form.getByLabel('Leads per month cap').fill('150');
  await form.getByLabel('Caps count days in').selectOption('workspace');
  await snap(page, '3-rep-form-break-and-caps');
  await form.getByRole('button', { name: 'Save rep' }).click();
  await expect(form).toHaveCount(0);
  const saved = await apiCall<{ workingHours: { mon: unknown[] }; caps: Record<string, number>; capsTimeZone: string }>(stack, stack.keys.viewer, 'GET', '/api/reps/rep-bree');
  expect(saved.workingHours.mon).toEqual([{ start: '09:00', end: '12:00' }, { start: '13:00', end: '17:00' }]);
  expect(saved.caps).toEqual({ perWeek: 40, perMonth: 150 });
  expect(saved.capsTimeZone).toBe('workspace');
  await expect(row).toContainText('40/week · 150/month (workspace time)');

  await apiCall(stack, stack.keys.admin, 'POST', '/api/teams', { id: 'team-bree', name: 'Bree pool', members: [{ repId: 'rep-bree', weight: 1 }] });
  await page.goto('/directory/teams');
  const teamRow = page.getByRole('table', { name: 'Teams' }).getByRole('row').filter({ hasText: 'Bree pool' });
  await teamRow.getByRole('button', { name: 'Edit Bree pool' }).click();
  const teamForm = page.getByRole('dialog', { name: 'Edit Bree pool' });
  await teamForm.getByLabel('Team leads per week cap').fill('200');
  await snap(page, '4-team-form-cap');
  await teamForm.getByRole('button', { name: 'Save team' }).click();
  await expect(teamRow).toContainText('200/week');
  expect((await apiCall<{ caps: Record<string, number> }>(stack, stack.keys.viewer, 'GET', '/api/teams/team-bree')).caps).toEqual({ perWeek: 200 });
  await snap(page, '5-teams-with-cap');
});
