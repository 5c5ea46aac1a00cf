import { generateKeyPairSync } from 'node:crypto';
import { SalesforceContract } from '@lead-router/testkit/crm/salesforce-contract';
import { inboundGraph } from './support/graphs';
import { inspector, select } from './support/canvas';
import { apiCall, expect, signIn, test } from './support/fixtures';
import { publishWorkflow } from './support/workflows';

// Issue 17, the CRM connections page: an admin connects a Salesforce org (the contract server, on loopback,
// with real jsforce in the API server) through the JWT bearer flow, tests it, edits the Lead mapping (a
// type mismatch is named), previews it on real records, and points the connection at a workflow by name,
// which that workflow's CRM trigger then shows; a Lead created in the org then arrives, is routed to Ana, and
// the published graph's `crm_update` step writes Ana's Salesforce user back as the Lead's owner: the trace
// ends with Salesforce's answer.

test.use({ viewport: { width: 1440, height: 900 } });

let sf: SalesforceContract;
let anaUser = '';
const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PRIVATE_KEY = keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const suffix = Date.now().toString(36);

test.beforeAll(async () => {
  sf = await SalesforceContract.start();
  sf.registerApp({ clientId: 'e2e-app', clientSecret: 'e2e-consumer-secret', certificate: keys.publicKey.export({ type: 'spki', format: 'pem' }).toString() });
  sf.registerUser('integration@acme.example');
  // Ana's Salesforce user: the directory's rep Ana Diaz is linked to it by email.
  anaUser = sf.registerUser('ana@example.com', { FirstName: 'Ana', LastName: 'Diaz' });
  sf.create('Lead', { FirstName: 'Greta', LastName: 'Preview', Email: `greta-${suffix}@acme.example`, Company: 'Acme Preview GmbH', NumberOfEmployees: 420, Country: 'DE' });
  sf.create('Lead', { FirstName: 'Hugo', LastName: 'Preview', Email: `hugo-${suffix}@acme.example`, Company: 'Hugo Preview AG', NumberOfEmployees: 12, Country: 'AT' });
});
test.afterAll(async () => {
  await sf?.close();
});

