import { describe, expect, it } from 'vitest';
import type { RepInput } from '../directory/schema';
import { validateGraph } from '../compiler/index';
import type { Graph } from '../graph/graph';
import { AssignConfigSchema, type Fairness } from '../graph/nodes/assign';
import { at, dirOf, elig } from './assignment.fixtures';
import { chooseAssignee } from './choose';
import { creditedBack, fairnessWindow } from './fairness';
import { MemoryRoutingState } from './memory-state';
import type { ChooseInput } from './types';
import type { DirectoryIndex } from './directory-index';

// Fairness modes of the rotating strategies (issue #16). Property loops run on a seeded PRNG, so a failure
// names its seed and reproduces.

/** mulberry32: a small seeded PRNG, the same sequence for the same seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NOW = at('2026-03-10T15:00:00Z');
const BALANCED: Fairness = { mode: 'balanced', maxInARow: 2, resetWindow: 'never', creditBack: false };

function team(n: number, weights?: number[], tz = 'UTC'): DirectoryIndex {
  const reps: RepInput[] = [];
  for (let i = 0; i < n; i++) reps.push({ id: `r${i}`, name: `Rep ${i}`, email: `r${i}@x.com`, timeZone: 'UTC' });
  return dirOf({
    reps,
    teams: [{ id: 't', name: 'T', members: reps.map((r, i) => ({ repId: r.id, weight: weights?.[i] ?? 1 })) }],
    settings: { timeZone: tz, holidayCalendar: null, daysOff: [] },
  });
}

const input = (fairness: Fairness | undefined, now = NOW, exclude: string[] = [], weighted = false): ChooseInput => ({
  strategy: { type: weighted ? 'weighted_round_robin' : 'round_robin', teamId: 't' },
  eligibility: elig({ respectWorkingHours: false }),
  lead: {},
  now,
  exclude,
  ...(fairness ? { fairness } : {}),
});

/** Routes one lead and applies the state changes, as the effects do; returns the rep chosen. */
function route(dir: DirectoryIndex, state: MemoryRoutingState, inp: ChooseInput): string | null {
  const r = chooseAssignee(inp, dir, state);
  state.apply(r.update);
  return r.assignee?.id ?? null;
}

describe('strict (today) is unchanged', () => {
  it('a step without fairness and one with strict / never decide and explain the same, over many leads', () => {
    for (const weighted of [false, true]) {
      const dir = team(4, [1, 3, 2, 1]);
      const a = new MemoryRoutingState();
      const b = new MemoryRoutingState();
      const rnd = prng(7);
      for (let i = 0; i < 200; i++) {
        const away = rnd() < 0.3 ? [`r${Math.floor(rnd() * 4)}`] : [];
        const ra = chooseAssignee(input(undefined, NOW + i * 60_000, away, weighted), dir, a);
        const rb = chooseAssignee(input({ ...BALANCED, mode: 'strict' }, NOW + i * 60_000, away, weighted), dir, b);
        expect(rb).toEqual(ra);
        a.apply(ra.update);
        b.apply(rb.update);
      }
      expect(b.snapshot()).toEqual(a.snapshot());
      expect(a.snapshot().fairness).toBeUndefined();
    }
  });
});

