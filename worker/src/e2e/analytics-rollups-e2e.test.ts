import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { TraceStep } from '@lead-router/shared';
import { demoDirectory, hybridRoutingGraph } from '@lead-router/shared/fixtures';
import { sql } from 'drizzle-orm';
import type { Db } from '@lead-router/db/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rerouteLead } from '../../../server/src/services/reroute.service';
import type { RoutingEngine } from '../../../server/src/services/routing-engine';
import { createActivities } from '../activities/index';
import { createTestDatabase, createWorkspace, insertLeads, insertVersion, type TestDatabase } from '../test/test-db';
import type { RoutingActivities } from '../activities/types';

// Here beside the end-to-end tests because it drives the server's re-route service too.
// The per-day rollups (migration analytics-rollups: triggers on routing_runs, run_waits, run_assignments,
// run_passed_over) as recordSteps writes their source rows: after every write, each rollup equals the same
// figures computed again from the rows; a retried batch and a re-routed lead's second run included.

const T0 = Date.UTC(2026, 2, 10, 23, 59, 0);

let t: TestDatabase;
let acts: RoutingActivities;
let workspaceId: string;
let workflowId: string;

beforeAll(async () => {
  t = await createTestDatabase({ max: 3 });
  acts = createActivities({ db: t.db, now: () => new Date(T0 + 3_600_000) });
  ({ workspaceId, workflowId } = await createWorkspace(t.db));
  await insertVersion(t.db, workflowId, hybridRoutingGraph, demoDirectory);
}, 60_000);

afterAll(async () => {
  await t?.drop();
});

const rows = async (db: Db, q: ReturnType<typeof sql>) => (await db.execute(q)) as unknown as Array<Record<string, unknown>>;

/** Each rollup of the workspace as it stands (rows counting nothing left out), and as the rows compute it. */
async function rollupsAndRows(db: Db) {
  const day = sql.raw(`to_char(received_at at time zone 'UTC', 'YYYY-MM-DD')`);
  const ws = sql`workspace_id = ${workspaceId}`;
  const kept = {
    runs: await rows(db, sql`select to_char(day, 'YYYY-MM-DD') as day, reassignment_class, met, breached, escalated, leads, reassignments, escalations from rollup_runs where ${ws} and (leads <> 0 or reassignments <> 0 or escalations <> 0) order by 1, 2, 3, 4, 5`),
    durations: await rows(db, sql`select to_char(day, 'YYYY-MM-DD') as day, metric, h.bin, h.n from rollup_durations, analytics_hist_pairs(hist) h where ${ws} order by 1, 2, 3`),
    waits: await rows(db, sql`select to_char(day, 'YYYY-MM-DD') as day, rep_id, outcome, n from rollup_waits where ${ws} and n <> 0 order by 1, 2, 3`),
    acceptTimes: await rows(db, sql`select to_char(day, 'YYYY-MM-DD') as day, rep_id, h.bin, h.n from rollup_accept_times, analytics_hist_pairs(hist) h where ${ws} order by 1, 2, 3`),
    assignments: await rows(db, sql`select to_char(day, 'YYYY-MM-DD') as day, node_id, node_type, pool_key, assignee_type, assignee_id, n from rollup_assignments where ${ws} and n <> 0 order by 1, 2, 3, 4, 5, 6`),
    passed: await rows(db, sql`select to_char(day, 'YYYY-MM-DD') as day, node_id, rep_id, verdict, n from rollup_passed_over where ${ws} and n <> 0 order by 1, 2, 3, 4`),
  };
  const computed = {
    runs: await rows(
      db,
      sql`select ${day} as day, least(reassignments, 3)::smallint as reassignment_class, sla_met > 0 as met, sla_breached > 0 as breached, escalations > 0 as escalated,
        count(*)::int as leads, sum(reassignments)::int as reassignments, sum(escalations)::int as escalations from routing_runs where ${ws} group by 1, 2, 3, 4, 5 order by 1, 2, 3, 4, 5`,
    ),
    durations: await rows(
      db,
      sql`select ${day} as day, m.metric, analytics_bin(m.v) as bin, count(*)::int as n from routing_runs r cross join lateral (values
        ('accepted_wall', round(date_part('epoch', r.accepted_at - r.received_at) * 1000)::float8), ('accepted_working', r.accepted_work_ms::float8),
        ('first_assignment_wall', round(date_part('epoch', r.first_assigned_at - r.received_at) * 1000)::float8), ('first_assignment_working', r.first_assigned_work_ms::float8),
        ('first_contact_wall', round(date_part('epoch', r.first_contact_at - r.received_at) * 1000)::float8), ('first_contact_working', r.first_contact_work_ms::float8)) m(metric, v)
        where ${ws} and m.v is not null group by 1, 2, 3 order by 1, 2, 3`,
    ),
    waits: await rows(db, sql`select ${day} as day, assignee_id as rep_id, outcome, count(*)::int as n from run_waits where ${ws} and assignee_type = 'rep' group by 1, 2, 3 order by 1, 2, 3`),
    acceptTimes: await rows(
      db,
      sql`select ${day} as day, assignee_id as rep_id, analytics_bin(elapsed_ms::float8) as bin, count(*)::int as n from run_waits where ${ws} and assignee_type = 'rep' and outcome = 'accepted' group by 1, 2, 3 order by 1, 2, 3`,
    ),
    assignments: await rows(
      db,
      sql`select ${day} as day, node_id, node_type, coalesce(pool_key, '') as pool_key, assignee_type, assignee_id, count(*)::int as n from run_assignments
        where ${ws} and assignee_id is not null group by 1, 2, 3, 4, 5, 6 order by 1, 2, 3, 4, 5, 6`,
    ),
    passed: await rows(db, sql`select ${day} as day, node_id, rep_id, verdict, count(*)::int as n from run_passed_over where ${ws} group by 1, 2, 3, 4 order by 1, 2, 3, 4`),
  };
  return { kept, computed };
}

