// The app first: it loads @hono/zod-openapi before any shared zod schema is built.
import { setupTestApp, type TestWorkspace } from '../../test/harness';
import { HubSpotContract } from '@lead-router/testkit/crm/hubspot-contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { capturingLogger, TEST_SECRET_KEY } from '../../crm/crm-test-kit';

// The field-mapping editor's reads for a HubSpot connection, with the real @hubspot/api-client against the
// HubSpot contract server: the contact properties, and a mapping on the 5 latest contacts.

const t = setupTestApp();
const config = { ...t.deps.config, SECRET_KEY: TEST_SECRET_KEY };
const call = t.callWith({ config, log: capturingLogger() });

let hs: HubSpotContract;
let ws: TestWorkspace;
let id: string;

beforeAll(async () => {
  hs = await HubSpotContract.start();
  ws = await t.workspace();
  const created = await call('POST', '/api/crm/connections', { key: ws.keys.admin, body: { provider: 'hubspot', authKind: 'hubspot_private_app', name: 'Acme HubSpot', loginUrl: hs.url, accessToken: hs.privateAppToken() } });
  expect(created.status, created.text).toBe(201);
  id = created.body.id;
  for (let i = 1; i <= 7; i++) hs.create('contacts', { firstname: `Ana${i}`, lastname: 'Lee', email: `ana${i}@acme.example`, company: `Acme ${i}`, hs_lead_score: 10 * i, numemployees: '25-50' });
});
afterAll(async () => {
  await hs.close();
});

const preview = (body: object) => call('POST', `/api/crm/connections/${id}/preview`, { key: ws.keys.admin, body });

describe('HubSpot: the mapping editor’s fields and preview', () => {
  it('GET fields: the contact properties (label, internal name, HubSpot type) and the lead fields they may fill', async () => {
    const f = await call('GET', `/api/crm/connections/${id}/fields`, { key: ws.keys.admin });
    expect(f.status, f.text).toBe(200);
    expect(f.body).toMatchObject({ object: 'Contact', source: 'describe', error: null });
    expect(f.body.crmFields).toContainEqual({ name: 'jobtitle', label: 'Job Title', type: 'string' });
    expect(f.body.crmFields).toContainEqual({ name: 'phone', label: 'Phone Number', type: 'phone_number' });
    expect(f.body.crmFields).toContainEqual({ name: 'hs_lead_score', label: 'Lead score', type: 'number' });
    expect(f.body.leadFields).toContainEqual(expect.objectContaining({ key: 'employees', type: 'number' }));
    expect(hs.requests.some((r) => r.path === '/crm/v3/properties/contacts')).toBe(true);
  });

  it('previews a mapping on the 5 latest contacts, newest first: HubSpot values and the lead each makes; labels are understood', async () => {
    const r = await preview({ object: 'Contact', mapping: [{ crmField: 'email', leadField: 'email' }, { crmField: 'Lead score', leadField: 'employees' }, { crmField: 'company', leadField: 'company' }] });
    expect(r.status, r.text).toBe(200);
    expect(r.body.error).toBeNull();
    expect(r.body.mapping).toContainEqual({ crmField: 'hs_lead_score', leadField: 'employees' });
    expect(r.body.records.map((x: { values: { email: string } }) => x.values.email)).toEqual([7, 6, 5, 4, 3].map((i) => `ana${i}@acme.example`));
    const ana = r.body.records[0];
    expect(ana.lead).toMatchObject({ id: ana.crmId, email: 'ana7@acme.example', employees: 70, company: 'Acme 7' });
    expect(ana.values).toMatchObject({ hs_object_id: ana.crmId, hs_lead_score: '70' });
  });

  it('without a mapping it previews the connection’s own (the default contact mapping)', async () => {
    const r = await preview({ object: 'Contact' });
    expect(r.status).toBe(200);
    expect(r.body.mapping).toContainEqual({ crmField: 'jobtitle', leadField: 'title' });
    expect(r.body.records[0].lead).toMatchObject({ firstName: 'Ana7', lastName: 'Lee', createdAt: expect.any(String) });
  });

  it('checked first: a type mismatch is 422 naming the row and the field; Lead is 400 naming the object; nothing is searched', async () => {
    const searches = () => hs.requests.filter((x) => x.path === '/crm/v3/objects/contacts/search').length;
    const before = searches();
    const r = await preview({ object: 'Contact', mapping: [{ crmField: 'numemployees', leadField: 'employees' }, { crmField: 'nope', leadField: 'email' }] });
    expect(r.status).toBe(422);
    expect(r.body.error.details).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'fieldMapping.Contact.0.crmField', message: expect.stringContaining('Contact.numemployees is an enumeration field in the CRM and cannot fill a number field') }),
        expect.objectContaining({ path: 'fieldMapping.Contact.1.crmField', message: expect.stringContaining('Contact has no field "nope"') }),
      ]),
    );
    const lead = await preview({ object: 'Lead' });
    expect(lead.status).toBe(400);
    expect(lead.body.error.details[0].path).toBe('object');
    expect(searches()).toBe(before);
  });

  it('HubSpot refusing the token: no records, its reason in plain words; fields fall back to the standard ones', async () => {
    const wrong = await call('POST', '/api/crm/connections', { key: ws.keys.admin, body: { provider: 'hubspot', authKind: 'hubspot_private_app', name: 'Wrong token', loginUrl: hs.url, accessToken: 'pat-na1-not-a-token' } });
    const r = await call('POST', `/api/crm/connections/${wrong.body.id}/preview`, { key: ws.keys.admin, body: { object: 'Contact' } });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ records: [], error: { code: expect.any(String), message: expect.stringMatching(/HubSpot/) } });
    const f = await call('GET', `/api/crm/connections/${wrong.body.id}/fields`, { key: ws.keys.admin });
    expect(f.body).toMatchObject({ source: 'standard', error: { code: r.body.error.code } });
    expect(f.body.crmFields).toContainEqual({ name: 'zip', label: 'Postal Code', type: 'string' });
  });
});
