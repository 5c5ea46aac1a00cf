import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { sha256 } from '../../auth/secrets';
import { sessions, users } from '@lead-router/db/schema';
import { setupTestApp } from '../../test/harness';

const t = setupTestApp();

/** Signs in and returns the `lr_session=...` pair to send back as a Cookie header. */
async function signIn(email: string, password: string): Promise<string> {
  const r = await t.call('POST', '/api/auth/login', { body: { email, password } });
  expect(r.status).toBe(200);
  const setCookie = r.headers.get('set-cookie') ?? '';
  return setCookie.split(';')[0] ?? '';
}

describe('POST /api/auth/login', () => {
  it('signs in, sets an HttpOnly Lax cookie for the configured TTL, and answers the user without secrets', async () => {
    const ws = await t.workspace();
    const r = await t.call('POST', '/api/auth/login', { body: { email: ws.admin.email, password: ws.admin.password } });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ id: ws.admin.id, email: ws.admin.email, name: 'Admin', role: 'admin', workspaceId: ws.id, repId: null });
    expect(r.text).not.toMatch(/hash|scrypt/i);
    const cookie = r.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^lr_session=[A-Za-z0-9_-]{43}; /);
    expect(cookie).toContain(`Max-Age=${t.deps.config.SESSION_TTL_HOURS * 3600}`);
    expect(cookie).toContain('Path=/');
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
    expect(cookie).not.toContain('Secure');
    // The database holds only the token's hash.
    const token = cookie.split(';')[0]!.split('=')[1]!;
    const [row] = await t.database.db.select().from(sessions).where(eq(sessions.tokenHash, sha256(token)));
    expect(row?.userId).toBe(ws.admin.id);
    const hours = (row!.expiresAt.getTime() - row!.createdAt.getTime()) / 3_600_000;
    expect(Math.round(hours)).toBe(t.deps.config.SESSION_TTL_HOURS);
    const raw = await t.database.db.select().from(sessions).where(eq(sessions.tokenHash, token));
    expect(raw).toHaveLength(0);
  });

  it('matches the email case-insensitively', async () => {
    const ws = await t.workspace();
    const r = await t.call('POST', '/api/auth/login', { body: { email: `  ${ws.admin.email.toUpperCase()} `, password: ws.admin.password } });
    expect(r.status).toBe(200);
    expect(r.body.id).toBe(ws.admin.id);
  });

  it('marks the cookie Secure over https (directly or behind a proxy)', async () => {
    const ws = await t.workspace();
    const init = { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: ws.admin.email, password: ws.admin.password }) };
    const direct = await t.app.request('https://lead-router.example/api/auth/login', init);
    expect(direct.status).toBe(200);
    expect(direct.headers.get('set-cookie')).toContain('Secure');
    const proxied = await t.app.request('/api/auth/login', { ...init, headers: { ...init.headers, 'x-forwarded-proto': 'https' } });
    expect(proxied.status).toBe(200);
    expect(proxied.headers.get('set-cookie')).toContain('Secure');
  });

  it('answers the same 401 for a wrong password, an unknown email and a disabled user', async () => {
    const ws = await t.workspace();
    const expected = { error: { code: 'invalid_credentials', message: 'Wrong email or password.' } };
    const wrong = await t.call('POST', '/api/auth/login', { body: { email: ws.admin.email, password: 'not the password' } });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toEqual(expected);
    expect(wrong.headers.get('set-cookie')).toBeNull();
    const unknown = await t.call('POST', '/api/auth/login', { body: { email: `nobody-${ws.id}@example.com`, password: 'whatever it is' } });
    expect(unknown.status).toBe(401);
    expect(unknown.body).toEqual(expected);

    const created = await t.call('POST', '/api/users', { key: ws.keys.admin, body: { email: `off-${ws.id}@example.com`, name: 'Off', role: 'viewer', password: 'long enough password' } });
    expect(created.status).toBe(201);
    expect((await t.call('DELETE', `/api/users/${created.body.id}`, { key: ws.keys.admin })).status).toBe(200);
    const disabled = await t.call('POST', '/api/auth/login', { body: { email: `off-${ws.id}@example.com`, password: 'long enough password' } });
    expect(disabled.status).toBe(401);
    expect(disabled.body).toEqual(expected);
  });

  it('rejects invalid bodies with 400 naming the field, and malformed JSON', async () => {
    const missing = await t.call('POST', '/api/auth/login', { body: { email: 'a@example.com' } });
    expect(missing.status).toBe(400);
    expect(missing.body.error.code).toBe('invalid_request');
    expect(missing.body.error.details.map((d: { path: string }) => d.path)).toEqual(['password']);
    const wrongType = await t.call('POST', '/api/auth/login', { body: { email: 42, password: 'x' } });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.error.details[0].path).toBe('email');
    const bad = await t.call('POST', '/api/auth/login', { rawBody: '{"email": ' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('malformed_json');
  });
});

