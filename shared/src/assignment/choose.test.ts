import { describe, expect, it } from 'vitest';
import type { DirectoryInput } from '../directory/schema';
import type { Lead } from '../fields/lead';
import type { AssignStrategy, Eligibility } from '../graph/nodes/assign';
import { candidateLine, chooseAssignee } from './choose';
import { MemoryRoutingState } from './memory-state';
import { at, dirOf, elig } from './assignment.fixtures';
import type { ChooseResult } from './types';

// Tuesday 2026-03-10, 15:00 UTC.
const NOW = at('2026-03-10T15:00:00Z');

const base: DirectoryInput = {
  reps: [
    { id: 'ana', name: 'Ana Diaz', email: 'ana@x.com', timeZone: 'UTC', skills: ['de'] },
    { id: 'bo', name: 'Bo Li', email: 'bo@x.com', timeZone: 'UTC' },
    { id: 'cy', name: 'Cy Wu', email: 'cy@x.com', timeZone: 'UTC' },
    { id: 'di', name: 'Di Ko', email: 'di@x.com', timeZone: 'UTC', active: false },
  ],
  teams: [
    { id: 'inbound', name: 'Inbound', members: [{ repId: 'ana' }, { repId: 'bo' }, { repId: 'cy' }] },
    { id: 'weighted', name: 'Weighted', members: [{ repId: 'ana', weight: 5 }, { repId: 'bo', weight: 1 }, { repId: 'cy', weight: 1 }] },
    { id: 'empty', name: 'Empty', members: [] },
    { id: 'mixed', name: 'Mixed', members: [{ repId: 'di' }, { repId: 'ghost' }, { repId: 'bo' }, { repId: 'cy' }] },
  ],
  territories: [
    { id: 'west', name: 'West', rules: [{ countries: ['US'], states: ['CA', 'WA'] }], repIds: ['bo', 'cy'] },
    { id: 'dach', name: 'DACH', rules: [{ countries: ['DE', 'AT', 'CH'] }], repIds: ['ana'] },
    { id: 'bay', name: 'Bay Area', rules: [{ postalCodes: ['94*'] }], repIds: ['cy'], priority: 50 },
    { id: 'nowhere', name: 'Nobody', rules: [{ countries: ['AQ'] }], repIds: [] },
  ],
  queues: [{ id: 'triage', name: 'Triage' }],
};

const dir = dirOf(base);

function choose(
  strategy: AssignStrategy,
  state = new MemoryRoutingState(),
  opts: { lead?: Lead; eligibility?: Eligibility; exclude?: string[]; now?: number; directory?: DirectoryInput } = {},
): ChooseResult {
  return chooseAssignee(
    { strategy, eligibility: opts.eligibility ?? elig(), lead: opts.lead ?? {}, now: opts.now ?? NOW, exclude: opts.exclude ?? [] },
    opts.directory === undefined ? dir : dirOf(opts.directory),
    state,
  );
}

/** Runs `n` leads, applying each choice as production would, and returns who got them. */
function run(strategy: AssignStrategy, n: number, state = new MemoryRoutingState(), opts: Parameters<typeof choose>[2] = {}): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const r = choose(strategy, state, opts);
    state.apply(r.update);
    if (r.assignee !== null) state.recordAssignment(r.assignee.id, '2026-03-10');
    out.push(r.assignee?.id ?? '-');
  }
  return out;
}

const verdicts = (r: ChooseResult) => Object.fromEntries(r.candidates.map((c) => [c.repId, c.verdict]));

