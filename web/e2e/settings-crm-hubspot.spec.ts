import { HubSpotContract } from '@lead-router/testkit/crm/hubspot-contract';
import { apiCall, expect, signIn, test } from './support/fixtures';

// A HubSpot connection's settings: the Contact mapping with HubSpot's own properties (label, internal name,
// type), a type mismatch named, and the preview on the account's latest contacts (the contract server, with
// the real @hubspot/api-client in the API server). No Salesforce-only settings are shown.

test.use({ viewport: { width: 1440, height: 900 } });

let hs: HubSpotContract;
const suffix = Date.now().toString(36);

test.beforeAll(async () => {
  hs = await HubSpotContract.start();
  hs.create('contacts', { firstname: 'Greta', lastname: 'Hub', email: `greta-${suffix}@acme.example`, company: 'Greta Hub GmbH', jobtitle: 'CTO', country: 'DE' });
  hs.create('contacts', { firstname: 'Hugo', lastname: 'Hub', email: `hugo-${suffix}@acme.example`, company: 'Hugo Hub AG', jobtitle: 'CFO', country: 'AT' });
});
test.afterAll(async () => {
  await hs?.close();
});

test('an admin edits a HubSpot connection’s Contact mapping and previews it on real contacts', async ({ page, stack, snap }) => {
  const name = `Acme HubSpot ${suffix}`;
  await apiCall(stack, stack.keys.admin, 'POST', '/api/crm/connections', { provider: 'hubspot', authKind: 'hubspot_private_app', name, loginUrl: hs.url, accessToken: hs.privateAppToken() });
  await signIn(page, stack.admin);
  await page.goto('/settings/crm');
  await page.getByRole('button', { name: `Edit ${name}` }).click();

  const settings = page.getByRole('form', { name: 'Connection settings' });
  await expect(settings).toContainText('Contacts (HubSpot’s one object read as leads)');
  await expect(settings.getByLabel('API usage ceiling (%)')).toHaveCount(0);

  const mapping = page.getByRole('region', { name: 'Contact field mapping' });
  await expect(mapping.getByRole('combobox', { name: 'CRM field of row 5' })).toHaveValue('jobtitle');
  await expect(mapping.getByRole('combobox', { name: 'CRM field of row 5' }).locator('option:checked')).toHaveText('Job Title (jobtitle, string)');
  await expect(mapping).not.toContainText('standard fields');

  // Number of Employees is a dropdown of ranges in HubSpot: it cannot fill a number field.
  await mapping.getByRole('combobox', { name: 'CRM field of row 5' }).selectOption('numemployees');
  await mapping.getByRole('combobox', { name: 'Lead field of row 5' }).selectOption('employees');
  await mapping.getByRole('button', { name: 'Preview' }).click();
  await expect(mapping.getByRole('alert').first()).toContainText('Contact.numemployees is an enumeration field in the CRM and cannot fill a number field');
  await mapping.getByRole('combobox', { name: 'CRM field of row 5' }).selectOption('jobtitle');
  await mapping.getByRole('combobox', { name: 'Lead field of row 5' }).selectOption('title');

  await mapping.getByRole('button', { name: 'Preview' }).click();
  const preview = mapping.getByRole('region', { name: 'Mapping preview' });
  await expect(preview).toContainText('Preview: the 2 latest Contact records as leads');
  await expect(preview.getByRole('row').filter({ hasText: `greta-${suffix}@acme.example` })).toContainText('Greta Hub GmbH');
  await expect(preview.getByRole('row').filter({ hasText: `hugo-${suffix}@acme.example` })).toContainText('CFO');
  await mapping.getByRole('button', { name: 'Save mapping' }).click();
  await expect(page.getByText(`Saved the Contact mapping of ${name}`)).toBeVisible();
  expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(1440);
  await page.evaluate('window.scrollTo(0, 0)');
  await snap(page, 'settings-crm-hubspot-preview');
});

