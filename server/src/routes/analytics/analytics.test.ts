import { eq } from 'drizzle-orm';
import { parseCsv } from '@lead-router/shared';
import { beforeAll, describe, expect, it } from 'vitest';
import { queues, reps, teams, versions, workflows } from '@lead-router/db/schema';
import { pathCounts } from '@lead-router/db/analytics-schema';
import { setupTestApp, type TestWorkspace } from '../../test/harness';
import { BASE, DAY, generate, pcts, percentileCont, PLAN, REP_NAMES, REPS, WEIGHTS, writeRuns, type Run } from './analytics.fixtures';

// A generated history of a few hundred runs, written as the worker writes them (routing_runs' analytics
// columns and the analytics tables); every figure the API answers is computed here again from those rows.

const t = setupTestApp();
const db = t.database.db;

const FROM = BASE + DAY;
const TO = BASE + 8 * DAY;
const NOW = new Date(BASE + 12 * DAY);
const at = (q: Record<string, string>) => `?${new URLSearchParams(q).toString()}`;

let ws: TestWorkspace;
let workflowId: string;
let runs: Run[];
const inRange = (r: Run) => r.receivedAt >= FROM && r.receivedAt < TO;
const call = (path: string, key?: string) => t.callWith({ now: () => NOW })('GET', path, { key: key ?? ws.keys.viewer });
const q = (extra: Record<string, string> = {}) => at({ workflowId, from: new Date(FROM).toISOString(), to: new Date(TO).toISOString(), bucket: 'day', ...extra });

beforeAll(async () => {
  ws = await t.workspace();
  const [wf] = await db.insert(workflows).values({ workspaceId: ws.id, name: 'Inbound EMEA', webhookSecret: 's' }).returning({ id: workflows.id });
  workflowId = wf!.id;
  const [v] = await db
    .insert(versions)
    .values({ workflowId, number: 1, graph: { schemaVersion: 1, nodes: [], edges: [] } as never, plan: PLAN as never, checksum: 'x', authorName: 'Test', note: '' })
    .returning({ id: versions.id });
  await db.update(workflows).set({ activeVersionId: v!.id }).where(eq(workflows.id, workflowId));
  await db.insert(reps).values(REPS.map((id) => ({ workspaceId: ws.id, id, name: REP_NAMES[id]!, email: `${id}@example.com`, timeZone: 'Europe/Berlin' })));
  await db.insert(teams).values([
    { workspaceId: ws.id, id: 'team-a', name: 'Team A', members: Object.entries(WEIGHTS).map(([repId, weight]) => ({ repId, weight })) },
    { workspaceId: ws.id, id: 'team-b', name: 'Team B', members: [{ repId: 'dee', weight: 1 }, { repId: 'ana', weight: 1 }] },
  ]);
  await db.insert(queues).values({ workspaceId: ws.id, id: 'q-1', name: 'Overflow' });
  runs = generate(400, 15);
  await writeRuns(db, ws.id, workflowId, v!.id, runs);
  await db.insert(pathCounts).values([
    { workspaceId: ws.id, workflowId, day: '2026-02-02', nodeId: 'sla', nodeType: 'wait', outcome: 'accepted', next: 'end', count: 1000 },
    { workspaceId: ws.id, workflowId, day: '2026-02-03', nodeId: 'sla', nodeType: 'wait', outcome: 'accepted', next: 'end', count: 7 },
    { workspaceId: ws.id, workflowId, day: '2026-02-09', nodeId: 'sla', nodeType: 'wait', outcome: 'accepted', next: 'end', count: 5 },
    { workspaceId: ws.id, workflowId, day: '2026-02-05', nodeId: 'sla', nodeType: 'wait', outcome: 'timed_out', next: 'esc', count: 3 },
    { workspaceId: ws.id, workflowId, day: '2026-02-10', nodeId: 'sla', nodeType: 'wait', outcome: 'timed_out', next: 'esc', count: 1000 },
  ]);
  // Another workspace's rows under the same workflow id (as a bug elsewhere could write them): never counted.
  const other = await t.workspace();
  const foreign = generate(50, 99).map((r) => ({ ...r, receivedAt: FROM + (r.receivedAt % (5 * DAY)) }));
  await writeRuns(db, other.id, workflowId, v!.id, foreign);
  await db.insert(pathCounts).values({ workspaceId: other.id, workflowId, day: '2026-02-05', nodeId: 'sla', nodeType: 'wait', outcome: 'timed_out', next: 'esc', count: 50 });
}, 60_000);

