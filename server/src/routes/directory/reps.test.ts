import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditLog, reps } from '@lead-router/db/schema';
import { setupTestApp, type TestWorkspace } from '../../test/harness';
import { asAdmin, createReps, expectRoles, expectStatus, repBody } from './directory.fixtures';

const t = setupTestApp();

const ana = {
  id: 'rep-ana',
  name: 'Ana Diaz',
  email: 'ana@example.com',
  timeZone: 'America/New_York',
  workingHours: { mon: [{ start: '08:00', end: '12:00' }, { start: '13:00', end: '18:00' }] },
  outOfOffice: [{ from: '2030-01-01T00:00:00Z', until: '2030-01-08T00:00:00Z', note: 'Holiday' }],
  skills: ['enterprise', 'es'],
  caps: { perDay: 40, openLeads: 25 },
  active: true,
  managerId: null,
};

describe('reps: create and read', () => {
  let ws: TestWorkspace;
  beforeAll(async () => {
    ws = await t.workspace();
  });

  it('an admin creates a rep; caps land in their columns; the write is audited', async () => {
    const r = await asAdmin(t, ws)('POST', '/api/reps', ana);
    expectStatus(r, 201);
    expect(r.body).toEqual(ana);
    const [row] = await t.database.db.select().from(reps).where(and(eq(reps.workspaceId, ws.id), eq(reps.id, 'rep-ana')));
    expect(row).toMatchObject({ capPerDay: 40, capOpenLeads: 25, managerId: null, active: true, timeZone: 'America/New_York' });
    const audits = await t.database.db.select().from(auditLog).where(and(eq(auditLog.workspaceId, ws.id), eq(auditLog.action, 'rep.create')));
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ entityType: 'rep', entityId: 'rep-ana', actorType: 'key' });
  });

  it('fills defaults for what is left out', async () => {
    const r = await asAdmin(t, ws)('POST', '/api/reps', repBody('rep-min'));
    expectStatus(r, 201);
    expect(r.body).toEqual({ ...repBody('rep-min'), workingHours: null, outOfOffice: [], skills: [], caps: {}, active: true, managerId: null });
  });

  it('viewers read one rep and the list', async () => {
    const one = await t.call('GET', '/api/reps/rep-ana', { key: ws.keys.viewer });
    expectStatus(one, 200);
    expect(one.body).toEqual(ana);
    const list = await t.call('GET', '/api/reps', { key: ws.keys.viewer });
    expectStatus(list, 200);
    expect(list.body.items.map((x: { id: string }) => x.id)).toEqual(['rep-ana', 'rep-min']);
  });

  it('filters by active and searches name and email', async () => {
    const admin = asAdmin(t, ws);
    expectStatus(await admin('POST', '/api/reps', repBody('rep-off', { name: 'Otto Off', email: 'otto@corp.example', active: false })), 201);
    const active = await admin('GET', '/api/reps?active=true');
    expect(active.body.items.map((x: { id: string }) => x.id)).toEqual(['rep-ana', 'rep-min']);
    const inactive = await admin('GET', '/api/reps?active=false');
    expect(inactive.body.items.map((x: { id: string }) => x.id)).toEqual(['rep-off']);
    const byName = await admin('GET', '/api/reps?q=DIAZ');
    expect(byName.body.items.map((x: { id: string }) => x.id)).toEqual(['rep-ana']);
    const byEmail = await admin('GET', '/api/reps?q=corp.example');
    expect(byEmail.body.items.map((x: { id: string }) => x.id)).toEqual(['rep-off']);
    // LIKE wildcards in q are literal
    expect((await admin('GET', '/api/reps?q=%25')).body.items).toEqual([]);
    const bad = await admin('GET', '/api/reps?active=yes');
    expectStatus(bad, 400);
    expect(bad.body.error.details[0].path).toBe('active');
  });

  it('a taken id is 409 duplicate_id', async () => {
    const r = await asAdmin(t, ws)('POST', '/api/reps', repBody('rep-ana'));
    expectStatus(r, 409);
    expect(r.body.error.code).toBe('duplicate_id');
    expect(r.body.error.details).toEqual([{ path: 'id', message: '"rep-ana" is already taken' }]);
  });

  it('an unknown id, or one that cannot be an id, is 404', async () => {
    const missing = await t.call('GET', '/api/reps/rep-nobody', { key: ws.keys.viewer });
    expectStatus(missing, 404);
    expect(missing.body).toEqual({ error: { code: 'not_found', message: 'Rep rep-nobody was not found.' } });
    expectStatus(await t.call('GET', `/api/reps/${encodeURIComponent('not an id!')}`, { key: ws.keys.viewer }), 404);
    expectStatus(await t.call('PATCH', `/api/reps/${encodeURIComponent('-x')}`, { key: ws.keys.admin, body: { active: false } }), 404);
    expectStatus(await t.call('DELETE', `/api/reps/${'x'.repeat(65)}`, { key: ws.keys.admin }), 404);
  });
});

