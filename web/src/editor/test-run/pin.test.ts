import { GRAPH_SCHEMA_VERSION, type Graph, type GraphNode } from '@lead-router/shared';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MemoryStorage } from '../hooks/kept-draft';
import { createRerunner, loadPin, pinKey, pinLabel, sameRouting, savePin } from './pin';

/** A run whose answer the test gives when it likes. */
function controlledRuns() {
  const pending: Array<{ n: number; resolve: (v: number) => void }> = [];
  let started = 0;
  const run = () =>
    new Promise<number>((resolve) => {
      started++;
      pending.push({ n: started, resolve });
    });
  return { run, pending, started: () => started };
}

const flush = () => vi.advanceTimersByTimeAsync(0);

describe('createRerunner', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('runs once per pause in editing: a burst of edits 100 ms apart re-runs once, 400 ms after the last', async () => {
    const runs = controlledRuns();
    const deliver = vi.fn();
    const r = createRerunner({ delayMs: 400, run: runs.run, deliver });
    for (let i = 0; i < 5; i++) {
      r.schedule();
      await vi.advanceTimersByTimeAsync(100);
    }
    expect(runs.started()).toBe(0);
    await vi.advanceTimersByTimeAsync(299);
    expect(runs.started()).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(runs.started()).toBe(1);
    runs.pending[0]?.resolve(1);
    await flush();
    expect(deliver).toHaveBeenCalledExactlyOnceWith({ ok: true, value: 1 });
  });

  it('never overlaps requests: edits during a run make one more run after it, and only the latest answer is shown', async () => {
    const runs = controlledRuns();
    const deliver = vi.fn();
    const r = createRerunner({ delayMs: 400, run: runs.run, deliver });
    r.now();
    expect(runs.started()).toBe(1);
    // Three edits while the first request is out, each past the debounce.
    for (let i = 0; i < 3; i++) {
      r.schedule();
      await vi.advanceTimersByTimeAsync(500);
    }
    expect(runs.started()).toBe(1);
    runs.pending[0]?.resolve(1);
    await flush();
    // The first answer is older than the edits: not delivered; one follow-up run, not three.
    expect(deliver).not.toHaveBeenCalled();
    expect(runs.started()).toBe(2);
    runs.pending[1]?.resolve(2);
    await flush();
    expect(deliver).toHaveBeenCalledExactlyOnceWith({ ok: true, value: 2 });
    expect(runs.started()).toBe(2);
  });

  it('drops an answer when an edit came after its run started, and delivers failures of the latest run', async () => {
    const runs = controlledRuns();
    const deliver = vi.fn();
    const r = createRerunner({ delayMs: 400, run: runs.run, deliver });
    r.now();
    r.schedule(); // an edit, its timer not fired yet
    runs.pending[0]?.resolve(1);
    await flush();
    expect(deliver).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(400);
    expect(runs.started()).toBe(2);
    const failing = createRerunner({ delayMs: 400, run: () => Promise.reject(new Error('invalid')), deliver });
    failing.now();
    await flush();
    expect(deliver).toHaveBeenCalledWith({ ok: false, error: new Error('invalid') });
  });

  it('does nothing after dispose, even for a run in flight', async () => {
    const runs = controlledRuns();
    const deliver = vi.fn();
    const r = createRerunner({ delayMs: 400, run: runs.run, deliver });
    r.now();
    r.schedule();
    r.dispose();
    runs.pending[0]?.resolve(1);
    await vi.advanceTimersByTimeAsync(1000);
    expect(deliver).not.toHaveBeenCalled();
    expect(runs.started()).toBe(1);
  });
});

describe('the pinned lead in storage', () => {
  it('is kept per workflow, survives a reload (a new read), and is removed by unpinning', () => {
    const s = new MemoryStorage();
    const lead = { id: 'L-1', firstName: 'Wile', lastName: 'Coyote', email: 'wile@acme.com' };
    savePin(s, 'wf-1', { lead, wait: 'timed_out' });
    expect(loadPin(s, 'wf-1')).toEqual({ lead, wait: 'timed_out' });
    expect(loadPin(s, 'wf-2')).toBeNull();
    savePin(s, 'wf-1', null);
    expect(loadPin(s, 'wf-1')).toBeNull();
  });

  it('ignores what it cannot read', () => {
    const s = new MemoryStorage();
    s.setItem(pinKey('wf'), '{not json');
    expect(loadPin(s, 'wf')).toBeNull();
    s.setItem(pinKey('wf'), JSON.stringify({ lead: [1] }));
    expect(loadPin(s, 'wf')).toBeNull();
    s.setItem(pinKey('wf'), JSON.stringify({ lead: { id: 1 }, wait: 'sideways' }));
    expect(loadPin(s, 'wf')).toEqual({ lead: { id: 1 }, wait: 'accepted' });
  });

  it('names the lead by name and email', () => {
    expect(pinLabel({ firstName: 'Wile', lastName: 'Coyote', email: 'wile@acme.com' })).toBe('Wile Coyote (wile@acme.com)');
    expect(pinLabel({ email: 'pat@x.com' })).toBe('pat@x.com');
    expect(pinLabel({ id: 7 })).toBe('lead 7');
  });
});

describe('sameRouting', () => {
  const node = (id: string, config: unknown): GraphNode => ({ id, type: 'end', position: { x: 0, y: 0 }, config }) as GraphNode;
  const cfg = { outcome: 'done' };
  const g: Graph = { schemaVersion: GRAPH_SCHEMA_VERSION, nodes: [node('a', cfg)], edges: [] };

  it('ignores moves and sees setting changes and new edges', () => {
    expect(sameRouting(g, { ...g, nodes: [{ ...g.nodes[0]!, position: { x: 50, y: 9 } }] })).toBe(true);
    expect(sameRouting(g, { ...g, nodes: [node('a', { outcome: 'other' })] })).toBe(false);
    expect(sameRouting(g, { ...g, edges: [] })).toBe(false);
  });
});
