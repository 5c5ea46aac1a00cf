// The app first: it loads @hono/zod-openapi before any shared zod schema is built.
import { setupTestApp } from '../test/harness';
import { describe, expect, it } from 'vitest';
import { createTestLead, createTestWorkflow, insertTestStep, updateTestRun } from '../routes/leads/leads.fixtures';
import { followRun, type RunFollower } from './lead-follow';

const t = setupTestApp();
const db = t.database.db;

function collector() {
  const events: string[] = [];
  const sink: RunFollower = {
    step: async (s) => void events.push(`step${s.seq}`),
    status: async (s) => void events.push(`status:${s.status}`),
    end: async (s) => void events.push(`end:${s.status}`),
    heartbeat: async () => void events.push('heartbeat'),
  };
  return { events, sink };
}

describe('followRun', () => {
  it('heartbeats while idle and returns promptly when aborted', async () => {
    const ws = await t.workspace();
    const wf = await createTestWorkflow(db, ws.id);
    const leadId = await createTestLead(db, wf, ws.id);
    const { events, sink } = collector();
    const ctrl = new AbortController();
    const done = followRun(db, ws.id, leadId, sink, { afterSeq: -1, pollMs: 20, heartbeatMs: 60, signal: ctrl.signal });
    await new Promise((r) => setTimeout(r, 300));
    ctrl.abort();
    const abortedAt = Date.now();
    await done;
    expect(Date.now() - abortedAt).toBeLessThan(200);
    expect(events[0]).toBe('status:queued');
    expect(events.filter((e) => e === 'heartbeat').length).toBeGreaterThanOrEqual(2);
    const count = events.length;
    await new Promise((r) => setTimeout(r, 100));
    expect(events.length).toBe(count);
  });

  it("follows only the workspace's own lead", async () => {
    const ws = await t.workspace();
    const other = await t.workspace();
    const wf = await createTestWorkflow(db, ws.id);
    const leadId = await createTestLead(db, wf, ws.id);
    await insertTestStep(db, leadId, 0);
    const { events, sink } = collector();
    await followRun(db, other.id, leadId, sink, { afterSeq: -1, pollMs: 20, signal: new AbortController().signal });
    expect(events).toEqual([]);
  });

  it('sends every step before end, even steps written just before completion', async () => {
    const ws = await t.workspace();
    const wf = await createTestWorkflow(db, ws.id);
    const leadId = await createTestLead(db, wf, ws.id);
    const { events, sink } = collector();
    const done = followRun(db, ws.id, leadId, sink, { afterSeq: -1, pollMs: 10, signal: new AbortController().signal });
    for (let seq = 0; seq < 20; seq++) await insertTestStep(db, leadId, seq);
    await updateTestRun(db, leadId, { status: 'completed', completedAt: new Date() });
    await done;
    expect(events.filter((e) => e.startsWith('step'))).toEqual(Array.from({ length: 20 }, (_, i) => `step${i}`));
    expect(events.at(-1)).toBe('end:completed');
  });

  it('sends a step written after later ones (a reminder goes out before its wait ends), live and after a reconnect', async () => {
    const ws = await t.workspace();
    const wf = await createTestWorkflow(db, ws.id);
    const leadId = await createTestLead(db, wf, ws.id);
    for (const seq of [1, 2, 4]) await insertTestStep(db, leadId, seq);
    const live = collector();
    const ctrl = new AbortController();
    const done = followRun(db, ws.id, leadId, live.sink, { afterSeq: -1, pollMs: 10, signal: ctrl.signal });
    // A stream that reconnects having seen up to seq 4 (Last-Event-ID: 4) has not seen 3 either.
    const resumed = collector();
    const again = followRun(db, ws.id, leadId, resumed.sink, { afterSeq: 4, pollMs: 10, signal: ctrl.signal });
    await new Promise((r) => setTimeout(r, 100));
    expect(live.events.filter((e) => e.startsWith('step'))).toEqual(['step1', 'step2', 'step4']);
    // The wait's own step lands when the wait ends, then the route goes on.
    await insertTestStep(db, leadId, 3);
    await insertTestStep(db, leadId, 5);
    await updateTestRun(db, leadId, { status: 'completed', completedAt: new Date() });
    await Promise.all([done, again]);
    expect(live.events.filter((e) => e.startsWith('step'))).toEqual(['step1', 'step2', 'step4', 'step3', 'step5']);
    expect(resumed.events.filter((e) => e.startsWith('step'))).toEqual(['step3', 'step5']);
  });
});

