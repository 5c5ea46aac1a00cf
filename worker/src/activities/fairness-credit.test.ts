import type { AssignConfig, DirectoryInput, FairnessCredit } from '@lead-router/shared';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { poolCursors } from '@lead-router/db/schema';
import { createActivities } from './index';
import { createTestDatabase, createWorkspace, insertLeads, seedDirectory, type TestDatabase } from '../test/test-db';
import type { RoutingActivities } from './types';

// Fairness credit-back in the assign and escalate activities (issue #16 item 1): a lead leaving the rep it was
// counted for comes off that rep's count in the window it was counted in, whatever pool the lead goes to next
// (a queue, a manager, a pool whose key sorts before or after), and only when someone takes it.

const NOW = Date.UTC(2026, 2, 10, 15, 0, 0);
const WINDOW = '2026-03-10';
const ELIGIBILITY = { skills: [], respectCapacity: true, respectWorkingHours: false, respectOutOfOffice: true };
const balanced = (teamId: string): AssignConfig => ({
  strategy: { type: 'round_robin', teamId },
  eligibility: ELIGIBILITY,
  excludePreviousAssignees: true,
  fairness: { mode: 'balanced', maxInARow: 2, resetWindow: 'daily', creditBack: true },
});

const DIRECTORY: DirectoryInput = {
  reps: [
    { id: 'a', name: 'Ana', email: 'a@example.com', timeZone: 'UTC', managerId: 'm' },
    { id: 'b', name: 'Bo', email: 'b@example.com', timeZone: 'UTC' },
    { id: 'm', name: 'Mia', email: 'm@example.com', timeZone: 'UTC' },
  ],
  teams: [
    { id: 'team-m', name: 'Team M', members: [{ repId: 'a' }, { repId: 'b' }] },
    { id: 'team-a', name: 'Team A (sorts first)', members: [{ repId: 'b' }] },
    { id: 'team-z', name: 'Team Z (sorts last)', members: [{ repId: 'b' }] },
    { id: 'team-empty', name: 'Empty', members: [] },
  ],
  queues: [{ id: 'q-1', name: 'Overflow' }],
};

let t: TestDatabase;
let acts: RoutingActivities;

beforeAll(async () => {
  t = await createTestDatabase({ max: 3 });
  acts = createActivities({ db: t.db, now: () => new Date(NOW) });
}, 60_000);

afterAll(async () => {
  await t?.drop();
});

/** A workspace where rep `a` holds a lead counted in team-m's window (3 leads counted for Ana, 3 for Bo). */
async function heldLead(): Promise<{ workspaceId: string; leadId: string; credit: FairnessCredit }> {
  const { workspaceId, workflowId } = await createWorkspace(t.db);
  await seedDirectory(t.db, workspaceId, DIRECTORY);
  await t.db.insert(poolCursors).values({ workspaceId, poolKey: 'team:team-m', lastChosen: 'a', fairness: { window: WINDOW, counts: { a: 3, b: 3 }, streak: { repId: 'a', n: 1 } } });
  const [leadId] = (await insertLeads(t.db, { workspaceId, workflowId }, [{}])) as [string];
  return { workspaceId, leadId, credit: { poolKey: 'team:team-m', window: WINDOW, repId: 'a' } };
}

async function countsOf(workspaceId: string, poolKey = 'team:team-m'): Promise<Record<string, number> | undefined> {
  const [row] = await t.db.select({ fairness: poolCursors.fairness }).from(poolCursors).where(and(eq(poolCursors.workspaceId, workspaceId), eq(poolCursors.poolKey, poolKey)));
  return row?.fairness?.counts;
}

const ANA = { type: 'rep' as const, id: 'a', name: 'Ana' };

describe('credit-back in the activities', () => {
  for (const teamId of ['team-a', 'team-z']) {
    it(`an assign step re-assigning the lead to ${teamId} credits team-m back (cursor rows locked in key order)`, async () => {
      const { workspaceId, leadId, credit } = await heldLead();
      const r = await acts.assign({ workspaceId, workflowId: `lead-${leadId}`, leadId, nodeId: 'again', seq: 5, config: balanced(teamId), lead: {}, currentAssignee: ANA, previousAssignees: ['a'], credit });
      expect(r.assignee?.id).toBe('b');
      expect(r.credit).toEqual({ poolKey: `team:${teamId}`, window: WINDOW, repId: 'b' });
      expect(await countsOf(workspaceId)).toEqual({ a: 2, b: 3 });
      expect(await countsOf(workspaceId, `team:${teamId}`)).toEqual({ b: 1 });
    });
  }

  it('escalating to a queue or a manager credits back; to the next rep of the same pool, before the choice', async () => {
    const q = await heldLead();
    const lastAssignment = { nodeId: 'assign', config: balanced('team-m'), poolKey: 'team:team-m', creditBack: q.credit };
    const base = { workflowId: `lead-${q.leadId}`, leadId: q.leadId, nodeId: 'esc', seq: 5, lead: {}, currentAssignee: ANA, previousAssignees: ['a'], lastAssignment };
    await acts.escalate({ ...base, workspaceId: q.workspaceId, config: { to: 'queue', queueId: 'q-1' } });
    expect(await countsOf(q.workspaceId)).toEqual({ a: 2, b: 3 });

    const m = await heldLead();
    await acts.escalate({ ...base, workflowId: `lead-${m.leadId}`, leadId: m.leadId, workspaceId: m.workspaceId, config: { to: 'manager' } });
    expect(await countsOf(m.workspaceId)).toEqual({ a: 2, b: 3 });

    const n = await heldLead();
    const r = await acts.escalate({ ...base, workflowId: `lead-${n.leadId}`, leadId: n.leadId, workspaceId: n.workspaceId, config: { to: 'next_rep' } });
    expect(r.assignee?.id).toBe('b');
    // Credited first (Ana 2), then counted for Bo (4); the explanation read the credited counts.
    expect(await countsOf(n.workspaceId)).toEqual({ a: 2, b: 4 });
    expect(r.explanation.join('\n')).toContain('3 of 5 leads today');
  });

  it('nobody to take the lead: nothing is credited (the transaction rolls back)', async () => {
    const { workspaceId, leadId, credit } = await heldLead();
    await expect(
      acts.assign({ workspaceId, workflowId: `lead-${leadId}`, leadId, nodeId: 'again', seq: 5, config: balanced('team-empty'), lead: {}, currentAssignee: ANA, previousAssignees: ['a'], credit }),
    ).rejects.toThrow();
    expect(await countsOf(workspaceId)).toEqual({ a: 3, b: 3 });
  });
});