describe('round_robin', () => {
  const rr: AssignStrategy = { type: 'round_robin', teamId: 'inbound' };

  it('starts at the top and explains the choice', () => {
    const r = choose(rr);
    expect(r.assignee).toEqual({ type: 'rep', id: 'ana', name: 'Ana Diaz' });
    expect(r.poolKey).toBe('team:inbound');
    expect(r.update).toEqual({ poolKey: 'team:inbound', lastChosen: 'ana' });
    expect(r.explanation).toEqual([
      'Assigned to Ana Diaz (round-robin, team Inbound)',
      'Ana Diaz: chosen (first in rotation)',
      "Bo Li: not this turn (eligible, but it is Ana Diaz's turn)",
      "Cy Wu: not this turn (eligible, but it is Ana Diaz's turn)",
    ]);
  });

  it('continues after the last chosen and wraps around', () => {
    const r = choose(rr, new MemoryRoutingState({ lastChosen: { 'team:inbound': 'bo' } }));
    expect(r.assignee?.id).toBe('cy');
    expect(r.candidates.map((c) => c.repId)).toEqual(['cy', 'ana', 'bo']);
    expect(r.candidates[0]?.reason).toBe('next in rotation after Bo Li');
    expect(run(rr, 7)).toEqual(['ana', 'bo', 'cy', 'ana', 'bo', 'cy', 'ana']);
  });

  it('starts at the top when the last chosen rep left the team', () => {
    const r = choose(rr, new MemoryRoutingState({ lastChosen: { 'team:inbound': 'di' } }));
    expect(r.assignee?.id).toBe('ana');
    expect(r.candidates[0]?.reason).toBe('first in rotation (Di Ko, who had the last turn, is no longer in the pool)');
  });

  it('skips ineligible reps with their reasons', () => {
    const r = choose({ type: 'round_robin', teamId: 'mixed' });
    expect(r.assignee?.id).toBe('bo');
    expect(verdicts(r)).toEqual({ di: 'inactive', ghost: 'not_in_directory', bo: 'chosen', cy: 'not_this_turn' });
    expect(r.candidates.find((c) => c.repId === 'bo')?.reason).toBe('first in rotation, the first eligible one');
    expect(r.explanation).toContain('Di Ko: inactive: not taking leads');
    expect(r.explanation).toContain('ghost: not in the directory (rep id ghost)');
  });

  it('skips excluded reps', () => {
    const r = choose(rr, new MemoryRoutingState(), { exclude: ['ana'] });
    expect(r.assignee?.id).toBe('bo');
    expect(verdicts(r).ana).toBe('previously_assigned');
  });

  it('returns nobody when nobody is eligible, and leaves the cursor alone', () => {
    const r = choose(rr, new MemoryRoutingState({ lastChosen: { 'team:inbound': 'ana' } }), { eligibility: elig({ skills: ['fr'] }) });
    expect(r.assignee).toBeNull();
    expect(r.update).toEqual({ poolKey: 'team:inbound' });
    expect(r.explanation[0]).toBe('No eligible rep in team Inbound');
    expect(r.explanation.slice(1)).toEqual(['Bo Li: missing skill: fr', 'Cy Wu: missing skill: fr', 'Ana Diaz: missing skill: fr']);
  });

  it('explains an unknown or empty team', () => {
    expect(choose({ type: 'round_robin', teamId: 'nope' }).explanation).toEqual(['No eligible rep: team nope is not in the directory']);
    const r = choose({ type: 'round_robin', teamId: 'empty' });
    expect(r.assignee).toBeNull();
    expect(r.explanation).toEqual(['No eligible rep in team Empty: it has no members']);
  });

  it('gives a rep listed twice one turn per round', () => {
    const d: DirectoryInput = { ...base, teams: [{ id: 'dup', name: 'Dup', members: [{ repId: 'ana' }, { repId: 'bo' }, { repId: 'ana' }] }] };
    expect(run({ type: 'round_robin', teamId: 'dup' }, 4, new MemoryRoutingState(), { directory: d })).toEqual(['ana', 'bo', 'ana', 'bo']);
  });
});