describe('reps: validation', () => {
  let ws: TestWorkspace;
  beforeAll(async () => {
    ws = await t.workspace();
  });

  it('names every invalid field by its path', async () => {
    const r = await asAdmin(t, ws)('POST', '/api/reps', {
      id: 'rep ana',
      name: '',
      email: 'not-an-email',
      timeZone: 'Mars/Olympus',
      workingHours: { mon: [{ start: '18:00', end: '08:00' }], tue: [{ start: '0900', end: '17:00' }] },
      outOfOffice: [{ from: '2030-01-08T00:00:00Z', until: '2030-01-01T00:00:00Z' }],
      caps: { perDay: -1, openLeads: 1.5 },
      skills: [''],
    });
    expectStatus(r, 400);
    expect(r.body.error.code).toBe('invalid_request');
    const paths = r.body.error.details.map((d: { path: string }) => d.path).sort();
    expect(paths).toEqual(
      ['id', 'name', 'email', 'timeZone', 'workingHours.mon.0.end', 'workingHours.tue.0.start', 'outOfOffice.0.until', 'caps.perDay', 'caps.openLeads', 'skills.0'].sort(),
    );
  });

  it('refuses unknown keys instead of dropping them', async () => {
    const r = await asAdmin(t, ws)('POST', '/api/reps', repBody('rep-x', { activ: false }));
    expectStatus(r, 400);
    expect(r.body.error.details[0]).toMatchObject({ path: '(body)', code: 'unrecognized_keys' });
    expect(r.body.error.message).toContain('activ');
  });

  it('malformed JSON is 400 malformed_json; a non-object body is 400', async () => {
    const bad = await asAdmin(t, ws)('POST', '/api/reps', '{"id": "rep-x",');
    expectStatus(bad, 400);
    expect(bad.body.error.code).toBe('malformed_json');
    const arr = await asAdmin(t, ws)('POST', '/api/reps', [1, 2]);
    expectStatus(arr, 400);
    expect(arr.body.error.code).toBe('invalid_request');
  });

  it('text the database cannot store (NUL, broken Unicode) is a 400 naming the field, never a 500', async () => {
    const admin = asAdmin(t, ws);
    const nul = await admin('POST', '/api/reps', repBody('rep-nul', { name: 'a\u0000b', skills: ['ok', '\ud800'] }));
    expectStatus(nul, 400);
    expect(nul.body.error.details.map((d: { path: string; message: string }) => ({ path: d.path, message: d.message }))).toEqual([
      { path: 'name', message: 'must not contain NUL characters or broken Unicode' },
      { path: 'skills.1', message: 'must not contain NUL characters or broken Unicode' },
    ]);
    await createReps(t, ws, 'rep-fine');
    const patch = await admin('PATCH', '/api/reps/rep-fine', { outOfOffice: [{ from: '2030-01-01T00:00:00Z', until: '2030-01-02T00:00:00Z', note: '\u0000' }] });
    expectStatus(patch, 400);
    expect(patch.body.error.details[0].path).toBe('outOfOffice.0.note');
    const q = await admin('GET', '/api/reps?q=%00');
    expectStatus(q, 400);
    expect(q.body.error.details[0].path).toBe('q');
  });

  it('a manager that is not a rep of the workspace is 422 naming managerId', async () => {
    const r = await asAdmin(t, ws)('POST', '/api/reps', repBody('rep-x', { managerId: 'rep-ghost' }));
    expectStatus(r, 422);
    expect(r.body.error.code).toBe('unknown_reference');
    expect(r.body.error.details).toEqual([{ path: 'managerId', message: 'there is no rep "rep-ghost" in this workspace', code: 'unknown_rep' }]);
    expectStatus(await t.call('GET', '/api/reps/rep-x', { key: ws.keys.admin }), 404);
  });

  it('a rep cannot manage themselves, nor close a loop of managers', async () => {
    const admin = asAdmin(t, ws);
    const self = await admin('POST', '/api/reps', repBody('rep-self', { managerId: 'rep-self' }));
    expectStatus(self, 422);
    expect(self.body.error.details[0].path).toBe('managerId');
    await createReps(t, ws, 'rep-a');
    expectStatus(await admin('POST', '/api/reps', repBody('rep-b', { managerId: 'rep-a' })), 201);
    expectStatus(await admin('POST', '/api/reps', repBody('rep-c', { managerId: 'rep-b' })), 201);
    const loop = await admin('PATCH', '/api/reps/rep-a', { managerId: 'rep-c' });
    expectStatus(loop, 422);
    expect(loop.body.error.code).toBe('invalid_reference');
    expect(loop.body.error.message).toBe('Managers would go round in a loop: rep-a -> rep-c -> rep-b -> rep-a.');
    expect(loop.body.error.details[0]).toMatchObject({ path: 'managerId', code: 'manager_cycle' });
  });
});

