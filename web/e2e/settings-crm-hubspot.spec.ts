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
