import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditLog, reps, sessions } from '@lead-router/db/schema';
import { loadDirectory } from '@lead-router/db/directory-snapshot';
import { SESSION_COOKIE } from '../../auth/authenticate';
import { newSessionToken, sha256 } from '../../auth/secrets';
import { createUser } from '../../services/workspaces.service';
import { setupTestApp, type TestWorkspace } from '../../test/harness';
import { createReps, expectStatus } from './directory.fixtures';

// PUT/GET /api/reps/{id}/availability (#16): a rep switches themself online or offline; a manager
// (publisher or admin) may switch anyone; every change is audited as a rep update.

const t = setupTestApp();
const db = t.database.db;
let ws: TestWorkspace;

async function signIn(role: 'viewer' | 'editor' | 'publisher', repId: string | null): Promise<string> {
  const u = await createUser(db, { workspaceId: ws.id, email: `u-${randomUUID().slice(0, 8)}@example.com`, name: 'Rep user', role, password: 'correct horse battery staple', repId });
  const token = newSessionToken();
  await db.insert(sessions).values({ tokenHash: sha256(token), userId: u.id, expiresAt: new Date(Date.now() + 3_600_000) });
  return `${SESSION_COOKIE}=${token}`;
}

const onlineOf = async (id: string) => (await db.select({ online: reps.online }).from(reps).where(and(eq(reps.workspaceId, ws.id), eq(reps.id, id))))[0]?.online;

beforeAll(async () => {
  ws = await t.workspace();
  await createReps(t, ws, 'rep-ana', 'rep-bo');
});

describe('rep availability', () => {
  it('a rep switches themself offline and back; the directory and its audit log show it', async () => {
    const cookie = await signIn('viewer', 'rep-ana');
    const off = await t.call('PUT', '/api/reps/rep-ana/availability', { cookie, body: { online: false } });
    expectStatus(off, 200);
    expect(off.body).toEqual({ id: 'rep-ana', name: 'Rep rep-ana', online: false });
    expect(await onlineOf('rep-ana')).toBe(false);
    // The directory (what test runs and the worker read) has the switch, and the rep API shows it.
    const dir = await loadDirectory(db, ws.id);
    expect(dir.reps.find((r) => r.id === 'rep-ana')?.online).toBe(false);
    const rep = await t.call('GET', '/api/reps/rep-ana', { key: ws.keys.viewer });
    expect(rep.body).toMatchObject({ id: 'rep-ana', online: false });
    const read = await t.call('GET', '/api/reps/rep-ana/availability', { key: ws.keys.viewer });
    expectStatus(read, 200);
    expect(read.body).toEqual({ id: 'rep-ana', name: 'Rep rep-ana', online: false });

    // Setting the same value again changes nothing and writes no audit entry.
    expectStatus(await t.call('PUT', '/api/reps/rep-ana/availability', { cookie, body: { online: false } }), 200);
    expectStatus(await t.call('PUT', '/api/reps/rep-ana/availability', { cookie, body: { online: true } }), 200);
    expect(await onlineOf('rep-ana')).toBe(true);
    const audits = await db.select().from(auditLog).where(and(eq(auditLog.workspaceId, ws.id), eq(auditLog.action, 'rep.update'), eq(auditLog.entityId, 'rep-ana')));
    expect(audits.map((a) => a.details)).toEqual([
      { changed: ['online'], online: false, by: 'rep-ana' },
      { changed: ['online'], online: true, by: 'rep-ana' },
    ]);
    expect(audits[0]).toMatchObject({ actorType: 'user', entityType: 'rep' });
  });

  it('another rep or an editor may not switch a rep; a publisher, an admin key may', async () => {
    const bo = await signIn('editor', 'rep-bo');
    const r = await t.call('PUT', '/api/reps/rep-ana/availability', { cookie: bo, body: { online: false } });
    expectStatus(r, 403);
    expect(r.body.error.message).toMatch(/A rep can switch only themselves/);
    const editor = await t.call('PUT', '/api/reps/rep-ana/availability', { key: ws.keys.editor, body: { online: false } });
    expectStatus(editor, 403);
    expect(editor.body.error.message).toMatch(/manager \(publisher or admin\)/);
    expectStatus(await t.call('PUT', '/api/reps/rep-ana/availability', { key: ws.keys.ingest, body: { online: false } }), 403);
    expectStatus(await t.call('PUT', '/api/reps/rep-ana/availability', { body: { online: false } }), 401);
    expect(await onlineOf('rep-ana')).toBe(true);

    const manager = await signIn('publisher', null);
    expectStatus(await t.call('PUT', '/api/reps/rep-ana/availability', { cookie: manager, body: { online: false } }), 200);
    expect(await onlineOf('rep-ana')).toBe(false);
    expectStatus(await t.call('PUT', '/api/reps/rep-ana/availability', { key: ws.keys.admin, body: { online: true } }), 200);
    expect(await onlineOf('rep-ana')).toBe(true);
  });

  it('bad input names the field; an unknown rep is a 404', async () => {
    const admin = { key: ws.keys.admin };
    const wrongType = await t.call('PUT', '/api/reps/rep-ana/availability', { ...admin, body: { online: 'no' } });
    expectStatus(wrongType, 400);
    expect(JSON.stringify(wrongType.body.error.details)).toContain('online');
    const missing = await t.call('PUT', '/api/reps/rep-ana/availability', { ...admin, body: {} });
    expectStatus(missing, 400);
    expect(JSON.stringify(missing.body.error.details)).toContain('online');
    const extra = await t.call('PUT', '/api/reps/rep-ana/availability', { ...admin, body: { online: true, away: 1 } });
    expectStatus(extra, 400);
    expect(JSON.stringify(extra.body.error)).toContain('away');
    const unknown = await t.call('PUT', '/api/reps/rep-nobody/availability', { ...admin, body: { online: false } });
    expectStatus(unknown, 404);
    expect(unknown.body.error.message).toBe('Rep rep-nobody was not found.');
    expectStatus(await t.call('GET', '/api/reps/rep-nobody/availability', admin), 404);
  });
});

