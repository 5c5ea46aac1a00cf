import { DirectorySchema, SimulationEffects, type AssignConfig, type AssignRequest, type AssignResult, type DirectoryInput } from '@lead-router/shared';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRoutingState } from '@lead-router/db/directory-snapshot';
import { poolDailyCounts, repDailyCounts, workspaces } from '@lead-router/db/schema';
import { createActivities } from './index';
import { createTestDatabase, createWorkspace, insertLeads, seedDirectory, type TestDatabase } from '../test/test-db';
import type { RoutingActivities, RunRef } from './types';

// Period caps (#16) in production: many leads assigned at once never push a rep past a weekly or monthly
// cap, nor a team past its weekly cap, counted in the right zones; and a test run started from the same
// production state (loadRoutingState) hands out exactly the same leads.

// Thursday 3 December 2026, 15:00 UTC: the week of Mon 30 Nov to Sun 6 Dec everywhere below.
const NOW = Date.UTC(2026, 11, 3, 15, 0, 0);
const ELIGIBILITY = { skills: [], respectCapacity: true, respectWorkingHours: true, respectOutOfOffice: true };
const CFG: AssignConfig = { strategy: { type: 'round_robin', teamId: 'team-p' }, eligibility: ELIGIBILITY, excludePreviousAssignees: true };

const DIRECTORY: DirectoryInput = {
  reps: [
    { id: 'p-berlin', name: 'Berit Berlin', email: 'b@example.com', timeZone: 'Europe/Berlin', caps: { perWeek: 30 } },
    { id: 'p-la', name: 'Lou Angeles', email: 'l@example.com', timeZone: 'America/Los_Angeles', capsTimeZone: 'workspace', caps: { perMonth: 40 } },
    { id: 'p-kol', name: 'Kai Kolkata', email: 'k@example.com', timeZone: 'Asia/Kolkata' },
    { id: 'p-utc', name: 'Uma Utc', email: 'u@example.com', timeZone: 'UTC' },
  ],
  teams: [{ id: 'team-p', name: 'Periodic', members: ['p-berlin', 'p-la', 'p-kol', 'p-utc'].map((repId) => ({ repId, weight: 1 })), caps: { perWeek: 200 } }],
  settings: { timeZone: 'Europe/Berlin' },
};

let t: TestDatabase;
let acts: RoutingActivities;

beforeAll(async () => {
  t = await createTestDatabase({ max: 5 });
  acts = createActivities({ db: t.db, now: () => new Date(NOW) });
}, 60_000);

afterAll(async () => {
  await t?.drop();
});

const request = (workspaceId: string, leadId: string): AssignRequest & RunRef => ({
  workspaceId,
  workflowId: `lead-${leadId}`,
  leadId,
  nodeId: 'assign',
  seq: 3,
  config: CFG,
  lead: {},
  currentAssignee: null,
  previousAssignees: [],
});

const tally = (results: Array<AssignResult | null>): Record<string, number> => {
  const c: Record<string, number> = {};
  for (const r of results) if (r?.assignee) c[r.assignee.id] = (c[r.assignee.id] ?? 0) + 1;
  return c;
};

