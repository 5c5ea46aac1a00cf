import { chooseAssignee, DirectorySchema, indexDirectory, type AssignConfig, type AssignmentRef } from '@lead-router/shared';
import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { lockRoutingState } from '@lead-router/db/routing-state';
import { auditLog, outbox, poolCursors, queues, repLoads, reps } from '@lead-router/db/schema';
import { createLogger } from '../../http/logger';
import { BackfillRunner } from '../../services/backfill-runner';
import { setupTestApp, type TestWorkspace } from '../../test/harness';
import { createTestLead, createTestWorkflow, updateTestRun } from './leads.fixtures';

// Fairness credit-back (issue #16) when a person takes a lead away from its rep: an operator's re-route (one
// lead or the lead list's bulk re-route) and a backfill end the run the rep got the lead in, so the lead no
// longer counts for that rep in the window it was counted in; once, however often the lead is re-routed. A
// queue's "Assign to..." never moves a lead a rep holds (only queued leads), so it has nothing to credit.

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
async function assignedLead(at: Date, workflow = wf): Promise<{ leadId: string; repId: string }> {
  const leadId = await createTestLead(db, workflow, ws.id);
  // Its first run was started long ago: no live outbox row.
  await db.update(outbox).set({ dispatchedAt: at }).where(eq(outbox.leadId, leadId));
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

async function counts(): Promise<Record<string, number> | undefined> {
  const [row] = await db.select({ fairness: poolCursors.fairness }).from(poolCursors).where(and(eq(poolCursors.workspaceId, ws.id), eq(poolCursors.poolKey, POOL)));
  return row?.fairness?.counts;
}

/** Its new run ended again, as the worker leaves it after routing (a route that assigned nobody new). */
const endAgain = (leadId: string) => updateTestRun(db, leadId, { status: 'completed', completedAt: new Date() });

beforeAll(async () => {
  ws = await t.workspace();
  wf = await createTestWorkflow(db, ws.id);
  for (const r of directory.reps.values()) {
    await db.insert(reps).values({ workspaceId: ws.id, id: r.id, name: r.name, email: r.email, timeZone: 'UTC' });
    await db.insert(repLoads).values({ workspaceId: ws.id, repId: r.id, openLeads: 0 });
  }
});

describe('credit-back when a person re-assigns the lead away from its rep', () => {
  it('a re-route takes the lead back from the count of its window, once; so does a bulk re-route', async () => {
    const now = new Date();
    const a = await assignedLead(now);
    const b = await assignedLead(now);
    expect([a.repId, b.repId]).toEqual(['rep-fa', 'rep-gi']);
    const before = await counts();

    const r = await t.call('POST', `/api/leads/${a.leadId}/reroute`, { key: ws.keys.editor, body: { note: 'Wrong team' } });
    expect(r.status, r.text).toBe(202);
    expect(await counts()).toEqual({ ...before, 'rep-fa': before!['rep-fa']! - 1 });
    const [entry] = await db.select().from(auditLog).where(and(eq(auditLog.entityId, a.leadId), eq(auditLog.action, 'lead.rerouted')));
    expect(entry?.details).toMatchObject({ creditedBack: { poolKey: POOL, repId: 'rep-fa' } });

    // Re-routed again (Fa still holds it: the new run assigned nobody): nothing more to take back.
    await endAgain(a.leadId);
    expect((await t.call('POST', `/api/leads/${a.leadId}/reroute`, { key: ws.keys.editor })).status).toBe(202);
    expect(await counts()).toEqual({ ...before, 'rep-fa': before!['rep-fa']! - 1 });

    // The lead list's bulk re-route goes the same way.
    const bulk = await t.call('POST', '/api/leads/bulk', { key: ws.keys.editor, body: { action: 'reroute', leadIds: [b.leadId] } });
    expect(bulk.status, bulk.text).toBe(200);
    expect(bulk.body.counts.rerouted).toBe(1);
    expect(await counts()).toEqual({ 'rep-fa': before!['rep-fa']! - 1, 'rep-gi': before!['rep-gi']! - 1 });
  });

  it('a closed lead is not credited on re-route (a disqualified one was at its close); nor a lead of a window that has ended', async () => {
    const now = new Date();
    const c = await assignedLead(now);
    expect((await t.call('POST', `/api/leads/${c.leadId}/close`, { key: ws.keys.editor, body: { reason: 'disqualified' } })).status).toBe(200);
    const afterClose = await counts();
    expect((await t.call('POST', `/api/leads/${c.leadId}/reroute`, { key: ws.keys.editor })).status).toBe(202);
    expect(await counts()).toEqual(afterClose);

    const old = await assignedLead(new Date(Date.now() - 86_400_000));
    await assignedLead(now);
    const mid = await counts();
    expect((await t.call('POST', `/api/leads/${old.leadId}/reroute`, { key: ws.keys.editor })).status).toBe(202);
    expect(await counts()).toEqual(mid);
  });

  it('a backfill re-routing the lead takes it back from the count, once', async () => {
    const other = await createTestWorkflow(db, ws.id, { name: 'Backfilled' });
    const now = new Date();
    const d = await assignedLead(now, other);
    const e = await assignedLead(now, other);
    const before = await counts();
    const started = await t.call('POST', '/api/backfills', { key: ws.keys.editor, body: { workflowId: other.id, filter: {} } });
    expect(started.status, started.text).toBe(202);
    expect(started.body.total).toBe(2);
    const runner = new BackfillRunner({ db, engine: t.deps.engine, log: createLogger('silent'), now: () => new Date() }, { batchSize: 10, maxInFlight: 1000, maxLiveBacklog: 1_000_000 });
    for (let i = 0; i < 10; i++) {
      const job = await t.call('GET', `/api/backfills/${started.body.id}`, { key: ws.keys.viewer });
      if (job.body.status !== 'running') break;
      await runner.step();
    }
    await runner.stop();
    const job = await t.call('GET', `/api/backfills/${started.body.id}`, { key: ws.keys.viewer });
    expect(job.body).toMatchObject({ status: 'completed', done: 2 });
    expect(await counts()).toEqual({ [d.repId]: before![d.repId]! - 1, [e.repId]: before![e.repId]! - 1 });
  });

  it("a queue's Assign to... moves only queued leads: a lead a rep holds is refused and keeps its count", async () => {
    const f = await assignedLead(new Date());
    await db.insert(queues).values({ workspaceId: ws.id, id: 'q-fair', name: 'Fair queue' });
    const before = await counts();
    const r = await t.call('POST', '/api/leads/bulk', { key: ws.keys.admin, body: { action: 'assign', leadIds: [f.leadId], repId: f.repId === 'rep-fa' ? 'rep-gi' : 'rep-fa' } });
    expect(r.status, r.text).toBe(200);
    expect(r.body.counts.conflict).toBe(1);
    expect(await counts()).toEqual(before);
  });
});
