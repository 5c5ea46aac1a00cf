import { describe, expect, it } from 'vitest';
import { defaultWorkspaceSettings, type Directory } from '../directory/schema';
import type { AssignStrategy } from '../graph/nodes/assign';
import { chooseAssignee } from './choose';
import { domainOf, indexDirectory, matchAccountByMethods as matchAccount } from './directory-index';
import { normalizeCompanyName } from './company-name';
import { checkRep } from './eligibility';
import { MemoryRoutingState } from './memory-state';
import { at, dirOf, elig, rep } from './assignment.fixtures';

// The assignment hot path scans strings by hand, caches what it derives per directory object and hands out
// read-only views of state. These tests pin the corners those shortcuts must get exactly as before.

const NOW = at('2026-03-10T15:00:00Z');

describe('string scanning matches the regular-expression definitions', () => {
  it.each([
    ['Co-op Bank', 'co op bank'],
    ['Acme\tCorp', 'acme'],
    ['ACME  HOLDINGS', 'acme holdings'],
    ['a.&b', 'a and b'],
    ['&', 'and'],
    ['. . .', ''],
    ["'acme", 'acme'],
    ['Ünïcödé GmbH', 'unicode'],
    ['Straße AG', 'straße'],
    ['ﬁrst Co', 'first'],
    ['Café O’Neil & Co.', 'cafe oneil'],
    ['İstanbul Ltd', 'istanbul'],
  ])('normalizeCompanyName(%j) = %j', (input, out) => {
    expect(normalizeCompanyName(input)).toBe(out);
  });

  it.each([
    ['Ana <ana@Acme.COM> <bo@x.io>', 'acme.com'],
    ['<<ana@acme.com>', 'acme.com'],
    ['MAILTO:Ana@WWW.Acme.com', 'acme.com'],
    ['git+ssh://git@acme.io:22/repo', 'acme.io'],
    ['1http://acme.com', null],
    ['acme.com:', 'acme.com'],
    ['acme.com:80x', null],
    ['user@acme.com/path@evil.com', 'acme.com'],
    ['a/b@acme.com', null],
    ['www.', null],
    ['WWW.acme.com.', 'acme.com'],
    ['acme..com', null],
    ['-acme.com', '-acme.com'],
    ['münchen.DE', 'münchen.de'],
    ['exa_mple.com', null],
  ])('domainOf(%j) = %j', (input, out) => {
    expect(domainOf(input)).toBe(out);
  });

  it('quotes names in details exactly as JSON does', () => {
    const idx = dirOf({ accounts: [{ id: 'a1', name: 'Acme', domains: ['acme.com'] }] });
    for (const company of ['Say "hi"', 'Back\\slash', 'Tab\there', 'Emoji 😀 Ltd', 'Lone \ud800 surrogate', 'Plain Name']) {
      expect(matchAccount({ company }, ['company_name'], idx, () => false).detail).toBe(
        `No account matched by company name: no account named like ${JSON.stringify(company)}`,
      );
    }
  });
});

describe('MemoryRoutingState counter views', () => {
  it('hands out the same read-only view until apply replaces the counters', () => {
    const s = new MemoryRoutingState({ wrrCurrent: { p: { a: 1, b: 2 } } });
    const first = s.wrrCurrent('p');
    expect(s.wrrCurrent('p')).toBe(first);
    expect(s.wrrCurrent('none')).toBe(s.wrrCurrent('other'));
    s.apply({ poolKey: 'p', wrrCurrent: { a: 5 } });
    const second = s.wrrCurrent('p');
    expect(second).not.toBe(first);
    // A view read before the change still shows what was current then, as a copy would.
    expect(first).toEqual({ a: 1, b: 2 });
    expect(second).toEqual({ a: 5 });
  });

  it('ignores writes, deletions and additions through a view without throwing', () => {
    const s = new MemoryRoutingState({ wrrCurrent: { p: { a: 1 } } });
    const view = s.wrrCurrent('p') as Record<string, number>;
    view.a = 9;
    view.z = 3;
    delete view.a;
    expect(view).toEqual({ a: 1 });
    expect(s.wrrCurrent('p')).toEqual({ a: 1 });
    expect(JSON.parse(JSON.stringify(view))).toEqual({ a: 1 });
    expect({ ...view }).toEqual({ a: 1 });
  });

  it('keeps a __proto__ counter as data', () => {
    const s = new MemoryRoutingState(JSON.parse('{"wrrCurrent":{"p":{"__proto__":4,"a":"x"}}}'));
    expect(s.wrrCurrent('p').__proto__).toBe(4);
    expect(Object.keys(s.snapshot().wrrCurrent.p ?? {})).toEqual(['__proto__', 'a']);
    expect(s.snapshot().wrrCurrent.p?.a).toBe(0);
  });
});

