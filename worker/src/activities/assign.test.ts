import { DirectorySchema, SimulationEffects, type AssignConfig, type AssignRequest, type AssignResult, type DirectoryInput } from '@lead-router/shared';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectPostgres } from '@lead-router/db/client';
import { poolCursors, repDailyCounts, repLoads, routingRuns } from '@lead-router/db/schema';
import { createActivities } from './index';
import { decideOnce, lockRoutingState } from './routing-state';
import { applicationFailureOf, createTestDatabase, createWorkspace, failureOf, insertLeads, seedDirectory, type TestDatabase } from '../test/test-db';
import { BUSINESS_FAILURE, type RoutingActivities, type RunRef } from './types';

// A Tuesday, 15:00 UTC: inside everyone's working hours that have any.
const NOW = Date.UTC(2026, 2, 10, 15, 0, 0);
const ELIGIBILITY = { skills: [], respectCapacity: true, respectWorkingHours: true, respectOutOfOffice: true };

const config = (strategy: AssignConfig['strategy'], excludePreviousAssignees = true): AssignConfig => ({ strategy, eligibility: ELIGIBILITY, excludePreviousAssignees });

let t: TestDatabase;
let acts: RoutingActivities;

beforeAll(async () => {
  t = await createTestDatabase({ max: 5 });
  acts = createActivities({ db: t.db, now: () => new Date(NOW) });
}, 60_000);

afterAll(async () => {
  await t?.drop();
});

function request(workspaceId: string, leadId: string, cfg: AssignConfig, extra: Partial<AssignRequest> = {}): AssignRequest & RunRef {
  return { workspaceId, workflowId: `lead-${leadId}`, leadId, nodeId: 'assign', seq: 3, config: cfg, lead: {}, currentAssignee: null, previousAssignees: [], ...extra };
}

/** What the simulation assigns for `n` identical requests from an empty state, and its final state. */
function simulate(directory: DirectoryInput, cfg: AssignConfig, n: number) {
  const sim = new SimulationEffects({ directory: DirectorySchema.parse(directory), startTime: NOW });
  const counts: Record<string, number> = {};
  for (let i = 0; i < n; i++) {
    const r = sim.assign({ leadId: `l${i}`, nodeId: 'assign', seq: 3, config: cfg, lead: {}, currentAssignee: null, previousAssignees: [] });
    if (r.assignee) counts[r.assignee.id] = (counts[r.assignee.id] ?? 0) + 1;
  }
  return { counts, state: sim.state.snapshot() };
}

async function loadsOf(workspaceId: string): Promise<Record<string, number>> {
  const rows = await t.db.select().from(repLoads).where(eq(repLoads.workspaceId, workspaceId));
  return Object.fromEntries(rows.filter((r) => r.openLeads > 0).map((r) => [r.repId, r.openLeads]));
}

async function dailyOf(workspaceId: string): Promise<Record<string, number>> {
  const rows = await t.db.select().from(repDailyCounts).where(eq(repDailyCounts.workspaceId, workspaceId));
  return Object.fromEntries(rows.map((r) => [r.repId, r.assigned]));
}

const tally = (results: AssignResult[]): Record<string, number> => {
  const c: Record<string, number> = {};
  for (const r of results) if (r.assignee) c[r.assignee.id] = (c[r.assignee.id] ?? 0) + 1;
  return c;
};

function teamDirectory(members: Array<{ id: string; weight?: number; openCap?: number }>): DirectoryInput {
  return {
    reps: members.map((m) => ({ id: m.id, name: `Rep ${m.id}`, email: `${m.id}@example.com`, timeZone: 'UTC', caps: m.openCap !== undefined ? { openLeads: m.openCap } : {} })),
    teams: [{ id: 'team-a', name: 'Team A', members: members.map((m) => ({ repId: m.id, weight: m.weight ?? 1 })) }],
    queues: [{ id: 'q-1', name: 'Overflow' }],
  };
}

