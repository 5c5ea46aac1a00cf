import { eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { queues, reps, teams, versions, workflows } from '@lead-router/db/schema';
import { loadScope } from '../../services/analytics-context';
import { MAX_RELATIVE_ERROR } from '../../services/analytics-histogram';
import { acceptance, speedToLead } from '../../services/analytics.service';
import { setupTestApp, type TestWorkspace } from '../../test/harness';
import { DAY, generate, percentileCont, PLAN, REP_NAMES, REPS, WEIGHTS, writeRuns, type Run } from './analytics.fixtures';

// With day or week buckets, counts read the per-day rollups (kept by triggers as the rows are written) for the
// range's whole UTC days and the rows for the partial days at its ends: every count equals the rows' exactly.
// Percentiles over more than EXACT_MAX_LEADS leads come from the rollups' histograms, within
// MAX_RELATIVE_ERROR of percentile_cont over the rows (here with the limit at 100 leads); the answer says so.

const t = setupTestApp();
const db = t.database.db;

const BASE = Date.UTC(2026, 3, 1);
// 57 days and a half: neither end at midnight, so both partial days come from the rows.
const FROM = BASE + 3 * DAY + 5.5 * 3_600_000;
const TO = BASE + 60 * DAY + 17 * 3_600_000;
const NOW = new Date(BASE + 70 * DAY);
const ORIGIN = BASE + 3 * DAY;

let ws: TestWorkspace;
let workflowId: string;
let runs: Run[];
const inRange = (r: Run) => r.receivedAt >= FROM && r.receivedAt < TO;
/** A section as the route answers it, with percentiles from the rollups beyond 100 leads. */
const approximately = async (run: typeof speedToLead | typeof acceptance, bucket: 'day' | 'week' = 'day') =>
  JSON.parse(JSON.stringify(await run(db, await loadScope(db, ws.id, workflowId, { from: new Date(FROM), to: new Date(TO), bucket }, NOW, 100)))) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const call = (path: string) => t.callWith({ now: () => NOW })('GET', path, { key: ws.keys.viewer });
const q = (extra: Record<string, string> = {}) => `?${new URLSearchParams({ workflowId, from: new Date(FROM).toISOString(), to: new Date(TO).toISOString(), ...extra }).toString()}`;

/** The buckets over rollups: from the UTC midnight of `from`'s day, the first cut at `from`, the last at `to`. */
function buckets(size: number): Array<{ start: number; end: number }> {
  const out = [];
  for (let s = ORIGIN; s < TO; s += size) out.push({ start: Math.max(s, FROM), end: Math.min(s + size, TO) });
  return out;
}

/** `approx` is within the documented error of `exact` (and 1 ms, the bin of values under 1 ms). */
function near(approx: number | null, exact: number | null, what: string) {
  if (exact === null) return expect(approx, what).toBeNull();
  expect(approx, what).not.toBeNull();
  expect(Math.abs(approx! - exact), `${what}: ${approx} vs ${exact}`).toBeLessThanOrEqual(Math.abs(exact) * MAX_RELATIVE_ERROR + 1);
}

beforeAll(async () => {
  ws = await t.workspace();
  const [wf] = await db.insert(workflows).values({ workspaceId: ws.id, name: 'Inbound', webhookSecret: 's' }).returning({ id: workflows.id });
  workflowId = wf!.id;
  const [v] = await db
    .insert(versions)
    .values({ workflowId, number: 1, graph: { schemaVersion: 1, nodes: [], edges: [] } as never, plan: PLAN as never, checksum: 'x', authorName: 'Test', note: '' })
    .returning({ id: versions.id });
  await db.update(workflows).set({ activeVersionId: v!.id }).where(eq(workflows.id, workflowId));
  await db.insert(reps).values(REPS.map((id) => ({ workspaceId: ws.id, id, name: REP_NAMES[id]!, email: `${id}@example.com`, timeZone: 'Europe/Berlin' })));
  await db.insert(teams).values({ workspaceId: ws.id, id: 'team-a', name: 'Team A', members: Object.entries(WEIGHTS).map(([repId, weight]) => ({ repId, weight })) });
  await db.insert(queues).values({ workspaceId: ws.id, id: 'q-1', name: 'Overflow' });
  runs = generate(1500, 7, BASE, 65);
  await writeRuns(db, ws.id, workflowId, v!.id, runs);
}, 60_000);

describe('GET /api/analytics over a long range: rollups for the whole days, rows for the partial ones', () => {
  it('speed to lead: counts equal the rows, percentiles within the documented error, overall and per bucket', async () => {
    for (const bucket of ['day', 'week'] as const) {
      const r = { body: await approximately(speedToLead, bucket) };
      expect(r.body).toMatchObject({ source: 'rollups', precision: 'approximate', maxRelativeError: MAX_RELATIVE_ERROR });
      expect(r.body.range).toEqual({ from: new Date(FROM).toISOString(), to: new Date(TO).toISOString(), bucket, bucketMs: bucket === 'day' ? DAY : 7 * DAY });
      const wall = (rs: Run[]) => rs.filter((x) => x.acceptedAt !== null).map((x) => x.acceptedAt! - x.receivedAt);
      const working = (rs: Run[]) => rs.flatMap((x) => (x.firstAssignedWorkMs === null ? [] : [x.firstAssignedWorkMs]));
      const check = (row: { count: number; p50Ms: number | null; p90Ms: number | null; p99Ms: number | null }, values: number[], what: string) => {
        expect(row.count, what).toBe(values.length);
        near(row.p50Ms, percentileCont(values, 0.5), `${what} p50`);
        near(row.p90Ms, percentileCont(values, 0.9), `${what} p90`);
        near(row.p99Ms, percentileCont(values, 0.99), `${what} p99`);
      };
      const all = runs.filter(inRange);
      const summary = (metric: string, clock: string) => r.body.summary.find((s: { metric: string; clock: string }) => s.metric === metric && s.clock === clock);
      check(summary('accepted', 'wall'), wall(all), 'accepted wall');
      check(summary('first_assignment', 'working'), working(all), 'first assignment working');
      expect(summary('first_contact', 'wall').count).toBe(all.filter((x) => x.firstContactAt !== null).length);
      const size = bucket === 'day' ? DAY : 7 * DAY;
      const rows = r.body.overTime.filter((o: { metric: string; clock: string }) => o.metric === 'accepted' && o.clock === 'wall');
      const expected = buckets(size).filter((b) => wall(all.filter((x) => x.receivedAt >= b.start && x.receivedAt < b.end)).length > 0);
      expect(rows.map((o: { bucketStart: string; bucketEnd: string }) => [o.bucketStart, o.bucketEnd])).toEqual(expected.map((b) => [new Date(b.start).toISOString(), new Date(b.end).toISOString()]));
      for (const [i, b] of expected.entries()) {
        check(rows[i], wall(all.filter((x) => x.receivedAt >= b.start && x.receivedAt < b.end)), `bucket ${new Date(b.start).toISOString()}`);
        expect(rows[i].leads).toEqual({ workflow: workflowId, since: new Date(b.start).toISOString(), until: new Date(b.end).toISOString() });
      }
    }
  });

  it('SLA and acceptance: counts per rep and per lead equal the rows; time to accept within the error', async () => {
    const rs = runs.filter(inRange);
    const waits = rs.flatMap((x) => x.waits);
    const s = await call(`/api/analytics/sla${q()}`);
    expect(s.body).toMatchObject({ source: 'rollups', precision: 'exact', maxRelativeError: 0 });
    expect(s.body.byRep.map((x: { repId: string }) => x.repId)).toEqual([...new Set(waits.map((w) => w.rep))].sort());
    for (const row of s.body.byRep) {
      const w = waits.filter((x) => x.rep === row.repId);
      const met = w.filter((x) => x.outcome === 'accepted').length;
      const breached = w.filter((x) => x.outcome === 'timed_out').length;
      expect(row).toMatchObject({ waits: w.length, met, breached, rejected: w.length - met - breached });
    }
    const sum = (f: (x: Run) => number) => rs.reduce((a, x) => a + f(x), 0);
    expect(s.body.perLead).toEqual([
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
    expect(s.body.reassignmentDistribution).toEqual([0, 1, 2, 3].map((n) => ({ reassignments: n, leads: rs.filter((x) => Math.min(x.reassignments, 3) === n).length })).filter((d) => d.leads > 0));

    const a = { body: await approximately(acceptance) };
    expect(a.body).toMatchObject({ source: 'rollups', precision: 'approximate' });
    expect(a.body.byRep).toHaveLength(4);
    for (const row of a.body.byRep) {
      const w = waits.filter((x) => x.rep === row.repId);
      const accepted = w.filter((x) => x.outcome === 'accepted').map((x) => x.elapsedMs);
      expect(row).toMatchObject({ offered: w.length, accepted: accepted.length, count: accepted.length });
      near(row.p50Ms, percentileCont(accepted, 0.5), `${row.repId} p50`);
      near(row.p90Ms, percentileCont(accepted, 0.9), `${row.repId} p90`);
      near(row.p99Ms, percentileCont(accepted, 0.99), `${row.repId} p99`);
    }
  });

  it('fairness and queues: leads per rep, per bucket, passed over and queue inflow equal the rows', async () => {
    const rs = runs.filter(inRange);
    const f = await call(`/api/analytics/fairness${q({ bucket: 'week' })}`);
    expect(f.body).toMatchObject({ source: 'rollups', precision: 'exact' });
    const assigned = rs.flatMap((x) => x.assignments.filter((a) => a.nodeId === 'assign-wrr').map((a) => ({ ...a, receivedAt: x.receivedAt })));
    expect(f.body.byRep.map((x: { repId: string; poolKey: string; actualLeads: number }) => [x.repId, x.poolKey, x.actualLeads])).toEqual(REPS.map((rep) => [rep, 'team:team-a', assigned.filter((a) => a.id === rep).length]));
    const perBucket = buckets(7 * DAY).flatMap((b) =>
      REPS.map((rep) => ({ bucketStart: new Date(b.start).toISOString(), repId: rep, leads: assigned.filter((a) => a.id === rep && a.receivedAt >= b.start && a.receivedAt < b.end).length })).filter((x) => x.leads > 0),
    );
    expect(f.body.overTime.filter((o: { nodeId: string }) => o.nodeId === 'assign-wrr').map((o: { bucketStart: string; repId: string; leads: number }) => ({ bucketStart: o.bucketStart, repId: o.repId, leads: o.leads }))).toEqual(perBucket);
    const passed = rs.flatMap((x) => x.passed);
    expect(f.body.passedOver.map((p: { repId: string; verdict: string; times: number }) => [p.repId, p.verdict, p.times])).toEqual(
      [...new Set(passed.map((p) => `${p.rep}|${p.verdict}`))].sort().map((k) => {
        const [rep, verdict] = k.split('|') as [string, string];
        return [rep, verdict, passed.filter((p) => p.rep === rep && p.verdict === verdict).length];
      }),
    );

    const qs = await call(`/api/analytics/queues${q()}`);
    expect(qs.body).toMatchObject({ source: 'rollups', precision: 'exact' });
    const queued = rs.filter((x) => x.assignments.some((a) => a.type === 'queue'));
    expect(qs.body.byQueue[0]).toMatchObject({ queueId: 'q-1', inflow: queued.length });
    expect(qs.body.inflowOverTime.map((o: { bucketStart: string; inflow: number }) => [o.bucketStart, o.inflow])).toEqual(
      buckets(DAY)
        .map((b) => [new Date(b.start).toISOString(), queued.filter((x) => x.receivedAt >= b.start && x.receivedAt < b.end).length] as const)
        .filter(([, n]) => n > 0),
    );
  });

  it('up to EXACT_MAX_LEADS leads, percentiles come from the rows (exact); hour buckets read only rows', async () => {
    const rs = runs.filter(inRange);
    expect(rs.length).toBeLessThan(20_000);
    const speed = await call(`/api/analytics/speed-to-lead${q({ bucket: 'week' })}`);
    expect(speed.body).toMatchObject({ source: 'rows', precision: 'exact', maxRelativeError: 0 });
    const accepted = rs.filter((x) => x.acceptedAt !== null).map((x) => x.acceptedAt! - x.receivedAt);
    const summary = speed.body.summary.find((x: { metric: string; clock: string }) => x.metric === 'accepted' && x.clock === 'wall');
    expect(summary).toMatchObject({ count: accepted.length, p50Ms: percentileCont(accepted, 0.5), p99Ms: percentileCont(accepted, 0.99) });
    // Week buckets from the UTC midnight of from's day, whichever the source.
    const weeks = speed.body.overTime.filter((x: { metric: string; clock: string }) => x.metric === 'accepted' && x.clock === 'wall');
    const expected = buckets(7 * DAY).filter((b) => rs.some((x) => x.acceptedAt !== null && x.receivedAt >= b.start && x.receivedAt < b.end));
    expect(weeks.map((x: { bucketStart: string; count: number }) => [x.bucketStart, x.count])).toEqual(
      expected.map((b) => [new Date(b.start).toISOString(), rs.filter((x) => x.acceptedAt !== null && x.receivedAt >= b.start && x.receivedAt < b.end).length]),
    );
    expect((await call(`/api/analytics/acceptance${q()}`)).body).toMatchObject({ source: 'rows', precision: 'exact' });
    const hours = await call(`/api/analytics/sla${q({ from: new Date(TO - 40 * DAY).toISOString(), bucket: 'hour' })}`);
    expect(hours.body).toMatchObject({ source: 'rows', precision: 'exact' });
    // A range inside one UTC day has no whole day for the rollups.
    const inside = await call(`/api/analytics/sla${q({ from: new Date(FROM).toISOString(), to: new Date(FROM + 3_600_000).toISOString(), bucket: 'day' })}`);
    expect(inside.body).toMatchObject({ source: 'rows' });
  });
});

describe('analytics_hist_add (the histograms the rollups keep)', () => {
  /** Sum of two histograms as the rollups define it: bins ascending, bins left at 0 dropped. */
  const reference = (h1: string, h2: string): string => {
    const sums = new Map<number, number>();
    for (const h of [h1, h2]) {
      const a = h === '' ? [] : h.split(',').map(Number);
      for (let i = 0; i + 1 < a.length; i += 2) sums.set(a[i]!, (sums.get(a[i]!) ?? 0) + a[i + 1]!);
    }
    return [...sums].filter(([, n]) => n !== 0).sort((x, y) => x[0] - y[0]).map(([b, n]) => `${b},${n}`).join(',');
  };
  // A day's histogram: bins ascending, counts of either sign (a rollup subtracts the rows an update replaced).
  const histogram = (seed: number, bins: number): string => {
    const picked = new Set<number>();
    for (let i = 0; i < bins; i++) picked.add(((seed * 7919 + i * 104_729) % 400) - 60);
    return [...picked].sort((x, y) => x - y).map((b, i) => `${b},${((seed + i) % 9) - 3 || 1}`).join(',');
  };

  it('merges two ascending histograms exactly as the sum by bin does, at any size', async () => {
    const cases: Array<[string, string]> = [['', ''], ['', '5,1'], ['5,1', ''], ['1,1,3,2', '1,-1,3,-2'], ['-7,2,0,1,9,4', '0,-1,2,3'], ['1,2,3', '3,1']];
    for (let seed = 1; seed <= 40; seed++) cases.push([histogram(seed, seed * 4), histogram(seed + 100, (seed % 5) + 1)]);
    // A histogram not in ascending order (no rollup writes one) is still added right.
    cases.push(['5,1,2,1', '3,1,2,1']);
    const rows = (await db.execute(
      sql`select analytics_hist_add(c->>0, c->>1) as sum from jsonb_array_elements(${JSON.stringify(cases)}::jsonb) with ordinality as x(c, i) order by i`,
    )) as unknown as Array<{ sum: string }>;
    expect(rows.map((r) => r.sum)).toEqual(cases.map(([a, b]) => reference(a, b)));
  });
});
