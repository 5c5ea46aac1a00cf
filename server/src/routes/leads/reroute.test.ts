import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditLog, outbox, repLoads, reps, routingRuns, versions } from '@lead-router/db/schema';
import { runHistory } from '@lead-router/db/history-schema';
import { setupTestApp, type TestWorkspace } from '../../test/harness';
import { createTestLead, createTestWorkflow, insertTestStep, updateTestRun } from './leads.fixtures';

// POST /api/leads/{id}/reroute on the database side (Temporal unreachable here: a waiting run cannot be
// ended, so it is refused and nothing changes). The whole path through a real worker is in
// worker/src/e2e/routing-e2e.test.ts.

const t = setupTestApp();
const db = t.database.db;

let ws: TestWorkspace;
let wf: Awaited<ReturnType<typeof createTestWorkflow>>;
let v2: string;

beforeAll(async () => {
  ws = await t.workspace();
  wf = await createTestWorkflow(db, ws.id);
  const [v1] = await db.select().from(versions).where(eq(versions.id, wf.versionId!));
  const [row] = await db.insert(versions).values({ workflowId: wf.id, number: 2, graph: v1!.graph, plan: v1!.plan, checksum: 'v2', authorName: 'Test', note: 'second' }).returning({ id: versions.id });
  v2 = row!.id;
  await db.insert(reps).values({ workspaceId: ws.id, id: 'rep-di', name: 'Di Novak', email: 'di@example.com', timeZone: 'UTC' });
  await db.insert(repLoads).values({ workspaceId: ws.id, repId: 'rep-di', openLeads: 4 });
});

async function finishedLead(over: Partial<typeof routingRuns.$inferInsert> = {}): Promise<string> {
  const id = await createTestLead(db, wf, ws.id);
  await db.update(outbox).set({ dispatchedAt: new Date() }).where(eq(outbox.leadId, id));
  const at = new Date(Date.now() - 3_600_000);
  await updateTestRun(db, id, { status: 'completed', outcome: 'accepted', assigneeType: 'rep', assigneeId: 'rep-di', firstAssignedAt: at, assignedAt: at, acceptedAt: at, completedAt: at, currentNodeId: 'end', ...over });
  for (const seq of [1, 2, 3]) await insertTestStep(db, id, seq);
  return id;
}

