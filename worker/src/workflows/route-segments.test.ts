import { randomUUID } from 'node:crypto';
import type { DirectoryInput, Lead, WaitResult } from '@lead-router/shared';
import { demoDirectory, hybridRoutingGraph } from '@lead-router/shared/fixtures';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { traceSteps, workflows } from '@lead-router/db/schema';
import { createActivities } from '../activities/index';
import type { SegmentInput, SegmentResult } from '../activities/types';
import { createTestDatabase, createWorkspace, insertLeads, insertVersion, seedDirectory, type TestDatabase } from '../test/test-db';
import { timeSkippingEnv } from '../test/temporal-env';
import { WORKFLOW_BUNDLE } from '../workflows-path';
import type { RouteLeadResult } from '@lead-router/shared/workflow-contract';

// Rep answers sent while a slow segment re-assigns the lead (issue 18): the new holder's accept must end the
// next wait, the old holder's late accept must not. The test holds the segment after the first SLA's time-out
// for longer than a workflow task's heartbeat (8 s of a 10 s task timeout) and signals meanwhile. Here the
// signals reach the workflow after the segment's result, so what is tested is the outcome; the case of a
// signal applied in the same activation before the result (`Answers.defer` / `settle`) is not reproduced.

const directory: DirectoryInput = { ...demoDirectory, reps: demoDirectory.reps.map((r) => ({ ...r, workingHours: null })) };
const WAYNE: Lead = { id: 'L-2', firstName: 'Bruce', lastName: 'Wayne', email: 'bruce@wayne.com', title: 'CEO', company: 'Wayne Enterprises', country: 'US', state: 'NJ', leadSource: 'Contact Sales' };

let env: TestWorkflowEnvironment;
let database: TestDatabase;
let worker: Worker;
let running: Promise<void>;
const taskQueue = `route-segments-test-${randomUUID().slice(0, 8)}`;

/** Segments held after they ran, by lead: the test answers meanwhile, then lets the segment return. */
const holds = new Map<string, { reached: (r: SegmentResult) => void; release: Promise<void> }>();

beforeAll(async () => {
  [env, database] = await Promise.all([timeSkippingEnv(), createTestDatabase({ max: 10 })]);
  const acts = createActivities({ db: database.db });
  worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    ...WORKFLOW_BUNDLE,
    activities: {
      ...acts,
      // The segment after the first SLA timed out (it re-assigns the lead) is held once it has run.
      runSegment: async (input: SegmentInput) => {
        const r = await acts.runSegment(input);
        const hold = holds.get(input.leadId);
        if (hold && (input.answer?.value as WaitResult | undefined)?.outcome === 'timed_out') {
          holds.delete(input.leadId);
          hold.reached(r);
          await hold.release;
        }
        return r;
      },
    },
  });
  running = worker.run();
}, 120_000);

afterAll(async () => {
  worker?.shutdown();
  await running?.catch(() => {});
  await env?.teardown();
  await database?.drop();
}, 60_000);

async function startHeld() {
  const { workspaceId, workflowId } = await createWorkspace(database.db);
  await seedDirectory(database.db, workspaceId, directory);
  const { versionId } = await insertVersion(database.db, workflowId, hybridRoutingGraph, directory);
  await database.db.update(workflows).set({ activeVersionId: versionId }).where(eq(workflows.id, workflowId));
  const [leadId] = (await insertLeads(database.db, { workspaceId, workflowId, versionId }, [WAYNE])) as [string];
  let release = () => {};
  const reached = new Promise<SegmentResult>((resolve) => holds.set(leadId, { reached: resolve, release: new Promise<void>((r) => (release = r)) }));
  const handle = await env.client.workflow.start('routeLead', { taskQueue, workflowId: `lead-${leadId}`, args: [{ leadId, workspaceId, versionId }] });
  // The first SLA (15 minutes) runs out; the next segment re-assigns the lead and is held.
  const result = handle.result() as Promise<RouteLeadResult>;
  const segment = await reached;
  if (segment.status !== 'suspended') throw new Error('the held segment did not stop at a wait');
  return { handle, result, segment, release };
}

const answer = (by: string) => ({ by, at: new Date().toISOString() });

describe('answers sent while a slow segment re-assigns the lead', () => {
  it('the new holder’s accept, signalled while the segment that re-assigned the lead was held, ends the next wait', async () => {
    const { handle, result, segment, release } = await startHeld();
    const newHolder = segment.assignee?.id ?? '';
    expect(segment.pending).toMatchObject({ op: 'wait', req: { nodeId: 'sla-2' } });
    // Past the workflow task's heartbeat: the signal reaches the workflow while the segment is still held.
    await new Promise((r) => setTimeout(r, 9_000));
    await handle.signal('accepted', answer(newHolder));
    await new Promise((r) => setTimeout(r, 500));
    release();
    const r = await result;
    expect(r).toMatchObject({ outcome: 'routed', assignee: { id: newHolder } });
    expect(r.path.slice(-3)).toEqual(['notify-reassigned', 'sla-2', 'end-routed']);
  }, 60_000);

  it('the old holder’s late accept, signalled while the segment was held, does not count', async () => {
    const { handle, result, segment, release } = await startHeld();
    const steps = segment.path;
    expect(steps[0]).toBe('sla');
    const [assigned] = await database.db.select().from(traceSteps).where(and(eq(traceSteps.leadId, handle.workflowId.slice(5)), eq(traceSteps.nodeId, 'assign-enterprise')));
    const first = (assigned?.output as { assignee?: { id: string } } | undefined)?.assignee?.id;
    expect(first).toBeTruthy();
    expect(first).not.toBe(segment.assignee?.id);
    await new Promise((r) => setTimeout(r, 9_000));
    await handle.signal('accepted', answer(first ?? ''));
    await new Promise((r) => setTimeout(r, 500));
    release();
    const r = await result;
    // The second wait ran its course: nobody it waited on answered.
    expect(r.path).toContain('to-manager');
  }, 60_000);
});
