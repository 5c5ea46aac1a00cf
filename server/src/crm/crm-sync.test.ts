// The app first: it loads @hono/zod-openapi before any shared zod schema is built.
import { setupTestApp, type TestWorkspace } from '../test/harness';
import { matchAccount } from '@lead-router/shared';
import { crmConnections, crmUsers } from '@lead-router/db/crm-schema';
import { loadDirectory } from '@lead-router/db/directory-snapshot';
import { accounts, reps } from '@lead-router/db/schema';
import { SalesforceContract } from '@lead-router/testkit/crm/salesforce-contract';
import { and, asc, eq, like } from 'drizzle-orm';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CrmDeps } from './connections.service';
import { capturingLogger, TEST_PRIVATE_KEY, TEST_PUBLIC_KEY, TEST_SECRET_KEY } from './crm-test-kit';
import { CrmSync } from './crm-sync';

// Users and accounts from Salesforce (the contract server, through jsforce) into the directory.

const t = setupTestApp();
const db = t.database.db;
const log = capturingLogger();
const config = { ...t.deps.config, SECRET_KEY: TEST_SECRET_KEY };
const call = t.callWith({ config, log });
const deps: CrmDeps = { db, config, log, now: () => new Date() };

let ws: TestWorkspace;
const servers: SalesforceContract[] = [];

beforeAll(async () => {
  ws = await t.workspace();
  await db.insert(reps).values([
    { workspaceId: ws.id, id: 'sync-ana', name: 'Ana Diaz', email: 'Ana.Diaz@Acme.example', timeZone: 'UTC' },
    { workspaceId: ws.id, id: 'sync-ben', name: 'Ben Okafor', email: 'ben@acme.example', timeZone: 'UTC' },
    { workspaceId: ws.id, id: 'sync-cy', name: 'Cy Young', email: 'cy@acme.example', timeZone: 'UTC' },
  ]);
});
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

async function setup() {
  const sf = await SalesforceContract.start();
  servers.push(sf);
  sf.registerApp({ clientId: 'sync-app', clientSecret: 'x', certificate: TEST_PUBLIC_KEY });
  sf.registerUser('integration@acme.example');
  const created = await call('POST', '/api/crm/connections', {
    key: ws.keys.admin,
    body: { provider: 'salesforce', authKind: 'jwt_bearer', name: 'Acme', loginUrl: sf.url, clientId: 'sync-app', username: 'integration@acme.example', privateKey: TEST_PRIVATE_KEY },
  });
  expect(created.status).toBe(201);
  return { sf, id: created.body.id as string };
}

describe('the CRM users and accounts sync', () => {
  it('links reps to Salesforce users by email, case-insensitively; an inactive user links nobody', async () => {
    const { sf, id } = await setup();
    const ana = sf.registerUser('ana.diaz@acme.example', { FirstName: 'Ana', LastName: 'Diaz', Name: 'Ana Diaz' });
    sf.registerUser('ben@acme.example', { Name: 'Ben Okafor', IsActive: false });
    const out = await new CrmSync(deps).syncConnection(id);
    expect(out).toMatchObject({ users: 3, linkedReps: 1 });
    expect(out.error).toBeUndefined();
    const users = await db.select().from(crmUsers).where(eq(crmUsers.connectionId, id)).orderBy(asc(crmUsers.email));
    expect(users.map((u) => [u.email, u.active])).toEqual([
      ['ana.diaz@acme.example', true],
      ['ben@acme.example', false],
      ['integration@acme.example', true],
    ]);
    expect(users[0]!.crmId).toBe(ana);
    const [conn] = await db.select().from(crmConnections).where(eq(crmConnections.id, id));
    expect(conn!.lastSyncedAt).not.toBeNull();
    expect(conn!.nextSyncAt.getTime()).toBeGreaterThan(Date.now() + 3_000_000);
  });

  it('creates accounts with domains and the linked owner, updates them on the next sync (no duplicate), and match_account finds them', async () => {
    const { sf, id } = await setup();
    const cyUser = sf.registerUser('CY@acme.example', { Name: 'Cy Young' });
    const globex = sf.create('Account', { Name: 'Globex Corporation', Website: 'https://www.globex.co.uk/about', OwnerId: cyUser, LastActivityDate: '2026-11-30' });
    sf.create('Account', { Name: 'Initech', Website: null, OwnerId: null });
    const sync = new CrmSync(deps);
    expect(await sync.syncConnection(id)).toMatchObject({ accountsCreated: 2, accountsUpdated: 0 });
    const rows = () => db.select().from(accounts).where(and(eq(accounts.workspaceId, ws.id), like(accounts.id, 'salesforce:%'))).orderBy(asc(accounts.name));
    expect((await rows()).map((a) => [a.id, a.name, a.domains, a.ownerId, a.lastActivityAt?.toISOString() ?? null])).toEqual([
      [`salesforce:${globex.Id}`, 'Globex Corporation', ['globex.co.uk'], 'sync-cy', '2026-11-30T00:00:00.000Z'],
      [expect.stringMatching(/^salesforce:001/), 'Initech', [], null, expect.any(String)],
    ]);

    // Renamed in Salesforce: the next sync reads it (at or after the mark) and updates the same account.
    await new Promise((r) => setTimeout(r, 1_100));
    sf.update('Account', globex.Id, { Name: 'Globex Corp', Website: 'globex.com' });
    const second = await sync.syncConnection(id);
    expect(second.accountsCreated).toBe(0);
    expect(second.accountsUpdated).toBeGreaterThanOrEqual(1);
    const after = await rows();
    expect(after).toHaveLength(2);
    expect(after.find((a) => a.id === `salesforce:${globex.Id}`)).toMatchObject({ name: 'Globex Corp', domains: ['globex.com'], ownerId: 'sync-cy' });
    const soql = sf.requests.filter((r) => r.path.endsWith('/query')).length;
    expect(soql).toBe(4);

    const directory = await loadDirectory(db, ws.id, { companies: false });
    const found = matchAccount({ email: 'wile@globex.com', company: 'Someone else' }, directory.accounts, { by: ['email_domain', 'company_name'] });
    expect(found.account).toMatchObject({ id: `salesforce:${globex.Id}`, ownerId: 'sync-cy' });
  });

  it('a Salesforce that cannot be reached records the error and tries again later', async () => {
    const { sf, id } = await setup();
    await sf.down('refuse');
    const out = await new CrmSync(deps, { retryMs: 60_000 }).syncConnection(id);
    expect(out.error).toBeTruthy();
    const [conn] = await db.select().from(crmConnections).where(eq(crmConnections.id, id));
    expect(conn!.lastSyncError).toBeTruthy();
    expect(conn!.nextSyncAt.getTime()).toBeLessThanOrEqual(Date.now() + 60_000);
  });
});
