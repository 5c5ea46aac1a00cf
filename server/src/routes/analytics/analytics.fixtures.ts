import { randomUUID } from 'node:crypto';
import type { Db } from '@lead-router/db/client';
import { leads, routingRuns } from '@lead-router/db/schema';
import { runAssignments, runPassedOver, runWaits } from '@lead-router/db/analytics-schema';

// The analytics tests' history: runs generated from a seed and written as the worker leaves them
// (routing_runs' analytics columns and the analytics tables, whose triggers keep the per-day rollups).

export const DAY = 86_400_000;
export const BASE = Date.UTC(2026, 1, 2, 0, 0, 0);

export function rng(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

/** percentile_cont as PostgreSQL computes it. */
export function percentileCont(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const v = [...values].sort((a, b) => a - b);
  const pos = p * (v.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return lo === hi ? v[lo]! : v[lo]! + (v[hi]! - v[lo]!) * (pos - lo);
}
export const pcts = (values: number[]) => ({ count: values.length, p50Ms: percentileCont(values, 0.5), p90Ms: percentileCont(values, 0.9), p99Ms: percentileCont(values, 0.99) });

export const WEIGHTS: Record<string, number> = { ana: 3, bo: 2, cy: 1 };
export const REP_NAMES: Record<string, string> = { ana: 'Ana Diaz', bo: 'Bo Chen', cy: 'Cy Okafor', dee: '=HYPERLINK("http://x")' };
export const REPS = ['ana', 'bo', 'cy', 'dee'];
export const VERDICTS = ['out_of_office', 'outside_working_hours', 'over_daily_cap'];

export interface Run {
  leadId: string;
  receivedAt: number;
  firstAssignedAt: number | null;
  firstAssignedWorkMs: number | null;
  acceptedAt: number | null;
  acceptedWorkMs: number | null;
  firstContactAt: number | null;
  firstContactWorkMs: number | null;
  assigneeType: 'rep' | 'queue' | null;
  assigneeId: string | null;
  assignedAt: number | null;
  reassignments: number;
  escalations: number;
  slaMet: number;
  slaBreached: number;
  waits: Array<{ seq: number; rep: string; outcome: 'accepted' | 'timed_out' | 'rejected'; elapsedMs: number }>;
  assignments: Array<{ seq: number; nodeId: string; poolKey: string | null; type: 'rep' | 'queue'; id: string }>;
  passed: Array<{ seq: number; rep: string; verdict: string }>;
}

/** Writes runs as ingestion and the worker would leave them. */
export async function writeRuns(db: Db, workspaceId: string, workflowId: string, versionId: string, runs: Run[]) {
  await db.insert(leads).values(runs.map((r) => ({ id: r.leadId, workspaceId, workflowId, data: { email: `${r.leadId.slice(0, 8)}@acme.com` }, receivedAt: new Date(r.receivedAt) })));
  const d = (ms: number | null) => (ms === null ? null : new Date(ms));
  await db.insert(routingRuns).values(
    runs.map((r) => ({
      leadId: r.leadId,
      workspaceId,
      workflowId,
      versionId,
      temporalWorkflowId: `lead-${r.leadId}`,
      status: 'completed' as const,
      receivedAt: new Date(r.receivedAt),
      firstAssignedAt: d(r.firstAssignedAt),
      firstAssignedWorkMs: r.firstAssignedWorkMs,
      acceptedAt: d(r.acceptedAt),
      acceptedWorkMs: r.acceptedWorkMs,
      firstContactAt: d(r.firstContactAt),
      firstContactWorkMs: r.firstContactWorkMs,
      assigneeType: r.assigneeType,
      assigneeId: r.assigneeId,
      assignedAt: d(r.assignedAt),
      reassignments: r.reassignments,
      escalations: r.escalations,
      slaMet: r.slaMet,
      slaBreached: r.slaBreached,
    })),
  );
  const base = (r: Run) => ({ leadId: r.leadId, workspaceId, workflowId, receivedAt: new Date(r.receivedAt) });
  const waits = runs.flatMap((r) => r.waits.map((w) => ({ ...base(r), seq: w.seq, nodeId: 'sla', startedAt: new Date(r.receivedAt), assigneeType: 'rep' as const, assigneeId: w.rep, outcome: w.outcome, elapsedMs: w.elapsedMs })));
  if (waits.length > 0) await db.insert(runWaits).values(waits);
  const assignments = runs.flatMap((r) =>
    r.assignments.map((a) => ({ ...base(r), seq: a.seq, at: new Date(r.receivedAt), nodeId: a.nodeId, nodeType: a.nodeId === 'esc' ? ('escalate' as const) : ('assign' as const), poolKey: a.poolKey, assigneeType: a.type, assigneeId: a.id })),
  );
  if (assignments.length > 0) await db.insert(runAssignments).values(assignments);
  const passed = runs.flatMap((r) => r.passed.map((p) => ({ ...base(r), seq: p.seq, repId: p.rep, nodeId: 'assign-wrr', verdict: p.verdict })));
  if (passed.length > 0) await db.insert(runPassedOver).values(passed);
}

export function generate(n: number, seed: number, base = BASE, days = 10): Run[] {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  const runs: Run[] = [];
  for (let i = 0; i < n; i++) {
    const receivedAt = base + Math.floor(r() * days * DAY);
    const queued = r() < 0.15;
    const assigned = !queued && r() < 0.9;
    const first = assigned ? pick(['ana', 'ana', 'ana', 'bo', 'bo', 'cy']) : null;
    const firstAssignedAt = assigned ? receivedAt + Math.floor(r() * 600_000) : null;
    const waits: Run['waits'] = [];
    const assignments: Run['assignments'] = [];
    const passed: Run['passed'] = [];
    if (queued) assignments.push({ seq: 2, nodeId: 'to-queue', poolKey: 'queue:q-1', type: 'queue', id: 'q-1' });
    let holder = first;
    let reassignments = 0;
    let escalations = 0;
    if (first) {
      assignments.push({ seq: 2, nodeId: 'assign-wrr', poolKey: 'team:team-a', type: 'rep', id: first });
      if (r() < 0.3) passed.push({ seq: 2, rep: pick(['bo', 'cy', 'dee']), verdict: pick(VERDICTS) });
      let seq = 3;
      for (let round = 0; round < 3; round++) {
        const outcome = pick(['accepted', 'accepted', 'timed_out', 'rejected'] as const);
        waits.push({ seq: seq++, rep: holder!, outcome, elapsedMs: Math.floor(r() * 3_600_000) });
        if (outcome === 'accepted') break;
        holder = pick(REPS);
        const esc = r() < 0.5;
        assignments.push({ seq: seq++, nodeId: esc ? 'esc' : 'assign-wrr', poolKey: esc ? null : 'team:team-a', type: 'rep', id: holder });
        reassignments++;
        if (esc) escalations++;
      }
    }
    const accepted = waits.find((w) => w.outcome === 'accepted');
    const acceptedAt = accepted ? (firstAssignedAt ?? receivedAt) + accepted.elapsedMs : null;
    const contacted = accepted && r() < 0.5;
    runs.push({
      leadId: randomUUID(),
      receivedAt,
      firstAssignedAt,
      firstAssignedWorkMs: firstAssignedAt !== null && r() < 0.8 ? Math.floor((firstAssignedAt - receivedAt) * r()) : null,
      acceptedAt,
      acceptedWorkMs: acceptedAt !== null ? Math.floor((acceptedAt - receivedAt) * r()) : null,
      firstContactAt: contacted ? acceptedAt! + 60_000 : null,
      firstContactWorkMs: contacted ? Math.floor(r() * 1_000_000) : null,
      assigneeType: queued ? 'queue' : holder ? 'rep' : null,
      assigneeId: queued ? 'q-1' : holder,
      assignedAt: queued ? receivedAt + 500 + Math.floor(r() * DAY) : firstAssignedAt,
      reassignments,
      escalations,
      slaMet: waits.filter((w) => w.outcome === 'accepted').length,
      slaBreached: waits.filter((w) => w.outcome === 'timed_out').length,
      waits,
      assignments,
      passed,
    });
  }
  return runs;
}

export const PLAN = {
  format: 'lead-router.plan',
  compilerVersion: '1.0.0',
  graphSchemaVersion: 1,
  entry: 'trigger',
  fieldTypes: {},
  territories: {},
  nodes: {
    'assign-wrr': { id: 'assign-wrr', type: 'assign', label: 'Weighted to Team A', config: { strategy: { type: 'weighted_round_robin', teamId: 'team-a' } }, next: {}, reads: [] },
    'to-queue': { id: 'to-queue', type: 'assign', label: 'To the overflow queue', config: { strategy: { type: 'queue', queueId: 'q-1' } }, next: {}, reads: [] },
    sla: { id: 'sla', type: 'wait', label: 'SLA 15 min', config: { until: 'accepted', timeout: { amount: 15, unit: 'minutes' } }, next: {}, reads: [] },
  },
};

