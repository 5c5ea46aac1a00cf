import { ApplicationFailure } from '@temporalio/activity';
import {
  interpret,
  isPaused,
  performEffect,
  type AssignResult,
  type DirectoryInput,
  type EnrichResult,
  type EscalateResult,
  type MatchAccountResult, type Effects, type Lead, type Plan, type RunResult, type TraceStep, type WaitRequest, type WaitResult } from '@lead-router/shared';
import { demoDirectory, generateSampleLeads, hybridRoutingGraph } from '@lead-router/shared/fixtures';
import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAssignments } from '@lead-router/db/analytics-schema';
import { notifications, repLoads, routingRuns, traceSteps } from '@lead-router/db/schema';
import { createContext } from './context';
import { createActivities } from './index';
import { createRunSegment, suspendsAt } from './segment';
import { createTestDatabase, createWorkspace, insertLeads, insertVersion, seedDirectory, type TestDatabase } from '../test/test-db';
import { BUSINESS_FAILURE, type RoutingActivities, type SegmentInput, type SegmentResult } from './types';

// runSegment (issue 18): the shared interpreter over one segment of a lead's route with the real effects.

// Every rep available at any hour, so results do not depend on when the suite runs.
const directory: DirectoryInput = { ...demoDirectory, reps: demoDirectory.reps.map((r) => ({ ...r, workingHours: null })) };
const WAYNE: Lead = { id: 'L-2', firstName: 'Bruce', lastName: 'Wayne', email: 'bruce@wayne.com', title: 'CEO', company: 'Wayne Enterprises', country: 'US', state: 'NJ', leadSource: 'Contact Sales' };

let t: TestDatabase;

beforeAll(async () => {
  t = await createTestDatabase({ max: 5 });
}, 60_000);

afterAll(async () => {
  await t?.drop();
});

async function setup() {
  const ws = await createWorkspace(t.db);
  await seedDirectory(t.db, ws.workspaceId, directory);
  const { versionId, plan } = await insertVersion(t.db, ws.workflowId, hybridRoutingGraph, directory);
  return { ...ws, versionId, plan };
}

/** The answers of a wait, by lead index and round: a quarter of the leads climb each rung of the ladder. */
function waitAnswer(i: number, req: WaitRequest): WaitResult {
  const ladder = [['accepted'], ['timed_out', 'accepted'], ['timed_out', 'timed_out', 'accepted'], ['timed_out']][i % 4] as string[];
  const outcome = (ladder[req.round - 1] ?? 'timed_out') as WaitResult['outcome'];
  return outcome === 'accepted' ? { outcome, elapsedMs: 60_000 * req.round, detail: 'Accepted by the rep' } : { outcome, elapsedMs: req.timeoutMs, detail: 'Nobody answered within the SLA' };
}

const withoutTime = (steps: TraceStep[]) => steps.map(({ at: _at, ...s }) => s);

