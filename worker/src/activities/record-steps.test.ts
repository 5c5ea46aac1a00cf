import type { TraceStep } from '@lead-router/shared';
import { hybridRoutingGraph, demoDirectory } from '@lead-router/shared/fixtures';
import { ApplicationFailure } from '@temporalio/activity';
import { asc, eq } from 'drizzle-orm';
import { connectPostgres } from '@lead-router/db/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leads, routingRuns, traceSteps, versions } from '@lead-router/db/schema';
import { isPermanentSqlState } from './failures';
import { createActivities } from './index';
import { applicationFailureOf, failureOf, createTestDatabase, createWorkspace, insertLeads, insertVersion, type TestDatabase } from '../test/test-db';
import type { RoutingActivities } from './types';

const T0 = Date.UTC(2026, 2, 10, 15, 0, 0);
const FINISHED_AT = new Date(Date.UTC(2026, 2, 10, 16, 0, 0));

let t: TestDatabase;
let acts: RoutingActivities;
let workspaceId: string;
let workflowId: string;

beforeAll(async () => {
  t = await createTestDatabase({ max: 3 });
  acts = createActivities({ db: t.db, now: () => FINISHED_AT });
  ({ workspaceId, workflowId } = await createWorkspace(t.db));
}, 60_000);

afterAll(async () => {
  await t?.drop();
});

function step(seq: number, over: Partial<TraceStep> = {}): TraceStep {
  return {
    seq,
    nodeId: `n${seq}`,
    nodeType: 'branch',
    label: `Step ${seq}`,
    at: T0 + seq * 1000,
    durationMs: 0,
    input: { country: 'DE' },
    decision: 'Else',
    explanation: ['No case matched: else'],
    output: { case: 'else' },
    outcome: 'else',
    next: `n${seq + 1}`,
    ...over,
  };
}

async function runOf(leadId: string) {
  const [run] = await t.db.select().from(routingRuns).where(eq(routingRuns.leadId, leadId));
  if (!run) throw new Error('no run');
  return run;
}

const ref = (leadId: string) => ({ workspaceId, workflowId: `lead-${leadId}`, leadId });