describe('assign under concurrency (500 leads at once over 5 connections)', () => {
  it('round-robin: no turn is taken twice, uncapped reps within 1 of each other, caps never exceeded', async () => {
    const directory = teamDirectory([{ id: 'r1' }, { id: 'r2', openCap: 40 }, { id: 'r3' }, { id: 'r4' }, { id: 'r5', openCap: 50 }, { id: 'r6' }]);
    const { workspaceId, workflowId } = await createWorkspace(t.db);
    await seedDirectory(t.db, workspaceId, directory);
    const ids = await insertLeads(t.db, { workspaceId, workflowId }, Array.from({ length: 500 }, () => ({})));
    const cfg = config({ type: 'round_robin', teamId: 'team-a' });

    const results = await Promise.all(ids.map((id) => acts.assign(request(workspaceId, id, cfg))));

    const counts = tally(results);
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(500);
    expect(counts.r2).toBe(40);
    expect(counts.r5).toBe(50);
    const uncapped = ['r1', 'r3', 'r4', 'r6'].map((id) => counts[id] ?? 0);
    expect(Math.max(...uncapped) - Math.min(...uncapped)).toBeLessThanOrEqual(1);

    // Every turn follows exactly one earlier turn: the rep a choice went "next in rotation after" was
    // chosen once for each time a later choice names it (the first choice follows nobody).
    const names = new Map(DirectorySchema.parse(directory).reps.map((r) => [r.name, r.id]));
    const after: Record<string, number> = {};
    let first = 0;
    for (const r of results) {
      const reason = r.candidates.find((c) => c.verdict === 'chosen')?.reason ?? '';
      const m = /next in rotation after (.+?)(,|$)/.exec(reason);
      if (m) {
        const id = names.get(m[1] as string) as string;
        after[id] = (after[id] ?? 0) + 1;
      } else {
        expect(reason).toMatch(/^first in rotation/);
        first++;
      }
    }
    expect(first).toBe(1);
    const [cursor] = await t.db.select().from(poolCursors).where(and(eq(poolCursors.workspaceId, workspaceId), eq(poolCursors.poolKey, 'team:team-a')));
    const last = cursor?.lastChosen as string;
    for (const id of Object.keys(counts)) expect(after[id] ?? 0).toBe((counts[id] ?? 0) - (id === last ? 1 : 0));

    // The same as 500 assignments one after another in the simulation.
    const sim = simulate(directory, cfg, 500);
    expect(counts).toEqual(sim.counts);
    expect(await loadsOf(workspaceId)).toEqual(sim.counts);
    expect(await dailyOf(workspaceId)).toEqual(sim.counts);
    expect(last).toBe(sim.state.lastChosen['team:team-a']);
  }, 120_000);

  it('weighted round-robin: each rep within 1 of its weight share, as the simulation', async () => {
    const directory = teamDirectory([{ id: 'w5', weight: 5 }, { id: 'w3', weight: 3 }, { id: 'w1', weight: 1 }]);
    const { workspaceId, workflowId } = await createWorkspace(t.db);
    await seedDirectory(t.db, workspaceId, directory);
    const ids = await insertLeads(t.db, { workspaceId, workflowId }, Array.from({ length: 500 }, () => ({})));
    const cfg = config({ type: 'weighted_round_robin', teamId: 'team-a' });

    const results = await Promise.all(ids.map((id) => acts.assign(request(workspaceId, id, cfg))));

    const counts = tally(results);
    for (const [id, w] of [['w5', 5], ['w3', 3], ['w1', 1]] as const) {
      expect(Math.abs((counts[id] ?? 0) - (500 * w) / 9)).toBeLessThanOrEqual(1);
    }
    const sim = simulate(directory, cfg, 500);
    expect(counts).toEqual(sim.counts);
    expect(await loadsOf(workspaceId)).toEqual(sim.counts);
    const [cursor] = await t.db.select().from(poolCursors).where(and(eq(poolCursors.workspaceId, workspaceId), eq(poolCursors.poolKey, 'team:team-a')));
    expect(cursor?.wrrCurrent).toEqual(sim.state.wrrCurrent['team:team-a']);
  }, 120_000);

  it('load-balanced with caps: loads even out and no rep passes its cap', async () => {
    const directory = teamDirectory([{ id: 'b1', openCap: 100 }, { id: 'b2', openCap: 100 }, { id: 'b3', openCap: 150 }, { id: 'b4', openCap: 300 }]);
    const { workspaceId, workflowId } = await createWorkspace(t.db);
    await seedDirectory(t.db, workspaceId, directory);
    const ids = await insertLeads(t.db, { workspaceId, workflowId }, Array.from({ length: 500 }, () => ({})));
    const cfg = config({ type: 'load_balanced', teamId: 'team-a' });

    const results = await Promise.all(ids.map((id) => acts.assign(request(workspaceId, id, cfg))));

    expect(tally(results)).toEqual({ b1: 100, b2: 100, b3: 150, b4: 150 });
    expect(await loadsOf(workspaceId)).toEqual({ b1: 100, b2: 100, b3: 150, b4: 150 });
  }, 120_000);
});

