import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { sha256 } from '../../auth/secrets';
import { apiKeys } from '@lead-router/db/schema';
import { setupTestApp } from '../../test/harness';

const t = setupTestApp();

describe('API keys: who may', () => {
  it('answers 401 without credentials and 403 to every role below admin', async () => {
    const ws = await t.workspace();
    const routes: Array<[string, string, unknown?]> = [
      ['GET', '/api/keys'],
      ['POST', '/api/keys', { name: 'sneaky', role: 'admin' }],
      ['DELETE', `/api/keys/${randomUUID()}`],
    ];
    for (const [method, path, body] of routes) {
      expect((await t.call(method, path, { body })).status, `${method} ${path}`).toBe(401);
      for (const role of ['ingest', 'viewer', 'editor', 'publisher'] as const) {
        const r = await t.call(method, path, { key: ws.keys[role], body });
        expect(r.status, `${role} ${method} ${path}`).toBe(403);
      }
    }
    const list = await t.call('GET', '/api/keys', { key: ws.keys.admin });
    expect(list.body.items.map((k: { name: string }) => k.name).sort()).toEqual(['admin key', 'editor key', 'ingest key', 'publisher key', 'viewer key']);
  });
});

describe('POST/GET /api/keys', () => {
  it('creates a key shown once, which works at once with its role, and lists it without the key or hash', async () => {
    const ws = await t.workspace();
    const r = await t.call('POST', '/api/keys', { key: ws.keys.admin, body: { name: ' Zapier webhook ', role: 'ingest' } });
    expect(r.status).toBe(201);
    expect(r.body).toEqual({
      id: expect.any(String),
      name: 'Zapier webhook',
      role: 'ingest',
      prefix: r.body.key.slice(0, 10),
      createdAt: expect.any(String),
      lastUsedAt: null,
      revokedAt: null,
      key: expect.stringMatching(/^lr_[A-Za-z0-9]{40}$/),
      note: 'Store this key now: it will not be shown again.',
    });
    const key: string = r.body.key;
    const [row] = await t.database.db.select().from(apiKeys).where(eq(apiKeys.id, r.body.id));
    expect(row?.keyHash).toBe(sha256(key));
    expect(row?.workspaceId).toBe(ws.id);

    const me = await t.call('GET', '/api/auth/me', { key });
    expect(me.body).toMatchObject({ kind: 'key', role: 'ingest', workspaceId: ws.id });
    expect((await t.call('GET', '/api/users', { key })).status).toBe(403);

    const list = await t.call('GET', '/api/keys', { key: ws.keys.admin });
    expect(list.status).toBe(200);
    // lastUsedAt is written in the background after a use, so it may or may not be there yet.
    const { lastUsedAt, ...listed } = list.body.items[0];
    expect(listed).toEqual({ id: r.body.id, name: 'Zapier webhook', role: 'ingest', prefix: key.slice(0, 10), createdAt: r.body.createdAt, revokedAt: null });
    expect(lastUsedAt === null || typeof lastUsedAt === 'string').toBe(true);
    expect(list.text).not.toContain(key);
    expect(list.text).not.toContain(sha256(key));
    expect(list.text).not.toMatch(/keyHash|hash/i);
    for (const k of list.body.items) expect(Object.keys(k).sort()).toEqual(['createdAt', 'id', 'lastUsedAt', 'name', 'prefix', 'revokedAt', 'role']);
  });

  it('a signed-in admin creates an admin key; the audit log names who, never the key', async () => {
    const ws = await t.workspace();
    const login = await t.call('POST', '/api/auth/login', { body: { email: ws.admin.email, password: ws.admin.password } });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
    const r = await t.call('POST', '/api/keys', { cookie, body: { name: 'ops', role: 'admin' } });
    expect(r.status).toBe(201);
    expect((await t.call('GET', '/api/users', { key: r.body.key })).status).toBe(200);
    const [row] = await t.database.db.select().from(apiKeys).where(eq(apiKeys.id, r.body.id));
    expect(row?.createdBy).toBe(ws.admin.id);
    const audit = await t.call('GET', `/api/audit?entityType=api_key&entityId=${r.body.id}`, { key: ws.keys.admin });
    expect(audit.body.items).toEqual([
      expect.objectContaining({ action: 'key.created', actorType: 'user', actorId: ws.admin.id, actorName: 'Admin', details: { name: 'ops', role: 'admin', prefix: r.body.prefix } }),
    ]);
    expect(audit.text).not.toContain(r.body.key);
    expect(audit.text).not.toContain(sha256(r.body.key));
  });

  it('validates name and role, naming the field', async () => {
    const ws = await t.workspace();
    const r = await t.call('POST', '/api/keys', { key: ws.keys.admin, body: { name: '', role: 'superuser' } });
    expect(r.status).toBe(400);
    expect(r.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['name', 'role']);
    const missing = await t.call('POST', '/api/keys', { key: ws.keys.admin, body: { role: 'viewer' } });
    expect(missing.body.error.details.map((d: { path: string }) => d.path)).toEqual(['name']);
    const malformed = await t.call('POST', '/api/keys', { key: ws.keys.admin, rawBody: 'name=x' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe('malformed_json');
  });
});

describe('DELETE /api/keys/{id}', () => {
  it('revokes a key, which stops working at once; revoking again changes nothing', async () => {
    const ws = await t.workspace();
    const created = await t.call('POST', '/api/keys', { key: ws.keys.admin, body: { name: 'temp', role: 'editor' } });
    const key: string = created.body.key;
    expect((await t.call('GET', '/api/auth/me', { key })).status).toBe(200);

    const r = await t.call('DELETE', `/api/keys/${created.body.id}`, { key: ws.keys.admin });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ id: created.body.id, name: 'temp', role: 'editor', revokedAt: expect.any(String) });
    expect(r.text).not.toContain(key);

    const after = await t.call('GET', '/api/auth/me', { key });
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe('unauthorized');

    const again = await t.call('DELETE', `/api/keys/${created.body.id}`, { key: ws.keys.admin });
    expect(again.status).toBe(200);
    expect(again.body.revokedAt).toBe(r.body.revokedAt);
    const audit = await t.call('GET', `/api/audit?entityId=${created.body.id}`, { key: ws.keys.admin });
    expect(audit.body.items.map((e: { action: string }) => e.action)).toEqual(['key.revoked', 'key.created']);
    const list = await t.call('GET', '/api/keys', { key: ws.keys.admin });
    expect(list.body.items.find((k: { id: string }) => k.id === created.body.id).revokedAt).toBe(r.body.revokedAt);
  });

  it('an admin key can revoke itself, and is then refused', async () => {
    const ws = await t.workspace();
    const created = await t.call('POST', '/api/keys', { key: ws.keys.admin, body: { name: 'self', role: 'admin' } });
    expect((await t.call('DELETE', `/api/keys/${created.body.id}`, { key: created.body.key })).status).toBe(200);
    expect((await t.call('GET', '/api/keys', { key: created.body.key })).status).toBe(401);
  });

  it("another workspace's key, an unknown id and a non-UUID id are 404, and the key keeps working", async () => {
    const ws = await t.workspace();
    const other = await t.workspace();
    const theirs = await t.call('POST', '/api/keys', { key: other.keys.admin, body: { name: 'theirs', role: 'viewer' } });
    for (const id of [theirs.body.id, randomUUID(), 'nope']) {
      const r = await t.call('DELETE', `/api/keys/${id}`, { key: ws.keys.admin });
      expect(r.status).toBe(404);
      expect(r.body.error.code).toBe('not_found');
    }
    expect((await t.call('GET', '/api/auth/me', { key: theirs.body.key })).status).toBe(200);
    const mine = await t.call('GET', '/api/keys', { key: ws.keys.admin });
    expect(mine.body.items.map((k: { id: string }) => k.id)).not.toContain(theirs.body.id);
  });
});
