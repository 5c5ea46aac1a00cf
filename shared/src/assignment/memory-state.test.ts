import { describe, expect, it } from 'vitest';
import { MemoryRoutingState } from './memory-state';

describe('MemoryRoutingState', () => {
  it('starts empty', () => {
    const s = new MemoryRoutingState();
    expect(s.lastChosen('team:t')).toBeNull();
    expect(s.wrrCurrent('team:t')).toEqual({});
    expect(s.openLoad('a')).toBe(0);
    expect(s.assignedOn('a', '2026-03-10')).toBe(0);
    expect(s.snapshot()).toEqual({ lastChosen: {}, wrrCurrent: {}, openLoad: {}, assignedOn: {}, poolAssignedOn: {} });
  });

  it('is seeded from a snapshot', () => {
    const s = new MemoryRoutingState({
      lastChosen: { 'team:t': 'a' },
      wrrCurrent: { 'team:t': { a: -2, b: 2 } },
      openLoad: { a: 3 },
      assignedOn: { a: { '2026-03-10': 4 } },
    });
    expect(s.lastChosen('team:t')).toBe('a');
    expect(s.wrrCurrent('team:t')).toEqual({ a: -2, b: 2 });
    expect(s.openLoad('a')).toBe(3);
    expect(s.assignedOn('a', '2026-03-10')).toBe(4);
    expect(s.assignedOn('a', '2026-03-11')).toBe(0);
  });

  it('applies updates', () => {
    const s = new MemoryRoutingState();
    s.apply({ poolKey: 'team:t', lastChosen: 'b', wrrCurrent: { a: 1, b: -1 } });
    expect(s.lastChosen('team:t')).toBe('b');
    expect(s.wrrCurrent('team:t')).toEqual({ a: 1, b: -1 });
    s.apply({ poolKey: 'team:t' });
    expect(s.lastChosen('team:t')).toBe('b');
    s.apply({ poolKey: null, lastChosen: 'x' });
    expect(s.snapshot().lastChosen).toEqual({ 'team:t': 'b' });
  });

  it('records assignments and releases, never below zero', () => {
    const s = new MemoryRoutingState();
    s.recordAssignment('a', '2026-03-10');
    s.recordAssignment('a', '2026-03-10');
    s.recordAssignment('a', '2026-03-11');
    expect(s.openLoad('a')).toBe(3);
    expect(s.assignedOn('a', '2026-03-10')).toBe(2);
    s.release('a');
    expect(s.openLoad('a')).toBe(2);
    expect(s.assignedOn('a', '2026-03-10')).toBe(2);
    s.release('a');
    s.release('a');
    s.release('a');
    expect(s.openLoad('a')).toBe(0);
    s.release('nobody');
    expect(s.openLoad('nobody')).toBe(0);
  });

  it('snapshots as deep, plain JSON that round-trips', () => {
    const s = new MemoryRoutingState();
    s.apply({ poolKey: 'team:t', lastChosen: 'a', wrrCurrent: { a: 0 } });
    s.recordAssignment('a', '2026-03-10');
    const snap = s.snapshot();
    expect(JSON.parse(JSON.stringify(snap))).toEqual(snap);
    (snap.wrrCurrent['team:t'] as Record<string, number>).a = 99;
    (snap.assignedOn.a as Record<string, number>)['2026-03-10'] = 99;
    expect(s.wrrCurrent('team:t')).toEqual({ a: 0 });
    expect(s.assignedOn('a', '2026-03-10')).toBe(1);
    expect(new MemoryRoutingState(s.snapshot()).snapshot()).toEqual(s.snapshot());
  });

  it('does not let returned counters or seeds alias its own', () => {
    const seed = { wrrCurrent: { p: { a: 1 } } };
    const s = new MemoryRoutingState(seed);
    seed.wrrCurrent.p.a = 5;
    expect(s.wrrCurrent('p')).toEqual({ a: 1 });
    const got = s.wrrCurrent('p') as Record<string, number>;
    got.a = 7;
    expect(s.wrrCurrent('p')).toEqual({ a: 1 });
    const update = { poolKey: 'p', wrrCurrent: { a: 2 } };
    s.apply(update);
    update.wrrCurrent.a = 3;
    expect(s.wrrCurrent('p')).toEqual({ a: 2 });
  });

  it('clones independently', () => {
    const s = new MemoryRoutingState({ openLoad: { a: 1 } });
    const c = s.clone();
    c.recordAssignment('a', 'd');
    c.apply({ poolKey: 'p', lastChosen: 'a' });
    expect(s.openLoad('a')).toBe(1);
    expect(s.lastChosen('p')).toBeNull();
    expect(c.openLoad('a')).toBe(2);
  });

  it('keeps odd keys as data', () => {
    const s = new MemoryRoutingState(JSON.parse('{"openLoad":{"__proto__":4}}'));
    expect(s.openLoad('__proto__')).toBe(4);
    expect(Object.keys(s.snapshot().openLoad)).toEqual(['__proto__']);
  });
});
