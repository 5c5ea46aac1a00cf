import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '@lead-router/db/schema';
import { setupTestApp, type TestWorkspace } from '../../test/harness';
import { asAdmin, createReps, expectRoles, expectStatus } from './directory.fixtures';

const t = setupTestApp();

describe('teams', () => {
  let ws: TestWorkspace;
  beforeAll(async () => {
    ws = await t.workspace();
    await createReps(t, ws, 'rep-a', 'rep-b', 'rep-c', 'rep-boss');
  });

  it('an admin creates a team; weights default to 1; viewers read it', async () => {
    const r = await asAdmin(t, ws)('POST', '/api/teams', { id: 'team-ent', name: 'Enterprise', managerId: 'rep-boss', members: [{ repId: 'rep-a', weight: 3 }, { repId: 'rep-b' }] });
    expectStatus(r, 201);
    const team = { id: 'team-ent', name: 'Enterprise', managerId: 'rep-boss', members: [{ repId: 'rep-a', weight: 3 }, { repId: 'rep-b', weight: 1 }] };
    expect(r.body).toEqual(team);
    expect((await t.call('GET', '/api/teams/team-ent', { key: ws.keys.viewer })).body).toEqual(team);
    expectStatus(await asAdmin(t, ws)('POST', '/api/teams', { id: 'team-empty', name: 'Empty', members: [] }), 201);
    const list = await t.call('GET', '/api/teams', { key: ws.keys.viewer });
    expectStatus(list, 200);
    expect(list.body.items).toEqual([team, { id: 'team-empty', name: 'Empty', managerId: null, members: [] }]);
    const audits = await t.database.db.select().from(auditLog).where(and(eq(auditLog.workspaceId, ws.id), eq(auditLog.entityType, 'team')));
    expect(audits.map((a) => a.action)).toEqual(['team.create', 'team.create']);
  });

  it('weights are 1..1000 and a rep is a member once: 400 naming each member path', async () => {
    const r = await asAdmin(t, ws)('POST', '/api/teams', {
      id: 'team-x',
      name: 'X',
      members: [{ repId: 'rep-a', weight: 0 }, { repId: 'rep-b', weight: 1001 }, { repId: 'rep-c', weight: 2.5 }, { repId: 'rep-b' }],
    });
    expectStatus(r, 400);
    expect(r.body.error.details.map((d: { path: string }) => d.path)).toEqual(['members.0.weight', 'members.1.weight', 'members.2.weight']);
    const dup = await asAdmin(t, ws)('POST', '/api/teams', { id: 'team-x', name: 'X', members: [{ repId: 'rep-a' }, { repId: 'rep-b' }, { repId: 'rep-a' }] });
    expectStatus(dup, 400);
    expect(dup.body.error.details).toEqual([{ path: 'members.2.repId', message: 'the rep "rep-a" is already listed at members.0', code: 'custom' }]);
    const noName = await asAdmin(t, ws)('POST', '/api/teams', { id: 'team-x', members: [] });
    expectStatus(noName, 400);
    expect(noName.body.error.details.map((d: { path: string }) => d.path)).toEqual(['name']);
  });

  it('members and the manager must be reps of the workspace: 422 with each path', async () => {
    const r = await asAdmin(t, ws)('POST', '/api/teams', {
      id: 'team-x',
      name: 'X',
      managerId: 'rep-nope',
      members: [{ repId: 'rep-a' }, { repId: 'rep-b' }, { repId: 'rep-ghost' }, { repId: 'rep-phantom' }],
    });
    expectStatus(r, 422);
    expect(r.body.error.code).toBe('unknown_reference');
    expect(r.body.error.details).toEqual([
      { path: 'members.2.repId', message: 'there is no rep "rep-ghost" in this workspace', code: 'unknown_rep' },
      { path: 'members.3.repId', message: 'there is no rep "rep-phantom" in this workspace', code: 'unknown_rep' },
      { path: 'managerId', message: 'there is no rep "rep-nope" in this workspace', code: 'unknown_rep' },
    ]);
    expectStatus(await t.call('GET', '/api/teams/team-x', { key: ws.keys.viewer }), 404);
  });

  it('a taken id is 409 duplicate_id', async () => {
    const r = await asAdmin(t, ws)('POST', '/api/teams', { id: 'team-ent', name: 'Again', members: [] });
    expectStatus(r, 409);
    expect(r.body.error.code).toBe('duplicate_id');
  });

  it('PUT replaces, PATCH changes the given fields only, both check members', async () => {
    const admin = asAdmin(t, ws);
    const put = await admin('PUT', '/api/teams/team-empty', { name: 'Inbound', members: [{ repId: 'rep-c', weight: 5 }] });
    expectStatus(put, 200);
    expect(put.body).toEqual({ id: 'team-empty', name: 'Inbound', managerId: null, members: [{ repId: 'rep-c', weight: 5 }] });
    const renamed = await admin('PATCH', '/api/teams/team-empty', { name: 'Inbound SDRs' });
    expectStatus(renamed, 200);
    expect(renamed.body.members).toEqual([{ repId: 'rep-c', weight: 5 }]);
    const bad = await admin('PATCH', '/api/teams/team-empty', { members: [{ repId: 'rep-c' }, { repId: 'rep-zed' }] });
    expectStatus(bad, 422);
    expect(bad.body.error.details.map((d: { path: string }) => d.path)).toEqual(['members.1.repId']);
    const dup = await admin('PATCH', '/api/teams/team-empty', { members: [{ repId: 'rep-c' }, { repId: 'rep-c' }] });
    expectStatus(dup, 400);
    expect(dup.body.error.details[0].path).toBe('members.1.repId');
    const weight = await admin('PATCH', '/api/teams/team-empty', { members: [{ repId: 'rep-c', weight: 0 }] });
    expectStatus(weight, 400);
    expect(weight.body.error.details[0].path).toBe('members.0.weight');
    expect((await t.call('GET', '/api/teams/team-empty', { key: ws.keys.viewer })).body.name).toBe('Inbound SDRs');
    expectStatus(await admin('PUT', '/api/teams/team-nope', { name: 'N', members: [] }), 404);
  });

  it('DELETE removes it (204); again is 404', async () => {
    expectStatus(await asAdmin(t, ws)('DELETE', '/api/teams/team-empty'), 204);
    expectStatus(await asAdmin(t, ws)('DELETE', '/api/teams/team-empty'), 404);
    expectStatus(await t.call('GET', '/api/teams/team-empty', { key: ws.keys.viewer }), 404);
  });

  it('viewers read, only admins write, no credentials 401', async () => {
    await expectRoles(t, ws, { method: 'GET', path: '/api/teams' }, { viewer: 200 });
    await expectRoles(t, ws, { method: 'GET', path: '/api/teams/team-ent' }, { viewer: 200 });
    await expectRoles(t, ws, { method: 'POST', path: '/api/teams', body: { id: 'team-r', name: 'R', members: [] } }, { viewer: 403, admin: 201 });
    await expectRoles(t, ws, { method: 'PUT', path: '/api/teams/team-r', body: { name: 'R2', members: [] } }, { viewer: 403, admin: 200 });
    await expectRoles(t, ws, { method: 'PATCH', path: '/api/teams/team-r', body: { name: 'R3' } }, { viewer: 403, admin: 200 });
    await expectRoles(t, ws, { method: 'DELETE', path: '/api/teams/team-r' }, { viewer: 403, admin: 204 });
  });

  it("another workspace's team is 404, and its reps cannot be members here", async () => {
    const other = await t.workspace();
    const key = other.keys.admin;
    expectStatus(await t.call('GET', '/api/teams/team-ent', { key }), 404);
    expectStatus(await t.call('PATCH', '/api/teams/team-ent', { key, body: { name: 'Mine' } }), 404);
    expectStatus(await t.call('DELETE', '/api/teams/team-ent', { key }), 404);
    expect((await t.call('GET', '/api/teams', { key })).body.items).toEqual([]);
    const r = await t.call('POST', '/api/teams', { key, body: { id: 'team-ent', name: 'Mine', members: [{ repId: 'rep-a' }] } });
    expectStatus(r, 422);
    expect(r.body.error.details[0].path).toBe('members.0.repId');
  });
});
