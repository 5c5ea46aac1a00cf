// The app first: @hono/zod-openapi must extend zod before shared's schemas are built (see the report).
import { setupTestApp, type TestWorkspace } from '../../test/harness';
import { DirectorySchema, compile, toCsv, type Directory } from '@lead-router/shared';
import { demoDirectory, hybridRoutingGraph } from '@lead-router/shared/fixtures';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDirectory } from '@lead-router/db/directory-snapshot';
import { asAdmin, createReps, expectRoles, expectStatus } from './directory.fixtures';

const t = setupTestApp();

const byKey = <T>(key: (x: T) => string) => (a: T, b: T) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);
/** Accounts and companies have no creation order in the snapshot: compare them sorted. */
function comparable(d: Directory): Directory {
  return { ...d, accounts: [...d.accounts].sort(byKey((a) => a.id)), companies: [...d.companies].sort(byKey((c) => c.domain)) };
}

describe('the directory snapshot', () => {
  let ws: TestWorkspace;
  const expected = DirectorySchema.parse(demoDirectory);

  beforeAll(async () => {
    ws = await t.workspace();
    const admin = asAdmin(t, ws);
    // Managers come last in the demo, so reps are created first and their managers set afterwards, keeping
    // the demo's order (the snapshot lists reps in creation order).
    for (const rep of demoDirectory.reps) expectStatus(await admin('POST', '/api/reps', { ...rep, managerId: null }), 201);
    for (const rep of demoDirectory.reps) if (rep.managerId) expectStatus(await admin('PATCH', `/api/reps/${rep.id}`, { managerId: rep.managerId }), 200);
    for (const team of demoDirectory.teams) expectStatus(await admin('POST', '/api/teams', team), 201);
    for (const territory of demoDirectory.territories) expectStatus(await admin('POST', '/api/territories', territory), 201);
    for (const queue of demoDirectory.queues) expectStatus(await admin('POST', '/api/queues', queue), 201);
    for (const field of demoDirectory.customFields) expectStatus(await admin('POST', '/api/fields', field), 201);
    const accountsCsv = toCsv([['id', 'name', 'domains', 'owner'], ...demoDirectory.accounts.map((a) => [a.id, a.name, a.domains.join(';'), a.ownerId])]);
    expect((await admin('POST', '/api/accounts/import', accountsCsv, { 'content-type': 'text/csv' })).body).toEqual({ created: demoDirectory.accounts.length, updated: 0 });
    const companiesCsv = toCsv([
      ['domain', 'name', 'employees', 'annualRevenue', 'industry', 'country'],
      ...demoDirectory.companies.map((c) => [c.domain, c.name, c.employees, c.annualRevenue, c.industry, c.country]),
    ]);
    expect((await admin('POST', '/api/companies/import', companiesCsv, { 'content-type': 'text/csv' })).body).toEqual({ created: demoDirectory.companies.length, updated: 0 });
  });

  it('what the API wrote loads back as the very directory that was written', async () => {
    const loaded = await loadDirectory(t.database.db, ws.id, { companies: true });
    expect(comparable(loaded)).toEqual(comparable(expected));
    // and it is a directory the compiler accepts the demo graph against
    const compiled = compile(hybridRoutingGraph, { directory: loaded });
    expect(compiled.ok).toBe(true);
  });

  it('GET /api/directory answers it to viewers, companies only when asked', async () => {
    const r = await t.call('GET', '/api/directory', { key: ws.keys.viewer });
    expectStatus(r, 200);
    expect(r.body).toEqual({ ...expected, companies: [], accounts: comparable(expected).accounts });
    const withCompanies = await t.call('GET', '/api/directory?companies=true', { key: ws.keys.viewer });
    expect(comparable(withCompanies.body)).toEqual(comparable(expected));
    const bad = await t.call('GET', '/api/directory?companies=yes', { key: ws.keys.viewer });
    expectStatus(bad, 400);
    expect(bad.body.error.details[0].path).toBe('companies');
  });

  it('roles, and another workspace sees its own (empty) directory', async () => {
    await expectRoles(t, ws, { method: 'GET', path: '/api/directory' }, { viewer: 200, admin: 200 });
    const other = await t.workspace();
    const r = await t.call('GET', '/api/directory?companies=true', { key: other.keys.viewer });
    expect(r.body).toEqual({ reps: [], teams: [], territories: [], accounts: [], queues: [], companies: [], customFields: [], settings: { timeZone: 'UTC', holidayCalendar: null, daysOff: [] } });
  });
});

describe('the directory API', () => {
  it('is in the OpenAPI document', async () => {
    const r = await t.call('GET', '/api/openapi.json');
    expectStatus(r, 200);
    const paths = Object.keys(r.body.paths);
    for (const p of ['/api/directory', '/api/reps', '/api/reps/{id}', '/api/teams/{id}', '/api/territories/{id}', '/api/accounts/import', '/api/queues/{id}', '/api/companies/{domain}', '/api/companies/import', '/api/fields', '/api/fields/{key}']) {
      expect(paths).toContain(p);
    }
    expect(Object.keys(r.body.paths['/api/reps/{id}'])).toEqual(['get', 'put', 'patch', 'delete']);
  });

  it('a write names reps that are deleted at the same moment: one of the two is refused, never a dangling reference', async () => {
    const ws = await t.workspace();
    const admin = asAdmin(t, ws);
    for (let i = 0; i < 5; i++) {
      await createReps(t, ws, `rep-race-${i}`);
      const [team, del] = await Promise.all([
        admin('POST', '/api/teams', { id: `team-race-${i}`, name: 'Race', members: [{ repId: `rep-race-${i}` }] }),
        admin('DELETE', `/api/reps/rep-race-${i}`),
      ]);
      const outcome = `${team.status}/${del.status}`;
      expect(['201/409', '422/200']).toContain(outcome);
      const loaded = await loadDirectory(t.database.db, ws.id);
      const repIds = new Set(loaded.reps.map((r) => r.id));
      for (const tm of loaded.teams) for (const m of tm.members) expect(repIds.has(m.repId)).toBe(true);
    }
  });
});
