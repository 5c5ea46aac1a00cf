import { apiCall, expect, signIn, test } from './support/fixtures';
import { inspector, node, select } from './support/canvas';

// Issue #16: a wait's SLA can count the assignee's working hours and remind before it runs out; a rep keeps
// a holiday calendar of their own (a country and region of the date-holidays package).

test('wait inspector: business-hours SLA with reminders', async ({ page, stack, snap }) => {
  test.setTimeout(180_000);
  const n = (id: string, type: string, row: number, config: unknown) => ({ id, type, position: { x: 300, y: row * 180 }, config });
  const wf = await apiCall<{ id: string }>(stack, stack.keys.editor, 'POST', '/api/workflows', {
    name: 'SLA clock e2e',
    graph: {
      schemaVersion: 1,
      nodes: [n('trigger', 'trigger', 0, { source: 'webhook' }), n('sla', 'wait', 1, { until: 'accepted', timeout: { amount: 15, unit: 'minutes' } }), n('end', 'end', 2, { outcome: 'routed' })],
      edges: [
        { id: 'trigger:next->sla', source: 'trigger', sourceHandle: 'next', target: 'sla' },
        { id: 'sla:accepted->end', source: 'sla', sourceHandle: 'accepted', target: 'end' },
        { id: 'sla:timed_out->end', source: 'sla', sourceHandle: 'timed_out', target: 'end' },
      ],
    },
  });
  await signIn(page, stack.admin);
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(`/workflows/${wf.id}`);
  await expect(node(page, 'sla')).toBeVisible();
  await select(page, 'sla');
  const ins = inspector(page);
  await ins.getByLabel('SLA counts').selectOption({ label: "Assignee's working hours" });
  await ins.getByLabel('Remind at (% of the SLA)').fill('50, 80');
  await expect(ins.getByLabel('Reminder message (in-app to the assignee)')).toHaveValue(/still waiting for you/);
  await expect(node(page, 'sla')).toContainText('SLA 15 minutes of working time, reminders at 50%, 80%');
  await expect(node(page, 'sla')).toContainText('Timed out (15 minutes working)');
  await snap(page, 'wait-inspector-business-sla');
  // Days cannot be counted in working time: the compiler says so under the field.
  await ins.getByLabel('SLA unit').selectOption('days');
  await expect(page.getByText(/a business-hours SLA counts minutes or hours/).first()).toBeVisible();
});

test('rep form: a holiday calendar of their own, with a region', async ({ page, stack, snap }) => {
  await apiCall(stack, stack.keys.admin, 'POST', '/api/reps', { id: 'rep-holly', name: 'Holly Feiertag', email: 'holly@example.com', timeZone: 'Europe/Berlin' });
  await signIn(page, stack.admin);
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto('/directory/reps');
  const row = page.getByRole('table', { name: 'Reps' }).getByRole('row').filter({ hasText: 'Holly Feiertag' });
  await row.getByRole('button', { name: 'Edit Holly Feiertag' }).click();
  const form = page.getByRole('dialog', { name: 'Edit Holly Feiertag' });
  await expect(form.getByLabel('Holiday calendar')).toHaveValue('');
  await form.getByLabel('Holiday calendar').selectOption({ label: 'Germany (DE)' });
  await form.getByLabel('Holiday region').selectOption({ label: 'Bayern (BY)' });
  await snap(page, 'rep-form-holiday-calendar');
  await form.getByRole('button', { name: 'Save rep' }).click();
  await expect(form).toBeHidden();
  const saved = await apiCall<{ items: { id: string; holidayCalendar?: unknown }[] }>(stack, stack.keys.admin, 'GET', '/api/reps?q=Holly');
  expect(saved.items.find((r) => r.id === 'rep-holly')?.holidayCalendar).toEqual({ country: 'DE', region: 'BY' });
});