describe('weighted_round_robin', () => {
  const wrr: AssignStrategy = { type: 'weighted_round_robin', teamId: 'weighted' };

  it('spreads a cycle smoothly (nginx order for 5/1/1)', () => {
    expect(run(wrr, 7)).toEqual(['ana', 'ana', 'bo', 'ana', 'cy', 'ana', 'ana']);
    expect(run(wrr, 14).filter((x) => x === 'ana')).toHaveLength(10);
  });

  it('returns the whole counter map and explains the scores', () => {
    const r = choose(wrr);
    expect(r.assignee?.id).toBe('ana');
    expect(r.update).toEqual({ poolKey: 'team:weighted', wrrCurrent: { ana: -2, bo: 1, cy: 1 } });
    expect(r.explanation).toEqual([
      'Assigned to Ana Diaz (weighted round-robin, team Weighted)',
      'Ana Diaz: chosen (highest running score, 5; weight 5 of 7)',
      "Bo Li: not this turn (eligible, but it is Ana Diaz's turn; running score 1 vs 5, weight 1 of 7)",
      "Cy Wu: not this turn (eligible, but it is Ana Diaz's turn; running score 1 vs 5, weight 1 of 7)",
    ]);
  });

  it('shares among eligible reps only; ineligible reps keep their counter', () => {
    const s = new MemoryRoutingState({ wrrCurrent: { 'team:weighted': { ana: 3, bo: -2, cy: -1, gone: 9 } } });
    const r = choose(wrr, s, { exclude: ['ana'] });
    // bo: -2+1 = -1, cy: -1+1 = 0 -> cy, minus total 2.
    expect(r.assignee?.id).toBe('cy');
    expect(r.update.wrrCurrent).toEqual({ ana: 3, bo: -1, cy: -2 });
    expect(verdicts(r)).toEqual({ ana: 'previously_assigned', bo: 'not_this_turn', cy: 'chosen' });
  });

  it('breaks ties by member order', () => {
    const d: DirectoryInput = { ...base, teams: [{ id: 'w', name: 'W', members: [{ repId: 'cy', weight: 2 }, { repId: 'bo', weight: 2 }] }] };
    expect(run({ type: 'weighted_round_robin', teamId: 'w' }, 4, new MemoryRoutingState(), { directory: d })).toEqual(['cy', 'bo', 'cy', 'bo']);
  });

  it('returns nobody, with counters untouched, when nobody is eligible', () => {
    const r = choose(wrr, new MemoryRoutingState(), { eligibility: elig({ skills: ['zz'] }) });
    expect(r.assignee).toBeNull();
    expect(r.update).toEqual({ poolKey: 'team:weighted' });
    expect(r.explanation[0]).toBe('No eligible rep in team Weighted');
  });
});

describe('load_balanced', () => {
  const lb: AssignStrategy = { type: 'load_balanced', teamId: 'inbound' };

  it('picks the fewest open leads and lists the loads', () => {
    const r = choose(lb, new MemoryRoutingState({ openLoad: { ana: 3, bo: 1, cy: 2 } }));
    expect(r.assignee?.id).toBe('bo');
    expect(r.update).toEqual({ poolKey: 'team:inbound', lastChosen: 'bo' });
    expect(r.explanation).toEqual([
      'Assigned to Bo Li (load-balanced, team Inbound)',
      'Ana Diaz: not this turn (eligible, but has 3 open leads and Bo Li has 1)',
      'Bo Li: chosen (fewest open leads: Ana Diaz 3, Bo Li 1, Cy Wu 2)',
      'Cy Wu: not this turn (eligible, but has 2 open leads and Bo Li has 1)',
    ]);
  });

  it('rotates among equal loads', () => {
    const r = choose(lb, new MemoryRoutingState({ lastChosen: { 'team:inbound': 'ana' } }));
    expect(r.assignee?.id).toBe('bo');
    expect(r.candidates[0]?.reason).toBe(
      'fewest open leads: Bo Li 0, Cy Wu 0, Ana Diaz 0; tied at 0 with Cy Wu, Ana Diaz, next in rotation after Ana Diaz',
    );
    expect(r.candidates[1]?.reason).toBe("eligible with 0 open leads too, but it is Bo Li's turn");
    // Each assignment adds a load, so a batch evens out and keeps rotating.
    expect(run(lb, 6)).toEqual(['ana', 'bo', 'cy', 'ana', 'bo', 'cy']);
  });

  it('ignores ineligible reps even with the lowest load', () => {
    const r = choose(lb, new MemoryRoutingState({ openLoad: { ana: 0, bo: 5, cy: 4 } }), { exclude: ['ana'] });
    expect(r.assignee?.id).toBe('cy');
    expect(verdicts(r).ana).toBe('previously_assigned');
  });

  it('respects open caps', () => {
    const d: DirectoryInput = {
      ...base,
      reps: base.reps?.map((x) => (x.id === 'bo' ? { ...x, caps: { openLeads: 1 } } : x)),
    };
    const r = choose(lb, new MemoryRoutingState({ openLoad: { ana: 3, bo: 1, cy: 2 } }), { directory: d });
    expect(r.assignee?.id).toBe('cy');
    expect(r.candidates.find((c) => c.repId === 'bo')).toMatchObject({ verdict: 'over_open_cap', reason: 'open-lead cap reached: 1 open of 1' });
  });
});