describe('balanced', () => {
  it('property: a rep coming back after being away never gets more than N in a row, and everyone ends level', () => {
    for (let seed = 1; seed <= 150; seed++) {
      const rnd = prng(seed);
      const n = 2 + Math.floor(rnd() * 5);
      const maxInARow = 1 + Math.floor(rnd() * 4);
      const dir = team(n);
      const state = new MemoryRoutingState();
      const f: Fairness = { ...BALANCED, maxInARow };
      const away = `r${Math.floor(rnd() * n)}`;
      const awayFor = Math.floor(rnd() * 40);
      const picks: string[] = [];
      let t = NOW;
      for (let i = 0; i < awayFor; i++) picks.push(route(dir, state, input(f, (t += 60_000), [away])) as string);
      expect(picks).not.toContain(away);
      // Behind by about awayFor * (n - 1) / n; a returning rep gains N / (N + 1) - 1 / n of a lead per lead
      // (N in a row, then someone else). With two reps and at most one in a row nobody can catch up.
      const gain = maxInARow / (maxInARow + 1) - 1 / n;
      const catchUp = gain > 0 ? Math.ceil((awayFor * (n - 1)) / n / gain) : 0;
      const after = catchUp + 4 * n;
      let run = 0;
      let prev = '';
      for (let i = 0; i < after; i++) {
        const p = route(dir, state, input(f, (t += 60_000))) as string;
        run = p === prev ? run + 1 : 1;
        prev = p;
        expect(run, `seed ${seed}: ${p} got ${run} in a row (N ${maxInARow})`).toBeLessThanOrEqual(maxInARow);
        picks.push(p);
      }
      // Caught up: everyone within one lead of the share.
      const counts = new Map<string, number>();
      for (const p of picks) counts.set(p, (counts.get(p) ?? 0) + 1);
      const share = picks.length / n;
      if (gain > 0) for (let i = 0; i < n; i++) expect(Math.abs((counts.get(`r${i}`) ?? 0) - share), `seed ${seed} r${i}`).toBeLessThanOrEqual(1);
    }
  });

  it('property: weighted, with random absences, converges to the weights', () => {
    for (let seed = 1; seed <= 60; seed++) {
      const rnd = prng(1000 + seed);
      const n = 2 + Math.floor(rnd() * 4);
      const weights = Array.from({ length: n }, () => 1 + Math.floor(rnd() * 5));
      const dir = team(n, weights);
      const state = new MemoryRoutingState();
      // At least two in a row, so a rep behind can catch up (see the test above).
      const f: Fairness = { ...BALANCED, maxInARow: 2 + Math.floor(rnd() * 3) };
      const counts = new Array<number>(n).fill(0);
      let t = NOW;
      const leads = 400;
      for (let i = 0; i < leads; i++) {
        // Absences in the first half only; the second half lets everyone catch up.
        const away = i < leads / 4 && rnd() < 0.4 ? [`r${Math.floor(rnd() * n)}`] : [];
        const p = route(dir, state, input(f, (t += 60_000), away, true)) as string;
        counts[Number(p.slice(1))]! += 1;
      }
      const total = weights.reduce((a, b) => a + b, 0);
      for (let i = 0; i < n; i++) {
        const share = (leads * (weights[i] as number)) / total;
        expect(Math.abs((counts[i] as number) - share), `seed ${seed}: r${i} got ${counts[i]} vs ${share}`).toBeLessThanOrEqual(1.5);
      }
    }
  });

  it('explains every choice: who is behind, and why someone else got the turn after N in a row', () => {
    const dir = team(3);
    const state = new MemoryRoutingState();
    let t = NOW;
    for (let i = 0; i < 6; i++) route(dir, state, input(BALANCED, (t += 60_000), ['r0']));
    const first = chooseAssignee(input(BALANCED, (t += 60_000)), dir, state);
    expect(first.assignee?.id).toBe('r0');
    expect(first.explanation[0]).toBe('Assigned to Rep 0 (balanced round-robin, team T)');
    expect(first.explanation).toContain('Rep 0: chosen (balanced: furthest behind the share, 2 behind the share (0 of 6 leads so far vs a share of 2))');
    state.apply(first.update);
    route(dir, state, input(BALANCED, (t += 60_000)));
    const third = chooseAssignee(input(BALANCED, (t += 60_000)), dir, state);
    expect(third.assignee?.id).not.toBe('r0');
    const r0 = third.candidates.find((c) => c.repId === 'r0');
    expect(r0?.reason).toMatch(/^balanced: 0\.7 behind the share \(2 of 8 leads so far vs a share of 2\.7\), but took 2 in a row \(at most 2\), so Rep \d this turn$/);
    expect(third.explanation.at(-1)).toMatch(/^Fairness: balanced, never reset; counts so far; Rep 0 is 0\.7 behind the share but took 2 in a row \(at most 2\), so Rep \d this turn$/);
  });

  it('a rep added mid-window starts level (no flood) and a rep removed changes nobody else', () => {
    const state = new MemoryRoutingState();
    let t = NOW;
    const three = team(3);
    for (let i = 0; i < 30; i++) route(three, state, input(BALANCED, (t += 60_000)));
    const four = team(4);
    const picks: string[] = [];
    for (let i = 0; i < 8; i++) picks.push(route(four, state, input(BALANCED, (t += 60_000))) as string);
    // Level with the others: the newcomer takes its share, two of eight, not the next ten.
    expect(picks.filter((p) => p === 'r3')).toHaveLength(2);
    const before = state.poolFairness('team:t');
    expect(before?.counts.r3).toBe(12);
    // r3 leaves: nobody's count moves; the next lead goes to whoever was next.
    const r = chooseAssignee(input(BALANCED, (t += 60_000)), three, state);
    expect(state.poolFairness('team:t')).toEqual(before);
    expect(r.update.fairness?.counts).toEqual({ ...before?.counts, [r.assignee?.id as string]: (before?.counts[r.assignee?.id as string] ?? 0) + 1 });
  });

  it('a new window starts everyone level; the old window counted until the boundary', () => {
    const dir = team(2, undefined, 'Europe/Berlin');
    const state = new MemoryRoutingState();
    const f: Fairness = { ...BALANCED, resetWindow: 'daily' };
    // Berlin's spring-forward day: 2026-03-29 begins at 2026-03-28T23:00Z (CET, +1).
    for (let i = 0; i < 4; i++) route(dir, state, input(f, at('2026-03-28T20:00:00Z') + i, ['r1']));
    route(dir, state, input(f, at('2026-03-28T22:59:59Z')));
    expect(state.poolFairness('team:t')).toMatchObject({ window: '2026-03-28', counts: { r0: 4, r1: 1 } });
    const r = chooseAssignee(input(f, at('2026-03-28T23:00:00Z')), dir, state);
    expect(r.update.fairness).toMatchObject({ window: '2026-03-29', counts: { r0: 1, r1: 0 } });
    expect(r.explanation.at(-1)).toContain('daily window 2026-03-29 (Europe/Berlin); a new window began, so everyone starts level');
  });
});

