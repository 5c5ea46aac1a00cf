import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../../auth/authenticate';
import { newSessionToken, sha256 } from '../../auth/secrets';
import { auditLog, repLoads, reps, sessions } from '@lead-router/db/schema';
import { createUser } from '../../services/workspaces.service';
import { setupTestApp, type TestWorkspace } from '../../test/harness';
import { createTestLead, createTestWorkflow, updateTestRun } from './leads.fixtures';

// POST /api/leads/{id}/close: a rep's worked lead leaves their open leads, so caps free up as reps work.

const t = setupTestApp();
const db = t.database.db;

let ws: TestWorkspace;
let wf: Awaited<ReturnType<typeof createTestWorkflow>>;

async function signIn(role: 'viewer' | 'editor', repId: string | null): Promise<string> {
  const u = await createUser(db, { workspaceId: ws.id, email: `u-${randomUUID().slice(0, 8)}@example.com`, name: 'Rep user', role, password: 'correct horse battery staple', repId });
  const token = newSessionToken();
  await db.insert(sessions).values({ tokenHash: sha256(token), userId: u.id, expiresAt: new Date(Date.now() + 3_600_000) });
  return `${SESSION_COOKIE}=${token}`;
}

async function loadOf(repId: string): Promise<number | undefined> {
  const [row] = await db.select().from(repLoads).where(and(eq(repLoads.workspaceId, ws.id), eq(repLoads.repId, repId)));
  return row?.openLeads;
}

/** A lead whose route ended with `repId` holding it, as the worker leaves it. */
async function workedLead(repId: string): Promise<string> {
  const id = await createTestLead(db, wf, ws.id);
  await updateTestRun(db, id, { status: 'completed', outcome: 'accepted', assigneeType: 'rep', assigneeId: repId, assignedAt: new Date(), acceptedAt: new Date(), completedAt: new Date() });
  return id;
}

beforeAll(async () => {
  ws = await t.workspace();
  wf = await createTestWorkflow(db, ws.id);
  for (const [id, name] of [
    ['rep-di', 'Di Novak'],
    ['rep-ed', 'Ed Ortiz'],
  ] as const) {
    await db.insert(reps).values({ workspaceId: ws.id, id, name, email: `${id}@example.com`, timeZone: 'UTC' });
    await db.insert(repLoads).values({ workspaceId: ws.id, repId: id, openLeads: 3 });
  }
});