describe('territory', () => {
  const terr: AssignStrategy = { type: 'territory' };

  it('round-robins among the territory’s reps with its own pool', () => {
    const lead = { country: 'us', state: 'ca', postalCode: '90001' };
    const r = choose(terr, new MemoryRoutingState(), { lead });
    expect(r.assignee?.id).toBe('bo');
    expect(r.poolKey).toBe('territory:west');
    expect(r.update).toEqual({ poolKey: 'territory:west', lastChosen: 'bo' });
    expect(r.explanation[0]).toBe('Assigned to Bo Li (round-robin, territory West; lead in US / CA / 90001)');
    expect(run(terr, 3, new MemoryRoutingState(), { lead })).toEqual(['bo', 'cy', 'bo']);
  });

  it('takes the lowest priority number when territories overlap', () => {
    const r = choose(terr, new MemoryRoutingState(), { lead: { country: 'US', state: 'CA', postalCode: '94105' } });
    expect(r.poolKey).toBe('territory:bay');
    expect(r.assignee?.id).toBe('cy');
  });

  it('can be restricted to some territories', () => {
    const lead = { country: 'US', state: 'CA', postalCode: '94105' };
    expect(choose({ type: 'territory', territoryIds: ['west'] }, new MemoryRoutingState(), { lead }).poolKey).toBe('territory:west');
    const r = choose({ type: 'territory', territoryIds: ['dach'] }, new MemoryRoutingState(), { lead });
    expect(r.assignee).toBeNull();
    expect(r.poolKey).toBeNull();
    expect(r.explanation).toEqual(["No territory covers the lead's location US / CA / 94105 among DACH"]);
  });

  it('names the lead’s location when no territory covers it', () => {
    const r = choose(terr, new MemoryRoutingState(), { lead: { country: 'FR', city: 'Paris' } });
    expect(r).toMatchObject({ assignee: null, candidates: [], poolKey: null, update: { poolKey: null } });
    expect(r.explanation).toEqual(["No territory covers the lead's location FR / - / -"]);
  });

  it('explains a territory without eligible reps', () => {
    expect(choose(terr, new MemoryRoutingState(), { lead: { country: 'AQ' } }).explanation).toEqual([
      'No eligible rep in territory Nobody (lead in AQ / - / -): it has no reps',
    ]);
    const r = choose(terr, new MemoryRoutingState(), { lead: { country: 'DE' }, exclude: ['ana'] });
    expect(r.assignee).toBeNull();
    expect(r.poolKey).toBe('territory:dach');
    expect(r.explanation).toEqual([
      'No eligible rep in territory DACH (lead in DE / - / -)',
      'Ana Diaz: previously assigned: already had this lead, so it goes to someone else',
    ]);
  });
});

describe('account_owner', () => {
  const owner: AssignStrategy = { type: 'account_owner' };

  it('assigns the matched account’s owner', () => {
    const r = choose(owner, new MemoryRoutingState(), { lead: { accountOwner: 'bo', accountName: 'Acme' } });
    expect(r.assignee).toEqual({ type: 'rep', id: 'bo', name: 'Bo Li' });
    expect(r.poolKey).toBeNull();
    expect(r.update).toEqual({ poolKey: null });
    expect(r.explanation).toEqual(['Assigned to Bo Li (account owner of Acme)', 'Bo Li: chosen (owner of account Acme)']);
  });

  it('says so when there is no owner', () => {
    const r = choose(owner, new MemoryRoutingState(), { lead: { accountOwner: '' } });
    expect(r.assignee).toBeNull();
    expect(r.explanation).toEqual(['No matched account owner']);
  });

  it('gives nobody when the owner is ineligible, with the reason', () => {
    const r = choose(owner, new MemoryRoutingState(), { lead: { accountOwner: 'di' } });
    expect(r.assignee).toBeNull();
    expect(r.candidates).toEqual([{ repId: 'di', name: 'Di Ko', verdict: 'inactive', reason: 'inactive: not taking leads' }]);
    expect(r.explanation[0]).toBe('No eligible rep: account owner Di Ko is not eligible (inactive: not taking leads)');
    expect(verdicts(choose(owner, new MemoryRoutingState(), { lead: { accountOwner: 'zed' } })).zed).toBe('not_in_directory');
  });
});

describe('specific_rep', () => {
  it('assigns the named rep when eligible', () => {
    const r = choose({ type: 'specific_rep', repId: 'cy' });
    expect(r.assignee?.id).toBe('cy');
    expect(r.poolKey).toBeNull();
    expect(r.explanation).toEqual(['Assigned to Cy Wu (specific rep)', 'Cy Wu: chosen (the rep this step names)']);
  });

  it('gives nobody when the rep is ineligible', () => {
    const r = choose({ type: 'specific_rep', repId: 'cy' }, new MemoryRoutingState(), { eligibility: elig({ skillFromField: 'language' }), lead: { language: 'ja' } });
    expect(r.assignee).toBeNull();
    expect(r.explanation[0]).toBe("No eligible rep: Cy Wu is not eligible (missing skill: ja (the lead's language))");
  });
});

