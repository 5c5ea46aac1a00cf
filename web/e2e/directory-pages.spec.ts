import type { Locator, Page } from '@playwright/test';
import { apiCall, expect, signIn, test } from './support/fixtures';

// Issue 13, the directory: the accounts page's two forms side by side without overlapping (defect 7);
// working hours in week order with their hours and time zone; keys' creation with its day.

test.use({ viewport: { width: 1440, height: 900 } });

type Box = { x: number; y: number; width: number; height: number };
const overlap = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
const inside = (inner: Box, outer: Box) => inner.x >= outer.x - 0.5 && inner.y >= outer.y - 0.5 && inner.x + inner.width <= outer.x + outer.width + 0.5 && inner.y + inner.height <= outer.y + outer.height + 0.5;
async function box(l: Locator): Promise<Box> {
  const b = await l.boundingBox();
  if (!b) throw new Error('not rendered');
  return b;
}
/** Every control of a form, each with its box. */
async function controls(page: Page, form: Locator): Promise<Box[]> {
  await expect(form).toBeVisible();
  const all = form.locator('input, select, button, textarea, .field-hint, .field-label');
  const boxes: Box[] = [];
  for (let i = 0; i < (await all.count()); i++) boxes.push(await box(all.nth(i)));
  return boxes;
}

test('the accounts page draws the CSV import and the Add account form apart, each control inside its own form', async ({ page, stack, snap }) => {
  await signIn(page, stack.admin);
  await page.goto('/directory/accounts');
  const importForm = page.getByRole('form', { name: 'Import accounts' });
  const addForm = page.getByRole('form', { name: 'New account' });
  await importForm.getByLabel('CSV file').setInputFiles({ name: 'a-file-with-a-rather-long-name-for-the-label.csv', mimeType: 'text/csv', buffer: Buffer.from('id,name,domains,owner\n') });
  const importBox = await box(importForm);
  const addBox = await box(addForm);
  expect(overlap(importBox, addBox), 'the two forms overlap').toBe(false);
  for (const c of await controls(page, importForm)) {
    expect(inside(c, importBox), `an import control sticks out of its form: ${JSON.stringify(c)}`).toBe(true);
    expect(overlap(c, addBox), 'an import control is drawn over the Add account form').toBe(false);
  }
  for (const c of await controls(page, addForm)) {
    expect(inside(c, addBox), `an Add account control sticks out of its form: ${JSON.stringify(c)}`).toBe(true);
    expect(overlap(c, importBox), 'an Add account control is drawn over the import form').toBe(false);
  }
  // The table starts below both forms.
  const table = await box(page.getByRole('table', { name: 'Accounts' }));
  expect(table.y).toBeGreaterThanOrEqual(Math.max(importBox.y + importBox.height, addBox.y + addBox.height));
  await snap(page, 'accounts-forms');
});

test('reps list their working hours in week order with the hours and the time zone; the form sums them up too', async ({ page, stack, snap }) => {
  const short = [{ start: '09:00', end: '13:00' }];
  const day = [{ start: '09:00', end: '17:00' }];
  await apiCall(stack, stack.keys.admin, 'POST', '/api/reps', {
    id: 'rep-hanna',
    name: 'Hanna Berg',
    email: 'hanna@example.com',
    timeZone: 'Europe/Berlin',
    workingHours: { fri: short, thu: day, mon: day, wed: day, tue: day },
  });
  await signIn(page, stack.admin);
  await page.goto('/directory/reps');
  const row = page.getByRole('table', { name: 'Reps' }).getByRole('row').filter({ hasText: 'Hanna Berg' });
  await expect(row).toContainText('Mon-Thu 09:00-17:00, Fri 09:00-13:00');
  await expect(row).toContainText('Europe/Berlin');
  await expect(page.getByRole('table', { name: 'Reps' }).getByRole('row').filter({ hasText: 'Ana Diaz' })).toContainText('Any hour');
  await snap(page, 'reps-working-hours');

  await row.getByRole('button', { name: 'Edit Hanna Berg' }).click();
  const form = page.getByRole('dialog', { name: 'Edit Hanna Berg' });
  await expect(form.getByTestId('working-hours-summary')).toHaveText('Mon-Thu 09:00-17:00, Fri 09:00-13:00');
  await form.getByRole('checkbox', { name: 'Saturday' }).check();
  await form.getByLabel('Saturday from').fill('10:00');
  await form.getByLabel('Saturday until').fill('14:00');
  await expect(form.getByTestId('working-hours-summary')).toHaveText('Mon-Thu 09:00-17:00, Fri 09:00-13:00, Sat 10:00-14:00');
  await snap(page, 'rep-form-working-hours');
});

test('API keys show the day they were created, not a bare time', async ({ page, stack, snap }) => {
  await signIn(page, stack.admin);
  await page.goto('/directory/keys');
  const row = page.getByRole('table', { name: 'API keys' }).getByRole('row').filter({ hasText: 'e2e admin key' });
  const created = row.getByRole('cell').nth(3);
  await expect(created).toHaveText(/^today \d\d:\d\d$/);
  await snap(page, 'keys-created');
});
