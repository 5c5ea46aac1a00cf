// The app first: it loads @hono/zod-openapi before any shared zod schema is built.
import { setupTestApp, type TestWorkspace } from '../../test/harness';
import { crmConnections } from '@lead-router/db/crm-schema';
import { SalesforceContract } from '@lead-router/testkit/crm/salesforce-contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oauthCallbackUrl } from '../../crm/connections.service';
import { capturingLogger, TEST_PRIVATE_KEY, TEST_PUBLIC_KEY, TEST_SECRET_KEY } from '../../crm/crm-test-kit';

// The field-mapping editor's reads, with real jsforce against the Salesforce contract server.

const t = setupTestApp();
const config = { ...t.deps.config, SECRET_KEY: TEST_SECRET_KEY };
const call = t.callWith({ config, log: capturingLogger() });

let sf: SalesforceContract;
let ws: TestWorkspace;
let jwtId: string;
let webId: string;

beforeAll(async () => {
  sf = await SalesforceContract.start();
  sf.registerApp({ clientId: 'app-prev', clientSecret: 'sec', redirectUris: [oauthCallbackUrl(config)], certificate: TEST_PUBLIC_KEY });
  sf.registerUser('integration@acme.example');
  ws = await t.workspace();
  const jwt = await call('POST', '/api/crm/connections', { key: ws.keys.admin, body: { provider: 'salesforce', authKind: 'jwt_bearer', name: 'Acme JWT', loginUrl: sf.url, clientId: 'app-prev', username: 'integration@acme.example', privateKey: TEST_PRIVATE_KEY } });
  jwtId = jwt.body.id;
  const web = await call('POST', '/api/crm/connections', { key: ws.keys.admin, body: { provider: 'salesforce', authKind: 'oauth_web_server', name: 'Acme web', loginUrl: sf.url, clientId: 'app-prev', clientSecret: 'sec' } });
  webId = web.body.id;
  for (let i = 1; i <= 7; i++) sf.create('Lead', { FirstName: `Ana${i}`, LastName: 'Lee', Email: `ana${i}@acme.example`, Company: `Acme ${i}`, NumberOfEmployees: 10 * i });
});
afterAll(async () => {
  await sf.close();
});

