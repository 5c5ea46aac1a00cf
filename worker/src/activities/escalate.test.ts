import type { AssignConfig, AssignResult, AssignmentRef, DirectoryInput, EscalateConfig, EscalateRequest, EscalateResult } from '@lead-router/shared';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repDailyCounts, repLoads, routingRuns } from '@lead-router/db/schema';
import { createActivities } from './index';
import { applicationFailureOf, createTestDatabase, createWorkspace, insertLeads, seedDirectory, type TestDatabase } from '../test/test-db';
import { BUSINESS_FAILURE, type RoutingActivities, type RunRef } from './types';

const NOW = Date.UTC(2026, 2, 10, 15, 0, 0);
const ELIGIBILITY = { skills: [], respectCapacity: true, respectWorkingHours: true, respectOutOfOffice: true };
const RR: AssignConfig = { strategy: { type: 'round_robin', teamId: 'team-a' }, eligibility: ELIGIBILITY, excludePreviousAssignees: true };

const DIRECTORY: DirectoryInput = {
  reps: [
    { id: 'a', name: 'Ana', email: 'a@example.com', timeZone: 'UTC', managerId: 'm' },
    { id: 'b', name: 'Bo', email: 'b@example.com', timeZone: 'UTC' },
    { id: 'c', name: 'Cy', email: 'c@example.com', timeZone: 'UTC', caps: { openLeads: 0 } },
    { id: 'm', name: 'Mia', email: 'm@example.com', timeZone: 'UTC' },
    { id: 'tm', name: 'Tom', email: 'tm@example.com', timeZone: 'UTC' },
    { id: 'gone', name: 'Gone', email: 'gone@example.com', timeZone: 'UTC', active: false },
  ],
  teams: [
    { id: 'team-a', name: 'Team A', managerId: 'tm', members: [{ repId: 'a', weight: 1 }, { repId: 'b', weight: 1 }, { repId: 'c', weight: 1 }] },
    { id: 'team-x', name: 'Team X', managerId: 'gone', members: [{ repId: 'b', weight: 1 }] },
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

async function loadsOf(workspaceId: string): Promise<Record<string, number>> {
  const rows = await t.db.select().from(repLoads).where(eq(repLoads.workspaceId, workspaceId));
  return Object.fromEntries(rows.filter((r) => r.openLeads > 0).map((r) => [r.repId, r.openLeads]));
}

/** A lead assigned to rep `a` by round-robin (step 2), ready to escalate. */
async function assignedLead(): Promise<{ workspaceId: string; leadId: string; first: AssignResult; ref: AssignmentRef }> {
  const { workspaceId, workflowId } = await createWorkspace(t.db);
  await seedDirectory(t.db, workspaceId, DIRECTORY);
  const [leadId] = (await insertLeads(t.db, { workspaceId, workflowId }, [{}])) as [string];
  const first = await acts.assign({ workspaceId, workflowId: `lead-${leadId}`, leadId, nodeId: 'assign', seq: 2, config: RR, lead: {}, currentAssignee: null, previousAssignees: [] });
  expect(first.assignee?.id).toBe('a');
  return { workspaceId, leadId, first, ref: { nodeId: 'assign', config: RR, poolKey: first.poolKey } };
}

function escalation(workspaceId: string, leadId: string, config: EscalateConfig, extra: Partial<EscalateRequest> = {}): EscalateRequest & RunRef {
  return {
    workspaceId,
    workflowId: `lead-${leadId}`,
    leadId,
    nodeId: 'escalate',
    seq: 6,
    config,
    lead: {},
    currentAssignee: { type: 'rep', id: 'a', name: 'Ana' },
    previousAssignees: ['a'],
    lastAssignment: null,
    ...extra,
  };
}

describe('escalate', () => {
  it('next_rep: the next eligible rep of the last pool, previous assignees excluded, the old rep released', async () => {
    const { workspaceId, leadId, ref } = await assignedLead();
    const r = await acts.escalate(escalation(workspaceId, leadId, { to: 'next_rep' }, { lastAssignment: ref }));
    expect(r.assignee).toEqual({ type: 'rep', id: 'b', name: 'Bo' });
    expect(r.released).toBe('a');
    expect(r.poolKey).toBe('team:team-a');
    expect(r.candidates.map((c) => [c.repId, c.verdict])).toEqual([
      ['b', 'chosen'],
      ['c', 'over_open_cap'],
      ['a', 'previously_assigned'],
    ]);
    expect(await loadsOf(workspaceId)).toEqual({ b: 1 });
    const [run] = await t.db.select().from(routingRuns).where(eq(routingRuns.leadId, leadId));
    expect(run).toMatchObject({ assigneeType: 'rep', assigneeId: 'b' });
    expect(run?.lastAssignment).toMatchObject({ nodeId: 'assign', poolKey: 'team:team-a' });

    // A retry of the same step: the same answer, nothing released or counted twice.
    expect(await acts.escalate(escalation(workspaceId, leadId, { to: 'next_rep' }, { lastAssignment: ref }))).toEqual(r);
    expect(await loadsOf(workspaceId)).toEqual({ b: 1 });
    const daily = await t.db.select().from(repDailyCounts).where(eq(repDailyCounts.workspaceId, workspaceId));
    expect(Object.fromEntries(daily.map((d) => [d.repId, d.assigned]))).toEqual({ a: 1, b: 1 });
  });

  it('next_rep with everyone used up is a business failure carrying the EscalateResult', async () => {
    const { workspaceId, leadId, ref } = await assignedLead();
    const f = await applicationFailureOf(
      acts.escalate(escalation(workspaceId, leadId, { to: 'next_rep' }, { lastAssignment: ref, previousAssignees: ['a', 'b'], currentAssignee: { type: 'rep', id: 'b', name: 'Bo' } })),
    );
    expect(f.type).toBe(BUSINESS_FAILURE);
    expect(f.nonRetryable).toBe(true);
    const result = f.details?.[0] as EscalateResult;
    expect(result).toMatchObject({ assignee: null, released: null, poolKey: 'team:team-a' });
    expect(result.candidates).toHaveLength(3);
    expect(await loadsOf(workspaceId)).toEqual({ a: 1 });
  });

  it('next_rep of a lead never assigned from a pool: nobody', async () => {
    const { workspaceId, leadId } = await assignedLead();
    const f = await applicationFailureOf(acts.escalate(escalation(workspaceId, leadId, { to: 'next_rep' })));
    expect((f.details?.[0] as EscalateResult).explanation).toEqual(['The lead was never assigned from a pool, so there is no next rep']);
  });

  it("manager: the rep's own manager, else the team's", async () => {
    const { workspaceId, leadId, ref } = await assignedLead();
    const r = await acts.escalate(escalation(workspaceId, leadId, { to: 'manager' }, { lastAssignment: ref }));
    expect(r).toEqual({
      assignee: { type: 'rep', id: 'm', name: 'Mia' },
      candidates: [{ repId: 'm', name: 'Mia', verdict: 'chosen', reason: 'manager of Ana' }],
      poolKey: null,
      released: 'a',
      explanation: ['Escalated to Mia, manager of Ana'],
    });
    expect(await loadsOf(workspaceId)).toEqual({ m: 1 });

    // Bo has no manager of his own: Team A's manager takes it.
    const r2 = await acts.escalate(escalation(workspaceId, leadId, { to: 'manager' }, { seq: 9, lastAssignment: ref, currentAssignee: { type: 'rep', id: 'b', name: 'Bo' } }));
    expect(r2.assignee?.id).toBe('tm');
    expect(r2.released).toBe('b');
  });

  it('manager who is inactive or missing: nobody', async () => {
    const { workspaceId, leadId } = await assignedLead();
    const ref: AssignmentRef = { nodeId: 'assign', config: RR, poolKey: 'team:team-x' };
    const f = await applicationFailureOf(acts.escalate(escalation(workspaceId, leadId, { to: 'manager' }, { lastAssignment: ref, currentAssignee: { type: 'rep', id: 'b', name: 'Bo' } })));
    expect(f.type).toBe(BUSINESS_FAILURE);
    expect(f.details?.[0]).toEqual({ assignee: null, candidates: [], poolKey: null, released: null, explanation: ['No active manager found for Bo'] });
    expect(await loadsOf(workspaceId)).toEqual({ a: 1 });
  });

  it('queue: the lead moves to the queue and the rep is released', async () => {
    const { workspaceId, leadId, ref } = await assignedLead();
    const r = await acts.escalate(escalation(workspaceId, leadId, { to: 'queue', queueId: 'q-1' }, { lastAssignment: ref }));
    expect(r).toEqual({ assignee: { type: 'queue', id: 'q-1', name: 'Overflow' }, candidates: [], poolKey: 'queue:q-1', released: 'a', explanation: ['Moved to queue Overflow'] });
    expect(await loadsOf(workspaceId)).toEqual({});
    const [run] = await t.db.select().from(routingRuns).where(eq(routingRuns.leadId, leadId));
    expect(run).toMatchObject({ assigneeType: 'queue', assigneeId: 'q-1' });

    const f = await applicationFailureOf(acts.escalate(escalation(workspaceId, leadId, { to: 'queue', queueId: 'q-nope' }, { seq: 11 })));
    expect((f.details?.[0] as EscalateResult).explanation).toEqual(['Queue q-nope is not in the directory']);
  });
});