describe('decideOnce: the commit travels with the writes', () => {
  const decision = (id: string) => ({ assignee: { type: 'rep' as const, id, name: id }, explanation: [`assigned to ${id}`] });
  const steps = (decide: Parameters<typeof decideOnce>[2]['decide']) => ({
    fromTrace: () => decision('from-trace'),
    decide,
    refAfter: () => null,
    nobody: 'nobody',
    failure: (m: string) => new Error(m),
  });

  it('the pool’s cursor is free once the writes ran, before postgres.js’s own COMMIT (issue 18)', async () => {
    const { workspaceId, workflowId } = await createWorkspace(t.db);
    await seedDirectory(t.db, workspaceId, teamDirectory([{ id: 'a' }]));
    const [leadId] = (await insertLeads(t.db, { workspaceId, workflowId }, [{}])) as [string];
    // The cursor row exists (committed), as it does for every pool after its first lead.
    await t.db.insert(poolCursors).values({ workspaceId, poolKey: 'team:team-a' });
    const other = connectPostgres(t.url, { max: 1 });
    try {
      let lockable: boolean | null = null;
      const r = await decideOnce(
        // Between the callback's end and postgres.js's COMMIT: can another transaction take the cursor?
        (fn) =>
          t.db.transaction(async (tx) => {
            const out = await fn(tx);
            lockable = await other.db
              .transaction(async (o) => {
                const [row] = await o
                  .select().from(poolCursors).where(and(eq(poolCursors.workspaceId, workspaceId), eq(poolCursors.poolKey, 'team:team-a'))).for('update', { noWait: true });
                return row !== undefined;
              })
              .catch(() => false);
            return out;
          }),
        { workspaceId, leadId, seq: 3, nodeId: 'assign' },
        steps(async (tx) => {
          await lockRoutingState(tx, workspaceId, 'team:team-a', ['a'], NOW);
          return decision('a');
        }),
        NOW,
      );
      expect(r.assignee?.id).toBe('a');
      // Before the change the cursor stayed locked until the COMMIT a round trip later.
      expect(lockable).toBe(true);
      const [run] = await t.db.select({ assigneeId: routingRuns.assigneeId }).from(routingRuns).where(eq(routingRuns.leadId, leadId));
      expect(run?.assigneeId).toBe('a');
    } finally {
      await other.close();
    }
  });

  it('a write that fails rolls back every other write of the decision', async () => {
    const { workspaceId, workflowId } = await createWorkspace(t.db);
    await seedDirectory(t.db, workspaceId, teamDirectory([{ id: 'a' }]));
    const [leadId] = (await insertLeads(t.db, { workspaceId, workflowId }, [{}])) as [string];
    const attempt = decideOnce(
      (fn) => t.db.transaction(fn),
      { workspaceId, leadId, seq: 3, nodeId: 'assign' },
      steps(async (tx, pending) => {
        pending.push(tx.update(repLoads).set({ openLeads: 7 }).where(and(eq(repLoads.workspaceId, workspaceId), eq(repLoads.repId, 'a'))));
        // A rep_loads row for a rep that is counted twice: the primary key refuses it.
        pending.push(tx.insert(repLoads).values([{ workspaceId, repId: 'x', openLeads: 1 }, { workspaceId, repId: 'x', openLeads: 1 }]));
        return decision('a');
      }),
      NOW,
    );
    await expect(attempt).rejects.toThrow();
    expect(await loadsOf(workspaceId)).toEqual({});
    const [run] = await t.db.select({ assigneeId: routingRuns.assigneeId }).from(routingRuns).where(eq(routingRuns.leadId, leadId));
    expect(run?.assigneeId).toBeNull();
    // The pool's connections are left usable, outside any transaction.
    expect(await loadsOf(workspaceId)).toEqual({});
  });
});