describe('GET /api/auth/me and POST /api/auth/logout', () => {
  it('shows the signed-in user with the workspace name, then logout ends the session and clears the cookie', async () => {
    const ws = await t.workspace('Acme RevOps');
    const cookie = await signIn(ws.admin.email, ws.admin.password);
    const me = await t.call('GET', '/api/auth/me', { cookie });
    expect(me.status).toBe(200);
    expect(me.body).toEqual({ kind: 'user', id: ws.admin.id, name: 'Admin', email: ws.admin.email, role: 'admin', repId: null, workspaceId: ws.id, workspaceName: 'Acme RevOps' });

    const out = await t.call('POST', '/api/auth/logout', { cookie });
    expect(out.status).toBe(204);
    expect(out.text).toBe('');
    expect(out.headers.get('set-cookie')).toMatch(/^lr_session=; Max-Age=0; Path=\/; HttpOnly; SameSite=Lax/);
    const token = cookie.split('=')[1]!;
    expect(await t.database.db.select().from(sessions).where(eq(sessions.tokenHash, sha256(token)))).toHaveLength(0);
    // The old cookie is dead even if a client keeps sending it.
    const after = await t.call('GET', '/api/auth/me', { cookie });
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe('unauthorized');
  });

  it('logout without a session is a harmless 204', async () => {
    const r = await t.call('POST', '/api/auth/logout');
    expect(r.status).toBe(204);
  });

  it('shows an API key as the principal, for every role including ingest', async () => {
    const ws = await t.workspace('Keys Inc');
    for (const role of ['ingest', 'viewer', 'editor', 'publisher', 'admin'] as const) {
      const me = await t.call('GET', '/api/auth/me', { key: ws.keys[role] });
      expect(me.status).toBe(200);
      expect(me.body).toMatchObject({ kind: 'key', name: `key ${role} key`, email: null, role, repId: null, workspaceId: ws.id, workspaceName: 'Keys Inc' });
    }
  });

  it('answers 401 without credentials, with a made-up cookie, and with an expired session', async () => {
    expect((await t.call('GET', '/api/auth/me')).status).toBe(401);
    expect((await t.call('GET', '/api/auth/me', { cookie: 'lr_session=made-up' })).status).toBe(401);
    expect((await t.call('GET', '/api/auth/me', { key: 'lr_notakey' })).status).toBe(401);
    const ws = await t.workspace();
    const cookie = await signIn(ws.admin.email, ws.admin.password);
    const token = cookie.split('=')[1]!;
    await t.database.db.update(sessions).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(sessions.tokenHash, sha256(token)));
    expect((await t.call('GET', '/api/auth/me', { cookie })).status).toBe(401);
  });

  it('a user disabled behind their back loses their session at once', async () => {
    const ws = await t.workspace();
    const cookie = await signIn(ws.admin.email, ws.admin.password);
    await t.database.db.update(users).set({ disabled: true }).where(and(eq(users.id, ws.admin.id)));
    expect((await t.call('GET', '/api/auth/me', { cookie })).status).toBe(401);
  });
});