describe('period caps under concurrency (120 leads at once over 5 connections)', () => {
  it('never exceeds a weekly, monthly or team cap, and the simulation from the same state agrees', async () => {
    const { workspaceId, workflowId } = await createWorkspace(t.db);
    await seedDirectory(t.db, workspaceId, DIRECTORY);
    await t.db.update(workspaces).set({ settings: { timeZone: 'Europe/Berlin', holidayCalendar: null, daysOff: [] } }).where(eq(workspaces.id, workspaceId));
    // Earlier this week (and before it, which must not count): Berit has 25 of 30, Lou 37 of 40 this
    // month (days in the workspace's zone), the team 150 of 200.
    await t.db.insert(repDailyCounts).values([
      { workspaceId, repId: 'p-berlin', day: '2026-11-30', assigned: 25 },
      { workspaceId, repId: 'p-berlin', day: '2026-11-29', assigned: 100 },
      { workspaceId, repId: 'p-la', day: '2026-12-01', assigned: 35 },
      { workspaceId, repId: 'p-la', day: '2026-12-02', assigned: 2 },
      // Monday of this week, but November: not this month.
      { workspaceId, repId: 'p-la', day: '2026-11-30', assigned: 100 },
    ]);
    await t.db.insert(poolDailyCounts).values([
      { workspaceId, poolKey: 'team:team-p', day: '2026-12-01', assigned: 150 },
      { workspaceId, poolKey: 'team:team-p', day: '2026-11-29', assigned: 500 },
    ]);
    const start = await loadRoutingState(t.db, workspaceId);
    const ids = await insertLeads(t.db, { workspaceId, workflowId }, Array.from({ length: 120 }, () => ({})));

    const settled = await Promise.allSettled(ids.map((id) => acts.assign(request(workspaceId, id))));
    const results = settled.map((s) => (s.status === 'fulfilled' ? s.value : null));
    const refused = settled.filter((s) => s.status === 'rejected').map((s) => (s as PromiseRejectedResult).reason as { message: string; details?: unknown[] });

    const counts = tally(results);
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(50);
    expect(counts['p-berlin']).toBe(5);
    expect(counts['p-la']).toBe(3);
    expect(refused).toHaveLength(70);
    const last = refused[0]?.details?.[0] as AssignResult;
    expect(last.candidates.every((c) => c.verdict === 'over_team_cap')).toBe(true);
    expect(last.candidates[0]?.reason).toBe('team cap reached: team Periodic has 200 of 200 leads this week (Mon 30 Nov–Sun 6 Dec, Europe/Berlin)');

    const pool = await t.db.select().from(poolDailyCounts).where(and(eq(poolDailyCounts.workspaceId, workspaceId), eq(poolDailyCounts.day, '2026-12-03')));
    expect(pool.map((p) => p.assigned)).toEqual([50]);
    const daily = await t.db.select().from(repDailyCounts).where(and(eq(repDailyCounts.workspaceId, workspaceId), eq(repDailyCounts.day, '2026-12-03')));
    expect(Object.fromEntries(daily.map((d) => [d.repId, d.assigned]))).toEqual(counts);

    // A test run from the same production state, one lead after another, hands out the same leads.
    const sim = new SimulationEffects({ directory: DirectorySchema.parse(DIRECTORY), state: start, startTime: NOW });
    const simResults = ids.map((leadId) => sim.assign({ leadId, nodeId: 'assign', seq: 3, config: CFG, lead: {}, currentAssignee: null, previousAssignees: [] }));
    expect(tally(simResults)).toEqual(counts);
    const after = await loadRoutingState(t.db, workspaceId);
    expect(sim.state.snapshot().assignedOn).toEqual(after.assignedOn);
    expect(sim.state.snapshot().poolAssignedOn).toEqual(after.poolAssignedOn);
  }, 120_000);

  it('a rep who counts in the workspace zone gets a new week at the workspace midnight', async () => {
    const dir: DirectoryInput = {
      reps: [{ id: 'w-la', name: 'Wes', email: 'w@example.com', timeZone: 'America/Los_Angeles', capsTimeZone: 'workspace', caps: { perWeek: 1 } }],
      teams: [{ id: 'team-w', name: 'Wes team', members: [{ repId: 'w-la', weight: 1 }] }],
    };
    const { workspaceId, workflowId } = await createWorkspace(t.db);
    await seedDirectory(t.db, workspaceId, dir);
    await t.db.update(workspaces).set({ settings: { timeZone: 'Europe/Berlin', holidayCalendar: null, daysOff: [] } }).where(eq(workspaces.id, workspaceId));
    const cfg: AssignConfig = { ...CFG, strategy: { type: 'round_robin', teamId: 'team-w' } };
    const [a, b, c] = await insertLeads(t.db, { workspaceId, workflowId }, [{}, {}, {}]);
    // Sunday 6 Dec 22:30 UTC: Sunday 23:30 in Berlin, Sunday 14:30 in Los Angeles.
    const sunday = createActivities({ db: t.db, now: () => new Date(Date.UTC(2026, 11, 6, 22, 30)) });
    const monday = createActivities({ db: t.db, now: () => new Date(Date.UTC(2026, 11, 6, 23, 30)) });
    const req = (id: string) => ({ ...request(workspaceId, id), config: cfg });
    expect((await sunday.assign(req(a as string))).assignee?.id).toBe('w-la');
    await expect(sunday.assign(req(b as string))).rejects.toMatchObject({ message: 'No eligible rep in team Wes team' });
    // Monday 00:30 in Berlin, still Sunday in Los Angeles: the workspace's new week.
    expect((await monday.assign(req(c as string))).assignee?.id).toBe('w-la');
    const rows = await t.db.select().from(repDailyCounts).where(eq(repDailyCounts.workspaceId, workspaceId));
    expect(Object.fromEntries(rows.map((r) => [r.day, r.assigned]))).toEqual({ '2026-12-06': 1, '2026-12-07': 1 });
  }, 60_000);
});
