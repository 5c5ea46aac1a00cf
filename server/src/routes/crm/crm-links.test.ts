// The app first: it loads @hono/zod-openapi before any shared zod schema is built.
import { setupTestApp, type TestWorkspace } from '../../test/harness';
import { reps } from '@lead-router/db/schema';
import { SalesforceContract } from '@lead-router/testkit/crm/salesforce-contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { capturingLogger, TEST_PRIVATE_KEY, TEST_PUBLIC_KEY, TEST_SECRET_KEY } from '../../crm/crm-test-kit';

// GET /api/crm/rep-links/{repId} (what the rep form shows) and POST /api/crm/connections/{id}/sync.

const t = setupTestApp();
const config = { ...t.deps.config, SECRET_KEY: TEST_SECRET_KEY };
const call = t.callWith({ config, log: capturingLogger() });
let ws: TestWorkspace;
let sf: SalesforceContract;

beforeAll(async () => {
  ws = await t.workspace();
  await t.database.db.insert(reps).values([
    { workspaceId: ws.id, id: 'link-ana', name: 'Ana Diaz', email: 'ana@acme.example', timeZone: 'UTC' },
    { workspaceId: ws.id, id: 'link-zed', name: 'Zed Null', email: 'zed@acme.example', timeZone: 'UTC' },
  ]);
  sf = await SalesforceContract.start();
  sf.registerApp({ clientId: 'links-app', clientSecret: 'x', certificate: TEST_PUBLIC_KEY });
  sf.registerUser('integration@acme.example');
});
afterAll(async () => {
  await sf.close();
});

describe('CRM links routes', () => {
  it('syncs now (admins only) and shows each rep’s CRM user per connection to a viewer', async () => {
    const ana = sf.registerUser('ANA@acme.example', { Name: 'Ana Diaz' });
    const created = await call('POST', '/api/crm/connections', {
      key: ws.keys.admin,
      body: { provider: 'salesforce', authKind: 'jwt_bearer', name: 'Acme prod', loginUrl: sf.url, clientId: 'links-app', username: 'integration@acme.example', privateKey: TEST_PRIVATE_KEY, syncIntervalSeconds: 900 },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ syncIntervalSeconds: 900, lastSyncedAt: null });
    const id = created.body.id as string;
    expect((await call('POST', `/api/crm/connections/${id}/sync`, { key: ws.keys.editor })).status).toBe(403);
    const synced = await call('POST', `/api/crm/connections/${id}/sync`, { key: ws.keys.admin });
    expect(synced.status).toBe(200);
    expect(synced.body).toMatchObject({ users: 2, linkedReps: 1 });

    const links = await call('GET', '/api/crm/rep-links/link-ana', { key: ws.keys.viewer });
    expect(links.status).toBe(200);
    expect(links.body.links).toEqual([{ connectionId: id, connectionName: 'Acme prod', provider: 'salesforce', user: { crmId: ana, name: 'Ana Diaz', email: 'ANA@acme.example' }, lastSyncedAt: expect.any(String) }]);
    const none = await call('GET', '/api/crm/rep-links/link-zed', { key: ws.keys.viewer });
    expect(none.body.links[0].user).toBeNull();
  });

  it('an unknown rep or connection is 404; a bad sync interval is 400 naming the field', async () => {
    expect((await call('GET', '/api/crm/rep-links/nobody', { key: ws.keys.viewer })).status).toBe(404);
    expect((await call('POST', '/api/crm/connections/not-a-uuid/sync', { key: ws.keys.admin })).status).toBe(404);
    expect((await call('POST', '/api/crm/connections/00000000-0000-4000-8000-000000000000/sync', { key: ws.keys.admin })).status).toBe(404);
    const bad = await call('POST', '/api/crm/connections', {
      key: ws.keys.admin,
      body: { provider: 'salesforce', authKind: 'jwt_bearer', name: 'Bad', loginUrl: sf.url, clientId: 'links-app', username: 'integration@acme.example', privateKey: TEST_PRIVATE_KEY, syncIntervalSeconds: -5 },
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('syncIntervalSeconds');
  });
});