test('an admin connects Salesforce, tests it, maps fields with a preview of real records, and sets the workflow', async ({ page, stack, snap }) => {
  const workflowName = `CRM inbound ${suffix}`;
  // A graph whose trigger's source is the CRM, and whose assignment is written back to the CRM's record.
  const writeBack = {
    id: 'owner-back',
    type: 'crm_update',
    position: { x: 600, y: 270 },
    label: 'Owner to Salesforce',
    config: { connectionId: null, writeOwner: true, fields: [{ source: 'constant', crmField: 'Status', value: 'Working - Contacted' }], task: null },
  };
  const graph = {
    ...inboundGraph,
    nodes: [...inboundGraph.nodes.map((n) => (n.id === 'trigger' ? { ...n, config: { source: 'crm' } } : n)), writeBack],
    edges: [
      ...inboundGraph.edges.filter((e) => !(e.source === 'assign-ana' && e.sourceHandle === 'assigned')),
      { id: 'assign-ana:assigned->owner-back', source: 'assign-ana', sourceHandle: 'assigned', target: 'owner-back' },
      { id: 'owner-back:written->sla', source: 'owner-back', sourceHandle: 'written', target: 'sla' },
    ],
  };
  const wf = await publishWorkflow(stack, workflowName, graph as typeof inboundGraph);
  const name = `Acme Salesforce ${suffix}`;
  await signIn(page, stack.admin);
  await page.goto('/settings/crm');

  await page.getByRole('button', { name: 'New connection' }).click();
  const form = page.getByRole('form', { name: 'New connection' });
  await form.getByRole('combobox', { name: 'CRM and sign-in', exact: true }).selectOption('sf_jwt');
  await form.getByLabel('Connection name').fill(name);
  await form.getByRole('combobox', { name: 'Login URL', exact: true }).selectOption('custom');
  await form.getByLabel('Custom login URL').fill(sf.url);
  await form.getByLabel('Consumer key').fill('e2e-app');
  await form.getByLabel('Integration username').fill('integration@acme.example');
  await form.getByLabel('Private key (PEM)').fill(PRIVATE_KEY);
  await form.getByRole('button', { name: 'Create connection' }).click();
  await expect(page.getByText(`Added ${name}`)).toBeVisible();

  const table = page.getByRole('table', { name: 'CRM connections' });
  const row = table.getByRole('row').filter({ hasText: name });
  await page.getByRole('button', { name: `Test ${name}` }).click();
  await expect(page.getByRole('status').filter({ hasText: `${name}: connection works` })).toBeVisible();
  await expect(row).toContainText('connected');
  await expect(row).toContainText(/\d+ \/ 15,000/);

  // The Lead mapping: Company into a number field is refused, naming the row and the field.
  const mapping = page.getByRole('region', { name: 'Lead field mapping' });
  await expect(mapping.getByRole('combobox', { name: 'CRM field of row 6' })).toHaveValue('Company');
  await mapping.getByRole('combobox', { name: 'Lead field of row 6' }).selectOption('employees');
  await mapping.getByRole('button', { name: 'Save mapping' }).click();
  await expect(mapping.getByRole('alert').first()).toContainText('Lead.Company is a string field in the CRM and cannot fill a number field');
  await mapping.getByRole('combobox', { name: 'Lead field of row 6' }).selectOption('company');

  // Preview on the org's real records (the contract server's), then save.
  await mapping.getByRole('button', { name: 'Preview' }).click();
  const preview = mapping.getByRole('region', { name: 'Mapping preview' });
  await expect(preview.getByRole('row').filter({ hasText: `greta-${suffix}@acme.example` })).toContainText('Acme Preview GmbH');
  await expect(preview.getByRole('row').filter({ hasText: `greta-${suffix}@acme.example` })).toContainText('420');
  await expect(preview.getByRole('row').filter({ hasText: `hugo-${suffix}@acme.example` })).toContainText('Hugo Preview AG');
  await mapping.getByRole('button', { name: 'Save mapping' }).click();
  await expect(page.getByText(`Saved the Lead mapping of ${name}`)).toBeVisible();
  await page.evaluate('window.scrollTo(0, 0)');
  await snap(page, 'settings-crm-mapping');

  // The workflow, by name; the list shows it.
  const settings = page.getByRole('form', { name: 'Connection settings' });
  await settings.getByRole('combobox', { name: /^Workflow the leads go to/ }).selectOption({ label: workflowName });
  await settings.getByRole('combobox', { name: /^When a routed record changes/ }).selectOption('reroute');
  await settings.getByLabel('Poll every (seconds)').fill('10');
  await settings.getByRole('button', { name: 'Save settings' }).click();
  await expect(row).toContainText(workflowName);
  const stored = await apiCall<{ connections: Array<{ name: string; workflowId: string; onUpdate: string; pollIntervalSeconds: number }> }>(stack, stack.keys.admin, 'GET', '/api/crm/connections');
  expect(stored.connections.find((c) => c.name === name)).toMatchObject({ workflowId: wf.id, onUpdate: 'reroute', pollIntervalSeconds: 10 });
  await page.evaluate('window.scrollTo(0, 0)');
  expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(1440);
  await snap(page, 'settings-crm-list');

  // The workflow's trigger, set to CRM, shows the connection ticked.
  await page.goto(`/workflows/${wf.id}`);
  await select(page, 'trigger');
  await inspector(page).getByRole('combobox', { name: 'Source', exact: true }).selectOption('crm');
  const picker = inspector(page).getByRole('group', { name: 'CRM connections' });
  await expect(picker.getByRole('checkbox', { name })).toBeChecked();
  await picker.scrollIntoViewIfNeeded();
  // The page itself never scrolls sideways at 1440 px.
  expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(1440);
  await snap(page, 'settings-crm-trigger');

  // The org's users are synced (as the schedule would), so Ana is linked to her Salesforce user by email.
  const connection = stored.connections.find((c) => c.name === name) as unknown as { id: string };
  await apiCall(stack, stack.keys.admin, 'POST', `/api/crm/connections/${connection.id}/sync`);

  // A Lead created in Salesforce now is polled into the workflow and routed: its trace on the lead's page.
  const iris = sf.create('Lead', { FirstName: 'Iris', LastName: 'Trace', Email: `iris-${suffix}@acme.example`, Company: 'Iris Trace Ltd', NumberOfEmployees: 50 });
  let leadId = '';
  await expect
    .poll(
      async () => {
        const r = await apiCall<{ items: Array<{ leadId: string }> }>(stack, stack.keys.viewer, 'GET', `/api/leads?workflow=${wf.id}`);
        leadId = r.items[0]?.leadId ?? '';
        return r.items.length;
      },
      { timeout: 45_000, intervals: [1_000] },
    )
    .toBe(1);
  await page.goto(`/leads/${leadId}`);
  await expect(page.getByText(`iris-${suffix}@acme.example`).first()).toBeVisible();
  const trace = page.getByRole('list', { name: 'Trace' });
  await expect(trace.getByText('Inbound lead')).toBeVisible();
  await expect(trace.getByText('Assigned to Ana Diaz').first()).toBeVisible();
  // The owner written back: in the org, and Salesforce's answer in the trace.
  await expect.poll(() => sf.get('Lead', iris.Id as string)?.OwnerId, { timeout: 30_000 }).toBe(anaUser);
  expect(sf.get('Lead', iris.Id as string)).toMatchObject({ Status: 'Working - Contacted' });
  await expect(trace.getByText('Written to the CRM')).toBeVisible();
  await expect(trace.getByText(`Owner: Ana Diaz (CRM user ${anaUser})`)).toBeVisible();
  await snap(page, 'settings-crm-lead-trace');
});

