// 1,000 leads at once into one weighted pool with caps: the real `assign` activity over real PostgreSQL,
// every call in flight together over 10 connections. The split matches the weights within one lead (reps
// that reach a cap stop there and the rest share the remainder by weight), no cap is exceeded, and no
// turn is taken twice: each lead is assigned once, the stored loads and daily counts equal the answers,
// and the pool's rotation state ends exactly where 1,000 assignments one after another leave it.
import { DirectorySchema, SimulationEffects, type AssignConfig, type AssignRequest, type AssignResult, type DirectoryInput } from '@lead-router/shared';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { poolCursors, repDailyCounts, repLoads } from '@lead-router/db/schema';
import { createActivities } from '../../worker/src/activities/index';
import { createTestDatabase, createWorkspace, insertLeads, seedDirectory, type TestDatabase } from '../../worker/src/test/test-db';
import type { RoutingActivities, RunRef } from '../../worker/src/activities/types';

// A Tuesday, 15:00 UTC: inside everyone's working hours.
const NOW = Date.UTC(2026, 2, 10, 15, 0, 0);
const LEADS = 1_000;

/** The pool: weights, and caps on some reps (open leads or per day) that the weighted share would pass. */
const MEMBERS: Array<{ id: string; weight: number; caps: { openLeads?: number; perDay?: number } }> = [
  { id: 'w5', weight: 5, caps: {} },
  { id: 'w4', weight: 4, caps: { openLeads: 120 } },
  { id: 'w3', weight: 3, caps: { perDay: 150 } },
  { id: 'w2', weight: 2, caps: {} },
  { id: 'w1', weight: 1, caps: { openLeads: 500 } },
];

const directory: DirectoryInput = {
  reps: MEMBERS.map((m) => ({ id: m.id, name: `Rep ${m.id}`, email: `${m.id}@example.com`, timeZone: 'UTC', caps: m.caps })),
  teams: [{ id: 'pool', name: 'Pool', members: MEMBERS.map((m) => ({ repId: m.id, weight: m.weight })) }],
  queues: [{ id: 'q-1', name: 'Overflow' }],
};

const cfg: AssignConfig = {
  strategy: { type: 'weighted_round_robin', teamId: 'pool' },
  eligibility: { skills: [], respectCapacity: true, respectWorkingHours: true, respectOutOfOffice: true },
  excludePreviousAssignees: true,
};

/**
 * The ideal split, worked out without the product's code: each rep gets `total * weight / sum of weights`;
 * a rep whose share passes its cap gets its cap, and the leads left over are shared again among the rest.
 */
function idealSplit(total: number): Record<string, number> {
  const out: Record<string, number> = {};
  let open = [...MEMBERS];
  let left = total;
  for (;;) {
    const weights = open.reduce((a, m) => a + m.weight, 0);
    const over = open.filter((m) => {
      const cap = Math.min(m.caps.openLeads ?? Infinity, m.caps.perDay ?? Infinity);
      return (left * m.weight) / weights > cap;
    });
    if (over.length === 0) {
      for (const m of open) out[m.id] = (left * m.weight) / weights;
      return out;
    }
    for (const m of over) {
      const cap = Math.min(m.caps.openLeads ?? Infinity, m.caps.perDay ?? Infinity);
      out[m.id] = cap;
      left -= cap;
    }
    open = open.filter((m) => !over.includes(m));
  }
}

let t: TestDatabase;
let acts: RoutingActivities;

beforeAll(async () => {
  t = await createTestDatabase({ max: 10 });
  acts = createActivities({ db: t.db, now: () => new Date(NOW) });
}, 60_000);

afterAll(async () => {
  await t?.drop();
});

