import {
  dayKey,
  interpret,
  interpretSync,
  isPaused,
  SimulationEffects,
  type AssignResult,
  type Effects,
  type EnrichResult,
  type EscalateResult,
  type MatchAccountResult,
  type Lead,
  type Plan,
  type RoutingStateSnapshot,
  type RunResult,
  type WaitChoice,
  type WaitPlan,
} from '@lead-router/shared';
import { demoDirectory, generateSampleLeads, hybridRoutingGraph } from '@lead-router/shared/fixtures';
import { ApplicationFailure } from '@temporalio/activity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { poolCursors, repDailyCounts, repLoads } from '@lead-router/db/schema';
import { loadDirectory, loadRoutingState } from '@lead-router/db/directory-snapshot';
import { createActivities } from './index';
import { createTestDatabase, createWorkspace, insertLeads, insertVersion, seedDirectory, type TestDatabase } from '../test/test-db';
import { BUSINESS_FAILURE, type RoutingActivities } from './types';

// Test runs must predict production. The same 200 leads go through the hybrid routing graph twice from the
// same starting state: once on SimulationEffects (what a test run on the canvas does), once with the
// enrich, matchAccount, assign and escalate activities over Postgres (waits, notifications and updates
// simulated alike in both). Every step of every trace, and the routing state left behind, must be equal.

// A Tuesday, 15:00 UTC: Ana (New York, 08-18) is at work, Eli is on leave.
const NOW = Date.UTC(2026, 2, 10, 15, 0, 0);
const LEADS = 200;

let t: TestDatabase;
let workspaceId: string;
let plan: Plan;
let ids: string[];
let leads: Lead[];

/** Waits that send a quarter of the leads up each rung of the escalation ladder. */
function waitPlan(): WaitPlan {
  const ladders: WaitChoice[][] = [
    [{ outcome: 'accepted', afterMinutes: 3 }],
    [{ outcome: 'timed_out' }, { outcome: 'accepted', afterMinutes: 5 }],
    [{ outcome: 'timed_out' }, { outcome: 'timed_out' }, { outcome: 'accepted', afterMinutes: 20 }],
    [{ outcome: 'timed_out' }],
  ];
  return { byLead: Object.fromEntries(ids.map((id, i) => [id, ladders[i % ladders.length] as WaitChoice[]])) };
}

beforeAll(async () => {
  t = await createTestDatabase({ max: 5 });
  const ws = await createWorkspace(t.db);
  workspaceId = ws.workspaceId;
  await seedDirectory(t.db, workspaceId, demoDirectory);
  const version = await insertVersion(t.db, ws.workflowId, hybridRoutingGraph, demoDirectory);
  plan = version.plan;
  leads = generateSampleLeads(LEADS, 7);
  ids = await insertLeads(t.db, { workspaceId, workflowId: ws.workflowId, versionId: version.versionId }, leads);
  // Production did not start from nothing: some reps are near their caps, the enterprise pool is mid-cycle.
  await t.db.insert(repLoads).values([
    { workspaceId, repId: 'rep-ana', openLeads: 20 },
    { workspaceId, repId: 'rep-cara', openLeads: 18 },
    { workspaceId, repId: 'rep-dev', openLeads: 27 },
  ]);
  await t.db.insert(repDailyCounts).values([{ workspaceId, repId: 'rep-bo', day: dayKey(NOW, 'America/Los_Angeles'), assigned: 36 }]);
  await t.db.insert(poolCursors).values([
    { workspaceId, poolKey: 'team:team-enterprise', wrrCurrent: { 'rep-ana': -2, 'rep-bo': 1, 'rep-cara': 1 } },
    { workspaceId, poolKey: 'territory:terr-dach', lastChosen: 'rep-eli' },
  ]);
}, 60_000);

afterAll(async () => {
  await t?.drop();
});

