import { describe, expect, it } from 'vitest';
import { setupTestApp } from '../../test/harness';

const t = setupTestApp();

describe('GET /api/audit', () => {
  it('answers 401 without credentials and 403 below admin', async () => {
    const ws = await t.workspace();
    expect((await t.call('GET', '/api/audit')).status).toBe(401);
    for (const role of ['ingest', 'viewer', 'editor', 'publisher'] as const) expect((await t.call('GET', '/api/audit', { key: ws.keys[role] })).status).toBe(403);
  });

  it('pages newest first with a cursor, filters by entity, and shows only this workspace', async () => {
    const ws = await t.workspace();
    const other = await t.workspace();
    await t.call('POST', '/api/keys', { key: other.keys.admin, body: { name: 'theirs', role: 'viewer' } });
    const ids: string[] = [];
    for (let i = 1; i <= 5; i++) {
      const r = await t.call('POST', '/api/keys', { key: ws.keys.admin, body: { name: `k${i}`, role: 'viewer' } });
      expect(r.status).toBe(201);
      ids.push(r.body.id);
    }
    const user = await t.call('POST', '/api/users', { key: ws.keys.admin, body: { email: `a-${ws.id}@example.com`, name: 'A', role: 'viewer', password: 'password long' } });

    const p1 = await t.call('GET', '/api/audit?limit=2', { key: ws.keys.admin });
    expect(p1.status).toBe(200);
    expect(p1.body.items.map((e: { action: string; entityId: string }) => [e.action, e.entityId])).toEqual([
      ['user.created', user.body.id],
      ['key.created', ids[4]],
    ]);
    expect(p1.body.nextCursor).toEqual(expect.stringMatching(/^[A-Za-z0-9_-]+$/));
    const p2 = await t.call('GET', `/api/audit?limit=2&cursor=${p1.body.nextCursor}`, { key: ws.keys.admin });
    expect(p2.body.items.map((e: { entityId: string }) => e.entityId)).toEqual([ids[3], ids[2]]);
    const p3 = await t.call('GET', `/api/audit?limit=2&cursor=${p2.body.nextCursor}`, { key: ws.keys.admin });
    expect(p3.body.items.map((e: { entityId: string }) => e.entityId)).toEqual([ids[1], ids[0]]);
    expect(p3.body.nextCursor).toBeNull();

    const all = await t.call('GET', '/api/audit', { key: ws.keys.admin });
    expect(all.body.items).toHaveLength(6);
    expect(all.body.items.every((e: { details: { name?: string } }) => e.details.name !== 'theirs')).toBe(true);
    expect(all.body.items[0]).toEqual({
      id: expect.stringMatching(/^\d+$/),
      actorType: 'key',
      actorId: expect.any(String),
      actorName: 'key admin key',
      action: 'user.created',
      entityType: 'user',
      entityId: user.body.id,
      details: { email: `a-${ws.id}@example.com`, name: 'A', role: 'viewer', repId: null },
      createdAt: expect.any(String),
    });
    expect(all.text).not.toContain('password long');

    const users = await t.call('GET', '/api/audit?entityType=user', { key: ws.keys.admin });
    expect(users.body.items.map((e: { entityId: string }) => e.entityId)).toEqual([user.body.id]);
    const one = await t.call('GET', `/api/audit?entityType=api_key&entityId=${ids[2]}`, { key: ws.keys.admin });
    expect(one.body.items).toHaveLength(1);
    expect(one.body.items[0].details).toEqual({ name: 'k3', role: 'viewer', prefix: expect.stringMatching(/^lr_/) });
  });

  it('validates the query, naming the parameter', async () => {
    const ws = await t.workspace();
    for (const [q, path] of [
      ['limit=0', 'limit'],
      ['limit=201', 'limit'],
      ['limit=ten', 'limit'],
      ['cursor=abc', 'cursor'],
      ['cursor=-1', 'cursor'],
    ]) {
      const r = await t.call('GET', `/api/audit?${q}`, { key: ws.keys.admin });
      expect(r.status, q).toBe(400);
      expect(r.body.error.code).toBe('invalid_request');
      expect(r.body.error.details[0].path).toBe(path);
    }
  });
});