describe('GET /api/analytics: figures equal the figures computed from the raw rows', () => {
  it('speed to lead: p50/p90/p99 as percentile_cont, overall and per day, wall clock and working hours', async () => {
    const r = await call(`/api/analytics/speed-to-lead${q()}`);
    expect(r.status).toBe(200);
    expect(r.body.workflow).toEqual({ id: workflowId, name: 'Inbound EMEA' });
    expect(r.body.range).toEqual({ from: new Date(FROM).toISOString(), to: new Date(TO).toISOString(), bucket: 'day', bucketMs: DAY });
    const values = (rs: Run[]) => ({
      first_assignment: { wall: rs.filter((x) => x.firstAssignedAt !== null).map((x) => x.firstAssignedAt! - x.receivedAt), working: rs.flatMap((x) => (x.firstAssignedWorkMs === null ? [] : [x.firstAssignedWorkMs])) },
      accepted: { wall: rs.filter((x) => x.acceptedAt !== null).map((x) => x.acceptedAt! - x.receivedAt), working: rs.flatMap((x) => (x.acceptedWorkMs === null ? [] : [x.acceptedWorkMs])) },
      first_contact: { wall: rs.filter((x) => x.firstContactAt !== null).map((x) => x.firstContactAt! - x.receivedAt), working: rs.flatMap((x) => (x.firstContactWorkMs === null ? [] : [x.firstContactWorkMs])) },
    });
    const all = values(runs.filter(inRange));
    const leadsFilter = { workflow: workflowId, since: new Date(FROM).toISOString(), until: new Date(TO).toISOString() };
    const expected = (['first_assignment', 'accepted', 'first_contact'] as const).flatMap((metric) =>
      (['wall', 'working'] as const).map((clock) => ({ metric, clock, ...pcts(all[metric][clock]), leads: leadsFilter })),
    );
    expect(r.body.summary).toEqual(expected);
    expect(all.first_assignment.wall.length).toBeGreaterThan(150);
    // Per day: the third day's accepted p90, and every bucket's count.
    const day3 = runs.filter((x) => x.receivedAt >= FROM + 2 * DAY && x.receivedAt < FROM + 3 * DAY);
    const row = r.body.overTime.find((o: { bucketStart: string; metric: string; clock: string }) => o.bucketStart === new Date(FROM + 2 * DAY).toISOString() && o.metric === 'accepted' && o.clock === 'wall');
    expect(row).toEqual({ bucketStart: new Date(FROM + 2 * DAY).toISOString(), bucketEnd: new Date(FROM + 3 * DAY).toISOString(), metric: 'accepted', clock: 'wall', ...pcts(values(day3).accepted.wall), leads: { workflow: workflowId, since: new Date(FROM + 2 * DAY).toISOString(), until: new Date(FROM + 3 * DAY).toISOString() } });
    const firstAssignedPerDay = r.body.overTime.filter((o: { metric: string; clock: string }) => o.metric === 'first_assignment' && o.clock === 'wall').map((o: { count: number }) => o.count);
    expect(firstAssignedPerDay).toEqual([0, 1, 2, 3, 4, 5, 6].map((d) => runs.filter((x) => x.firstAssignedAt !== null && x.receivedAt >= FROM + d * DAY && x.receivedAt < FROM + (d + 1) * DAY).length));
  });

  it('SLA: met / breached per rep and team; re-assignments and escalations per lead', async () => {
    const r = await call(`/api/analytics/sla${q()}`);
    expect(r.status).toBe(200);
    const rs = runs.filter(inRange);
    const waits = rs.flatMap((x) => x.waits);
    const perRep = (rep: string) => {
      const w = waits.filter((x) => x.rep === rep);
      const met = w.filter((x) => x.outcome === 'accepted').length;
      const breached = w.filter((x) => x.outcome === 'timed_out').length;
      return { waits: w.length, met, breached, rejected: w.length - met - breached };
    };
    const repsSeen = [...new Set(waits.map((w) => w.rep))].sort();
    expect(r.body.byRep.map((x: { repId: string }) => x.repId)).toEqual(repsSeen);
    for (const row of r.body.byRep) {
      const e = perRep(row.repId);
      expect(row).toMatchObject({ ...e, repName: REP_NAMES[row.repId], metRate: e.met / e.waits, breachRate: e.breached / e.waits });
      expect(row.breachedLeads).toMatchObject({ waitedOn: row.repId, waitOutcome: 'timed_out' });
    }
    const team = (members: string[]) => members.map(perRep).reduce((a, b) => ({ waits: a.waits + b.waits, met: a.met + b.met, breached: a.breached + b.breached, rejected: a.rejected + b.rejected }));
    expect(r.body.byTeam).toEqual([
      { teamId: 'team-a', teamName: 'Team A', ...team(['ana', 'bo', 'cy']), metRate: team(['ana', 'bo', 'cy']).met / team(['ana', 'bo', 'cy']).waits, breachRate: team(['ana', 'bo', 'cy']).breached / team(['ana', 'bo', 'cy']).waits },
      { teamId: 'team-b', teamName: 'Team B', ...team(['dee', 'ana']), metRate: team(['dee', 'ana']).met / team(['dee', 'ana']).waits, breachRate: team(['dee', 'ana']).breached / team(['dee', 'ana']).waits },
    ]);
    const sum = (f: (x: Run) => number) => rs.reduce((a, x) => a + f(x), 0);
    expect(r.body.perLead).toEqual([
      {
        leads: rs.length,
        leadsMet: rs.filter((x) => x.slaMet > 0).length,
        leadsBreached: rs.filter((x) => x.slaBreached > 0).length,
        reassignments: sum((x) => x.reassignments),
        leadsReassigned: rs.filter((x) => x.reassignments > 0).length,
        escalations: sum((x) => x.escalations),
        leadsEscalated: rs.filter((x) => x.escalations > 0).length,
        reassignmentsPerLead: sum((x) => x.reassignments) / rs.length,
        escalationsPerLead: sum((x) => x.escalations) / rs.length,
      },
    ]);
    expect(r.body.reassignmentDistribution).toEqual([0, 1, 2, 3].map((n) => ({ reassignments: n, leads: rs.filter((x) => Math.min(x.reassignments, 3) === n).length })).filter((d) => d.leads > 0));
  });

  it('the leads behind a figure: its filter, passed to GET /api/leads, lists exactly them', async () => {
    const r = await call(`/api/analytics/sla${q()}`);
    const ana = r.body.byRep.find((x: { repId: string }) => x.repId === 'ana');
    const listed = await call(`/api/leads?${new URLSearchParams({ ...ana.breachedLeads, limit: '200' }).toString()}`);
    expect(listed.status).toBe(200);
    const expected = runs.filter((x) => inRange(x) && x.waits.some((w) => w.rep === 'ana' && w.outcome === 'timed_out')).map((x) => x.leadId);
    expect(listed.body.items.map((i: { leadId: string }) => i.leadId).sort()).toEqual(expected.sort());
    const f = await call(`/api/analytics/fairness${q()}`);
    const bo = f.body.passedOver.find((x: { repId: string; verdict: string }) => x.repId === 'bo' && x.verdict === 'out_of_office');
    const passed = await call(`/api/leads?${new URLSearchParams({ ...bo.leads, limit: '200' }).toString()}`);
    expect(passed.body.items.length).toBe(bo.times);
  });

  it('acceptance and rejection rates per rep; time to accept', async () => {
    const r = await call(`/api/analytics/acceptance${q()}`);
    const waits = runs.filter(inRange).flatMap((x) => x.waits);
    for (const row of r.body.byRep) {
      const w = waits.filter((x) => x.rep === row.repId);
      const accepted = w.filter((x) => x.outcome === 'accepted');
      const rejected = w.filter((x) => x.outcome === 'rejected').length;
      expect(row).toMatchObject({ offered: w.length, accepted: accepted.length, rejected, timedOut: w.length - accepted.length - rejected, acceptanceRate: accepted.length / w.length, rejectionRate: rejected / w.length, ...pcts(accepted.map((x) => x.elapsedMs)) });
    }
    expect(r.body.byRep).toHaveLength(4);
  });

  it('fairness: leads per rep against the pool’s weights, per assign node; passed over by reason', async () => {
    const r = await call(`/api/analytics/fairness${q()}`);
    const assigned = runs.filter(inRange).flatMap((x) => x.assignments.filter((a) => a.nodeId === 'assign-wrr'));
    const total = assigned.length;
    expect(r.body.byRep.filter((x: { nodeId: string }) => x.nodeId === 'assign-wrr')).toEqual(
      REPS.map((repId) => {
        const actual = assigned.filter((a) => a.id === repId).length;
        const weight = WEIGHTS[repId] ?? 0;
        return {
          nodeId: 'assign-wrr',
          nodeLabel: 'Weighted to Team A',
          poolKey: 'team:team-a',
          poolName: 'Team A',
          repId,
          repName: REP_NAMES[repId],
          weight,
          expectedShare: weight / 6,
          expectedLeads: (weight / 6) * total,
          actualLeads: actual,
          actualShare: actual / total,
          deviationPoints: (actual / total - weight / 6) * 100,
          leads: { workflow: workflowId, since: new Date(FROM).toISOString(), until: new Date(TO).toISOString(), assignedBy: 'assign-wrr', assignedTo: repId },
        };
      }),
    );
    // A queue node promises no shares.
    expect(r.body.byRep.filter((x: { nodeId: string }) => x.nodeId === 'to-queue')).toEqual([]);
    const passed = runs.filter(inRange).flatMap((x) => x.passed);
    const expectedPassed = [...new Set(passed.map((p) => `${p.rep}|${p.verdict}`))].sort().map((k) => {
      const [rep, verdict] = k.split('|') as [string, string];
      return { repId: rep, verdict, times: passed.filter((p) => p.rep === rep && p.verdict === verdict).length };
    });
    expect(r.body.passedOver.map((p: { repId: string; verdict: string; times: number }) => ({ repId: p.repId, verdict: p.verdict, times: p.times }))).toEqual(expectedPassed);
    const overTimeTotal = r.body.overTime.filter((o: { nodeId: string }) => o.nodeId === 'assign-wrr').reduce((a: number, o: { leads: number }) => a + o.leads, 0);
    expect(overTimeTotal).toBe(total);
  });

  it('paths: whole days of the range from the rollup; queues: inflow and the age of what they hold', async () => {
    const p = await call(`/api/analytics/paths${q()}`);
    expect(p.body.days).toEqual({ first: '2026-02-03', last: '2026-02-09' });
    expect(p.body.edges.map((e: { nodeId: string; outcome: string; next: string; steps: number; nodeLabel: string }) => [e.nodeId, e.nodeLabel, e.outcome, e.next, e.steps])).toEqual([
      ['sla', 'SLA 15 min', 'accepted', 'end', 12],
      ['sla', 'SLA 15 min', 'timed_out', 'esc', 3],
    ]);
    const queued = runs.filter((x) => inRange(x) && x.assigneeType === 'queue');
    const ages = queued.map((x) => NOW.getTime() - x.assignedAt!);
    const r = await call(`/api/analytics/queues${q()}`);
    expect(r.body.byQueue).toEqual([
      {
        queueId: 'q-1',
        queueName: 'Overflow',
        inflow: runs.filter(inRange).filter((x) => x.assignments.some((a) => a.type === 'queue')).length,
        holding: queued.length,
        oldestAgeMs: Math.max(...ages),
        p50AgeMs: percentileCont(ages, 0.5),
        p90AgeMs: percentileCont(ages, 0.9),
        leads: { workflow: workflowId, since: new Date(FROM).toISOString(), until: new Date(TO).toISOString(), assignee: 'q-1' },
      },
    ]);
  });
});