const rep = (id: string) => ({ type: 'rep', id, name: id });

function assign(seq: number, to: string, candidates: Array<{ repId: string; verdict: string }> = []): TraceStep {
  return {
    seq,
    nodeId: 'assign-emea',
    nodeType: 'assign',
    label: 'Assign',
    at: T0 + seq * 1000,
    durationMs: 0,
    input: {},
    decision: `Assigned to ${to}`,
    explanation: [],
    output: { assignee: rep(to), poolKey: 'team:emea', candidates: [{ repId: to, name: to, verdict: 'chosen', reason: 'next' }, ...candidates.map((c) => ({ ...c, name: c.repId, reason: 'x' }))] },
    outcome: 'assigned',
    next: 'sla',
  };
}

function wait(seq: number, outcome: 'accepted' | 'timed_out' | 'rejected', durationMs: number): TraceStep {
  return {
    seq,
    nodeId: 'sla',
    nodeType: 'wait',
    label: 'SLA',
    at: T0 + seq * 1000,
    durationMs,
    input: {},
    decision: outcome === 'accepted' ? `Accepted after ${durationMs} ms` : outcome,
    explanation: [],
    output: {},
    outcome,
    next: outcome === 'accepted' ? 'end' : 'assign-emea',
  };
}

describe('the per-day rollups as recordSteps writes (issue 15)', () => {
  it('equal the rows after each batch, a retried batch (adds nothing), a re-route, the second run, the backfill and a delete', async () => {
    // Received a minute before midnight UTC: the lead's day is its receipt's, whenever its steps come.
    const [leadId] = (await insertLeads(t.db, { workspaceId, workflowId }, [{}], new Date(T0))) as [string];
    const ref = { workspaceId, workflowId: `lead-${leadId}`, leadId };
    const expectSame = async () => {
      const { kept, computed } = await rollupsAndRows(t.db);
      expect(kept).toEqual(computed);
      return kept;
    };
    let kept = await expectSame();
    expect(kept.runs).toEqual([{ day: '2026-03-10', reassignment_class: 0, met: false, breached: false, escalated: false, leads: 1, reassignments: 0, escalations: 0 }]);

    const first = [assign(1, 'rep-ana', [{ repId: 'rep-bo', verdict: 'out_of_office' }]), wait(2, 'timed_out', 900_000), assign(3, 'rep-cy'), wait(4, 'accepted', 120_000)];
    await acts.recordSteps({ ...ref, steps: first.slice(0, 2) });
    await expectSame();
    await acts.recordSteps({ ...ref, steps: first.slice(2) });
    kept = await expectSame();
    // Retried (Temporal retries an activity whose answer was lost): nothing counted twice.
    await acts.recordSteps({ ...ref, steps: first });
    await acts.recordSteps({ ...ref, steps: first.slice(2) });
    expect(await expectSame()).toEqual(kept);
    expect(kept.waits).toEqual([
      { day: '2026-03-10', rep_id: 'rep-ana', outcome: 'timed_out', n: 1 },
      { day: '2026-03-10', rep_id: 'rep-cy', outcome: 'accepted', n: 1 },
    ]);
    expect(kept.runs).toEqual([{ day: '2026-03-10', reassignment_class: 1, met: true, breached: true, escalated: false, leads: 1, reassignments: 1, escalations: 0 }]);
    expect(kept.durations.filter((d) => d.metric === 'accepted_wall')).toEqual([{ day: '2026-03-10', metric: 'accepted_wall', bin: expect.any(Number), n: 1 }]);
    expect(kept.passed).toEqual([{ day: '2026-03-10', node_id: 'assign-emea', rep_id: 'rep-bo', verdict: 'out_of_office', n: 1 }]);

    // Re-routed once the run completed: the run's acceptance is reset (the rollups follow), its waits stay.
    await t.db.execute(sql`update routing_runs set status = 'completed', completed_at = ${new Date(T0 + 60_000).toISOString()}::timestamptz where lead_id = ${leadId}`);
    const engine = { start: () => Promise.reject(new Error('not started here')) } as unknown as RoutingEngine;
    const principal = { kind: 'key' as const, id: 'k1', name: 'Ops key', workspaceId, role: 'editor' as const, repId: null };
    await rerouteLead({ db: t.db, engine, now: () => new Date(T0 + 120_000) }, principal, leadId, { version: 1 });
    kept = await expectSame();
    expect(kept.durations.filter((d) => d.metric === 'accepted_wall')).toEqual([]);
    expect(kept.runs.map((r) => r.leads)).toEqual([1]);

    // The second run's steps follow the first's: rejected by Bo, then accepted by Ana.
    const second = [assign(5, 'rep-bo'), wait(6, 'rejected', 30_000), assign(7, 'rep-ana'), wait(8, 'accepted', 45_000)];
    await acts.recordSteps({ ...ref, steps: second });
    await acts.recordSteps({ ...ref, steps: second });
    kept = await expectSame();
    expect(kept.waits).toEqual([
      { day: '2026-03-10', rep_id: 'rep-ana', outcome: 'accepted', n: 1 },
      { day: '2026-03-10', rep_id: 'rep-ana', outcome: 'timed_out', n: 1 },
      { day: '2026-03-10', rep_id: 'rep-bo', outcome: 'rejected', n: 1 },
      { day: '2026-03-10', rep_id: 'rep-cy', outcome: 'accepted', n: 1 },
    ]);
    expect(kept.runs.map((r) => r.leads)).toEqual([1]);
    expect(kept.durations.filter((d) => d.metric === 'accepted_wall')).toHaveLength(1);

    // The migration's backfill (for rows written before it) makes the same rollups from the rows.
    const dir = fileURLToPath(new URL('../../../migrations/', import.meta.url));
    const file = readdirSync(dir).find((f) => f.endsWith('_analytics-rollups.sql'))!;
    const statements = readFileSync(`${dir}${file}`, 'utf8').split('--> statement-breakpoint');
    await t.db.execute(sql`truncate rollup_runs, rollup_durations, rollup_waits, rollup_accept_times, rollup_assignments, rollup_passed_over`);
    expect((await rollupsAndRows(t.db)).kept.runs).toEqual([]);
    for (const statement of statements.slice(statements.findIndex((x) => x.includes('-- Backfill')))) await t.db.execute(sql.raw(statement));
    expect(await expectSame()).toEqual(kept);

    // A deleted lead (its rows go by cascade) leaves nothing counted.
    await t.db.execute(sql`delete from leads where id = ${leadId}`);
    kept = await expectSame();
    expect(Object.values(kept).every((r) => r.length === 0)).toBe(true);
  });

  it('run static SQL (plans kept between firings) and leave the rollups alone when an update changes nothing they read', async () => {
    // 0012 EXECUTEd text, so PostgreSQL planned every statement on every firing (issue 18's profile: 1.3 ms
    // a firing, five firings a lead).
    const fns = await rows(t.db, sql`select proname, prosrc from pg_proc where proname like 'rollup%apply' order by proname`);
    expect(fns.map((f) => f.proname)).toEqual(['rollup_assignments_apply', 'rollup_passed_over_apply', 'rollup_runs_apply', 'rollup_waits_apply']);
    for (const f of fns) expect(String(f.prosrc), String(f.proname)).not.toMatch(/\bEXECUTE\b/);
    const [leadId] = (await insertLeads(t.db, { workspaceId, workflowId }, [{}], new Date(T0))) as [string];
    await acts.recordSteps({ workspaceId, workflowId: `lead-${leadId}`, leadId, steps: [assign(1, 'rep-ana')] });
    const before = await rows(t.db, sql`select xmin::text as x, * from rollup_runs where workspace_id = ${workspaceId} order by 2, 3, 4, 5`);
    // A run's status and position: nothing a rollup reads.
    await t.db.execute(sql`update routing_runs set status = 'waiting', current_node_id = 'x' where lead_id = ${leadId}`);
    expect(await rows(t.db, sql`select xmin::text as x, * from rollup_runs where workspace_id = ${workspaceId} order by 2, 3, 4, 5`)).toEqual(before);
    const { kept, computed } = await rollupsAndRows(t.db);
    expect(kept).toEqual(computed);
  });
});
