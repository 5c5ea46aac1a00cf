import type { DirectoryInput, Graph, Lead } from '@lead-router/shared';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accounts, reps, routingRuns, workspaces } from '@lead-router/db/schema';
import { createActivities } from './index';
import { createTestDatabase, createWorkspace, insertLeads, insertVersion, seedDirectory, type TestDatabase } from '../test/test-db';
import type { SegmentResult } from './types';

// A worker caches a workspace's directory between activities (context.ts); a change to the directory must
// reach the very next lead all the same. Migration 0022 bumps workspaces.directory_version in every
// transaction that changes the directory; a run reads the version as it starts (loadRun, and a segment resumed
// after a wait) and a directory cached before it is not used. Real PostgreSQL.

const ELIGIBILITY = { skills: [], respectCapacity: true, respectWorkingHours: true, respectOutOfOffice: true };
const directory: DirectoryInput = {
  reps: ['r1', 'r2'].map((id) => ({ id, name: `Rep ${id}`, email: `${id}@example.com`, timeZone: 'UTC', workingHours: null })),
  teams: [{ id: 'team', name: 'Team', members: [{ repId: 'r1', weight: 1 }, { repId: 'r2', weight: 1 }] }],
  queues: [{ id: 'q', name: 'Overflow' }],
};
const graph: Graph = {
  schemaVersion: 1,
  nodes: [
    { id: 'trigger', type: 'trigger', position: { x: 0, y: 0 }, config: { source: 'webhook' } },
    { id: 'rr', type: 'assign', position: { x: 0, y: 100 }, config: { strategy: { type: 'round_robin', teamId: 'team' }, eligibility: ELIGIBILITY, excludePreviousAssignees: true } },
    { id: 'done', type: 'end', position: { x: 0, y: 200 }, config: { outcome: 'routed' } },
    { id: 'nobody', type: 'end', position: { x: 0, y: 300 }, config: { outcome: 'nobody' } },
  ],
  edges: [
    { id: 'a', source: 'trigger', sourceHandle: 'next', target: 'rr' },
    { id: 'b', source: 'rr', sourceHandle: 'assigned', target: 'done' },
    { id: 'c', source: 'rr', sourceHandle: 'no_eligible_rep', target: 'nobody' },
  ],
};
// Assigned, then on a timed-out wait reassigned to someone else of the team.
const ladder: Graph = {
  schemaVersion: 1,
  nodes: [
    ...graph.nodes.filter((n) => n.id !== 'done'),
    { id: 'sla', type: 'wait', position: { x: 0, y: 200 }, config: { until: 'accepted', timeout: { amount: 15, unit: 'minutes' } } },
    { id: 'again', type: 'assign', position: { x: 0, y: 300 }, config: { strategy: { type: 'round_robin', teamId: 'team' }, eligibility: ELIGIBILITY, excludePreviousAssignees: true } },
    { id: 'done', type: 'end', position: { x: 0, y: 400 }, config: { outcome: 'routed' } },
  ],
  edges: [
    { id: 'a', source: 'trigger', sourceHandle: 'next', target: 'rr' },
    { id: 'b', source: 'rr', sourceHandle: 'assigned', target: 'sla' },
    { id: 'c', source: 'rr', sourceHandle: 'no_eligible_rep', target: 'nobody' },
    { id: 'd', source: 'sla', sourceHandle: 'accepted', target: 'done' },
    { id: 'e', source: 'sla', sourceHandle: 'timed_out', target: 'again' },
    { id: 'f', source: 'again', sourceHandle: 'assigned', target: 'done' },
    { id: 'g', source: 'again', sourceHandle: 'no_eligible_rep', target: 'nobody' },
  ],
};
const lead = (i: number): Lead => ({ id: `V-${i}`, email: `lead${i}@example.com`, company: 'Acme', country: 'US' });

let t: TestDatabase;

beforeAll(async () => {
  t = await createTestDatabase({ max: 5 });
}, 60_000);

afterAll(async () => {
  await t?.drop();
});

async function versionOf(workspaceId: string): Promise<number> {
  const [row] = await t.db.select({ v: workspaces.directoryVersion }).from(workspaces).where(eq(workspaces.id, workspaceId));
  return row?.v ?? -1;
}