describe('recordSteps, one step at a time', () => {
  it('writes the step once and moves the run to the next node', async () => {
    const [leadId] = (await insertLeads(t.db, { workspaceId, workflowId }, [{}])) as [string];
    await acts.recordSteps({ ...ref(leadId), steps: [step(1)] });
    await acts.recordSteps({ ...ref(leadId), steps: [{ ...step(1), decision: 'a retry with another text' }] });
    const rows = await t.db.select().from(traceSteps).where(eq(traceSteps.leadId, leadId));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ seq: 1, nodeId: 'n1', nodeType: 'branch', decision: 'Else', at: new Date(T0 + 1000), input: { country: 'DE' }, candidates: null, next: 'n2' });
    expect(await runOf(leadId)).toMatchObject({ status: 'running', currentNodeId: 'n2', startedAt: new Date(T0 + 1000) });
  });

  it('records assignments, acceptance and candidates; a late step never moves the run back', async () => {
    const [leadId] = (await insertLeads(t.db, { workspaceId, workflowId }, [{}])) as [string];
    const candidates = [{ repId: 'ana', name: 'Ana', verdict: 'chosen', reason: 'first in rotation' }];
    const assignee = { type: 'rep', id: 'ana', name: 'Ana' };
    await acts.recordSteps({ ...ref(leadId), steps: [step(2, { nodeType: 'assign', output: { assignee, candidates, poolKey: 'team:t' }, outcome: 'assigned', next: 'wait' })] });
    let run = await runOf(leadId);
    expect(run).toMatchObject({ assigneeType: 'rep', assigneeId: 'ana', assignedAt: new Date(T0 + 2000), currentNodeId: 'wait' });
    const [row] = await t.db.select().from(traceSteps).where(eq(traceSteps.leadId, leadId));
    expect(row?.candidates).toEqual(candidates);

    await acts.markWaiting({ ...ref(leadId), nodeId: 'wait', deadline: T0 + 900_000, assignee: assignee as never });
    expect(await runOf(leadId)).toMatchObject({ status: 'waiting', deadlineAt: new Date(T0 + 900_000), currentNodeId: 'wait' });

    await acts.recordSteps({ ...ref(leadId), steps: [step(4, { nodeId: 'wait', nodeType: 'wait', at: T0 + 3000, durationMs: 60_000, outcome: 'accepted', next: 'end' })] });
    run = await runOf(leadId);
    expect(run).toMatchObject({ status: 'running', deadlineAt: null, acceptedAt: new Date(T0 + 63_000), currentNodeId: 'end' });

    // Step 3 arrives after step 4: it is written to the trace, but the run stays where step 4 left it.
    await acts.recordSteps({ ...ref(leadId), steps: [step(3, { next: 'elsewhere' })] });
    expect((await runOf(leadId)).currentNodeId).toBe('end');
    const seqs = await t.db.select({ seq: traceSteps.seq }).from(traceSteps).where(eq(traceSteps.leadId, leadId)).orderBy(asc(traceSteps.seq));
    expect(seqs.map((s) => s.seq)).toEqual([2, 3, 4]);
  });

  it('keeps the first assignment apart: a later re-assignment or escalation moves assignedAt, never firstAssignedAt (issue 13, item 10)', async () => {
    const [leadId] = (await insertLeads(t.db, { workspaceId, workflowId }, [{}])) as [string];
    const ana = { type: 'rep', id: 'ana', name: 'Ana' };
    const mia = { type: 'rep', id: 'mia', name: 'Mia' };
    // Assigned 2 s after T0, then, in one batch, re-assigned and escalated 15 minutes later.
    await acts.recordSteps({ ...ref(leadId), steps: [step(2, { nodeType: 'assign', output: { assignee: ana, candidates: [] }, outcome: 'assigned', next: 'sla' })] });
    expect(await runOf(leadId)).toMatchObject({ firstAssignedAt: new Date(T0 + 2000), assignedAt: new Date(T0 + 2000) });
    const later = T0 + 15 * 60_000;
    await acts.recordSteps({
      ...ref(leadId),
      steps: [
        step(3, { nodeType: 'assign', at: later, output: { assignee: { type: 'rep', id: 'bo', name: 'Bo' }, candidates: [] }, outcome: 'assigned', next: 'esc' }),
        step(4, { nodeType: 'escalate', at: later + 8000, output: { assignee: mia }, outcome: 'escalated', next: 'end' }),
      ],
    });
    expect(await runOf(leadId)).toMatchObject({ firstAssignedAt: new Date(T0 + 2000), assignedAt: new Date(later + 8000), assigneeId: 'mia' });
  });

  it('a lead assigned once has one assignment time: the decision stored at the activity clock does not read as a re-assignment', async () => {
    const [leadId] = (await insertLeads(t.db, { workspaceId, workflowId }, [{}])) as [string];
    // The assign activity stores its decision at its own clock, 1.1 s after the step's workflow time...
    await t.db.update(routingRuns).set({ assigneeType: 'rep', assigneeId: 'ana', assignedAt: new Date(T0 + 3100), firstAssignedAt: new Date(T0 + 3100) }).where(eq(routingRuns.leadId, leadId));
    // ...then the step is recorded at the workflow's time.
    const ana = { type: 'rep', id: 'ana', name: 'Ana' };
    await acts.recordSteps({ ...ref(leadId), steps: [step(2, { nodeType: 'assign', output: { assignee: ana, candidates: [] }, outcome: 'assigned', next: 'sla' })] });
    expect(await runOf(leadId)).toMatchObject({ firstAssignedAt: new Date(T0 + 2000), assignedAt: new Date(T0 + 2000) });
  });

  it('recordSteps writes a batch in order in one go, idempotently; the run follows the newest step and keeps the batch’s assignment', async () => {
    const [leadId] = (await insertLeads(t.db, { workspaceId, workflowId }, [{}])) as [string];
    const assignee = { type: 'rep', id: 'bo', name: 'Bo' };
    const batch = [step(3, { next: 'n4' }), step(1), step(2, { nodeType: 'assign', output: { assignee, candidates: [] }, outcome: 'assigned', next: 'n3' })];
    await acts.recordSteps({ ...ref(leadId), steps: batch });
    // A retry of the same batch (and an overlapping one) writes nothing twice.
    await acts.recordSteps({ ...ref(leadId), steps: batch });
    await acts.recordSteps({ ...ref(leadId), steps: [step(3, { decision: 'other' }), step(4, { next: 'end' })] });
    const rows = await t.db.select({ seq: traceSteps.seq, decision: traceSteps.decision }).from(traceSteps).where(eq(traceSteps.leadId, leadId)).orderBy(asc(traceSteps.seq));
    expect(rows).toEqual([1, 2, 3, 4].map((seq) => ({ seq, decision: 'Else' })));
    expect(await runOf(leadId)).toMatchObject({ currentNodeId: 'end', startedAt: new Date(T0 + 1000), assigneeId: 'bo', assignedAt: new Date(T0 + 2000) });
    // An empty batch is a no-op.
    await acts.recordSteps({ ...ref(leadId), steps: [] });
  });

  it('an effect carrying the steps computed before it records them first, then acts', async () => {
    const [leadId] = (await insertLeads(t.db, { workspaceId, workflowId }, [{}])) as [string];
    await acts.markWaiting({ ...ref(leadId), steps: [step(1), step(2, { next: 'wait' })], nodeId: 'wait', deadline: T0 + 60_000, assignee: null });
    const rows = await t.db.select({ seq: traceSteps.seq }).from(traceSteps).where(eq(traceSteps.leadId, leadId)).orderBy(asc(traceSteps.seq));
    expect(rows.map((r) => r.seq)).toEqual([1, 2]);
    expect(await runOf(leadId)).toMatchObject({ status: 'waiting', currentNodeId: 'wait', deadlineAt: new Date(T0 + 60_000) });
    await acts.finishRun({ ...ref(leadId), steps: [step(3, { nodeType: 'end', next: null })], status: 'completed', outcome: 'routed', assignee: null });
    expect(await runOf(leadId)).toMatchObject({ status: 'completed', currentNodeId: 'n3' });
  });

  it('finishRun closes the run; late status writes leave it closed', async () => {
    const [leadId, other] = (await insertLeads(t.db, { workspaceId, workflowId }, [{}, {}])) as [string, string];
    await acts.finishRun({ ...ref(leadId), status: 'completed', outcome: 'routed', assignee: { type: 'queue', id: 'q', name: 'Q' } });
    expect(await runOf(leadId)).toMatchObject({ status: 'completed', outcome: 'routed', completedAt: FINISHED_AT, assigneeType: 'queue', assigneeId: 'q' });
    await acts.markWaiting({ ...ref(leadId), nodeId: 'wait', deadline: T0, assignee: null });
    await acts.recordSteps({ ...ref(leadId), steps: [step(9)] });
    expect((await runOf(leadId)).status).toBe('completed');

    await acts.finishRun({ ...ref(other), status: 'step_limit', outcome: 'step_limit', assignee: null, error: 'Stopped after 1000 steps' });
    expect(await runOf(other)).toMatchObject({ status: 'completed', outcome: 'step_limit' });
    await acts.finishRun({ ...ref(other), status: 'failed', outcome: 'failed', assignee: null });
    expect((await runOf(other)).status).toBe('failed');
  });

  it('an unknown lead is not found, not retried', async () => {
    const f = await applicationFailureOf(acts.recordSteps({ ...ref('00000000-0000-4000-8000-00000000abcd'), steps: [step(1)] }));
    expect(f.type).toBe('NotFound');
    expect(f.nonRetryable).toBe(true);
  });
});