describe('chooseAssignee hot-path corners', () => {
  const reps = ['a', 'b', 'c', 'd'].map((id) => ({ id, name: `Rep ${id.toUpperCase()}`, email: `${id}@x.com`, timeZone: 'UTC' }));
  const dir = dirOf({ reps, teams: [{ id: 't', name: 'T', members: reps.map((r) => ({ repId: r.id })) }] });
  const rr: AssignStrategy = { type: 'round_robin', teamId: 't' };

  it('reads a long exclusion list the same as a short one', () => {
    const long = ['a', 'x1', 'x2', 'x3', 'x4', 'x5', 'x6', 'x7', 'x8', 'b'];
    const r = chooseAssignee({ strategy: rr, eligibility: elig(), lead: {}, now: NOW, exclude: long }, dir, new MemoryRoutingState());
    expect(r.assignee?.id).toBe('c');
    expect(r.candidates.map((c) => c.verdict)).toEqual(['previously_assigned', 'previously_assigned', 'chosen', 'not_this_turn']);
  });

  it('keeps a __proto__ member counter as data in the weighted update', () => {
    const d: Directory = {
      reps: [rep('r1'), { ...rep('r2'), id: '__proto__' }],
      teams: [{ id: 'w', name: 'W', members: [{ repId: 'r1', weight: 1 }, { repId: '__proto__', weight: 3 }] }],
      territories: [],
      accounts: [],
      queues: [],
      companies: [],
      customFields: [],
      settings: defaultWorkspaceSettings(),
    };
    const r = chooseAssignee(
      { strategy: { type: 'weighted_round_robin', teamId: 'w' }, eligibility: elig(), lead: {}, now: NOW, exclude: [] },
      indexDirectory(d),
      new MemoryRoutingState(),
    );
    expect(r.assignee?.id).toBe('__proto__');
    const next = r.update.wrrCurrent ?? {};
    expect(Object.getPrototypeOf(next)).toBe(Object.prototype);
    expect(Object.keys(next)).toEqual(['r1', '__proto__']);
    expect(next.__proto__).toBe(-1);
  });

  it('names reps as the directory it is given does, when two directories share a team object', () => {
    const d: Directory = {
      reps: reps.map((r) => rep(r.id, { name: r.name })),
      teams: [{ id: 't', name: 'T', members: reps.map((r) => ({ repId: r.id, weight: 1 })) }],
      territories: [],
      accounts: [],
      queues: [],
      companies: [],
      customFields: [],
      settings: defaultWorkspaceSettings(),
    };
    const renamed: Directory = { ...d, reps: d.reps.map((r) => ({ ...r, name: `${r.name} (new)` })) };
    for (const strategy of [rr, { type: 'weighted_round_robin', teamId: 't' }, { type: 'load_balanced', teamId: 't' }] as AssignStrategy[]) {
      const input = { strategy, eligibility: elig(), lead: {}, now: NOW, exclude: ['d'] };
      const before = chooseAssignee(input, indexDirectory(d), new MemoryRoutingState()).explanation;
      const after = chooseAssignee(input, indexDirectory(renamed), new MemoryRoutingState()).explanation;
      expect(after).toEqual(before.map((line) => line.replace(/Rep ([A-D])/g, 'Rep $1 (new)')));
      expect(chooseAssignee(input, indexDirectory(d), new MemoryRoutingState()).explanation).toEqual(before);
    }
  });

  it('sees a team whose member list was replaced, and a rep whose fields were replaced', () => {
    const d = dirOf({ reps, teams: [{ id: 't', name: 'T', members: [{ repId: 'a' }] }] });
    const state = new MemoryRoutingState();
    const pick = () => chooseAssignee({ strategy: rr, eligibility: elig({ skills: ['de'] }), lead: {}, now: NOW, exclude: [] }, d, state);
    expect(pick().candidates.map((c) => c.verdict)).toEqual(['missing_skill']);
    const team = d.teams.get('t');
    const a = d.reps.get('a');
    if (team === undefined || a === undefined) throw new Error('fixture');
    a.skills = ['DE '];
    team.members = [{ repId: 'b', weight: 1 }, { repId: 'a', weight: 1 }];
    expect(pick().candidates.map((c) => [c.repId, c.verdict])).toEqual([
      ['b', 'missing_skill'],
      ['a', 'chosen'],
    ]);
    a.workingHours = { tue: [{ start: '09:00', end: '10:00' }] };
    expect(checkRep(a, 'a', elig(), {}, NOW, state, new Set())).toEqual({
      eligible: false,
      verdict: 'outside_working_hours',
      reason: 'outside working hours: it is Tuesday 15:00 in UTC; hours today are 09:00-10:00',
    });
    a.workingHours = { tue: [{ start: '15:00', end: '16:00' }] };
    expect(checkRep(a, 'a', elig(), {}, NOW, state, new Set())).toEqual({ eligible: true });
  });
});