describe('GET /api/analytics: CSV, validation, roles, isolation', () => {
  it('answers each table as RFC 4180 CSV; text that would run as a formula is prefixed, numbers are not', async () => {
    const r = await call(`/api/analytics/sla${q({ format: 'csv' })}`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toContain('text/csv');
    expect(r.headers.get('content-disposition')).toBe('attachment; filename="sla-byRep.csv"');
    const json = await call(`/api/analytics/sla${q()}`);
    const parsed = parseCsv(r.text);
    expect(parsed.header).toEqual(['repId', 'repName', 'waits', 'met', 'breached', 'rejected', 'metRate', 'breachRate', 'leads', 'breachedLeads']);
    expect(parsed.rows).toHaveLength(json.body.byRep.length);
    const dee = parsed.rows.find((row) => row[0] === 'dee')!;
    expect(dee[1]).toBe(`'=HYPERLINK("http://x")`);
    expect(r.text).toContain('"\'=HYPERLINK(""http://x"")"');
    expect(new URLSearchParams(dee[9]).get('waitOutcome')).toBe('timed_out');
    // A negative deviation stays a number.
    const f = await call(`/api/analytics/fairness${q({ format: 'csv', table: 'byRep' })}`);
    const fr = parseCsv(f.text);
    const dev = fr.header.indexOf('deviationPoints');
    expect(fr.rows.some((row) => row[dev]!.startsWith('-'))).toBe(true);
    // An empty table still has its header.
    const empty = await call(`/api/analytics/queues${q({ format: 'csv', table: 'inflowOverTime', from: new Date(BASE - 30 * DAY).toISOString(), to: new Date(BASE - 20 * DAY).toISOString() })}`);
    expect(empty.text).toBe('bucketStart,bucketEnd,queueId,queueName,inflow,leads\r\n');
  });

  it('refuses bad queries naming the field', async () => {
    const field = async (query: string) => {
      const r = await call(`/api/analytics/speed-to-lead${query}`);
      expect(r.status, query).toBe(400);
      return r.body.error.details.map((d: { path: string }) => d.path);
    };
    expect(await field(at({ from: new Date(FROM).toISOString() }))).toEqual(['workflowId']);
    expect(await field(q({ from: new Date(TO).toISOString(), to: new Date(FROM).toISOString() }))).toEqual(['from']);
    expect(await field(q({ from: new Date(FROM - 401 * DAY).toISOString() }))).toEqual(['to']);
    expect(await field(q({ from: new Date(TO - 100 * DAY).toISOString(), bucket: 'hour' }))).toEqual(['bucket']);
    expect(await field(q({ bucket: 'month' }))).toEqual(['bucket']);
    expect(await field(q({ from: 'yesterday' }))).toEqual(['from']);
    expect(await field(q({ format: 'csv', table: 'nope' }))).toEqual(['table']);
  });

  it('401 without credentials, 403 for an ingest key, 404 for another workspace’s workflow', async () => {
    expect((await t.call('GET', `/api/analytics/sla${q()}`)).status).toBe(401);
    expect((await call(`/api/analytics/sla${q()}`, ws.keys.ingest)).status).toBe(403);
    const other = await t.workspace();
    const r = await call(`/api/analytics/sla${q()}`, other.keys.admin);
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe('not_found');
  });

  it('the default range is the last 30 days, bucketed by day', async () => {
    const r = await call(`/api/analytics/queues${at({ workflowId })}`);
    expect(r.status).toBe(200);
    expect(r.body.range).toEqual({ from: new Date(NOW.getTime() - 30 * DAY).toISOString(), to: NOW.toISOString(), bucket: 'day', bucketMs: DAY });
  });
});