/** Effects whose enrich, matchAccount, assign and escalate are the activities; the rest simulated. */
function activityEffects(acts: RoutingActivities, clock: SimulationEffects, leadId: string): Effects {
  const ref = { workspaceId, workflowId: `lead-${leadId}` };
  // As the workflow does: a business failure's details[0] is the step's result.
  const business = <T>(e: unknown): T => {
    if (e instanceof ApplicationFailure && e.type === BUSINESS_FAILURE) return e.details?.[0] as T;
    throw e;
  };
  return {
    now: () => clock.now(),
    wait: (req) => clock.wait(req),
    notify: (req) => clock.notify(req),
    update: (req) => clock.update(req),
    crmUpdate: (req) => clock.crmUpdate(req),
    enrich: (req) => acts.enrich({ ...req, ...ref }).catch(business<EnrichResult>),
    matchAccount: (req) => acts.matchAccount({ ...req, ...ref }).catch(business<MatchAccountResult>),
    assign: (req) => acts.assign({ ...req, ...ref }).catch(business<AssignResult>),
    escalate: (req) => acts.escalate({ ...req, ...ref }).catch(business<EscalateResult>),
  };
}

/** A snapshot without the entries that mean nothing: zero loads, empty counters, unset cursors. */
function meaningful(s: RoutingStateSnapshot) {
  const nonZero = (r: Record<string, number> = {}) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== 0));
  return {
    lastChosen: s.lastChosen ?? {},
    wrrCurrent: Object.fromEntries(Object.entries(s.wrrCurrent ?? {}).filter(([, c]) => Object.keys(c).length > 0)),
    openLoad: nonZero(s.openLoad),
    assignedOn: Object.fromEntries(Object.entries(s.assignedOn ?? {}).map(([rep, days]) => [rep, nonZero(days)])),
  };
}

describe('parity with SimulationEffects', () => {
  it('200 sample leads get the same steps, assignees and final routing state', async () => {
    // The simulation starts from what production has, as a test run on the canvas does.
    const directory = await loadDirectory(t.db, workspaceId);
    const start = await loadRoutingState(t.db, workspaceId);
    const waits = waitPlan();

    const sim = new SimulationEffects({ directory, state: start, startTime: NOW, waits });
    const expected: RunResult[] = ids.map((id, i) => {
      sim.beginLead(id);
      const r = interpretSync(plan, leads[i] as Lead, sim, { leadId: id });
      if (isPaused(r)) throw new Error('paused');
      return r;
    });

    const clock = new SimulationEffects({ directory, startTime: NOW, waits });
    const acts = createActivities({ db: t.db, now: () => new Date(clock.now()), directoryCacheMs: 60_000 });
    const actual: RunResult[] = [];
    for (const [i, id] of ids.entries()) {
      clock.beginLead(id);
      const r = await interpret(plan, leads[i] as Lead, activityEffects(acts, clock, id), { leadId: id });
      if (isPaused(r)) throw new Error('paused');
      actual.push(r);
    }

    expect(actual.map((r) => r.assignee?.id ?? null)).toEqual(expected.map((r) => r.assignee?.id ?? null));
    for (let i = 0; i < ids.length; i++) {
      expect(actual[i]?.steps, `lead ${i}`).toEqual(expected[i]?.steps);
      expect(actual[i]?.outcome).toBe(expected[i]?.outcome);
    }
    expect(meaningful(await loadRoutingState(t.db, workspaceId))).toEqual(meaningful(sim.state.snapshot()));

    // The sample exercised what it is meant to: every strategy and every escalation, caps included.
    const steps = expected.flatMap((r) => r.steps);
    const decisions = new Set(steps.map((s) => `${s.nodeId}:${s.outcome}`));
    for (const d of ['assign-owner:assigned', 'assign-enterprise:assigned', 'assign-territory:assigned', 'assign-pool:assigned', 'assign-queue:assigned', 'reassign:escalated', 'to-manager:escalated', 'to-queue:escalated']) {
      expect([...decisions], d).toContain(d);
    }
    const verdicts = new Set(steps.flatMap((s) => ((s.output.candidates as Array<{ verdict: string }> | undefined) ?? []).map((c) => c.verdict)));
    for (const v of ['over_open_cap', 'over_daily_cap', 'previously_assigned', 'out_of_office']) expect([...verdicts], v).toContain(v);
  }, 120_000);
});