describe('loadRun and loadPlan', () => {
  it('loads the version’s plan and the stored lead, and caches plans', async () => {
    const { versionId, plan } = await insertVersion(t.db, workflowId, hybridRoutingGraph, demoDirectory, 7);
    const receivedAt = new Date(T0);
    const [leadId] = (await insertLeads(t.db, { workspaceId, workflowId, versionId }, [{ email: 'a@acme.com', country: 'US' }], receivedAt)) as [string];
    const run = await acts.loadRun({ leadId, workspaceId, versionId });
    expect(run).toEqual({ plan, lead: { email: 'a@acme.com', country: 'US' }, receivedAt: T0 });

    // Versions are immutable: once loaded, a plan is served from memory.
    await t.db.delete(versions).where(eq(versions.id, versionId));
    expect(await acts.loadPlan({ versionId })).toEqual(plan);
    const fresh = createActivities({ db: t.db });
    expect((await applicationFailureOf(fresh.loadPlan({ versionId }))).type).toBe('NotFound');
  });

  it('unknown or foreign ids are not found', async () => {
    const { versionId } = await insertVersion(t.db, workflowId, hybridRoutingGraph, demoDirectory, 8);
    const [leadId] = (await insertLeads(t.db, { workspaceId, workflowId }, [{}])) as [string];
    const other = await createWorkspace(t.db);
    for (const input of [
      { leadId, workspaceId, versionId: '00000000-0000-4000-8000-000000000000' },
      { leadId: '00000000-0000-4000-8000-000000000000', workspaceId, versionId },
      { leadId, workspaceId: other.workspaceId, versionId },
      { leadId: 'not-a-uuid', workspaceId, versionId },
    ]) {
      const f = await applicationFailureOf(acts.loadRun(input));
      expect(f.type).toBe('NotFound');
      expect(f.nonRetryable).toBe(true);
    }
  });
});