describe('reps: replace, patch', () => {
  let ws: TestWorkspace;
  beforeAll(async () => {
    ws = await t.workspace();
    await createReps(t, ws, 'rep-boss');
    expectStatus(await asAdmin(t, ws)('POST', '/api/reps', ana), 201);
  });

  it('PUT replaces the whole rep; left-out fields take their defaults', async () => {
    const r = await asAdmin(t, ws)('PUT', '/api/reps/rep-ana', { name: 'Ana D.', email: 'ana.d@example.com', timeZone: 'Europe/Madrid', managerId: 'rep-boss' });
    expectStatus(r, 200);
    expect(r.body).toEqual({ id: 'rep-ana', name: 'Ana D.', email: 'ana.d@example.com', timeZone: 'Europe/Madrid', workingHours: null, outOfOffice: [], skills: [], caps: {}, active: true, managerId: 'rep-boss' });
    const [row] = await t.database.db.select().from(reps).where(and(eq(reps.workspaceId, ws.id), eq(reps.id, 'rep-ana')));
    expect(row).toMatchObject({ capPerDay: null, capOpenLeads: null, managerId: 'rep-boss' });
  });

  it('PUT may repeat the id but not change it; PUT of a missing rep is 404', async () => {
    const admin = asAdmin(t, ws);
    expectStatus(await admin('PUT', '/api/reps/rep-ana', repBody('rep-ana')), 200);
    const renamed = await admin('PUT', '/api/reps/rep-ana', repBody('rep-other'));
    expectStatus(renamed, 400);
    expect(renamed.body.error.details).toEqual([{ path: 'id', message: 'the id cannot be changed: the body says "rep-other" but the path names "rep-ana"' }]);
    expectStatus(await admin('PUT', '/api/reps/rep-nobody', repBody('rep-nobody')), 404);
  });

  it('PATCH changes only the given fields (deactivation keeps everything else)', async () => {
    const admin = asAdmin(t, ws);
    expectStatus(await admin('PUT', '/api/reps/rep-ana', ana), 200);
    const r = await admin('PATCH', '/api/reps/rep-ana', { active: false });
    expectStatus(r, 200);
    expect(r.body).toEqual({ ...ana, active: false });
    const caps = await admin('PATCH', '/api/reps/rep-ana', { caps: { perDay: 10 }, managerId: 'rep-boss', workingHours: null });
    expectStatus(caps, 200);
    expect(caps.body).toEqual({ ...ana, active: false, caps: { perDay: 10 }, managerId: 'rep-boss', workingHours: null });
    const cleared = await admin('PATCH', '/api/reps/rep-ana', { managerId: null });
    expect(cleared.body.managerId).toBeNull();
  });

  it('PATCH validates fields by path, and references', async () => {
    const admin = asAdmin(t, ws);
    const bad = await admin('PATCH', '/api/reps/rep-ana', { caps: { perDay: -5 }, skills: null, timeZone: 'Nowhere' });
    expectStatus(bad, 400);
    expect(bad.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['caps.perDay', 'skills', 'timeZone']);
    const ghost = await admin('PATCH', '/api/reps/rep-ana', { managerId: 'rep-ghost' });
    expectStatus(ghost, 422);
    expect(ghost.body.error.details[0].path).toBe('managerId');
    expectStatus(await admin('PATCH', '/api/reps/rep-nobody', { active: false }), 404);
    expectStatus(await admin('PATCH', '/api/reps/rep-ana', { id: 'rep-zzz' }), 400);
  });
});