describe('directory version (migration 0022)', () => {
  it('goes up once per transaction that changes the directory, at commit, and not for routing writes', async () => {
    const { workspaceId, workflowId } = await createWorkspace(t.db);
    const v0 = await versionOf(workspaceId);
    await seedDirectory(t.db, workspaceId, directory);
    const v1 = await versionOf(workspaceId);
    expect(v1).toBeGreaterThan(v0);

    // Several statements and tables in one transaction: one bump, made at commit.
    await t.db.transaction(async (tx) => {
      await tx.update(reps).set({ online: false }).where(and(eq(reps.workspaceId, workspaceId), eq(reps.id, 'r1')));
      await tx.insert(accounts).values([1, 2, 3].map((i) => ({ workspaceId, id: `a${i}`, name: `Account ${i}`, domains: [`a${i}.example.com`] })));
      await tx.delete(accounts).where(and(eq(accounts.workspaceId, workspaceId), eq(accounts.id, 'a3')));
      const [inside] = await tx.select({ v: workspaces.directoryVersion }).from(workspaces).where(eq(workspaces.id, workspaceId));
      expect(inside?.v).toBe(v1);
    });
    expect(await versionOf(workspaceId)).toBe(v1 + 1);

    // A rolled-back change bumps nothing.
    await expect(
      t.db.transaction(async (tx) => {
        await tx.update(reps).set({ online: true }).where(eq(reps.workspaceId, workspaceId));
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await versionOf(workspaceId)).toBe(v1 + 1);

    // The workspace's settings are part of the directory (time zone, holidays); its name is not.
    await t.db.update(workspaces).set({ settings: { timeZone: 'Europe/Paris', holidayCalendar: null, daysOff: [] } }).where(eq(workspaces.id, workspaceId));
    expect(await versionOf(workspaceId)).toBe(v1 + 2);
    await t.db.update(workspaces).set({ name: 'Renamed' }).where(eq(workspaces.id, workspaceId));
    expect(await versionOf(workspaceId)).toBe(v1 + 2);

    // Routing's own writes (runs, loads) are not directory changes.
    await insertLeads(t.db, { workspaceId, workflowId }, [lead(0)]);
    await t.db.update(routingRuns).set({ status: 'running' }).where(eq(routingRuns.workspaceId, workspaceId));
    expect(await versionOf(workspaceId)).toBe(v1 + 2);
  });

  it('a rep switched offline gets no lead ingested after the switch, however long directories are cached', async () => {
    const target = await createWorkspace(t.db);
    await seedDirectory(t.db, target.workspaceId, directory);
    const { versionId } = await insertVersion(t.db, target.workflowId, graph, directory);
    // A minute's cache: only the version can tell the worker that the directory changed.
    const acts = createActivities({ db: t.db, directoryCacheMs: 60_000 });
    const route = async (i: number): Promise<string | undefined> => {
      const [leadId] = (await insertLeads(t.db, target, [lead(i)])) as [string];
      const seg: SegmentResult = await acts.runSegment({ ...target, workflowId: `lead-${leadId}`, leadId, versionId });
      return seg.status === 'ended' ? (seg.result.assignee?.id ?? 'nobody') : undefined;
    };
    // Round robin: r1, r2, then r1's turn again.
    expect([await route(1), await route(2)]).toEqual(['r1', 'r2']);
    // The rep switches offline (as the inbox toggle does) and the next lead arrives at once.
    await t.db.update(reps).set({ online: false }).where(and(eq(reps.workspaceId, target.workspaceId), eq(reps.id, 'r1')));
    expect(await route(3)).toBe('r2');
    expect(await route(4)).toBe('r2');
    // Back online: the turn comes back to them.
    await t.db.execute(sql`update reps set online = true where workspace_id = ${target.workspaceId} and id = 'r1'`);
    expect(await route(5)).toBe('r1');
  });

  it('a run resumed after its wait routes on the directory as it is then', async () => {
    const target = await createWorkspace(t.db);
    await seedDirectory(t.db, target.workspaceId, directory);
    const { versionId } = await insertVersion(t.db, target.workflowId, ladder, directory);
    const acts = createActivities({ db: t.db, directoryCacheMs: 60_000 });
    const [leadId] = (await insertLeads(t.db, target, [lead(1)])) as [string];
    const run = { ...target, workflowId: `lead-${leadId}`, leadId, versionId };
    const first = await acts.runSegment(run);
    if (first.status !== 'suspended') throw new Error(`expected the wait, got ${first.status}`);
    expect(first.assignee?.id).toBe('r1');
    // While r1 has the lead, r2 (next in line) switches offline; then the SLA runs out.
    await t.db.update(reps).set({ online: false }).where(and(eq(reps.workspaceId, target.workspaceId), eq(reps.id, 'r2')));
    const timedOut = { outcome: 'timed_out', elapsedMs: 900_000, detail: 'Nobody answered within the SLA' };
    const second = await acts.runSegment({ ...run, checkpoint: first.checkpoint, answer: { value: timedOut } });
    expect(second.status === 'ended' ? second.result.outcome : second.status).toBe('nobody');
  });
});