describe('reset windows in the workspace time zone, DST days included', () => {
  const cases: [string, 'daily' | 'weekly' | 'monthly', string, string, string][] = [
    // zone, window, last instant of the old window, its id, the new window's id (at the next millisecond)
    ['Europe/Berlin', 'daily', '2026-03-29T21:59:59.999Z', '2026-03-29', '2026-03-30'], // spring forward: a 23-hour day
    ['Europe/Berlin', 'daily', '2026-10-25T22:59:59.999Z', '2026-10-25', '2026-10-26'], // fall back: a 25-hour day
    ['Europe/Berlin', 'weekly', '2026-03-29T21:59:59.999Z', 'week:2026-03-23', 'week:2026-03-30'],
    ['Europe/Berlin', 'monthly', '2026-10-31T22:59:59.999Z', '2026-10', '2026-11'],
    ['America/New_York', 'daily', '2026-03-09T03:59:59.999Z', '2026-03-08', '2026-03-09'], // spring forward on 03-08
    ['America/New_York', 'daily', '2026-11-02T04:59:59.999Z', '2026-11-01', '2026-11-02'], // fall back on 11-01
    ['America/New_York', 'weekly', '2026-11-02T04:59:59.999Z', 'week:2026-10-26', 'week:2026-11-02'],
    ['America/New_York', 'monthly', '2026-03-01T04:59:59.999Z', '2026-02', '2026-03'],
  ];
  for (const [zone, reset, lastMs, old, next] of cases) {
    it(`${zone} ${reset}: ${old} ends at ${lastMs}`, () => {
      const end = Date.parse(lastMs);
      expect(fairnessWindow(reset, end, zone).id).toBe(old);
      expect(fairnessWindow(reset, end + 1, zone).id).toBe(next);
    });
  }

  it('the DST hours themselves stay in their day (Berlin 02:00-03:00 skipped, New York 01:00-02:00 twice)', () => {
    expect(fairnessWindow('daily', at('2026-03-29T00:59:59Z'), 'Europe/Berlin').id).toBe('2026-03-29');
    expect(fairnessWindow('daily', at('2026-03-29T01:00:00Z'), 'Europe/Berlin').id).toBe('2026-03-29');
    expect(fairnessWindow('daily', at('2026-11-01T05:30:00Z'), 'America/New_York').id).toBe('2026-11-01');
    expect(fairnessWindow('daily', at('2026-11-01T06:30:00Z'), 'America/New_York').id).toBe('2026-11-01');
    expect(fairnessWindow('never', at('2026-11-01T06:30:00Z'), 'America/New_York').id).toBe('all');
  });

  it('strict with a reset window starts the rotation again from the top at the boundary (New York, fall-back day)', () => {
    const dir = team(3, undefined, 'America/New_York');
    const state = new MemoryRoutingState();
    const f: Fairness = { mode: 'strict', maxInARow: 2, resetWindow: 'daily', creditBack: false };
    expect(route(dir, state, input(f, at('2026-11-01T20:00:00Z')))).toBe('r0');
    expect(route(dir, state, input(f, at('2026-11-02T04:59:59Z')))).toBe('r1');
    const r = chooseAssignee(input(f, at('2026-11-02T05:00:00Z')), dir, state);
    expect(r.assignee?.id).toBe('r0');
    expect(r.explanation.at(-1)).toBe('Fairness: strict rotation, daily window 2026-11-02 (America/New_York): a new window began, so the rotation starts again from the top of the list');
    state.apply(r.update);
    expect(route(dir, state, input(f, at('2026-11-02T06:00:00Z')))).toBe('r1');
  });
});