test('an admin connects HubSpot with an OAuth app: created, installed in the browser, back connected', async ({ page, stack, snap }) => {
  // The contract server's authorize page approves at once and sends the browser back to the app's callback.
  hs.registerApp({ clientId: 'e2e-hs-oauth-app', clientSecret: 'e2e-hs-oauth-secret' });
  const name = `Acme HubSpot OAuth ${suffix}`;
  await signIn(page, stack.admin);
  await page.goto('/settings/crm');
  await page.getByRole('button', { name: 'New connection' }).click();
  const form = page.getByRole('form', { name: 'New connection' });
  await form.getByRole('combobox', { name: 'CRM and sign-in' }).selectOption('hubspot_oauth');
  await expect(form.getByLabel(/^Consumer key/)).toHaveCount(0);
  await expect(form.getByLabel(/^Private app token/)).toHaveCount(0);
  await form.getByLabel('Connection name').fill(name);
  await expect(form.getByLabel('HubSpot API URL')).toHaveValue('https://api.hubapi.com');
  await form.getByLabel('HubSpot API URL').fill(hs.url);
  await form.getByLabel('App client id').fill('e2e-hs-oauth-app');
  await form.getByLabel(/^App client secret/).fill('e2e-hs-oauth-secret');
  await page.evaluate('window.scrollTo(0, 0)');
  await snap(page, 'settings-crm-hubspot-oauth-form');
  await form.getByRole('button', { name: 'Create and connect' }).click();

  await expect(page).toHaveURL(/\/settings\/crm\?crm=connected&connection=/);
  await expect(page.getByRole('status').filter({ hasText: `Connected to HubSpot: ${name}` })).toBeVisible();
  expect(hs.requests.some((r) => r.path === '/oauth/authorize' && r.status === 302)).toBe(true);
  expect(hs.requests.some((r) => r.path === '/oauth/v1/token' && r.status === 200)).toBe(true);
  expect(hs.lastScopes).toContain('crm.objects.contacts.write');
  const row = page.getByRole('table', { name: 'CRM connections' }).getByRole('row').filter({ hasText: name });
  await expect(row).toContainText('OAuth');
  await expect(page.getByRole('button', { name: `Reconnect ${name}` })).toBeVisible();
  await page.getByRole('button', { name: `Test ${name}` }).click();
  await expect(page.getByRole('status').filter({ hasText: `${name}: connection works (account ${hs.portalId})` })).toBeVisible();
  expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(1440);
  await page.evaluate('window.scrollTo(0, 0)');
  await snap(page, 'settings-crm-hubspot-oauth');
});

test('an install the admin denies in HubSpot comes back with HubSpot’s answer in plain words', async ({ page, stack, snap }) => {
  // The contract server approves at once; here HubSpot answers as it does when the admin cancels the install:
  // back to the redirect URI with error, error_description and the state. (Playwright routes only the first
  // URL of a redirect chain, so oauth/start is routed: its real answer names HubSpot's page, state and all.)
  hs.registerApp({ clientId: 'e2e-hs-denied-app', clientSecret: 'e2e-hs-denied-secret' });
  await page.route('**/api/crm/connections/*/oauth/start**', async (route) => {
    const start = await route.fetch({ maxRedirects: 0 });
    const asked = new URL(start.headers().location!);
    expect(asked.origin + asked.pathname).toBe(`${hs.url}/oauth/authorize`);
    const back = new URL(asked.searchParams.get('redirect_uri')!);
    back.searchParams.set('error', 'access_denied');
    back.searchParams.set('error_description', 'The user did not install the app');
    back.searchParams.set('state', asked.searchParams.get('state')!);
    return route.fulfill({ status: 302, headers: { location: back.toString() } });
  });
  const name = `Acme HubSpot denied ${suffix}`;
  await apiCall(stack, stack.keys.admin, 'POST', '/api/crm/connections', { provider: 'hubspot', authKind: 'hubspot_oauth', name, loginUrl: hs.url, clientId: 'e2e-hs-denied-app', clientSecret: 'e2e-hs-denied-secret' });
  await signIn(page, stack.admin);
  await page.goto('/settings/crm');
  await page.getByRole('button', { name: `Connect ${name}` }).click();
  await expect(page).toHaveURL(/\/settings\/crm\?crm_error=/);
  await expect(page.getByRole('alert').filter({ hasText: 'Connecting failed: HubSpot did not grant access (access_denied: The user did not install the app).' })).toBeVisible();
  await expect(page.getByRole('button', { name: `Connect ${name}` })).toBeVisible();
  await page.evaluate('window.scrollTo(0, 0)');
  await snap(page, 'settings-crm-hubspot-oauth-denied');
});