describe('reps: delete', () => {
  let ws: TestWorkspace;
  beforeAll(async () => {
    ws = await t.workspace();
    const admin = asAdmin(t, ws);
    await createReps(t, ws, 'rep-mia', 'rep-bo');
    expectStatus(await admin('POST', '/api/reps', repBody('rep-ana', { managerId: 'rep-mia' })), 201);
    expectStatus(await admin('POST', '/api/teams', { id: 'team-ent', name: 'Enterprise', managerId: 'rep-mia', members: [{ repId: 'rep-mia', weight: 2 }, { repId: 'rep-bo' }] }), 201);
    expectStatus(await admin('POST', '/api/territories', { id: 'terr-us', name: 'US', rules: [{ countries: ['US'] }], repIds: ['rep-bo', 'rep-mia'] }), 201);
    expectStatus(await admin('POST', '/api/accounts', { id: 'acct-acme', name: 'Acme', domains: ['acme.com'], ownerId: 'rep-mia' }), 201);
  });

  it('refuses while the directory names the rep: 409 in_use listing where, suggesting deactivation', async () => {
    const r = await asAdmin(t, ws)('DELETE', '/api/reps/rep-mia');
    expectStatus(r, 409);
    expect(r.body.error.code).toBe('in_use');
    expect(r.body.error.message).toContain('Rep rep-mia is still used by 1 team, 1 territory, 1 account (as owner) and 1 rep (as their manager).');
    expect(r.body.error.message).toContain('{"active": false}');
    expect(r.body.error.message).toContain('?force=true');
    expect(r.body.error.details).toEqual([
      { type: 'team', id: 'team-ent', name: 'Enterprise', field: 'members', message: 'member of the team "Enterprise"' },
      { type: 'team', id: 'team-ent', name: 'Enterprise', field: 'managerId', message: 'manager of the team "Enterprise"' },
      { type: 'territory', id: 'terr-us', name: 'US', field: 'repIds', message: 'covers the territory "US"' },
      { type: 'account', id: 'acct-acme', name: 'Acme', field: 'ownerId', message: 'owner of the account "Acme"' },
      { type: 'rep', id: 'rep-ana', name: 'Rep rep-ana', field: 'managerId', message: 'manager of Rep rep-ana' },
    ]);
    expectStatus(await t.call('GET', '/api/reps/rep-mia', { key: ws.keys.viewer }), 200);
  });

  it('?force=true removes the references, deletes the rep and deactivates nothing else', async () => {
    const r = await asAdmin(t, ws)('DELETE', '/api/reps/rep-mia?force=true');
    expectStatus(r, 200);
    expect(r.body.id).toBe('rep-mia');
    expect(r.body.removed).toEqual({ teams: 1, territories: 1, accounts: 1, reps: 1 });
    expect(r.body.references).toHaveLength(5);
    const get = (path: string) => t.call('GET', path, { key: ws.keys.viewer });
    expectStatus(await get('/api/reps/rep-mia'), 404);
    expect((await get('/api/teams/team-ent')).body).toEqual({ id: 'team-ent', name: 'Enterprise', managerId: null, members: [{ repId: 'rep-bo', weight: 1 }] });
    expect((await get('/api/territories/terr-us')).body.repIds).toEqual(['rep-bo']);
    expect((await get('/api/accounts/acct-acme')).body.ownerId).toBeNull();
    const anaNow = (await get('/api/reps/rep-ana')).body;
    expect(anaNow).toMatchObject({ managerId: null, active: true });
    expect((await get('/api/reps/rep-bo')).body.active).toBe(true);
  });

  it('a rep nothing names is deleted without force; again is 404', async () => {
    const r = await asAdmin(t, ws)('DELETE', '/api/reps/rep-ana');
    expectStatus(r, 200);
    expect(r.body).toEqual({ id: 'rep-ana', removed: { teams: 0, territories: 0, accounts: 0, reps: 0 }, references: [] });
    expectStatus(await asAdmin(t, ws)('DELETE', '/api/reps/rep-ana'), 404);
  });
});