describe('POST /api/leads/{id}/reroute', () => {
  it('queues a new run on the version asked for, keeps the earlier run (linked on the lead) and audits it; the holder keeps the lead until the new run assigns it', async () => {
    const id = await finishedLead();
    const r = await t.call('POST', `/api/leads/${id}/reroute`, { key: ws.keys.editor, body: { version: 2, note: 'New territory rules' } });
    expect(r.status, JSON.stringify(r.body)).toBe(202);
    expect(r.body).toEqual({ leadId: id, status: 'queued', versionId: v2, version: 2, runNumber: 2 });

    const lead = await t.call('GET', `/api/leads/${id}`, { key: ws.keys.viewer });
    expect(lead.body).toMatchObject({ status: 'queued', versionId: v2, version: 2, runNumber: 2, outcome: null, completedAt: null, acceptedAt: null, assignee: { type: 'rep', id: 'rep-di', name: 'Di Novak' } });
    // Speed to lead stays the lead's: the first run's first assignment.
    expect(lead.body.firstAssignedAt).not.toBeNull();
    expect(lead.body.earlierRuns).toEqual([
      expect.objectContaining({ runNumber: 1, versionId: wf.versionId, version: 1, status: 'completed', outcome: 'accepted', assignee: { type: 'rep', id: 'rep-di', name: 'Di Novak' }, lastSeq: 3, endedReason: 'rerouted', endedBy: expect.stringMatching(/^key:/), endedByName: expect.any(String), note: 'New territory rules' }),
    ]);
    const pending = await db.select().from(outbox).where(and(eq(outbox.leadId, id), eq(outbox.retry, true)));
    expect(pending).toHaveLength(1);
    expect(pending[0]).toMatchObject({ versionId: v2, dispatchedAt: null });
    const [entry] = await db.select().from(auditLog).where(and(eq(auditLog.entityId, id), eq(auditLog.action, 'lead.rerouted')));
    expect(entry?.details).toMatchObject({ fromVersionId: wf.versionId, toVersionId: v2, toVersion: 2, runNumber: 2, previousStatus: 'completed', note: 'New territory rules' });

    // Queued now: a second re-route is refused until it runs.
    const again = await t.call('POST', `/api/leads/${id}/reroute`, { key: ws.keys.editor });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('still_routing');
  });

  it("goes through the workflow's active version when none is named; three at once queue one run", async () => {
    const id = await finishedLead();
    const rs = await Promise.all([1, 2, 3].map(() => t.call('POST', `/api/leads/${id}/reroute`, { key: ws.keys.admin })));
    expect(rs.map((r) => r.status).sort()).toEqual([202, 409, 409]);
    expect(rs.find((r) => r.status === 202)?.body).toMatchObject({ versionId: wf.versionId, version: 1, runNumber: 2 });
    expect(await db.select().from(runHistory).where(eq(runHistory.leadId, id))).toHaveLength(1);
    expect(await db.select().from(outbox).where(and(eq(outbox.leadId, id), eq(outbox.retry, true)))).toHaveLength(1);
  });

  it('a closed lead opens again, held by nobody: its rep was released when it closed', async () => {
    const id = await finishedLead({ closedAt: new Date(), closeReason: 'disqualified', closedBy: 'rep-di' });
    const r = await t.call('POST', `/api/leads/${id}/reroute`, { key: ws.keys.editor, body: { version: 2 } });
    expect(r.status).toBe(202);
    const lead = await t.call('GET', `/api/leads/${id}`, { key: ws.keys.viewer });
    expect(lead.body).toMatchObject({ closed: null, assignee: null, status: 'queued' });
    expect(lead.body.earlierRuns[0]).toMatchObject({ closedAt: expect.any(String), assignee: { id: 'rep-di' } });
  });

  it('refuses a lead being routed, and a waiting one when Temporal cannot end its run (503), changing nothing', async () => {
    const queued = await createTestLead(db, wf, ws.id);
    const q = await t.call('POST', `/api/leads/${queued}/reroute`, { key: ws.keys.editor });
    expect(q.status).toBe(409);
    expect(q.body.error.code).toBe('still_routing');
    const running = await finishedLead({ status: 'running', completedAt: null });
    expect((await t.call('POST', `/api/leads/${running}/reroute`, { key: ws.keys.editor })).body.error.code).toBe('still_routing');
    const waiting = await finishedLead({ status: 'waiting', completedAt: null, acceptedAt: null });
    const w = await t.call('POST', `/api/leads/${waiting}/reroute`, { key: ws.keys.editor });
    expect(w.status).toBe(503);
    expect(w.body.error.code).toBe('unavailable');
    expect(w.headers.get('retry-after')).toBe('5');
    const [run] = await db.select().from(routingRuns).where(eq(routingRuns.leadId, waiting));
    expect(run).toMatchObject({ status: 'waiting', runNumber: 1, versionId: wf.versionId });
    expect(await db.select().from(runHistory).where(eq(runHistory.leadId, waiting))).toHaveLength(0);
  });

  it('names the field for an unknown version or a bad note; 403 below editor; 404 for unknown or foreign leads', async () => {
    const id = await finishedLead();
    const unknown = await t.call('POST', `/api/leads/${id}/reroute`, { key: ws.keys.editor, body: { version: 9 } });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error).toMatchObject({ code: 'unknown_reference', details: [{ path: 'version' }] });
    for (const [body, path] of [
      [{ version: 0 }, 'version'],
      [{ version: 'two' }, 'version'],
      [{ note: 'x'.repeat(1001) }, 'note'],
    ] as const) {
      const r = await t.call('POST', `/api/leads/${id}/reroute`, { key: ws.keys.editor, body });
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error.details.map((d: { path: string }) => d.path)).toContain(path);
    }
    expect((await t.call('POST', `/api/leads/${id}/reroute`, { key: ws.keys.viewer })).status).toBe(403);
    expect((await t.call('POST', `/api/leads/${id}/reroute`, { key: ws.keys.ingest })).status).toBe(403);
    const other = await t.workspace();
    expect((await t.call('POST', `/api/leads/${id}/reroute`, { key: other.keys.admin })).status).toBe(404);
    expect((await t.call('POST', `/api/leads/${randomUUID()}/reroute`, { key: ws.keys.admin })).status).toBe(404);
    const [run] = await db.select().from(routingRuns).where(eq(routingRuns.leadId, id));
    expect(run).toMatchObject({ status: 'completed', runNumber: 1 });
  });
});
