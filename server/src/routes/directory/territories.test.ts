import { beforeAll, describe, expect, it } from 'vitest';
import { setupTestApp, type TestWorkspace } from '../../test/harness';
import { asAdmin, createReps, expectRoles, expectStatus } from './directory.fixtures';

const t = setupTestApp();

const dach = { id: 'terr-dach', name: 'DACH', rules: [{ countries: ['DE', 'AT', 'CH'] }], repIds: ['rep-eli', 'rep-fay'], priority: 10 };

describe('territories', () => {
  let ws: TestWorkspace;
  beforeAll(async () => {
    ws = await t.workspace();
    await createReps(t, ws, 'rep-eli', 'rep-fay');
  });

  it('an admin creates territories (priority defaults to 100); viewers read them', async () => {
    const admin = asAdmin(t, ws);
    const r = await admin('POST', '/api/territories', dach);
    expectStatus(r, 201);
    expect(r.body).toEqual(dach);
    const west = await admin('POST', '/api/territories', { id: 'terr-west', name: 'US West', rules: [{ countries: ['US'], states: ['CA'] }, { countries: ['US'], postalCodes: ['9*', '80000-80999'] }] });
    expectStatus(west, 201);
    expect(west.body).toMatchObject({ repIds: [], priority: 100 });
    expect((await t.call('GET', '/api/territories/terr-dach', { key: ws.keys.viewer })).body).toEqual(dach);
    const list = await t.call('GET', '/api/territories', { key: ws.keys.viewer });
    expect(list.body.items.map((x: { id: string }) => x.id)).toEqual(['terr-dach', 'terr-west']);
  });

  it('validates rules, priority and repIds by path', async () => {
    const admin = asAdmin(t, ws);
    const r = await admin('POST', '/api/territories', { id: 'terr-x', name: 'X', rules: [], priority: -1, repIds: ['rep-eli', 'bad id'] });
    expectStatus(r, 400);
    expect(r.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['priority', 'repIds.1', 'rules']);
    const dup = await admin('POST', '/api/territories', { id: 'terr-x', name: 'X', rules: [{ countries: ['FR'] }], repIds: ['rep-eli', 'rep-fay', 'rep-eli'] });
    expectStatus(dup, 400);
    expect(dup.body.error.details).toEqual([{ path: 'repIds.2', message: 'the rep "rep-eli" is already listed at repIds.0', code: 'custom' }]);
  });

  it('repIds must be reps of the workspace: 422 naming each index', async () => {
    const r = await asAdmin(t, ws)('POST', '/api/territories', { id: 'terr-x', name: 'X', rules: [{ countries: ['FR'] }], repIds: ['rep-eli', 'rep-ghost'] });
    expectStatus(r, 422);
    expect(r.body.error).toEqual({
      code: 'unknown_reference',
      message: 'repIds.1: there is no rep "rep-ghost" in this workspace. Create the rep first, or pick an existing one.',
      details: [{ path: 'repIds.1', message: 'there is no rep "rep-ghost" in this workspace', code: 'unknown_rep' }],
    });
  });

  it('409 on a taken id; PUT, PATCH and DELETE', async () => {
    const admin = asAdmin(t, ws);
    expectStatus(await admin('POST', '/api/territories', dach), 409);
    const put = await admin('PUT', '/api/territories/terr-west', { id: 'terr-west', name: 'West', rules: [{ countries: ['US'] }], repIds: ['rep-fay'] });
    expectStatus(put, 200);
    expect(put.body).toEqual({ id: 'terr-west', name: 'West', rules: [{ countries: ['US'] }], repIds: ['rep-fay'], priority: 100 });
    const patch = await admin('PATCH', '/api/territories/terr-west', { priority: 5 });
    expectStatus(patch, 200);
    expect(patch.body).toEqual({ ...put.body, priority: 5 });
    const badPatch = await admin('PATCH', '/api/territories/terr-west', { rules: [] });
    expectStatus(badPatch, 400);
    expect(badPatch.body.error.details[0].path).toBe('rules');
    const ghost = await admin('PATCH', '/api/territories/terr-west', { repIds: ['rep-ghost'] });
    expectStatus(ghost, 422);
    expect(ghost.body.error.details[0].path).toBe('repIds.0');
    expectStatus(await admin('DELETE', '/api/territories/terr-west'), 204);
    expectStatus(await admin('GET', '/api/territories/terr-west'), 404);
  });

  it('roles and workspaces', async () => {
    await expectRoles(t, ws, { method: 'GET', path: '/api/territories' }, { viewer: 200 });
    await expectRoles(t, ws, { method: 'GET', path: '/api/territories/terr-dach' }, { viewer: 200 });
    const body = { id: 'terr-r', name: 'R', rules: [{ countries: ['IN'] }] };
    await expectRoles(t, ws, { method: 'POST', path: '/api/territories', body }, { viewer: 403, admin: 201 });
    await expectRoles(t, ws, { method: 'PUT', path: '/api/territories/terr-r', body }, { viewer: 403, admin: 200 });
    await expectRoles(t, ws, { method: 'PATCH', path: '/api/territories/terr-r', body: { name: 'R2' } }, { viewer: 403, admin: 200 });
    await expectRoles(t, ws, { method: 'DELETE', path: '/api/territories/terr-r' }, { viewer: 403, admin: 204 });
    const other = await t.workspace();
    expectStatus(await t.call('GET', '/api/territories/terr-dach', { key: other.keys.viewer }), 404);
    expectStatus(await t.call('PUT', '/api/territories/terr-dach', { key: other.keys.admin, body: dach }), 404);
    expectStatus(await t.call('DELETE', '/api/territories/terr-dach', { key: other.keys.admin }), 404);
  });
});