describe('POST /api/leads/{id}/close', () => {
  it("the rep holding the lead closes it: stored with the run, one open lead fewer for the rep, an audit entry", async () => {
    const id = await workedLead('rep-di');
    const di = await signIn('viewer', 'rep-di');
    const before = await loadOf('rep-di');
    const r = await t.call('POST', `/api/leads/${id}/close`, { cookie: di, body: { reason: 'converted', note: 'Meeting booked for Tuesday' } });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ leadId: id, closed: { reason: 'converted', note: 'Meeting booked for Tuesday', by: 'rep-di' }, releasedRep: 'rep-di' });
    expect(await loadOf('rep-di')).toBe((before as number) - 1);
    const shown = await t.call('GET', `/api/leads/${id}`, { key: ws.keys.viewer });
    expect(shown.body.closed).toEqual({ at: r.body.closed.at, reason: 'converted', note: 'Meeting booked for Tuesday', by: 'rep-di', byName: 'Rep user' });
    const listed = await t.call('GET', `/api/leads?limit=50`, { key: ws.keys.viewer });
    expect(listed.body.items.find((l: { leadId: string }) => l.leadId === id).closed).toMatchObject({ reason: 'converted' });
    const [entry] = await db.select().from(auditLog).where(and(eq(auditLog.entityId, id), eq(auditLog.action, 'lead.closed')));
    expect(entry).toMatchObject({ actorType: 'user', entityType: 'lead', details: { reason: 'converted', note: 'Meeting booked for Tuesday', by: 'rep-di', releasedRep: 'rep-di' } });
  });

  it('a second close is refused and releases nothing; of five closes at once one lands', async () => {
    const id = await workedLead('rep-ed');
    const before = await loadOf('rep-ed');
    const rs = await Promise.all([1, 2, 3, 4, 5].map(() => t.call('POST', `/api/leads/${id}/close`, { key: ws.keys.editor, body: { reason: 'disqualified' } })));
    expect(rs.map((r) => r.status).sort()).toEqual([200, 409, 409, 409, 409]);
    expect(rs.filter((r) => r.status === 409).every((r) => r.body.error.code === 'already_closed')).toBe(true);
    expect(await loadOf('rep-ed')).toBe((before as number) - 1);
    const again = await t.call('POST', `/api/leads/${id}/close`, { key: ws.keys.admin, body: { reason: 'other' } });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('already_closed');
    expect(again.body.error.message).toContain('disqualified');
  });

  it('409 still_routing while the route runs or waits for an answer, and nothing changes', async () => {
    const waiting = await createTestLead(db, wf, ws.id);
    await updateTestRun(db, waiting, { status: 'waiting', assigneeType: 'rep', assigneeId: 'rep-di', assignedAt: new Date() });
    const queued = await createTestLead(db, wf, ws.id);
    const before = await loadOf('rep-di');
    const w = await t.call('POST', `/api/leads/${waiting}/close`, { key: ws.keys.editor, body: { reason: 'duplicate' } });
    expect(w.status).toBe(409);
    expect(w.body.error).toMatchObject({ code: 'still_routing', message: expect.stringContaining('accept it first') });
    const q = await t.call('POST', `/api/leads/${queued}/close`, { key: ws.keys.editor, body: { reason: 'duplicate' } });
    expect(q.status).toBe(409);
    expect(q.body.error.code).toBe('still_routing');
    expect(await loadOf('rep-di')).toBe(before);
    expect((await t.call('GET', `/api/leads/${waiting}`, { key: ws.keys.viewer })).body.closed).toBeNull();
  });

  it('another rep, a viewer key and an ingest key may not close it; 401 without credentials; 404 for unknown or foreign leads', async () => {
    const id = await workedLead('rep-di');
    const ed = await signIn('viewer', 'rep-ed');
    const denied = await t.call('POST', `/api/leads/${id}/close`, { cookie: ed, body: { reason: 'converted' } });
    expect(denied.status).toBe(403);
    expect(denied.body.error.code).toBe('forbidden');
    expect((await t.call('POST', `/api/leads/${id}/close`, { key: ws.keys.viewer, body: { reason: 'converted' } })).status).toBe(403);
    expect((await t.call('POST', `/api/leads/${id}/close`, { key: ws.keys.ingest, body: { reason: 'converted' } })).status).toBe(403);
    expect((await t.call('POST', `/api/leads/${id}/close`, { body: { reason: 'converted' } })).status).toBe(401);
    const other = await t.workspace();
    expect((await t.call('POST', `/api/leads/${id}/close`, { key: other.keys.admin, body: { reason: 'converted' } })).status).toBe(404);
    expect((await t.call('POST', `/api/leads/${randomUUID()}/close`, { key: ws.keys.admin, body: { reason: 'converted' } })).status).toBe(404);
    expect((await t.call('GET', `/api/leads/${id}`, { key: ws.keys.viewer })).body.closed).toBeNull();
  });

  it('400 naming the field for a missing or unknown reason and a note too long or unstorable', async () => {
    const id = await workedLead('rep-di');
    for (const [body, path] of [
      [{}, 'reason'],
      [{ reason: 'won' }, 'reason'],
      [{ reason: 'converted', note: 'x'.repeat(1001) }, 'note'],
      [{ reason: 'converted', note: 'a\u0000b' }, 'note'],
    ] as const) {
      const r = await t.call('POST', `/api/leads/${id}/close`, { key: ws.keys.editor, body });
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error.details.map((d: { path: string }) => d.path)).toContain(path);
    }
    expect((await t.call('GET', `/api/leads/${id}`, { key: ws.keys.viewer })).body.closed).toBeNull();
  });
});
