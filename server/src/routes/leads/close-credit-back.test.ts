import { chooseAssignee, DirectorySchema, indexDirectory, type AssignConfig, type AssignmentRef } from '@lead-router/shared';
import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { lockRoutingState } from '@lead-router/db/routing-state';
import { auditLog, poolCursors, repLoads, reps } from '@lead-router/db/schema';
import { setupTestApp, type TestWorkspace } from '../../test/harness';
import { createTestLead, createTestWorkflow, updateTestRun } from './leads.fixtures';

// Fairness credit-back (issue #16 item 1) through the real close path: a lead assigned by a balanced step
// with credit-back on, closed as disqualified / not a fit / duplicate, no longer counts for its rep in the
// window it was assigned in; converted leads keep counting, and a window that has ended is left alone.

const t = setupTestApp();
const db = t.database.db;

let ws: TestWorkspace;
let wf: Awaited<ReturnType<typeof createTestWorkflow>>;

const POOL = 'team:team-fair';
const directory = indexDirectory(
  DirectorySchema.parse({
    reps: [
      { id: 'rep-fa', name: 'Fa Ito', email: 'fa@example.com', timeZone: 'UTC', workingHours: null },
      { id: 'rep-gi', name: 'Gi Park', email: 'gi@example.com', timeZone: 'UTC', workingHours: null },
    ],
    teams: [{ id: 'team-fair', name: 'Fair', members: [{ repId: 'rep-fa' }, { repId: 'rep-gi' }] }],
  }),
);
const config: AssignConfig = {
  strategy: { type: 'round_robin', teamId: 'team-fair' },
  eligibility: { skills: [], respectCapacity: true, respectWorkingHours: false, respectOutOfOffice: true },
  excludePreviousAssignees: true,
  fairness: { mode: 'balanced', maxInARow: 2, resetWindow: 'daily', creditBack: true },
};

/** Assigns a new lead as the worker's assign activity does (locked state, shared choice) and ends its route. */
async function assignedLead(at: Date): Promise<{ leadId: string; repId: string }> {
  const leadId = await createTestLead(db, wf, ws.id);
  const now = at.getTime();
  const input = { strategy: config.strategy, eligibility: config.eligibility, lead: {}, now, exclude: [], fairness: config.fairness };
  const r = await db.transaction(async (tx) => {
    const state = await lockRoutingState(tx, ws.id, POOL, ['rep-fa', 'rep-gi'], now);
    const choice = chooseAssignee(input, directory, state);
    if (choice.assignee === null) throw new Error('nobody chosen');
    await state.take(choice.assignee, null, directory, now);
    await state.apply(choice.update, now);
    return choice;
  });
  const ref: AssignmentRef = { nodeId: 'assign', config, poolKey: POOL, ...(r.credit ? { creditBack: r.credit } : {}) };
  await updateTestRun(db, leadId, { status: 'completed', outcome: 'accepted', assigneeType: 'rep', assigneeId: r.assignee?.id, assignedAt: at, lastAssignment: ref, completedAt: at });
  return { leadId, repId: r.assignee?.id as string };
}

async function counts(): Promise<{ window: string; counts: Record<string, number> } | null> {
  const [row] = await db.select({ fairness: poolCursors.fairness }).from(poolCursors).where(and(eq(poolCursors.workspaceId, ws.id), eq(poolCursors.poolKey, POOL)));
  return row?.fairness ?? null;
}

beforeAll(async () => {
  ws = await t.workspace();
  wf = await createTestWorkflow(db, ws.id);
  for (const r of directory.reps.values()) {
    await db.insert(reps).values({ workspaceId: ws.id, id: r.id, name: r.name, email: r.email, timeZone: 'UTC' });
    await db.insert(repLoads).values({ workspaceId: ws.id, repId: r.id, openLeads: 0 });
  }
});

describe('credit-back when a lead is closed', () => {
  it('disqualified, not a fit and duplicate take the lead back from the count of its window; converted does not', async () => {
    const now = new Date();
    const a = await assignedLead(now);
    const b = await assignedLead(now);
    const c = await assignedLead(now);
    const d = await assignedLead(now);
    expect([a.repId, b.repId, c.repId, d.repId]).toEqual(['rep-fa', 'rep-gi', 'rep-fa', 'rep-gi']);
    expect((await counts())?.counts).toEqual({ 'rep-fa': 2, 'rep-gi': 2 });

    const closed = await t.call('POST', `/api/leads/${a.leadId}/close`, { key: ws.keys.editor, body: { reason: 'disqualified' } });
    expect(closed.status).toBe(200);
    expect((await counts())?.counts).toEqual({ 'rep-fa': 1, 'rep-gi': 2 });
    const [entry] = await db.select().from(auditLog).where(and(eq(auditLog.entityId, a.leadId), eq(auditLog.action, 'lead.closed')));
    expect(entry?.details).toMatchObject({ reason: 'disqualified', creditedBack: { poolKey: POOL, repId: 'rep-fa' } });

    expect((await t.call('POST', `/api/leads/${b.leadId}/close`, { key: ws.keys.editor, body: { reason: 'converted' } })).status).toBe(200);
    expect((await counts())?.counts).toEqual({ 'rep-fa': 1, 'rep-gi': 2 });
    expect((await t.call('POST', `/api/leads/${d.leadId}/close`, { key: ws.keys.editor, body: { reason: 'not_a_fit' } })).status).toBe(200);
    expect((await counts())?.counts).toEqual({ 'rep-fa': 1, 'rep-gi': 1 });
    expect((await t.call('POST', `/api/leads/${c.leadId}/close`, { key: ws.keys.editor, body: { reason: 'duplicate' } })).status).toBe(200);
    expect((await counts())?.counts).toEqual({ 'rep-fa': 0, 'rep-gi': 1 });

    // The next choice reads the credited counts: Fa, with none left, is the one behind.
    expect((await assignedLead(now)).repId).toBe('rep-fa');
    expect((await counts())?.counts).toEqual({ 'rep-fa': 1, 'rep-gi': 1 });
  });

  it('a lead of a window that has ended is not credited back; nor is one whose step had credit-back off', async () => {
    const yesterday = new Date(Date.now() - 86_400_000);
    const old = await assignedLead(yesterday);
    const now = new Date();
    await assignedLead(now);
    const before = await counts();
    expect(before?.window).toBe(now.toISOString().slice(0, 10));
    expect((await t.call('POST', `/api/leads/${old.leadId}/close`, { key: ws.keys.editor, body: { reason: 'disqualified' } })).status).toBe(200);
    expect(await counts()).toEqual(before);

    const plain = await assignedLead(now);
    await updateTestRun(db, plain.leadId, { lastAssignment: { nodeId: 'assign', config: { ...config, fairness: { ...config.fairness!, creditBack: false } }, poolKey: POOL } });
    const mid = await counts();
    expect((await t.call('POST', `/api/leads/${plain.leadId}/close`, { key: ws.keys.editor, body: { reason: 'disqualified' } })).status).toBe(200);
    expect(await counts()).toEqual(mid);
  });
});
