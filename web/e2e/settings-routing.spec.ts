import { apiCall, expect, signIn, test } from './support/fixtures';

// Issue 16: the workspace's routing settings page: time zone (searched), holiday calendar (Germany, Bavaria)
// with its next public holidays, and a company day off; saved, and read back by the API and after a reload.

test.use({ viewport: { width: 1440, height: 900 } });

test('an admin sets the time zone, the DE/BY holiday calendar and a company day off, and sees the upcoming holidays', async ({ page, stack, snap }) => {
  await signIn(page, stack.admin);
  await page.goto('/workflows');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
  await expect(page).toHaveURL(/\/settings\/routing$/);
  const form = page.getByRole('form', { name: 'Routing settings' });

  await form.getByLabel('Search time zones').fill('berl');
  await form.getByRole('combobox', { name: 'Workspace time zone', exact: true }).selectOption('Europe/Berlin');
  await form.getByRole('combobox', { name: 'Country', exact: true }).selectOption('DE');
  await form.getByRole('combobox', { name: 'Region', exact: true }).selectOption('BY');
  const upcoming = form.getByRole('region', { name: 'Upcoming holidays' });
  // Whatever today is, Bavaria's next public holidays include Christmas Day (Dec 25) among the next eight.
  await expect(upcoming.getByRole('listitem').first()).toBeVisible();
  await expect(upcoming.getByRole('listitem')).toHaveCount(8);
  await expect(upcoming).toContainText('Christmas Day');

  const year = new Date().getFullYear() + 1;
  await form.getByLabel('Day off date').fill(`${year}-07-03`);
  await form.getByLabel('Day off name').fill('Summer party');
  await form.getByRole('button', { name: 'Add day off' }).click();
  await expect(form.getByRole('list', { name: 'Company days off' })).toContainText('Summer party');
  await expect(form.getByRole('list', { name: 'Company days off' })).toContainText(`Jul 3, ${year}`);
  await form.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByText('Saved the routing settings')).toBeVisible();
  await expect(form.getByText('Unsaved changes')).toHaveCount(0);
  await snap(page, 'settings-routing');

  const stored = await apiCall<{ timeZone: string; holidayCalendar: unknown; daysOff: unknown[] }>(stack, stack.keys.viewer, 'GET', '/api/workspace/settings');
  expect(stored).toEqual({ timeZone: 'Europe/Berlin', holidayCalendar: { country: 'DE', region: 'BY' }, daysOff: [{ date: `${year}-07-03`, name: 'Summer party' }] });

  await page.reload();
  await expect(page.getByRole('combobox', { name: 'Region', exact: true })).toHaveValue('BY');
  await expect(page.getByRole('list', { name: 'Company days off' })).toContainText('Summer party');

  // A viewer reads them and cannot change them.
  await page.context().clearCookies();
  await signIn(page, stack.viewer);
  await page.goto('/settings/routing');
  await expect(page.getByText('Only admins change these settings')).toBeVisible();
  await expect(page.getByRole('combobox', { name: 'Country', exact: true })).toBeDisabled();
  await expect(page.getByRole('button', { name: 'Save settings' })).toHaveCount(0);
  await page.goto('/settings/crm');
  await expect(page.getByText('Only admins manage CRM connections')).toBeVisible();
  await snap(page, 'settings-crm-viewer');
});
