// The app first: its routes extend zod with .openapi() before shared's schemas are built.
import { setupTestApp, type TestWorkspace } from '../../test/harness';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { edgeId, GRAPH_SCHEMA_VERSION, type Graph, type GraphNode } from '@lead-router/shared';
import { demoDirectory, EXAMPLE_LEADS, generateGraph, generateSampleLeads } from '@lead-router/shared/fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leads } from '@lead-router/db/schema';
import { MAX_RESPONSE_BYTES, MAX_WORK_PER_CALL } from '../../services/simulation/limits';
import { SimulationPool } from '../../services/simulation/pool';
import { createWorkflowWithDraft, seedDirectory } from './test-runs.fixtures';

// Issue 14: one editor request must not take the API server down. Test runs compute in a pool of worker
// threads with a time and a memory budget each, their work is bounded before they start and their answer
// as it is written, and the event loop keeps answering meanwhile.

const t = setupTestApp();
const AT = '2026-01-06T15:00:00Z';
/** The largest graph there is: 1,000 steps in a row (trigger, 998 notifications, end), each lead through all of them. */
function chainGraph(): Graph {
  const ids = ['trigger', ...Array.from({ length: 998 }, (_, i) => `n${i}`), 'end'];
  return {
    schemaVersion: GRAPH_SCHEMA_VERSION,
    nodes: ids.map((id, i): GraphNode => {
      const position = { x: 0, y: i * 100 };
      if (id === 'trigger') return { id, type: 'trigger', position, config: { source: 'webhook' } };
      if (id === 'end') return { id, type: 'end', position, config: { outcome: 'done' } };
      return { id, type: 'notify', position, config: { channel: 'in_app', message: 'New lead: {{company}}' } } as GraphNode;
    }),
    edges: ids.slice(1).map((target, i) => ({ id: edgeId(ids[i]!, 'next', target), source: ids[i]!, sourceHandle: 'next', target })),
  };
}
/** The most leads a call may run through the largest graph: 2,000 x 1,000 steps, about two seconds of computing. */
const MOST_LEADS = MAX_WORK_PER_CALL / 1000;

let ws: TestWorkspace;
let bigId: string;
let smallId: string;
let tinyId: string;

beforeAll(async () => {
  ws = await t.workspace();
  await seedDirectory(t.database.db, ws.id, demoDirectory);
  bigId = await createWorkflowWithDraft(t.database.db, ws.id, chainGraph());
  smallId = await createWorkflowWithDraft(t.database.db, ws.id, generateGraph(20));
  const tiny = chainGraph();
  tinyId = await createWorkflowWithDraft(t.database.db, ws.id, { ...tiny, nodes: [tiny.nodes[0]!, tiny.nodes.at(-1)!], edges: [{ id: edgeId('trigger', 'next', 'end'), source: 'trigger', sourceHandle: 'next', target: 'end' }] });
});

/** Pools with budgets of their own, closed after the file. */
const pools: SimulationPool[] = [];
function pool(options: Partial<ConstructorParameters<typeof SimulationPool>[0]>): SimulationPool {
  const p = new SimulationPool({ threads: 1, timeoutMs: 30_000, memoryMb: 512, ...options });
  pools.push(p);
  return p;
}
afterAll(async () => {
  await Promise.all(pools.map((p) => p.close()));
});

const simulate = (call: typeof t.call, id: string, body: Record<string, unknown>) => call('POST', `/api/workflows/${id}/simulate`, { key: ws.keys.editor, body: { at: AT, ...body } });

/**
 * CPU time the event loop's thread has used so far, in ms: on Linux the main thread is the task whose id is
 * the process id, and /proc counts its user and system time in ticks of 10 ms.
 */
