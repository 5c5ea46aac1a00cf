import { inboundGraph } from './support/graphs';
import { expect, signIn, test } from './support/fixtures';
import { publishWorkflow } from './support/workflows';

// Issue 13: the app has a favicon (no 404 on load), and the workflows' "Last published" carries its day.

test.use({ viewport: { width: 1440, height: 900 } });

test('the app links a favicon that loads, and nothing 404s while it starts', async ({ page, stack, snap }) => {
  const missing: string[] = [];
  page.on('response', (r) => {
    if (r.status() === 404) missing.push(r.url());
  });
  await page.goto('/sign-in');
  await expect(page.locator('link[rel="icon"]')).toHaveAttribute('href', /.+/);
  const href = await page.locator('link[rel="icon"]').getAttribute('href');
  const icon = await page.request.get(new URL(href!, stack.baseURL).toString());
  expect(icon.status()).toBe(200);
  expect(icon.headers()['content-type']).toMatch(/^image\//);
  await signIn(page, stack.admin);
  await page.waitForLoadState('networkidle');
  expect(missing).toEqual([]);
  await snap(page, 'app-loaded-with-favicon');
});

test('"Last published" shows the day with the time', async ({ page, stack, snap }) => {
  await publishWorkflow(stack, 'Published today (e2e)', inboundGraph);
  await signIn(page, stack.admin);
  const row = page.getByRole('table', { name: 'Workflows' }).getByRole('row').filter({ has: page.getByRole('link', { name: 'Published today (e2e)', exact: true }) });
  await expect(row.getByRole('cell').nth(2)).toHaveText(/^today \d\d:\d\d$/);
  await snap(page, 'workflows-last-published');
});
