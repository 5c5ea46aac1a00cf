import { connectPostgres } from '@lead-router/db/client';
import { sql } from 'drizzle-orm';
import { inspector, node, select } from './support/canvas';
import { apiCall, expect, signIn, test } from './support/fixtures';

// Issue 17, owners out: the CRM update step's inspector (owner, CRM fields, a task) and the rep form's
// read-only list of the CRM user each connection links the rep to by email.

test.use({ viewport: { width: 1440, height: 900 } });

test('the CRM update step: owner, fields from the lead or fixed, a task; writing nothing is a problem', async ({ page, stack, snap }) => {
  test.setTimeout(180_000);
  const n = (id: string, type: string, row: number, config: unknown) => ({ id, type, position: { x: 300, y: row * 180 }, config });
  const wf = await apiCall<{ id: string }>(stack, stack.keys.editor, 'POST', '/api/workflows', {
    name: 'CRM update e2e',
    graph: {
      schemaVersion: 1,
      nodes: [n('trigger', 'trigger', 0, { source: 'crm' }), n('crm', 'crm_update', 1, { writeOwner: true, fields: [], task: null }), n('end', 'end', 2, { outcome: 'routed' })],
      edges: [
        { id: 'trigger:next->crm', source: 'trigger', sourceHandle: 'next', target: 'crm' },
        { id: 'crm:written->end', source: 'crm', sourceHandle: 'written', target: 'end' },
      ],
    },
  });
  await signIn(page, stack.admin);
  await page.goto(`/workflows/${wf.id}`);
  await expect(node(page, 'crm')).toContainText('Writes Owner');
  await expect(node(page, 'crm')).toContainText('Failed');
  await select(page, 'crm');
  const ins = inspector(page);
  await ins.getByRole('button', { name: 'Add CRM field' }).click();
  await ins.getByLabel('CRM field 1 (API name)').fill('Title');
  await ins.getByLabel('Lead field 1').selectOption({ value: 'title' });
  await ins.getByRole('button', { name: 'Add CRM field' }).click();
  await ins.getByLabel('CRM field 2 (API name)').fill('Status');
  await ins.getByLabel('Value 2 from').selectOption({ label: 'Fixed value' });
  await ins.getByLabel('Value 2', { exact: true }).fill('Working - Contacted');
  await ins.getByLabel('Create a task for the owner').check();
  await ins.getByLabel('Subject').fill('Call within the hour');
  await expect(node(page, 'crm')).toContainText('Writes Owner, 2 fields, task');
  await snap(page, 'crm-update-inspector');

  // A CRM field written twice is named under its field.
  await ins.getByLabel('CRM field 2 (API name)').fill('title');
  await expect(ins.getByLabel('CRM field 2 (API name)')).toHaveAttribute('aria-invalid', 'true');
  await expect(ins).toContainText('writes the CRM field');
  // Nothing to write: the owner off, no fields, no task.
  await ins.getByRole('button', { name: 'Remove field 2' }).click();
  await ins.getByRole('button', { name: 'Remove field 1' }).click();
  await ins.getByLabel('Create a task for the owner').uncheck();
  await ins.getByLabel(/Write the rep as owner/).uncheck();
  await expect(ins.getByRole('note')).toContainText('writes nothing to the CRM');
});

test('the rep form shows the CRM user each connection links the rep to, by email', async ({ page, stack, snap }) => {
  await apiCall(stack, stack.keys.admin, 'POST', '/api/reps', { id: 'rep-crm-e2e', name: 'Dana Whitfield', email: 'dana.whitfield@example.com', timeZone: 'Europe/Paris' });
  const database = connectPostgres(stack.databaseUrl, { max: 1 });
  try {
    // A synced connection (no credentials needed to show links): users as the sync stores them.
    const rows = (await database.db.execute(
      sql`insert into crm_connections (workspace_id, provider, name, login_url, auth_kind, last_synced_at) values (${stack.workspaceId}::uuid, 'salesforce', 'Acme Salesforce (e2e)', 'https://login.salesforce.com', 'jwt_bearer', now() - interval '5 minutes') returning id`,
    )) as unknown as Array<{ id: string }>;
    const id = rows[0]!.id;
    await database.db.execute(sql`insert into crm_users (connection_id, crm_id, email, name) values (${id}::uuid, '0055g00000AbCdEAAA', 'Dana.Whitfield@example.com', 'Dana Whitfield')`);
    await database.db.execute(
      sql`insert into crm_connections (workspace_id, provider, name, login_url, auth_kind, enabled) values (${stack.workspaceId}::uuid, 'salesforce', 'Acme sandbox (e2e)', 'https://test.salesforce.com', 'jwt_bearer', false)`,
    );
  } finally {
    await database.close();
  }
  await signIn(page, stack.admin);
  await page.goto('/directory/reps');
  const row = page.getByRole('table', { name: 'Reps' }).getByRole('row').filter({ hasText: 'Dana Whitfield' });
  await row.getByRole('button', { name: 'Edit Dana Whitfield' }).click();
  const form = page.getByRole('dialog', { name: 'Edit Dana Whitfield' });
  const links = form.getByRole('group', { name: 'CRM users' });
  await expect(links).toContainText('Salesforce · Acme Salesforce (e2e): Dana Whitfield (Dana.Whitfield@example.com, id 0055g00000AbCdEAAA)');
  await expect(links).toContainText('Salesforce · Acme sandbox (e2e): no active CRM user with this email');
  await links.scrollIntoViewIfNeeded();
  await snap(page, 'rep-form-crm-users');
});