function eventLoopCpuMs(): number {
  const stat = readFileSync(`/proc/${process.pid}/task/${process.pid}/stat`, 'utf8');
  // Fields after "pid (comm) ": state is field 3, utime and stime are fields 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

describe('the event loop while a big test run computes', () => {
  it('/healthz, asked every 50 ms, answers each time within 100 ms: the event loop never computes for 100 ms at a stretch', async () => {
    // 1,000 leads through the largest graph: half the most work a call may ask for, a second of computing.
    const leadsIn = generateSampleLeads(1_000);
    // Each probe is timed from when it was due, so a blocked event loop shows as a late answer. A machine
    // busy with other work can delay a probe too, without our thread computing anything: so what must
    // stay under 100 ms is the CPU time the event loop's thread used between two probes (before the
    // thread pool, this run computed on it for seconds at a stretch), and the typical probe's delay.
    // The probes stop when the server has answered; reading and parsing its 7 MB answer is this test's
    // work as a client, on this same thread, and comes after.
    const probes: Array<{ late: number; cpu: number }> = [];
    let finished = false;
    const run = Promise.resolve(
      t.app.request(`/api/workflows/${bigId}/simulate`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ws.keys.editor}`, 'content-type': 'application/json' },
        body: JSON.stringify({ at: AT, leads: leadsIn, detail: 'path' }),
      }),
    ).finally(() => {
      finished = true;
    });
    const start = performance.now();
    let cpu = eventLoopCpuMs();
    for (let k = 1; !finished; k++) {
      const due = start + k * 50;
      await sleep(Math.max(0, due - performance.now()));
      const r = await t.call('GET', '/healthz');
      expect(r.status).toBe(200);
      const now = eventLoopCpuMs();
      probes.push({ late: performance.now() - due, cpu: now - cpu });
      cpu = now;
    }
    const res = await run;
    const text = await res.text();
    expect(res.status, text.slice(0, 300)).toBe(200);
    const body = JSON.parse(text) as { results: Array<{ path: string[] }> };
    expect(body.results).toHaveLength(1_000);
    expect(body.results[0]!.path).toHaveLength(1_000);
    const shown = probes.map((p) => `${Math.round(p.late)} ms late (${p.cpu} ms CPU)`).join(', ');
    expect(Math.max(...probes.map((p) => p.cpu)), shown).toBeLessThan(100);
    const late = probes.map((p) => p.late).sort((x, y) => x - y);
    expect(late[Math.floor(late.length / 2)], shown).toBeLessThan(100);
    // It ran long enough for the probes to mean something (on today's machines: seconds).
    expect(probes.length, shown).toBeGreaterThan(10);
  });
});

describe('the work of one call is bounded before it starts', () => {
  it('simulate: 422 too_much_work naming the limit and the figures of the request', async () => {
    const leadCount = MOST_LEADS + 1;
    const r = await simulate(t.call, bigId, { leads: Array.from({ length: leadCount }, () => ({})), detail: 'path' });
    expect(r.status).toBe(422);
    expect(r.body.error.code).toBe('too_much_work');
    expect(r.body.error.message).toContain(`${leadCount.toLocaleString('en-US')} leads × 1,000 steps`);
    expect(r.body.error.message).toContain(`over the limit of ${MAX_WORK_PER_CALL.toLocaleString('en-US')} per call`);
    expect(r.body.error.message).toContain('Send at most 2,000 leads per call for this graph.');
    expect(r.body.error.details).toEqual([expect.objectContaining({ path: 'leads', code: 'too_much_work' })]);
    // Under it, it runs: 10,000 leads (the most a call takes) through 20 steps.
    const ok = await simulate(t.call, smallId, { leads: Array.from({ length: 10_000 }, () => ({})), detail: 'path' });
    expect(ok.status).toBe(200);
  });

  it('backtest: 422 too_much_work when the window holds too many leads for the graph', async () => {
    const id = await createWorkflowWithDraft(t.database.db, ws.id, chainGraph());
    const count = MOST_LEADS + 1;
    const receivedAt = new Date('2026-03-02T10:00:00Z');
    await t.database.db.insert(leads).values(Array.from({ length: count }, () => ({ workspaceId: ws.id, workflowId: id, data: {}, receivedAt })));
    const r = await t.call('POST', `/api/workflows/${id}/backtest`, { key: ws.keys.editor, body: { since: '2026-03-02T00:00:00Z', until: '2026-03-03T00:00:00Z', limit: 10_000 } });
    expect(r.status).toBe(422);
    expect(r.body.error.code).toBe('too_much_work');
    expect(r.body.error.message).toContain(`${count.toLocaleString('en-US')} leads × 1,000 steps`);
    expect(r.body.error.details).toEqual([expect.objectContaining({ path: 'limit', message: expect.stringContaining('at most 2,000 leads') })]);
  });
});

describe('the answer of one call is bounded as it is written', () => {
  it('422 response_too_large naming the limit, and detail "path" fits', async () => {
    const call = t.callWith({ simulations: pool({ maxResponseBytes: 64 * 1024 }) });
    const r = await simulate(call, smallId, { leads: generateSampleLeads(200) });
    expect(r.status).toBe(422);
    expect(r.body.error.code).toBe('response_too_large');
    expect(r.body.error.message).toMatch(/^The answer would be larger than 64 KiB, the most one test run may answer \(it passed 64 KiB after \d+ of 200 leads\)\. Ask for detail "path"/);
    expect((await simulate(call, smallId, { leads: EXAMPLE_LEADS, detail: 'path' })).status).toBe(200);
  });

  it('the default limit is 32 MiB', () => {
    expect(MAX_RESPONSE_BYTES).toBe(32 * 1024 * 1024);
  });
});

describe('a job over its budget is stopped; the pool and the server carry on', () => {
  it('over the time budget: 422 time_budget_exceeded naming it, then the next test run works', async () => {
    // Half a second is plenty for a one-step run, even the first in a fresh thread on a busy machine, and
    // not enough for the most work a call may ask for.
    const call = t.callWith({ simulations: pool({ timeoutMs: 500 }) });
    const r = await simulate(call, bigId, { leads: generateSampleLeads(MOST_LEADS), detail: 'path' });
    expect(r.status).toBe(422);
    expect(r.body.error.code).toBe('time_budget_exceeded');
    expect(r.body.error.message).toContain('within 0.5 s, the time one test run may take');
    const next = await simulate(call, tinyId, { leads: [{ id: 'after' }] });
    expect(next.status, next.text.slice(0, 300)).toBe(200);
    expect(next.body.results[0]).toMatchObject({ leadId: 'after', outcome: 'done', path: ['trigger', 'end'] });
  });

  it('over the memory budget: the thread dies, 422 memory_budget_exceeded naming it, then the next test run works', async () => {
    // 32 MB of heap loads the interpreter (about 15 MB) but cannot hold full traces of 200 leads through
    // 1,000 steps (about 75 MB of JSON), with no answer limit to stop them first.
    const call = t.callWith({ simulations: pool({ memoryMb: 32, maxResponseBytes: 1024 * 1024 * 1024 }) });
    const r = await simulate(call, bigId, { leads: generateSampleLeads(200) });
    expect(r.status).toBe(422);
    expect(r.body.error.code).toBe('memory_budget_exceeded');
    expect(r.body.error.message).toContain('more than 32 MB, the memory one test run may use');
    const next = await simulate(call, smallId, { leads: EXAMPLE_LEADS, detail: 'path' });
    expect(next.status).toBe(200);
    // And the server's own pool was never concerned.
    expect((await t.call('GET', '/healthz')).status).toBe(200);
  });
});