test('an admin connects Salesforce through the OAuth web-server flow: the browser goes to the org and comes back connected', async ({ page, stack, snap }) => {
  // The contract org approves at once and sends the browser back to the app's callback.
  sf.registerApp({ clientId: 'e2e-web-app', clientSecret: 'e2e-web-secret', redirectUris: [`${stack.baseURL}/api/crm/oauth/callback`] });
  const name = `Acme OAuth ${suffix}`;
  await signIn(page, stack.admin);
  await page.goto('/settings/crm');
  await page.getByRole('button', { name: 'New connection' }).click();
  const form = page.getByRole('form', { name: 'New connection' });
  await form.getByLabel('Connection name').fill(name);
  await form.getByRole('combobox', { name: 'Login URL', exact: true }).selectOption('custom');
  await form.getByLabel('Custom login URL').fill(sf.url);
  await form.getByLabel('Consumer key').fill('e2e-web-app');
  await form.getByLabel(/^Consumer secret/).fill('e2e-web-secret');
  await form.getByRole('button', { name: 'Create and connect' }).click();
  await expect(page).toHaveURL(/\/settings\/crm\?crm=connected&connection=/);
  await expect(page.getByRole('status').filter({ hasText: `Connected to Salesforce: ${name}` })).toBeVisible();
  const row = page.getByRole('table', { name: 'CRM connections' }).getByRole('row').filter({ hasText: name });
  await expect(row).toContainText('connected');
  await expect(page.getByRole('button', { name: `Reconnect ${name}` })).toBeVisible();
  await page.getByRole('button', { name: `Test ${name}` }).click();
  await expect(page.getByRole('status').filter({ hasText: `${name}: connection works` })).toBeVisible();
  await snap(page, 'settings-crm-oauth');
});