describe('period caps in the directory API', () => {
  it('rep caps per week and month, the caps zone, and team caps are stored and read back; bad values name the field', async () => {
    const admin = { key: ws.keys.admin };
    const rep = { id: 'rep-cap', name: 'Cap Rep', email: 'cap@example.com', timeZone: 'Europe/Berlin', caps: { perDay: 10, perWeek: 40, perMonth: 150 }, capsTimeZone: 'workspace' };
    expectStatus(await t.call('POST', '/api/reps', { ...admin, body: rep }), 201);
    expect((await t.call('GET', '/api/reps/rep-cap', admin)).body).toMatchObject({ caps: { perDay: 10, perWeek: 40, perMonth: 150 }, capsTimeZone: 'workspace' });
    const [row] = await db.select().from(reps).where(and(eq(reps.workspaceId, ws.id), eq(reps.id, 'rep-cap')));
    expect(row).toMatchObject({ capPerDay: 10, capPerWeek: 40, capPerMonth: 150, capsTimeZone: 'workspace', online: true });

    const team = { id: 'team-cap', name: 'Capped', members: [{ repId: 'rep-cap', weight: 1 }], caps: { perWeek: 200 } };
    expectStatus(await t.call('POST', '/api/teams', { ...admin, body: team }), 201);
    expect((await t.call('GET', '/api/teams/team-cap', admin)).body).toMatchObject({ caps: { perWeek: 200 } });
    const dir = await loadDirectory(db, ws.id);
    expect(dir.teams.find((x) => x.id === 'team-cap')?.caps).toEqual({ perWeek: 200 });

    const badWeek = await t.call('PATCH', '/api/reps/rep-cap', { ...admin, body: { caps: { perWeek: -1 } } });
    expectStatus(badWeek, 400);
    expect(JSON.stringify(badWeek.body.error.details)).toContain('caps.perWeek');
    const badZone = await t.call('PATCH', '/api/reps/rep-cap', { ...admin, body: { capsTimeZone: 'mars' } });
    expectStatus(badZone, 400);
    expect(JSON.stringify(badZone.body.error.details)).toContain('capsTimeZone');
    const badTeam = await t.call('PUT', '/api/teams/team-cap', { ...admin, body: { ...team, caps: { perMonth: 'many' } } });
    expectStatus(badTeam, 400);
    expect(JSON.stringify(badTeam.body.error.details)).toContain('caps.perMonth');
  });
});