describe('runSegment', () => {
  it('suspends at waits and slow notifications only', () => {
    const config = { until: 'accepted', timeout: { amount: 15, unit: 'minutes' } } as const;
    const base = { leadId: 'l', nodeId: 'n', seq: 1 };
    expect(suspendsAt({ op: 'wait', req: { ...base, config, timeoutMs: 1, assignee: null, round: 1 } })).toBe(true);
    const notify = (channel: 'in_app' | 'email' | 'slack' | 'webhook') => ({ op: 'notify' as const, req: { ...base, config: { channel, recipient: { type: 'assignee' as const }, message: 'm' }, lead: {}, assignee: null, message: 'm', subject: null } });
    expect([notify('in_app'), notify('email'), notify('slack'), notify('webhook')].map(suspendsAt)).toEqual([false, true, true, true]);
    const enrich = (provider: 'firmographics' | 'http') => ({ op: 'enrich' as const, req: { ...base, config: { provider, fields: ['employees'], overwrite: false }, lead: {} } });
    expect([enrich('firmographics'), enrich('http')].map(suspendsAt)).toEqual([false, true]);
  });

  it('retried after a crash mid-segment, acts once: the assignment made is read back, nothing is sent or counted twice', async () => {
    const target = await setup();
    const [leadId] = (await insertLeads(t.db, target, [WAYNE])) as [string];
    const acts = createActivities({ db: t.db });
    // The worker dies after the assignment committed, while the in-app notification is being written.
    let crash = true;
    const crashing: Omit<RoutingActivities, 'runSegment'> = {
      ...acts,
      notify: async (req) => {
        if (crash) {
          crash = false;
          throw new Error('worker lost');
        }
        return acts.notify(req);
      },
    };
    const { runSegment } = createRunSegment(createContext({ db: t.db }), crashing);
    const input: SegmentInput = { leadId, workspaceId: target.workspaceId, workflowId: `lead-${leadId}`, versionId: target.versionId };

    await expect(runSegment(input)).rejects.toThrow('worker lost');
    const [afterCrash] = await t.db.select().from(routingRuns).where(eq(routingRuns.leadId, leadId));
    const first = afterCrash?.assigneeId;
    expect(first).toMatch(/^rep-/);

    // Temporal runs the segment again from the same input (twice here: a second retry after it completed).
    const again = await runSegment(input);
    const thrice = await runSegment(input);
    for (const r of [again, thrice]) {
      expect(r).toMatchObject({ status: 'suspended', pending: { op: 'wait' }, marked: true, assignee: { id: first } });
      if (r.status !== 'suspended') throw new Error('not suspended');
      expect(r.path).toEqual(['trigger', 'enrich', 'score', 'match', 'fast-lane', 'assign-enterprise', 'notify-rep']);
    }
    const steps = await t.db.select().from(traceSteps).where(eq(traceSteps.leadId, leadId)).orderBy(asc(traceSteps.seq));
    expect(steps.map((s) => s.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(await t.db.select().from(runAssignments).where(eq(runAssignments.leadId, leadId))).toHaveLength(1);
    expect(await t.db.select().from(notifications).where(eq(notifications.leadId, leadId))).toHaveLength(1);
    const loads = await t.db.select().from(repLoads).where(eq(repLoads.workspaceId, target.workspaceId));
    expect(loads.filter((l) => l.openLeads > 0).map((l) => [l.repId, l.openLeads])).toEqual([[first, 1]]);
    const [run] = await t.db.select().from(routingRuns).where(and(eq(routingRuns.leadId, leadId), eq(routingRuns.workspaceId, target.workspaceId)));
    expect(run).toMatchObject({ status: 'waiting', currentNodeId: 'sla', assigneeId: first, reassignments: 0 });
    expect(run?.deadlineAt).toBeInstanceOf(Date);
  });

  it('routes 40 leads segment by segment exactly as one uninterrupted run of the interpreter does', async () => {
    // Two workspaces from the same start: one runs each lead through the interpreter at once with the
    // activities as effects, the other segment by segment, its waits and slow notifications answered between
    // segments the same way. Every step (but its instant), assignee and outcome must be the same.
    const [one, seg] = await Promise.all([setup(), setup()]);
    const leads = generateSampleLeads(40, 3);
    const [oneIds, segIds] = await Promise.all([insertLeads(t.db, one, leads), insertLeads(t.db, seg, leads)]);
    const acts = createActivities({ db: t.db });
    const business = <T>(e: unknown): T => {
      if (e instanceof ApplicationFailure && e.type === BUSINESS_FAILURE) return e.details?.[0] as T;
      throw e;
    };
    const effectsOf = (ws: { workspaceId: string }, leadId: string, i: number): Effects => {
      const ref = { workspaceId: ws.workspaceId, workflowId: `lead-${leadId}` };
      return {
        now: () => Date.now(),
        wait: (req) => waitAnswer(i, req),
        notify: (req) => acts.notify({ ...req, ...ref }),
        update: (req) => acts.update({ ...req, ...ref }),
        enrich: (req) => acts.enrich({ ...req, ...ref }).catch(business<EnrichResult>),
        matchAccount: (req) => acts.matchAccount({ ...req, ...ref }).catch(business<MatchAccountResult>),
        assign: (req) => acts.assign({ ...req, ...ref }).catch(business<AssignResult>),
        escalate: (req) => acts.escalate({ ...req, ...ref }).catch(business<EscalateResult>),
        crmUpdate: (req) => acts.crmUpdate({ ...req, ...ref }),
      };
    };
    const expected: RunResult[] = [];
    for (const [i, leadId] of oneIds.entries()) {
      const r = await interpret(one.plan as Plan, leads[i] as Lead, effectsOf(one, leadId, i), { leadId });
      if (isPaused(r)) throw new Error('paused');
      expected.push(r);
    }

    let segments = 0;
    for (const [i, leadId] of segIds.entries()) {
      const base: SegmentInput = { leadId, workspaceId: seg.workspaceId, workflowId: `lead-${leadId}`, versionId: seg.versionId };
      let r: SegmentResult = await acts.runSegment(base);
      const path: string[] = [];
      for (;;) {
        segments++;
        if (r.status === 'already_ended') throw new Error('already ended');
        path.push(...r.path);
        if (r.status === 'ended') break;
        const value = await performEffect(effectsOf(seg, leadId, i), r.pending);
        r = await acts.runSegment({ ...base, checkpoint: r.checkpoint, answer: { value } });
      }
      const want = expected[i] as RunResult;
      expect(path, `lead ${i}`).toEqual(want.path);
      expect(r.result).toMatchObject({ status: want.status, outcome: want.outcome, assignee: want.assignee });
      const steps = await t.db.select().from(traceSteps).where(eq(traceSteps.leadId, leadId)).orderBy(asc(traceSteps.seq));
      expect(
        steps.map((s) => ({ seq: s.seq, nodeId: s.nodeId, decision: s.decision, outcome: s.outcome, next: s.next, explanation: s.explanation })),
        `lead ${i}`,
      ).toEqual(withoutTime(want.steps).map((s) => ({ seq: s.seq, nodeId: s.nodeId, decision: s.decision, outcome: s.outcome, next: s.next, explanation: s.explanation })));
      const [run] = await t.db.select().from(routingRuns).where(eq(routingRuns.leadId, leadId));
      expect(run?.status).toBe(want.status === 'failed' ? 'failed' : 'completed');
    }
    // The sample went up the ladder: more segments than leads, and some leads timed out twice.
    expect(segments).toBeGreaterThan(2 * segIds.length);
    expect(expected.some((r) => r.path.includes('sla-manager'))).toBe(true);
  }, 120_000);
});
