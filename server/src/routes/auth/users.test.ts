import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { reps } from '@lead-router/db/schema';
import { setupTestApp, type TestWorkspace } from '../../test/harness';

const t = setupTestApp();

const email = (what: string) => `${what}-${randomUUID().slice(0, 8)}@example.com`;
const newUser = (over: Record<string, unknown> = {}) => ({ email: email('u'), name: 'Uma User', role: 'editor', password: 'a long password', ...over });

async function signIn(mail: string, password: string): Promise<string> {
  const r = await t.call('POST', '/api/auth/login', { body: { email: mail, password } });
  expect(r.status).toBe(200);
  return (r.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
}

async function create(ws: TestWorkspace, over: Record<string, unknown> = {}) {
  const body = newUser(over);
  const r = await t.call('POST', '/api/users', { key: ws.keys.admin, body });
  expect(r.status).toBe(201);
  return { ...r.body, password: body.password } as { id: string; email: string; password: string; role: string };
}

describe('users: who may', () => {
  it('answers 401 without credentials and 403 to every role below admin, on every route', async () => {
    const ws = await t.workspace();
    const target = await create(ws);
    const routes: Array<[string, string, unknown?]> = [
      ['GET', '/api/users'],
      ['POST', '/api/users', newUser()],
      ['PATCH', `/api/users/${target.id}`, { name: 'X' }],
      ['DELETE', `/api/users/${target.id}`],
    ];
    for (const [method, path, body] of routes) {
      const anon = await t.call(method, path, { body });
      expect(anon.status, `${method} ${path}`).toBe(401);
      expect(anon.body.error.code).toBe('unauthorized');
      for (const role of ['ingest', 'viewer', 'editor', 'publisher'] as const) {
        const r = await t.call(method, path, { key: ws.keys[role], body });
        expect(r.status, `${role} ${method} ${path}`).toBe(403);
        expect(r.body.error.code).toBe('forbidden');
      }
    }
    // Nothing changed.
    const list = await t.call('GET', '/api/users', { key: ws.keys.admin });
    expect(list.body.items).toHaveLength(2);
    expect(list.body.items.find((u: { id: string }) => u.id === target.id)).toMatchObject({ name: 'Uma User', disabled: false });
  });

  it('a signed-in non-admin user gets 403', async () => {
    const ws = await t.workspace();
    const viewer = await create(ws, { role: 'viewer' });
    const cookie = await signIn(viewer.email, viewer.password);
    expect((await t.call('GET', '/api/users', { cookie })).status).toBe(403);
  });
});

describe('GET/POST /api/users', () => {
  it('creates a user who can sign in, lists them, and never shows a password hash', async () => {
    const ws = await t.workspace();
    const body = newUser({ email: `  Mixed.Case-${randomUUID().slice(0, 6)}@Example.com ` });
    const r = await t.call('POST', '/api/users', { key: ws.keys.admin, body });
    expect(r.status).toBe(201);
    expect(r.body).toEqual({ id: expect.any(String), email: (body.email as string).trim(), name: 'Uma User', role: 'editor', workspaceId: ws.id, repId: null, disabled: false, createdAt: expect.any(String) });
    expect(r.text).not.toMatch(/password|hash|scrypt/i);

    const list = await t.call('GET', '/api/users', { key: ws.keys.admin });
    expect(list.status).toBe(200);
    expect(list.body.items.map((u: { email: string }) => u.email)).toEqual([ws.admin.email, (body.email as string).trim()]);
    expect(list.text).not.toMatch(/password|hash|scrypt/i);

    const me = await t.call('GET', '/api/auth/me', { cookie: await signIn((body.email as string).toLowerCase(), body.password) });
    expect(me.body).toMatchObject({ kind: 'user', role: 'editor', workspaceId: ws.id });
  });

  it('links a user to a rep of the directory, and refuses an unknown rep with 422', async () => {
    const ws = await t.workspace();
    await t.database.db.insert(reps).values({ workspaceId: ws.id, id: 'rep-ana', name: 'Ana', email: 'ana@example.com', timeZone: 'Europe/Lisbon' });
    const ok = await t.call('POST', '/api/users', { key: ws.keys.admin, body: newUser({ repId: 'rep-ana' }) });
    expect(ok.status).toBe(201);
    expect(ok.body.repId).toBe('rep-ana');
    const bad = await t.call('POST', '/api/users', { key: ws.keys.admin, body: newUser({ repId: 'rep-nobody' }) });
    expect(bad.status).toBe(422);
    expect(bad.body.error).toMatchObject({ code: 'unknown_rep', details: [{ path: 'repId', message: 'Unknown rep "rep-nobody".' }] });
    // Another workspace's rep is just as unknown.
    const other = await t.workspace();
    const cross = await t.call('POST', '/api/users', { key: other.keys.admin, body: newUser({ repId: 'rep-ana' }) });
    expect(cross.status).toBe(422);
  });

  it('refuses a used email (any case, any workspace) with 409', async () => {
    const ws = await t.workspace();
    const u = await create(ws);
    const again = await t.call('POST', '/api/users', { key: ws.keys.admin, body: newUser({ email: u.email.toUpperCase() }) });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('email_taken');
    const other = await t.workspace();
    const cross = await t.call('POST', '/api/users', { key: other.keys.admin, body: newUser({ email: ws.admin.email }) });
    expect(cross.status).toBe(409);
  });

  it('validates every field, naming it', async () => {
    const ws = await t.workspace();
    const r = await t.call('POST', '/api/users', { key: ws.keys.admin, body: { email: 'not-an-email', name: '', role: 'owner', password: 'short' } });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('invalid_request');
    expect(r.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['email', 'name', 'password', 'role']);
    expect(r.body.error.details.find((d: { path: string }) => d.path === 'password').message).toBe('At least 10 characters.');
    const ingest = await t.call('POST', '/api/users', { key: ws.keys.admin, body: newUser({ role: 'ingest' }) });
    expect(ingest.status).toBe(400);
    expect(ingest.body.error.details[0].path).toBe('role');
    const bad = await t.call('POST', '/api/users', { key: ws.keys.admin, rawBody: '{nope' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('malformed_json');
  });
});

describe('PATCH/DELETE /api/users/{id}', () => {
  it('changes name, role and rep, and audits what changed', async () => {
    const ws = await t.workspace();
    const u = await create(ws);
    const r = await t.call('PATCH', `/api/users/${u.id}`, { key: ws.keys.admin, body: { name: 'Uma Publisher', role: 'publisher' } });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ id: u.id, name: 'Uma Publisher', role: 'publisher', disabled: false });
    expect(r.text).not.toMatch(/hash|scrypt/i);
    const audit = await t.call('GET', `/api/audit?entityType=user&entityId=${u.id}`, { key: ws.keys.admin });
    expect(audit.body.items.map((e: { action: string }) => e.action)).toEqual(['user.updated', 'user.created']);
    expect(audit.body.items[0]).toMatchObject({ actorType: 'key', actorName: 'key admin key', details: { changes: { name: { from: 'Uma User', to: 'Uma Publisher' }, role: { from: 'editor', to: 'publisher' } } } });
  });

  it('sets a password: the old one stops working, sessions end, and the audit log never holds it', async () => {
    const ws = await t.workspace();
    const u = await create(ws);
    const cookie = await signIn(u.email, u.password);
    const r = await t.call('PATCH', `/api/users/${u.id}`, { key: ws.keys.admin, body: { password: 'a brand new password' } });
    expect(r.status).toBe(200);
    expect((await t.call('GET', '/api/auth/me', { cookie })).status).toBe(401);
    expect((await t.call('POST', '/api/auth/login', { body: { email: u.email, password: u.password } })).status).toBe(401);
    expect((await t.call('POST', '/api/auth/login', { body: { email: u.email, password: 'a brand new password' } })).status).toBe(200);
    const audit = await t.call('GET', `/api/audit?entityId=${u.id}`, { key: ws.keys.admin });
    expect(audit.body.items[0]).toMatchObject({ action: 'user.updated', details: { passwordChanged: true } });
    expect(audit.text).not.toContain('a brand new password');
    expect(audit.text).not.toMatch(/scrypt/);
  });

  it('an admin changing their own password keeps their current session', async () => {
    const ws = await t.workspace();
    const cookie = await signIn(ws.admin.email, ws.admin.password);
    const r = await t.call('PATCH', `/api/users/${ws.admin.id}`, { cookie, body: { password: 'my new long password' } });
    expect(r.status).toBe(200);
    expect((await t.call('GET', '/api/auth/me', { cookie })).status).toBe(200);
  });

  it('DELETE disables: no more sign-in, sessions end, the user stays listed', async () => {
    const ws = await t.workspace();
    const u = await create(ws);
    const cookie = await signIn(u.email, u.password);
    const r = await t.call('DELETE', `/api/users/${u.id}`, { key: ws.keys.admin });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ id: u.id, disabled: true });
    expect((await t.call('GET', '/api/auth/me', { cookie })).status).toBe(401);
    expect((await t.call('POST', '/api/auth/login', { body: { email: u.email, password: u.password } })).status).toBe(401);
    const list = await t.call('GET', '/api/users', { key: ws.keys.admin });
    expect(list.body.items.find((x: { id: string }) => x.id === u.id).disabled).toBe(true);
    const audit = await t.call('GET', `/api/audit?entityId=${u.id}`, { key: ws.keys.admin });
    expect(audit.body.items[0].action).toBe('user.disabled');
    // Enabling again works.
    const back = await t.call('PATCH', `/api/users/${u.id}`, { key: ws.keys.admin, body: { disabled: false } });
    expect(back.body.disabled).toBe(false);
    expect((await t.call('POST', '/api/auth/login', { body: { email: u.email, password: u.password } })).status).toBe(200);
  });

  it('an admin cannot disable or demote themselves', async () => {
    const ws = await t.workspace();
    await create(ws, { role: 'admin' });
    const cookie = await signIn(ws.admin.email, ws.admin.password);
    for (const [method, body] of [
      ['PATCH', { role: 'viewer' }],
      ['PATCH', { disabled: true }],
      ['DELETE', undefined],
    ] as const) {
      const r = await t.call(method, `/api/users/${ws.admin.id}`, { cookie, body });
      expect(r.status).toBe(409);
      expect(r.body.error.code).toBe('cannot_demote_self');
    }
    // Their own name is fine.
    expect((await t.call('PATCH', `/api/users/${ws.admin.id}`, { cookie, body: { name: 'Boss' } })).status).toBe(200);
  });

  it('the last active admin cannot be demoted or disabled; with two admins, one can go', async () => {
    const ws = await t.workspace();
    const last = await t.call('PATCH', `/api/users/${ws.admin.id}`, { key: ws.keys.admin, body: { role: 'editor' } });
    expect(last.status).toBe(409);
    expect(last.body.error.code).toBe('last_admin');
    expect((await t.call('DELETE', `/api/users/${ws.admin.id}`, { key: ws.keys.admin })).body.error.code).toBe('last_admin');

    const second = await create(ws, { role: 'admin' });
    const cookie = await signIn(second.email, second.password);
    const demote = await t.call('PATCH', `/api/users/${ws.admin.id}`, { cookie, body: { role: 'editor' } });
    expect(demote.status).toBe(200);
    expect(demote.body.role).toBe('editor');
    // Now the second admin is the last one: not even an admin key can remove them.
    const r = await t.call('DELETE', `/api/users/${second.id}`, { key: ws.keys.admin });
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('last_admin');
    // A disabled admin does not count as one.
    const third = await create(ws, { role: 'admin' });
    expect((await t.call('DELETE', `/api/users/${third.id}`, { key: ws.keys.admin })).status).toBe(200);
    expect((await t.call('PATCH', `/api/users/${second.id}`, { key: ws.keys.admin, body: { role: 'viewer' } })).body.error.code).toBe('last_admin');
  });

  it('another workspace’s user, an unknown id and a non-UUID id are 404, and nothing changes', async () => {
    const ws = await t.workspace();
    const other = await t.workspace();
    const theirs = await create(other);
    for (const id of [theirs.id, randomUUID(), 'not-a-uuid']) {
      const p = await t.call('PATCH', `/api/users/${id}`, { key: ws.keys.admin, body: { name: 'Hijacked' } });
      expect(p.status).toBe(404);
      expect(p.body.error.code).toBe('not_found');
      expect((await t.call('DELETE', `/api/users/${id}`, { key: ws.keys.admin })).status).toBe(404);
    }
    const list = await t.call('GET', '/api/users', { key: other.keys.admin });
    expect(list.body.items.find((u: { id: string }) => u.id === theirs.id)).toMatchObject({ name: 'Uma User', disabled: false });
    expect((await t.call('GET', '/api/users', { key: ws.keys.admin })).body.items.map((u: { id: string }) => u.id)).toEqual([ws.admin.id]);
  });

  it('validates the patch: empty, unknown fields, short password, bad role', async () => {
    const ws = await t.workspace();
    const u = await create(ws);
    const empty = await t.call('PATCH', `/api/users/${u.id}`, { key: ws.keys.admin, body: {} });
    expect(empty.status).toBe(400);
    expect(empty.body.error.details[0].message).toContain('at least one field');
    const unknown = await t.call('PATCH', `/api/users/${u.id}`, { key: ws.keys.admin, body: { email: 'new@example.com' } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.details[0].code).toBe('unrecognized_keys');
    const bad = await t.call('PATCH', `/api/users/${u.id}`, { key: ws.keys.admin, body: { password: 'short', role: 'root', disabled: 'yes' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['disabled', 'password', 'role']);
    const rep = await t.call('PATCH', `/api/users/${u.id}`, { key: ws.keys.admin, body: { repId: 'rep-ghost' } });
    expect(rep.status).toBe(422);
    const clear = await t.call('PATCH', `/api/users/${u.id}`, { key: ws.keys.admin, body: { repId: null } });
    expect(clear.status).toBe(200);
    expect(clear.body.repId).toBeNull();
    const malformed = await t.call('PATCH', `/api/users/${u.id}`, { key: ws.keys.admin, rawBody: '{' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe('malformed_json');
  });
});