describe('credit-back', () => {
  it('takes the lead back from the rep in the window it was counted in, never below zero, not in a later window', () => {
    const dir = team(3);
    const state = new MemoryRoutingState();
    const f: Fairness = { ...BALANCED, resetWindow: 'daily', creditBack: true };
    route(dir, state, input(f));
    const r = chooseAssignee(input(f, NOW + 1), dir, state);
    state.apply(r.update);
    expect(r.credit).toEqual({ poolKey: 'team:t', window: '2026-03-10', repId: 'r1' });
    route(dir, state, input(f, NOW + 2));
    expect(state.creditBack(r.credit!, 'r0')).toBe(false);
    expect(state.creditBack(r.credit!, 'r1')).toBe(true);
    expect(state.poolFairness('team:t')?.counts).toEqual({ r0: 1, r1: 0, r2: 1 });
    expect(state.creditBack(r.credit!, 'r1')).toBe(false);
    // Credited, r1 is behind again and gets the next lead, though the rotation's turn (after r2) is r0's.
    expect(route(dir, state, input(f, NOW + 3))).toBe('r1');
    expect(creditedBack(state.poolFairness('team:t'), { ...r.credit!, window: '2026-03-09' }, 'r0')).toBeNull();
    // Without the setting nothing is handed out to credit.
    expect(chooseAssignee(input(BALANCED), dir, state).credit).toBeUndefined();
  });

  it('the state round-trips through a snapshot', () => {
    const dir = team(3);
    const state = new MemoryRoutingState();
    for (let i = 0; i < 5; i++) route(dir, state, input(BALANCED, NOW + i));
    expect(new MemoryRoutingState(state.snapshot()).snapshot()).toEqual(state.snapshot());
    expect(state.snapshot().fairness?.['team:t']?.streak).toEqual({ repId: 'r1', n: 1 });
  });
});

describe('fairness settings: defaults and bad input', () => {
  it('a step saved without fairness parses unchanged; a partial block gets the defaults', () => {
    const old = AssignConfigSchema.parse({ strategy: { type: 'round_robin', teamId: 't' } });
    expect(old).not.toHaveProperty('fairness');
    expect(AssignConfigSchema.parse({ strategy: { type: 'round_robin', teamId: 't' }, fairness: { mode: 'balanced' } }).fairness).toEqual({
      mode: 'balanced',
      maxInARow: 2,
      resetWindow: 'never',
      creditBack: false,
    });
  });

  it('names the field of a bad value, and the compiler reports it at the node', () => {
    const bad = AssignConfigSchema.safeParse({ strategy: { type: 'round_robin', teamId: 't' }, fairness: { mode: 'fair', maxInARow: 25, resetWindow: 'hourly' } });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((i) => i.path.join('.')).sort()).toEqual(['fairness.maxInARow', 'fairness.mode', 'fairness.resetWindow']);
    const n = (id: string, type: string, config: unknown) => ({ id, type, position: { x: 0, y: 0 }, config });
    const graph = {
      schemaVersion: 1,
      nodes: [n('trigger', 'trigger', { source: 'webhook' }), n('a', 'assign', { strategy: { type: 'round_robin', teamId: 't' }, fairness: { maxInARow: 0 } }), n('end', 'end', { outcome: 'x' })],
      edges: [
        { id: 'e1', source: 'trigger', sourceHandle: 'next', target: 'a' },
        { id: 'e2', source: 'a', sourceHandle: 'assigned', target: 'end' },
        { id: 'e3', source: 'a', sourceHandle: 'no_eligible_rep', target: 'end' },
      ],
    } as Graph;
    const problems = validateGraph(graph);
    expect(problems.find((p) => p.nodeId === 'a' && p.path === 'config.fairness.maxInARow')).toBeDefined();
  });
});
