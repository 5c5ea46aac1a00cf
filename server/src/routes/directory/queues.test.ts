import { beforeAll, describe, expect, it } from 'vitest';
import { setupTestApp, type TestWorkspace } from '../../test/harness';
import { asAdmin, expectRoles, expectStatus } from './directory.fixtures';

const t = setupTestApp();

describe('queues', () => {
  let ws: TestWorkspace;
  beforeAll(async () => {
    ws = await t.workspace();
  });

  it('create, read, list, replace, patch, delete', async () => {
    const admin = asAdmin(t, ws);
    const r = await admin('POST', '/api/queues', { id: 'q-unassigned', name: 'Unassigned leads' });
    expectStatus(r, 201);
    expect(r.body).toEqual({ id: 'q-unassigned', name: 'Unassigned leads' });
    expectStatus(await admin('POST', '/api/queues', { id: 'q-ent', name: 'Enterprise overflow' }), 201);
    expect((await t.call('GET', '/api/queues', { key: ws.keys.viewer })).body).toEqual({
      items: [
        { id: 'q-unassigned', name: 'Unassigned leads' },
        { id: 'q-ent', name: 'Enterprise overflow' },
      ],
    });
    expect((await admin('PUT', '/api/queues/q-ent', { name: 'Overflow' })).body).toEqual({ id: 'q-ent', name: 'Overflow' });
    expect((await admin('PATCH', '/api/queues/q-ent', { name: 'Ent overflow' })).body).toEqual({ id: 'q-ent', name: 'Ent overflow' });
    expect((await t.call('GET', '/api/queues/q-ent', { key: ws.keys.viewer })).body).toEqual({ id: 'q-ent', name: 'Ent overflow' });
    expectStatus(await admin('DELETE', '/api/queues/q-ent'), 204);
    expectStatus(await admin('GET', '/api/queues/q-ent'), 404);
  });

  it('validation by path, 409 on a taken id, 404 on unknown or impossible ids', async () => {
    const admin = asAdmin(t, ws);
    const bad = await admin('POST', '/api/queues', { id: '', name: '' });
    expectStatus(bad, 400);
    expect(bad.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['id', 'id', 'name']);
    const dup = await admin('POST', '/api/queues', { id: 'q-unassigned', name: 'Again' });
    expectStatus(dup, 409);
    expect(dup.body.error.code).toBe('duplicate_id');
    const patch = await admin('PATCH', '/api/queues/q-unassigned', { name: 'x'.repeat(201) });
    expectStatus(patch, 400);
    expect(patch.body.error.details[0].path).toBe('name');
    expectStatus(await admin('PATCH', '/api/queues/q-none', { name: 'N' }), 404);
    expectStatus(await admin('GET', `/api/queues/${encodeURIComponent('q none')}`), 404);
  });

  it('roles and workspaces', async () => {
    await expectRoles(t, ws, { method: 'GET', path: '/api/queues' }, { viewer: 200 });
    await expectRoles(t, ws, { method: 'POST', path: '/api/queues', body: { id: 'q-r', name: 'R' } }, { viewer: 403, admin: 201 });
    await expectRoles(t, ws, { method: 'PUT', path: '/api/queues/q-r', body: { name: 'R2' } }, { viewer: 403, admin: 200 });
    await expectRoles(t, ws, { method: 'PATCH', path: '/api/queues/q-r', body: { name: 'R3' } }, { viewer: 403, admin: 200 });
    await expectRoles(t, ws, { method: 'DELETE', path: '/api/queues/q-r' }, { viewer: 403, admin: 204 });
    const other = await t.workspace();
    expectStatus(await t.call('GET', '/api/queues/q-unassigned', { key: other.keys.viewer }), 404);
    expectStatus(await t.call('PATCH', '/api/queues/q-unassigned', { key: other.keys.admin, body: { name: 'Mine' } }), 404);
    expect((await t.call('GET', '/api/queues', { key: other.keys.viewer })).body.items).toEqual([]);
  });
});