describe('POST /api/crm/connections/:id/preview', () => {
  it('admins only', async () => {
    for (const role of ['viewer', 'editor', 'publisher'] as const) {
      expect((await call('POST', `/api/crm/connections/${jwtId}/preview`, { key: ws.keys[role], body: { object: 'Lead' } })).status).toBe(403);
    }
    expect((await call('GET', `/api/crm/connections/${jwtId}/fields`, { key: ws.keys.editor })).status).toBe(403);
  });

  it('previews a mapping on 5 real records: CRM values and the lead each makes; labels are understood', async () => {
    const r = await call('POST', `/api/crm/connections/${jwtId}/preview`, {
      key: ws.keys.admin,
      body: { object: 'Lead', mapping: [{ crmField: 'Email', leadField: 'email' }, { crmField: 'No. of Employees', leadField: 'employees' }, { crmField: 'Company', leadField: 'company' }] },
    });
    expect(r.status, r.text).toBe(200);
    expect(r.body.error).toBeNull();
    expect(r.body.mapping).toContainEqual({ crmField: 'NumberOfEmployees', leadField: 'employees' });
    expect(r.body.records).toHaveLength(5);
    const ana = r.body.records.find((x: { values: { Email: string } }) => x.values.Email === 'ana7@acme.example');
    expect(ana).toBeDefined();
    expect(ana.lead).toMatchObject({ id: ana.crmId, email: 'ana7@acme.example', employees: 70, company: 'Acme 7' });
    expect(ana.values).toMatchObject({ Id: ana.crmId, NumberOfEmployees: 70 });
  });

  it('without a mapping it previews the connection’s own (the default for Leads)', async () => {
    const r = await call('POST', `/api/crm/connections/${jwtId}/preview`, { key: ws.keys.admin, body: { object: 'Lead' } });
    expect(r.status).toBe(200);
    expect(r.body.mapping).toContainEqual({ crmField: 'FirstName', leadField: 'firstName' });
    expect(r.body.records[0].lead.lastName).toBe('Lee');
  });

  it('a type mismatch or an unknown field is 422 naming the row and the field; bad input is 400 naming the field', async () => {
    const r = await call('POST', `/api/crm/connections/${jwtId}/preview`, { key: ws.keys.admin, body: { object: 'Lead', mapping: [{ crmField: 'Company', leadField: 'employees' }, { crmField: 'Nope__c', leadField: 'email' }] } });
    expect(r.status).toBe(422);
    expect(r.body.error.details).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'fieldMapping.Lead.0.crmField', message: expect.stringContaining('Lead.Company is a string field in the CRM and cannot fill a number field') }),
        expect.objectContaining({ path: 'fieldMapping.Lead.1.crmField' }),
      ]),
    );
    const bad = await call('POST', `/api/crm/connections/${jwtId}/preview`, { key: ws.keys.admin, body: { object: 'Opportunity' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].path).toBe('object');
  });

  it('a connection not signed in yet: no records, the reason in plain words; fields fall back to the standard ones', async () => {
    const r = await call('POST', `/api/crm/connections/${webId}/preview`, { key: ws.keys.admin, body: { object: 'Lead' } });
    expect(r.status).toBe(200);
    expect(r.body.records).toEqual([]);
    expect(r.body.error.code).toBe('not_signed_in');
    const f = await call('GET', `/api/crm/connections/${webId}/fields?object=Contact`, { key: ws.keys.admin });
    expect(f.body.source).toBe('standard');
    expect(f.body.crmFields).toContainEqual({ name: 'MailingCity', label: 'Mailing City', type: 'string' });
  });

  it('GET fields: the org’s own fields from describe, and the lead fields they may fill (not the router’s)', async () => {
    const f = await call('GET', `/api/crm/connections/${jwtId}/fields?object=Lead`, { key: ws.keys.admin });
    expect(f.status).toBe(200);
    expect(f.body.source).toBe('describe');
    expect(f.body.crmFields).toContainEqual(expect.objectContaining({ name: 'NumberOfEmployees', label: 'No. of Employees' }));
    expect(f.body.leadFields).toContainEqual(expect.objectContaining({ key: 'employees', type: 'number' }));
    expect(f.body.leadFields.some((l: { key: string }) => l.key === 'id')).toBe(false);
  });

  it('a HubSpot connection has Contact only: Lead is 400 naming the object; fields default to Contact', async () => {
    const [row] = await t.database.db
      .insert(crmConnections)
      .values({ workspaceId: ws.id, provider: 'hubspot', name: 'HubSpot', loginUrl: 'https://api.hubapi.com', authKind: 'hubspot_private_app' })
      .returning();
    const r = await call('POST', `/api/crm/connections/${row!.id}/preview`, { key: ws.keys.admin, body: { object: 'Lead' } });
    expect(r.status).toBe(400);
    expect(r.body.error.details[0]).toMatchObject({ path: 'object', message: 'is Lead; a HubSpot connection has Contact only' });
    expect((await call('GET', `/api/crm/connections/${row!.id}/fields?object=Lead`, { key: ws.keys.admin })).status).toBe(400);
    const f = await call('GET', `/api/crm/connections/${row!.id}/fields`, { key: ws.keys.admin });
    expect(f.body).toMatchObject({ object: 'Contact', source: 'standard', error: { code: 'not_signed_in' } });
  });

  it('another workspace’s connection is 404', async () => {
    const other = await t.workspace();
    expect((await call('POST', `/api/crm/connections/${jwtId}/preview`, { key: other.keys.admin, body: { object: 'Lead' } })).status).toBe(404);
  });
});
