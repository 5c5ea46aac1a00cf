import { inboundGraph } from './support/graphs';
import { apiCall, expect, signIn, test } from './support/fixtures';
import { publishWorkflow } from './support/workflows';

// The app's pages as their users meet them, on the real stack.

test('an admin signs in and lands on the workflows', async ({ page, stack, snap }) => {
  await signIn(page, stack.admin);
  await expect(page).toHaveURL(/\/workflows$/);
  await expect(page.getByRole('heading', { name: 'Workflows' })).toBeVisible();
  await snap(page, 'signed-in-admin');
});

test('a wrong password is refused with the reason, and no session', async ({ page, stack }) => {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(stack.admin.email);
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toBeVisible();
  await page.goto('/directory');
  await expect(page).toHaveURL(/\/sign-in$/);
});

test('workflows home: status, last publish, duplicate, archive, open the builder', async ({ page, stack, snap }) => {
  const wf = await publishWorkflow(stack, 'Home page routing', inboundGraph);
  await signIn(page, stack.admin);
  const table = page.getByRole('table', { name: 'Workflows' });
  const row = table.getByRole('row').filter({ has: page.getByRole('link', { name: 'Home page routing', exact: true }) });
  await expect(row).toContainText('active · v1');
  await expect(row.getByRole('cell').nth(2)).not.toHaveText('—');
  await snap(page, 'workflows-home');

  // Duplicate and Archive sit in the row's actions menu.
  await row.getByRole('button', { name: 'Actions for Home page routing' }).click();
  await page.getByRole('menuitem', { name: 'Duplicate' }).click();
  const copy = table.getByRole('row').filter({ hasText: 'Home page routing (copy)' });
  await expect(copy).toContainText('draft only');
  page.once('dialog', (d) => void d.accept());
  await copy.getByRole('button', { name: /^Actions for / }).click();
  await page.getByRole('menuitem', { name: 'Archive' }).click();
  await expect(copy).toHaveCount(0);
  await page.getByLabel('Show archived').check();
  await expect(table.getByRole('row').filter({ hasText: 'Home page routing (copy)' })).toContainText('archived');
  await snap(page, 'workflows-archived-copy');

  await row.getByRole('link', { name: 'Home page routing', exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/workflows/${wf.id}$`));

  // A new workflow starts as a draft and opens in the builder.
  await page.goto('/workflows');
  await page.getByRole('button', { name: 'New workflow' }).click();
  const dialog = page.getByRole('dialog', { name: 'New workflow' });
  await dialog.getByLabel('Name').fill('Partner leads');
  await dialog.getByLabel('Description').fill('Leads from the partner portal');
  await dialog.getByRole('button', { name: 'Create' }).click();
  await expect(page).toHaveURL(/\/workflows\/[0-9a-f-]{36}$/);
  const created = await apiCall<{ workflows: { name: string; status: string }[] }>(stack, stack.keys.viewer, 'GET', '/api/workflows');
  expect(created.workflows.find((w) => w.name === 'Partner leads')?.status).toBe('draft_only');
});

test('a viewer sees the app but no edit controls', async ({ page, stack, snap }) => {
  await publishWorkflow(stack, 'Viewer can read this', inboundGraph);
  await signIn(page, stack.viewer);
  await expect(page.getByRole('table', { name: 'Workflows' })).toContainText('Viewer can read this');
  await expect(page.getByRole('button', { name: 'New workflow' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: /^Actions for / })).toHaveCount(0);
  await snap(page, 'viewer-workflows');

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Directory' }).click();
  await expect(page).toHaveURL(/\/directory\/reps$/);
  await expect(page.getByRole('table', { name: 'Reps' })).toContainText('Ana Diaz');
  await expect(page.getByRole('button', { name: 'New rep' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: /^Edit / })).toHaveCount(0);
  const tabs = page.getByRole('navigation', { name: 'Directory sections' });
  await expect(tabs.getByRole('link', { name: 'API keys' })).toHaveCount(0);
  await expect(tabs.getByRole('link', { name: 'Users' })).toHaveCount(0);
  await tabs.getByRole('link', { name: 'Teams' }).click();
  await expect(page.getByRole('table', { name: 'Teams' })).toContainText('Ben Okafor (1)');
  await expect(page.getByRole('button', { name: /^(New|Edit) / })).toHaveCount(0);
  await snap(page, 'viewer-directory-teams');
  // Typing the address of an admin-only section does not show it either.
  await page.goto('/directory/keys');
  await expect(page).toHaveURL(/\/directory\/reps$/);
});

test('an admin edits a rep in the directory and the change is stored', async ({ page, stack, snap }) => {
  await signIn(page, stack.admin);
  await page.goto('/directory/reps');
  await page.getByRole('button', { name: 'Edit Ben Okafor' }).click();
  const form = page.getByRole('dialog', { name: 'Edit Ben Okafor' });
  await form.getByLabel('Skills').fill('en, de, enterprise');
  await form.getByLabel('Leads per day cap').fill('12');
  await form.getByRole('combobox', { name: 'Time zone', exact: true }).fill('Europe/Berlin');
  await form.getByLabel('Available at any hour').uncheck();
  await form.getByRole('checkbox', { name: 'Saturday' }).check();
  await form.getByLabel('Saturday from').fill('10:00');
  await form.getByLabel('Saturday until').fill('14:00');
  await snap(page, 'rep-edit-form');
  await form.getByRole('button', { name: 'Save rep' }).click();
  await expect(page.getByRole('status')).toContainText('Saved Ben Okafor');
  await expect(form).toHaveCount(0);
  const row = page.getByRole('table', { name: 'Reps' }).getByRole('row').filter({ hasText: 'Ben Okafor' });
  await expect(row).toContainText('en, de, enterprise');
  await expect(row).toContainText('12 / ∞');
  await expect(row).toContainText('Europe/Berlin');
  await snap(page, 'rep-edited');

  const stored = await apiCall<{ skills: string[]; caps: { perDay?: number }; timeZone: string; workingHours: Record<string, { start: string; end: string }[]> | null }>(stack, stack.keys.viewer, 'GET', '/api/reps/rep-ben');
  expect(stored.skills).toEqual(['en', 'de', 'enterprise']);
  expect(stored.caps.perDay).toBe(12);
  expect(stored.timeZone).toBe('Europe/Berlin');
  expect(stored.workingHours?.sat).toEqual([{ start: '10:00', end: '14:00' }]);
  expect(stored.workingHours?.mon).toEqual([{ start: '09:00', end: '17:00' }]);
});

test('a bad rep edit is refused naming the field, and nothing changes', async ({ page, stack }) => {
  await signIn(page, stack.admin);
  await page.goto('/directory/reps');
  await page.getByRole('button', { name: 'Edit Cara Singh' }).click();
  const form = page.getByRole('dialog', { name: 'Edit Cara Singh' });
  await form.getByRole('combobox', { name: 'Time zone', exact: true }).fill('Mars/Olympus_Mons');
  await form.getByRole('button', { name: 'Save rep' }).click();
  await expect(form.getByRole('alert')).toContainText('timeZone');
  const stored = await apiCall<{ timeZone: string }>(stack, stack.keys.viewer, 'GET', '/api/reps/rep-cara');
  expect(stored.timeZone).toBe('Asia/Kolkata');
});

test('creating an API key shows its secret once, and the secret works', async ({ page, stack, snap }) => {
  await signIn(page, stack.admin);
  await page.goto('/directory/keys');
  await page.getByLabel('Key name').fill('Website form');
  await page.getByLabel('Key role').selectOption('ingest');
  await page.getByRole('button', { name: 'Create key' }).click();
  const secretBox = page.getByRole('region', { name: 'New key secret' });
  await expect(secretBox).toContainText('shown this once');
  const secret = (await page.getByTestId('new-key-secret').textContent()) ?? '';
  expect(secret.length).toBeGreaterThan(20);
  const row = page.getByRole('table', { name: 'API keys' }).getByRole('row').filter({ hasText: 'Website form' });
  await expect(row).toContainText(`${secret.slice(0, 10)}…`);
  await snap(page, 'api-key-secret-shown');

  // The secret is a working key with the chosen role.
  const me = await apiCall<{ role: string; name: string }>(stack, secret, 'GET', '/api/auth/me');
  expect(me).toMatchObject({ role: 'ingest', name: 'key Website form' });

  // Dismissed, it is gone; after a reload it is nowhere on the page, only its prefix is.
  await secretBox.getByRole('button', { name: 'I have copied it' }).click();
  await expect(secretBox).toHaveCount(0);
  await page.reload();
  await expect(row).toBeVisible();
  await expect(page.locator('body')).not.toContainText(secret);
  await snap(page, 'api-key-secret-gone');
});

test('accounts import from CSV: a bad file names its row and column and writes nothing; a good one lands', async ({ page, stack, snap }) => {
  await signIn(page, stack.admin);
  await page.goto('/directory/accounts');
  const form = page.getByRole('form', { name: 'Import accounts' });
  const upload = (name: string, csv: string) => form.getByLabel('CSV file').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(csv) });

  await upload('bad.csv', 'id,name,domains,owner\nacct-ok,Fine Co,fine.example,rep-ana\nacct-bad,Bad Co,bad.example,nobody@nowhere.example\n');
  await form.getByRole('button', { name: 'Import' }).click();
  const alert = form.getByRole('alert');
  await expect(alert).toContainText('nothing was imported');
  await expect(alert).toContainText('rows.2.owner');
  await snap(page, 'accounts-import-refused');
  await expect(page.getByRole('table', { name: 'Accounts' })).not.toContainText('Fine Co');

  await upload('good.csv', 'id,name,domains,owner\nacct-hopper,Hopper Labs,hopper.example;hopper.io,ana@example.com\nacct-babbage,Babbage Ltd,babbage.example,\n');
  await form.getByRole('button', { name: 'Import' }).click();
  await expect(page.getByRole('status')).toContainText('Imported: 2 created, 0 updated');
  const table = page.getByRole('table', { name: 'Accounts' });
  await expect(table.getByRole('row').filter({ hasText: 'Hopper Labs' })).toContainText('hopper.example, hopper.io');
  await expect(table.getByRole('row').filter({ hasText: 'Hopper Labs' })).toContainText('Ana Diaz');
  await expect(table.getByRole('row').filter({ hasText: 'Babbage Ltd' })).toBeVisible();
  await snap(page, 'accounts-imported');
});

test('an admin changes a team member weight', async ({ page, stack, snap }) => {
  await signIn(page, stack.admin);
  await page.goto('/directory/teams');
  await page.getByRole('button', { name: 'Edit Inbound' }).click();
  const dialog = page.getByRole('dialog', { name: 'Edit Inbound' });
  await dialog.getByLabel('Weight of Ana Diaz').fill('5');
  await dialog.getByLabel('Add a member').selectOption({ label: 'Cara Singh' });
  await dialog.getByLabel('Weight of Cara Singh').fill('2');
  await dialog.getByRole('button', { name: 'Save team' }).click();
  await expect(page.getByRole('status')).toContainText('Saved Inbound');
  await expect(page.getByRole('table', { name: 'Teams' }).getByRole('row').filter({ hasText: 'Inbound' }).first()).toContainText('Ana Diaz (5), Cara Singh (2)');
  await snap(page, 'team-weights');
  const team = await apiCall<{ members: { repId: string; weight: number }[] }>(stack, stack.keys.viewer, 'GET', '/api/teams/team-inbound');
  expect(team.members).toEqual([
    { repId: 'rep-ana', weight: 5 },
    { repId: 'rep-cara', weight: 2 },
  ]);
});

test('an admin adds a rep who is out of office, and the list says so', async ({ page, stack, snap }) => {
  await signIn(page, stack.admin);
  await page.goto('/directory/reps');
  await page.getByRole('button', { name: 'New rep' }).click();
  const form = page.getByRole('dialog', { name: 'New rep' });
  await form.getByRole('textbox', { name: /^Id/ }).fill('rep-dee');
  await form.getByLabel('Name').fill('Dee Ndlovu');
  await form.getByLabel('Email').fill('dee@example.com');
  await form.getByRole('combobox', { name: 'Time zone', exact: true }).fill('Africa/Johannesburg');
  await form.getByLabel('Skills').fill('en, zu');
  await form.getByLabel('Open leads cap').fill('8');
  await form.getByRole('button', { name: 'Add absence' }).click();
  await form.getByLabel('Note (1)').fill('Conference');
  await snap(page, 'rep-new-form');
  await form.getByRole('button', { name: 'Save rep' }).click();
  await expect(page.getByRole('status')).toContainText('Saved Dee Ndlovu');
  const row = page.getByRole('table', { name: 'Reps' }).getByRole('row').filter({ hasText: 'Dee Ndlovu' });
  await expect(row).toContainText('out of office');
  await expect(row).toContainText('∞ / 8');
  await snap(page, 'rep-added-away');
  const stored = await apiCall<{ outOfOffice: { note?: string }[]; workingHours: unknown; active: boolean }>(stack, stack.keys.viewer, 'GET', '/api/reps/rep-dee');
  expect(stored.outOfOffice).toHaveLength(1);
  expect(stored.outOfOffice[0]?.note).toBe('Conference');
  expect(stored.workingHours ?? null).toBeNull();
  expect(stored.active).toBe(true);
});

test('an admin adds a user linked to a rep, who signs in and gets that inbox', async ({ page, browser, stack }) => {
  // A rep of this test's own, so no lead routed by another spec waits in their inbox.
  await apiCall(stack, stack.keys.admin, 'POST', '/api/reps', { id: 'rep-eve', name: 'Eve Laurent', email: 'eve@example.com', timeZone: 'Europe/Paris', workingHours: null });
  await signIn(page, stack.admin);
  await page.goto('/directory/users');
  const form = page.getByRole('form', { name: 'New user' });
  await form.getByLabel('User email').fill('eve@e2e.example.com');
  await form.getByLabel('User name').fill('Eve Laurent');
  await form.getByLabel('User role').selectOption('viewer');
  await form.getByLabel('First password').fill('a long enough password');
  await form.getByLabel('Is rep').selectOption({ label: 'Eve Laurent' });
  await form.getByRole('button', { name: 'Add user' }).click();
  await expect(page.getByRole('status')).toContainText('Added Eve Laurent');
  const row = page.getByRole('table', { name: 'Users' }).getByRole('row').filter({ hasText: 'eve@e2e.example.com' });
  await expect(row.getByLabel('Rep of Eve Laurent')).toHaveValue('rep-eve');

  const context = await browser.newContext({ baseURL: stack.baseURL });
  try {
    const eve = await context.newPage();
    await signIn(eve, { email: 'eve@e2e.example.com', password: 'a long enough password', name: 'Eve Laurent' });
    await eve.goto('/inbox');
    await expect(eve.getByText('Nothing waiting for an answer.')).toBeVisible();
    await expect(eve.getByLabel('Rep')).toHaveCount(0);
  } finally {
    await context.close();
  }
});

// A control without an accessible name shows in the ARIA snapshot as its bare role: `- textbox`,
// `- checkbox [checked]`, `- combobox: value`. Named ones carry their name in quotes.
const UNNAMED_CONTROL = /^\s*- (textbox|combobox|checkbox|button|spinbutton|radio|listbox)(?: \[[^\]]*\])*(?::.*)?$/m;

test('every control on the pages has a label', async ({ page, stack }) => {
  await signIn(page, stack.admin);
  const check = async (what: string, scope = page.locator('main')) => {
    const snapshot = await scope.ariaSnapshot();
    expect(snapshot.match(UNNAMED_CONTROL)?.[0] ?? null, `${what}: a control without a label`).toBeNull();
  };
  for (const path of ['/workflows', '/leads', '/inbox', '/directory/reps', '/directory/teams', '/directory/territories', '/directory/accounts', '/directory/queues', '/directory/fields', '/directory/keys', '/directory/users']) {
    await page.goto(path);
    await expect(page.locator('main h1')).toBeVisible();
    await expect(page.locator('main .loading')).toHaveCount(0);
    await check(path);
  }
  await page.goto('/workflows');
  await page.getByRole('button', { name: 'New workflow' }).click();
  await check('new workflow dialog', page.getByRole('dialog'));
  await page.goto('/directory/reps');
  await page.getByRole('button', { name: 'Edit Ana Diaz' }).click();
  const repDialog = page.getByRole('dialog');
  await repDialog.getByLabel('Available at any hour').uncheck();
  await repDialog.getByRole('button', { name: 'Add absence' }).click();
  await check('rep dialog', repDialog);
  await page.goto('/directory/teams');
  await page.getByRole('button', { name: 'Edit SLA drill' }).click();
  await check('team dialog', page.getByRole('dialog'));
  await page.goto('/directory/territories');
  await page.getByRole('button', { name: 'Edit United States' }).click();
  await check('territory dialog', page.getByRole('dialog'));
});

test('an admin adds a queue and deletes it: the delete (204, no body) is confirmed and the row goes', async ({ page, stack, snap }) => {
  await signIn(page, stack.admin);
  await page.goto('/directory/queues');
  const form = page.getByRole('form', { name: 'New queue' });
  await form.getByLabel('Queue id').fill('q-e2e-temp');
  await form.getByLabel('Queue name').fill('Temporary e2e queue');
  await form.getByRole('button', { name: 'Add queue' }).click();
  await expect(page.getByRole('status')).toContainText('Added Temporary e2e queue');
  const table = page.getByRole('table', { name: 'Queues' });
  await expect(table.getByText('Temporary e2e queue')).toBeVisible();
  page.once('dialog', (d) => void d.accept());
  await table.getByRole('button', { name: 'Actions for Temporary e2e queue' }).click();
  await page.getByRole('menuitem', { name: 'Delete' }).click();
  await expect(page.getByRole('status')).toContainText('Queue deleted');
  await expect(table.getByText('Temporary e2e queue')).toHaveCount(0);
  await expect(page.getByRole('alert')).toHaveCount(0);
  await snap(page, 'queue-deleted');
});