describe('reps: roles and workspaces', () => {
  let ws: TestWorkspace;
  let other: TestWorkspace;
  beforeAll(async () => {
    ws = await t.workspace();
    other = await t.workspace();
    await createReps(t, ws, 'rep-one');
  });

  it('viewers (and editors, publishers) read; only admins write; no credentials is 401', async () => {
    await expectRoles(t, ws, { method: 'GET', path: '/api/reps' }, { viewer: 200, admin: 200 });
    await expectRoles(t, ws, { method: 'GET', path: '/api/reps/rep-one' }, { viewer: 200, admin: 200 });
    await expectRoles(t, ws, { method: 'POST', path: '/api/reps', body: repBody('rep-two') }, { viewer: 403, admin: 201 });
    await expectRoles(t, ws, { method: 'PUT', path: '/api/reps/rep-two', body: repBody('rep-two', { name: 'Two' }) }, { viewer: 403, admin: 200 });
    await expectRoles(t, ws, { method: 'PATCH', path: '/api/reps/rep-two', body: { active: false } }, { viewer: 403, admin: 200 });
    await expectRoles(t, ws, { method: 'DELETE', path: '/api/reps/rep-two' }, { viewer: 403, admin: 200 });
  });

  it("another workspace's rep is 404 everywhere and absent from lists; its id is free here", async () => {
    const key = other.keys.admin;
    expectStatus(await t.call('GET', '/api/reps/rep-one', { key }), 404);
    expectStatus(await t.call('PUT', '/api/reps/rep-one', { key, body: repBody('rep-one') }), 404);
    expectStatus(await t.call('PATCH', '/api/reps/rep-one', { key, body: { active: false } }), 404);
    expectStatus(await t.call('DELETE', '/api/reps/rep-one', { key }), 404);
    expect((await t.call('GET', '/api/reps', { key })).body.items).toEqual([]);
    const ref = await t.call('POST', '/api/reps', { key, body: repBody('rep-new', { managerId: 'rep-one' }) });
    expectStatus(ref, 422);
    expectStatus(await t.call('POST', '/api/reps', { key, body: repBody('rep-one') }), 201);
    expect((await t.call('GET', '/api/reps/rep-one', { key: ws.keys.viewer })).body.name).toBe('Rep rep-one');
  });
});