describe('1,000 leads at once into one weighted pool with caps', () => {
  it('splits by weight within one lead, passes no cap, and takes no turn twice', async () => {
    const { workspaceId, workflowId } = await createWorkspace(t.db);
    await seedDirectory(t.db, workspaceId, directory);
    const ids = await insertLeads(t.db, { workspaceId, workflowId }, Array.from({ length: LEADS }, () => ({})));
    const request = (leadId: string): AssignRequest & RunRef => ({ workspaceId, workflowId: `lead-${leadId}`, leadId, nodeId: 'assign', seq: 3, config: cfg, lead: {}, currentAssignee: null, previousAssignees: [] });

    const started = Date.now();
    const results: AssignResult[] = await Promise.all(ids.map((id) => acts.assign(request(id))));
    const elapsed = Date.now() - started;

    // Every lead assigned, to a rep of the pool, once.
    expect(results.every((r) => r.assignee?.type === 'rep')).toBe(true);
    const counts: Record<string, number> = {};
    for (const r of results) counts[r.assignee!.id] = (counts[r.assignee!.id] ?? 0) + 1;
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(LEADS);

    // The split: within one lead of the ideal weighted shares, caps reached exactly, never passed.
    const ideal = idealSplit(LEADS);
    for (const m of MEMBERS) {
      expect(Math.abs((counts[m.id] ?? 0) - ideal[m.id]!), `${m.id}: ${counts[m.id]} vs ideal ${ideal[m.id]}`).toBeLessThanOrEqual(1);
      if (m.caps.openLeads !== undefined) expect(counts[m.id] ?? 0).toBeLessThanOrEqual(m.caps.openLeads);
      if (m.caps.perDay !== undefined) expect(counts[m.id] ?? 0).toBeLessThanOrEqual(m.caps.perDay);
    }
    expect(counts.w4).toBe(120);
    expect(counts.w3).toBe(150);

    // What is stored agrees with the answers: each assignment counted once in loads and daily counts.
    const loads = Object.fromEntries((await t.db.select().from(repLoads).where(eq(repLoads.workspaceId, workspaceId))).filter((r) => r.openLeads > 0).map((r) => [r.repId, r.openLeads]));
    const daily = Object.fromEntries((await t.db.select().from(repDailyCounts).where(eq(repDailyCounts.workspaceId, workspaceId))).map((r) => [r.repId, r.assigned]));
    expect(loads).toEqual(counts);
    expect(daily).toEqual(counts);

    // No turn taken twice: the concurrent run is exactly 1,000 turns one after another.
    const sim = new SimulationEffects({ directory: DirectorySchema.parse(directory), startTime: NOW });
    const simCounts: Record<string, number> = {};
    for (let i = 0; i < LEADS; i++) {
      const r = sim.assign({ leadId: `l${i}`, nodeId: 'assign', seq: 3, config: cfg, lead: {}, currentAssignee: null, previousAssignees: [] });
      if (r.assignee) simCounts[r.assignee.id] = (simCounts[r.assignee.id] ?? 0) + 1;
    }
    expect(counts).toEqual(simCounts);
    const [cursor] = await t.db.select().from(poolCursors).where(and(eq(poolCursors.workspaceId, workspaceId), eq(poolCursors.poolKey, 'team:pool')));
    expect(cursor?.wrrCurrent).toEqual(sim.state.snapshot().wrrCurrent['team:pool']);

    // The same lead assigned again (a retried activity) changes nothing: still one turn per lead.
    const again = await Promise.all(ids.slice(0, 50).map((id) => acts.assign(request(id))));
    expect(again.map((r) => r.assignee?.id)).toEqual(results.slice(0, 50).map((r) => r.assignee?.id));
    const loadsAfter = Object.fromEntries((await t.db.select().from(repLoads).where(eq(repLoads.workspaceId, workspaceId))).filter((r) => r.openLeads > 0).map((r) => [r.repId, r.openLeads]));
    expect(loadsAfter).toEqual(counts);
    console.log(`1,000 concurrent assignments in ${elapsed} ms: ${JSON.stringify(counts)}`);
  }, 120_000);
});