describe('update', () => {
  it('merges the fields into the stored lead, idempotently', async () => {
    const [leadId] = (await insertLeads(t.db, { workspaceId, workflowId }, [{ email: 'a@acme.com', leadStatus: 'new' }])) as [string];
    const req = { ...ref(leadId), nodeId: 'update', seq: 5, lead: {}, set: { leadStatus: 'routed', tag: null } };
    expect(await acts.update(req)).toEqual({ ok: true, detail: 'Saved 2 field(s) on the lead' });
    await acts.update(req);
    const [row] = await t.db.select({ data: leads.data }).from(leads).where(eq(leads.id, leadId));
    expect(row?.data).toEqual({ email: 'a@acme.com', leadStatus: 'routed', tag: null });
    const f = await applicationFailureOf(acts.update({ ...req, workspaceId: (await createWorkspace(t.db)).workspaceId }));
    expect(f.type).toBe('NotFound');
  });
});

describe('a write PostgreSQL refuses', () => {
  // A value an enrichment provider answered with a NUL character: PostgreSQL refuses it in JSON (22P05).
  const personal = { email: 'anastasia.quillfeather@acme-example.com', firstName: 'Anastasia', lastName: 'Quillfeather' };

  it('fails with the operation, the lead, the run and the error code, and nothing of the lead', async () => {
    const [leadId] = (await insertLeads(t.db, { workspaceId, workflowId }, [personal])) as [string];
    const bad = step(1, { nodeType: 'enrich', input: personal, output: { set: { company: 'Acme\u0000Corp' } } });
    // One call at a time: a second promise made up front would reject, unhandled, while the first is awaited.
    for (const attempt of [() => acts.recordSteps({ ...ref(leadId), steps: [bad] }), () => acts.finishRun({ ...ref(leadId), steps: [bad], status: 'completed', outcome: 'done', assignee: null })]) {
      const e = await failureOf(attempt());
      // No retry can store it: a non-retryable failure, without the query's parameters.
      expect(e).toBeInstanceOf(ApplicationFailure);
      const err = e as ApplicationFailure;
      expect(err.type).toBe('PermanentDatabaseError');
      expect(err.nonRetryable).toBe(true);
      expect(err.message).toBe(`recordSteps failed for lead ${leadId}, run lead-${leadId}: PostgreSQL error 22P05 untranslatable_character`);
      expect(err.details).toEqual([{ code: '22P05' }]);
      const everything = `${err.message} ${err.stack ?? ''} ${JSON.stringify(err)} ${String(err.cause ?? '')}`;
      for (const value of Object.values(personal)) expect(everything).not.toContain(value);
    }
  });

  it('a lone surrogate in a step (a reason no one validated) is refused for good: 22P02, not retried', async () => {
    const [leadId] = (await insertLeads(t.db, { workspaceId, workflowId }, [personal])) as [string];
    const bad = step(1, { nodeType: 'wait', decision: 'Accepted', explanation: ['Accepted by user:1: \ud800'] });
    const f = await applicationFailureOf(acts.finishRun({ ...ref(leadId), steps: [bad], status: 'completed', outcome: 'done', assignee: null }));
    expect(f).toMatchObject({ type: 'PermanentDatabaseError', nonRetryable: true, details: [{ code: '22P02' }] });
    expect((await runOf(leadId)).status).toBe('queued');
  });

  it('only data and integrity errors are permanent; a lost race (23505) and a lost connection are retried', () => {
    for (const code of ['22P02', '22P05', '22021', '22001', '23502', '23503', '23514']) expect(isPermanentSqlState(code), code).toBe(true);
    for (const code of ['23505', '40001', '40P01', '57P01', '08006', '53300', null]) expect(isPermanentSqlState(code), String(code)).toBe(false);
  });

  it('a database that cannot be reached names the driver’s code, not the query', async () => {
    // Nothing listens on port 1.
    const broken = connectPostgres('postgres://router@127.0.0.1:1/routing', { max: 1 });
    try {
      const a = createActivities({ db: broken.db });
      const leadId = '00000000-0000-4000-8000-000000000001';
      const e = (await failureOf(a.recordSteps({ ...ref(leadId), steps: [step(1, { input: personal })] }))) as Error;
      expect(e.message).toBe(`recordSteps failed for lead ${leadId}, run lead-${leadId}: the database call failed (ECONNREFUSED)`);
      expect(e.message).not.toContain(personal.email);
    } finally {
      await broken.close();
    }
  });
});