describe('assign', () => {
  it('a pool cursor gone behind the cache, being created by another transaction: no deadlock, rows locked in order', async () => {
    const { workspaceId, workflowId } = await createWorkspace(t.db);
    await seedDirectory(t.db, workspaceId, teamDirectory([{ id: 'a' }, { id: 'b' }]));
    const [l1, l2, l3] = (await insertLeads(t.db, { workspaceId, workflowId }, [{}, {}, {}])) as [string, string, string];
    const cfg = config({ type: 'round_robin', teamId: 'team-a' });
    // The first assignment creates the cursor row, the second sees it committed: from now on the process
    // reads the pool's rows together (pipelined).
    await acts.assign(request(workspaceId, l1, cfg));
    await acts.assign(request(workspaceId, l2, cfg));
    // The row is gone (as in a database made anew) and another transaction is creating it again; it will
    // then lock the reps' rows, in lock order (cursor, then reps).
    const where = and(eq(poolCursors.workspaceId, workspaceId), eq(poolCursors.poolKey, 'team:team-a'));
    await t.db.delete(poolCursors).where(where);
    const other = connectPostgres(t.url, { max: 1 });
    let created!: () => void;
    let release!: () => void;
    const inserted = new Promise<void>((r) => (created = r));
    const released = new Promise<void>((r) => (release = r));
    const creating = other.db.transaction(async (tx) => {
      await tx.insert(poolCursors).values({ workspaceId, poolKey: 'team:team-a' });
      created();
      await released;
      await tx.select().from(repLoads).where(eq(repLoads.workspaceId, workspaceId)).orderBy(repLoads.repId).for('update');
    });
    await inserted;
    const assigning = acts.assign(request(workspaceId, l3, cfg));
    // The assignment reaches the uncommitted cursor row and waits for it, holding no rep row.
    await new Promise((r) => setTimeout(r, 300));
    release();
    try {
      // Before the fix the assignment held the reps' rows while waiting: PostgreSQL broke the deadlock.
      await creating;
      expect((await assigning).assignee?.id).toMatch(/^[ab]$/);
    } finally {
      await assigning.catch(() => {});
      await other.close();
    }
  });

  it('a retry of the same step returns the first answer and counts the lead once', async () => {
    const { workspaceId, workflowId } = await createWorkspace(t.db);
    await seedDirectory(t.db, workspaceId, teamDirectory([{ id: 'a' }, { id: 'b' }]));
    const [leadId] = (await insertLeads(t.db, { workspaceId, workflowId }, [{}])) as [string];
    const req = request(workspaceId, leadId, config({ type: 'round_robin', teamId: 'team-a' }));

    const first = await acts.assign(req);
    const again = await acts.assign(req);
    const concurrent = await Promise.all([acts.assign(req), acts.assign(req)]);

    expect(first.assignee?.id).toBe('a');
    for (const r of [again, ...concurrent]) expect(r).toEqual(first);
    expect(await loadsOf(workspaceId)).toEqual({ a: 1 });
    expect(await dailyOf(workspaceId)).toEqual({ a: 1 });
    const [run] = await t.db.select().from(routingRuns).where(eq(routingRuns.leadId, leadId));
    expect(run).toMatchObject({ assigneeType: 'rep', assigneeId: 'a' });
    expect(run?.lastAssignment).toMatchObject({ nodeId: 'assign', poolKey: 'team:team-a', config: req.config });

    // A later step of the same lead is a new assignment.
    const next = await acts.assign({ ...req, seq: 7, currentAssignee: first.assignee, previousAssignees: ['a'] });
    expect(next.assignee?.id).toBe('b');
  });

  it('a retry of a step already in the trace answers from the trace', async () => {
    const { workspaceId, workflowId } = await createWorkspace(t.db);
    await seedDirectory(t.db, workspaceId, teamDirectory([{ id: 'a' }, { id: 'b' }]));
    const [leadId] = (await insertLeads(t.db, { workspaceId, workflowId }, [{}])) as [string];
    const req = request(workspaceId, leadId, config({ type: 'round_robin', teamId: 'team-a' }));
    const first = await acts.assign(req);
    await acts.recordSteps({
      workspaceId,
      workflowId: req.workflowId,
      leadId,
      steps: [{
        seq: 3,
        nodeId: 'assign',
        nodeType: 'assign',
        label: 'Assign',
        at: NOW,
        durationMs: 0,
        input: {},
        decision: `Assigned to ${first.assignee?.name}`,
        explanation: first.explanation,
        output: { assignee: first.assignee, candidates: first.candidates, poolKey: first.poolKey },
        outcome: 'assigned',
        next: 'end',
      }],
    });
    await t.db.update(routingRuns).set({ lastAssignment: null }).where(eq(routingRuns.leadId, leadId));

    expect(await acts.assign(req)).toEqual(first);
    expect(await loadsOf(workspaceId)).toEqual({ a: 1 });
  });

  it('re-assignment releases the previous rep and skips previous assignees', async () => {
    const { workspaceId, workflowId } = await createWorkspace(t.db);
    await seedDirectory(t.db, workspaceId, teamDirectory([{ id: 'a' }, { id: 'b' }, { id: 'c' }]));
    const [leadId] = (await insertLeads(t.db, { workspaceId, workflowId }, [{}])) as [string];
    const cfg = config({ type: 'round_robin', teamId: 'team-a' });

    const one = await acts.assign(request(workspaceId, leadId, cfg, { seq: 2 }));
    expect(one.assignee?.id).toBe('a');
    const two = await acts.assign(request(workspaceId, leadId, cfg, { seq: 5, currentAssignee: one.assignee, previousAssignees: ['a'] }));
    expect(two.assignee?.id).toBe('b');
    expect(two.candidates.find((c) => c.repId === 'a')?.verdict).toBe('previously_assigned');
    expect(await loadsOf(workspaceId)).toEqual({ b: 1 });
    // Day counts are what each rep received, releases or not.
    expect(await dailyOf(workspaceId)).toEqual({ a: 1, b: 1 });

    // To a queue: the rep's load is released too, as in simulation.
    const three = await acts.assign(request(workspaceId, leadId, config({ type: 'queue', queueId: 'q-1' }), { seq: 8, currentAssignee: two.assignee, previousAssignees: ['a', 'b'] }));
    expect(three.assignee).toEqual({ type: 'queue', id: 'q-1', name: 'Overflow' });
    expect(await loadsOf(workspaceId)).toEqual({});
  });

  it('nobody eligible is a non-retryable business failure carrying the result, and changes nothing', async () => {
    const { workspaceId, workflowId } = await createWorkspace(t.db);
    const directory = teamDirectory([{ id: 'a', openCap: 0 }, { id: 'b' }]);
    (directory.reps as Array<{ active?: boolean }>)[1]!.active = false;
    await seedDirectory(t.db, workspaceId, directory);
    const [leadId] = (await insertLeads(t.db, { workspaceId, workflowId }, [{}])) as [string];

    const failure = await applicationFailureOf(acts.assign(request(workspaceId, leadId, config({ type: 'round_robin', teamId: 'team-a' }))));

    expect(failure.type).toBe(BUSINESS_FAILURE);
    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toBe('No eligible rep in team Team A');
    const result = failure.details?.[0] as AssignResult;
    expect(result.assignee).toBeNull();
    expect(result.poolKey).toBe('team:team-a');
    expect(result.candidates.map((c) => [c.repId, c.verdict])).toEqual([
      ['a', 'over_open_cap'],
      ['b', 'inactive'],
    ]);
    expect(await loadsOf(workspaceId)).toEqual({});
    const cursors = await t.db.select().from(poolCursors).where(eq(poolCursors.workspaceId, workspaceId));
    expect(cursors).toEqual([]);
    const [run] = await t.db.select().from(routingRuns).where(eq(routingRuns.leadId, leadId));
    expect(run?.lastAssignment).toBeNull();
  });

  it('a database that cannot be reached is a plain (retryable) error', async () => {
    const broken = connectPostgres(t.url.replace(/\/[^/]+$/, '/no_such_database_for_activities'), { max: 1 });
    try {
      const a = createActivities({ db: broken.db });
      const e = await failureOf(a.assign(request('00000000-0000-4000-8000-000000000000', '00000000-0000-4000-8000-000000000001', config({ type: 'round_robin', teamId: 'team-a' }))));
      expect(e).toBeInstanceOf(Error);
      expect((e as { type?: string }).type).toBeUndefined();
    } finally {
      await broken.close();
    }
  });
});