describe('queue', () => {
  it('always assigns a known queue', () => {
    const r = choose({ type: 'queue', queueId: 'triage' }, new MemoryRoutingState(), { exclude: ['ana', 'bo'] });
    expect(r).toEqual({
      assignee: { type: 'queue', id: 'triage', name: 'Triage' },
      candidates: [],
      poolKey: 'queue:triage',
      update: { poolKey: 'queue:triage' },
      explanation: ['Assigned to queue Triage'],
    });
  });

  it('explains an unknown queue', () => {
    const r = choose({ type: 'queue', queueId: 'nope' });
    expect(r.assignee).toBeNull();
    expect(r.explanation).toEqual(['Nobody assigned: queue nope is not in the directory']);
  });
});

describe('every verdict shows up in a choice', () => {
  it('covers all verdicts in one team', () => {
    const reps: DirectoryInput['reps'] = [
      { id: 'ok1', name: 'Ok One', email: 'a@x.com', timeZone: 'UTC', skills: ['s'] },
      { id: 'ok2', name: 'Ok Two', email: 'b@x.com', timeZone: 'UTC', skills: ['s'] },
      { id: 'inact', name: 'Inactive', email: 'c@x.com', timeZone: 'UTC', skills: ['s'], active: false },
      { id: 'prev', name: 'Previous', email: 'd@x.com', timeZone: 'UTC', skills: ['s'] },
      {
        id: 'ooo',
        name: 'Away',
        email: 'e@x.com',
        timeZone: 'UTC',
        skills: ['s'],
        outOfOffice: [{ from: '2026-03-01T00:00:00Z', until: '2026-11-24T09:00:00Z' }],
      },
      { id: 'night', name: 'Night', email: 'f@x.com', timeZone: 'UTC', skills: ['s'], workingHours: { tue: [{ start: '22:00', end: '24:00' }] } },
      { id: 'open', name: 'Open', email: 'g@x.com', timeZone: 'UTC', skills: ['s'], caps: { openLeads: 12 } },
      { id: 'daily', name: 'Daily', email: 'h@x.com', timeZone: 'UTC', skills: ['s'], caps: { perDay: 40 } },
      { id: 'noskill', name: 'No Skill', email: 'i@x.com', timeZone: 'UTC' },
    ];
    const ids = ['inact', 'ghost', 'prev', 'ooo', 'night', 'open', 'daily', 'noskill', 'ok1', 'ok2'];
    const d: DirectoryInput = { reps, teams: [{ id: 'all', name: 'All', members: ids.map((repId) => ({ repId })) }] };
    const state = new MemoryRoutingState({ openLoad: { open: 12 }, assignedOn: { daily: { '2026-03-10': 40 } } });
    const r = choose({ type: 'round_robin', teamId: 'all' }, state, { directory: d, exclude: ['prev'], eligibility: elig({ skills: ['s'] }) });
    expect(r.explanation).toEqual([
      'Assigned to Ok One (round-robin, team All)',
      'Inactive: inactive: not taking leads',
      'ghost: not in the directory (rep id ghost)',
      'Previous: previously assigned: already had this lead, so it goes to someone else',
      'Away: out of office until 2026-11-24 09:00 UTC',
      'Night: outside working hours: it is Tuesday 15:00 in UTC; hours today are 22:00-24:00',
      'Open: open-lead cap reached: 12 open of 12',
      'Daily: daily cap reached: 40 of 40 today',
      'No Skill: missing skill: s',
      'Ok One: chosen (first in rotation, the first eligible one)',
      "Ok Two: not this turn (eligible, but it is Ok One's turn)",
    ]);
    expect(new Set(r.candidates.map((c) => c.verdict)).size).toBe(10);
  });
});

describe('candidateLine', () => {
  it('labels chosen and passed-over reps, and lets other reasons speak for themselves', () => {
    expect(candidateLine({ repId: 'a', name: 'Ana', verdict: 'chosen', reason: 'next in rotation' })).toBe('Ana: chosen (next in rotation)');
    expect(candidateLine({ repId: 'a', name: 'Ana', verdict: 'inactive', reason: 'inactive: not taking leads' })).toBe('Ana: inactive: not taking leads');
  });
});
