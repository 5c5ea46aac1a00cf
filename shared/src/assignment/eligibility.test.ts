import { describe, expect, it } from 'vitest';
import type { Lead } from '../fields/lead';
import { checkRep, requiredSkills } from './eligibility';
import { MemoryRoutingState } from './memory-state';
import { at, elig, rep } from './assignment.fixtures';

// Tuesday 2026-03-10, 11:00 in New York (EDT), 15:00 UTC.
const NOW = at('2026-03-10T15:00:00Z');
const none = new Set<string>();
const state = new MemoryRoutingState();
const lead: Lead = { email: 'x@acme.com', language: 'DE' };

const verdictOf = (r: ReturnType<typeof checkRep>) => (r.eligible ? 'eligible' : r.verdict);
const reasonOf = (r: ReturnType<typeof checkRep>) => (r.eligible ? '' : r.reason);

describe('checkRep verdicts', () => {
  it('accepts a plain active rep', () => {
    expect(checkRep(rep('a'), 'a', elig(), lead, NOW, state, none)).toEqual({ eligible: true });
  });

  it('not_in_directory', () => {
    const r = checkRep(undefined, 'ghost', elig(), lead, NOW, state, none);
    expect(verdictOf(r)).toBe('not_in_directory');
    expect(reasonOf(r)).toContain('ghost');
  });

  it('inactive', () => {
    expect(verdictOf(checkRep(rep('a', { active: false }), 'a', elig(), lead, NOW, state, none))).toBe('inactive');
  });

  it('previously_assigned', () => {
    const r = checkRep(rep('a'), 'a', elig(), lead, NOW, state, new Set(['a']));
    expect(verdictOf(r)).toBe('previously_assigned');
    expect(reasonOf(r)).toMatch(/already had this lead/);
  });

  it('out_of_office, saying until when in UTC and in the rep’s zone', () => {
    const away = rep('a', { outOfOffice: [{ from: '2026-03-01T00:00:00Z', until: '2026-11-24T09:00:00Z' }] });
    const r = checkRep(away, 'a', elig(), lead, NOW, state, none);
    expect(verdictOf(r)).toBe('out_of_office');
    expect(reasonOf(r)).toBe('out of office until 2026-11-24 09:00 UTC');
    const ny = rep('b', { timeZone: 'America/New_York', outOfOffice: [{ from: '2026-03-01T00:00:00Z', until: '2026-11-24T14:00:00Z' }] });
    expect(reasonOf(checkRep(ny, 'b', elig(), lead, NOW, state, none))).toBe(
      'out of office until 2026-11-24 14:00 UTC (2026-11-24 09:00 America/New_York time)',
    );
  });

  it('outside_working_hours, saying the hours today and the local time', () => {
    const early = rep('a', { timeZone: 'America/New_York', workingHours: { tue: [{ start: '12:00', end: '18:00' }] } });
    const r = checkRep(early, 'a', elig(), lead, NOW, state, none);
    expect(verdictOf(r)).toBe('outside_working_hours');
    expect(reasonOf(r)).toBe('outside working hours: it is Tuesday 11:00 in America/New_York; hours today are 12:00-18:00');
    const weekendOnly = rep('b', { timeZone: 'America/New_York', workingHours: { sat: [{ start: '09:00', end: '17:00' }] } });
    expect(reasonOf(checkRep(weekendOnly, 'b', elig(), lead, NOW, state, none))).toBe(
      'outside working hours: it is Tuesday 11:00 in America/New_York, a day off',
    );
  });

  it('over_open_cap', () => {
    const s = new MemoryRoutingState({ openLoad: { a: 12 } });
    const r = checkRep(rep('a', { caps: { openLeads: 12 } }), 'a', elig(), lead, NOW, s, none);
    expect(verdictOf(r)).toBe('over_open_cap');
    expect(reasonOf(r)).toContain('12 open of 12');
    expect(checkRep(rep('a', { caps: { openLeads: 13 } }), 'a', elig(), lead, NOW, s, none).eligible).toBe(true);
  });

  it('over_daily_cap counts the day in the rep’s zone', () => {
    // 02:00 UTC on the 11th is still the 10th in New York.
    const late = at('2026-03-11T02:00:00Z');
    const s = new MemoryRoutingState({ assignedOn: { a: { '2026-03-10': 40 } } });
    const ny = rep('a', { timeZone: 'America/New_York', caps: { perDay: 40 } });
    const r = checkRep(ny, 'a', elig(), lead, late, s, none);
    expect(verdictOf(r)).toBe('over_daily_cap');
    expect(reasonOf(r)).toContain('40 of 40 today');
    const utc = rep('a', { timeZone: 'UTC', caps: { perDay: 40 } });
    expect(checkRep(utc, 'a', elig(), lead, late, s, none).eligible).toBe(true);
  });

  it('a cap of 0 takes no leads', () => {
    expect(verdictOf(checkRep(rep('a', { caps: { perDay: 0 } }), 'a', elig(), lead, NOW, state, none))).toBe('over_daily_cap');
    expect(verdictOf(checkRep(rep('a', { caps: { openLeads: 0 } }), 'a', elig(), lead, NOW, state, none))).toBe('over_open_cap');
  });

  it('missing_skill names the skill, from the step and from the lead field, case-insensitively', () => {
    const r = checkRep(rep('a', { skills: ['Enterprise'] }), 'a', elig({ skills: ['enterprise', 'fr'] }), lead, NOW, state, none);
    expect(verdictOf(r)).toBe('missing_skill');
    expect(reasonOf(r)).toBe('missing skill: fr');
    const r2 = checkRep(rep('a', { skills: ['en'] }), 'a', elig({ skillFromField: 'language' }), lead, NOW, state, none);
    expect(reasonOf(r2)).toBe("missing skill: DE (the lead's language)");
    const r3 = checkRep(rep('a'), 'a', elig({ skills: ['x', 'y'] }), lead, NOW, state, none);
    expect(reasonOf(r3)).toBe('missing skills: x, y');
    expect(checkRep(rep('a', { skills: ['de'] }), 'a', elig({ skillFromField: 'language' }), lead, NOW, state, none).eligible).toBe(true);
  });

  it('asks nothing extra when the lead lacks the skill field', () => {
    expect(checkRep(rep('a'), 'a', elig({ skillFromField: 'language' }), {}, NOW, state, none).eligible).toBe(true);
    expect(checkRep(rep('a'), 'a', elig({ skillFromField: 'language' }), { language: ' ' }, NOW, state, none).eligible).toBe(true);
  });
});

describe('checkRep order and flags', () => {
  const everythingWrong = rep('a', {
    active: false,
    timeZone: 'America/New_York',
    outOfOffice: [{ from: '2026-03-01T00:00:00Z', until: '2026-04-01T00:00:00Z' }],
    workingHours: { sat: [{ start: '09:00', end: '17:00' }] },
    caps: { perDay: 1, openLeads: 1 },
    skills: [],
  });
  const full = new MemoryRoutingState({ openLoad: { a: 5 }, assignedOn: { a: { '2026-03-10': 5 } } });
  const strict = elig({ skills: ['x'] });

  it('reports the first failing check, in the documented order', () => {
    expect(verdictOf(checkRep(everythingWrong, 'a', strict, lead, NOW, full, new Set(['a'])))).toBe('inactive');
    let r = { ...everythingWrong, active: true };
    expect(verdictOf(checkRep(r, 'a', strict, lead, NOW, full, new Set(['a'])))).toBe('previously_assigned');
    expect(verdictOf(checkRep(r, 'a', strict, lead, NOW, full, none))).toBe('out_of_office');
    r = { ...r, outOfOffice: [] };
    expect(verdictOf(checkRep(r, 'a', strict, lead, NOW, full, none))).toBe('outside_working_hours');
    r = { ...r, workingHours: null };
    expect(verdictOf(checkRep(r, 'a', strict, lead, NOW, full, none))).toBe('over_open_cap');
    r = { ...r, caps: { perDay: 1 } };
    expect(verdictOf(checkRep(r, 'a', strict, lead, NOW, full, none))).toBe('over_daily_cap');
    r = { ...r, caps: {} };
    expect(verdictOf(checkRep(r, 'a', strict, lead, NOW, full, none))).toBe('missing_skill');
    r = { ...r, skills: ['X'] };
    expect(checkRep(r, 'a', strict, lead, NOW, full, none).eligible).toBe(true);
  });

  it('skips out of office, working hours and capacity when told to', () => {
    const r = { ...everythingWrong, active: true, skills: ['x'] };
    const lax = elig({ skills: ['x'], respectOutOfOffice: false, respectWorkingHours: false, respectCapacity: false });
    expect(checkRep(r, 'a', lax, lead, NOW, full, none).eligible).toBe(true);
    expect(verdictOf(checkRep(r, 'a', { ...lax, respectOutOfOffice: true }, lead, NOW, full, none))).toBe('out_of_office');
    expect(verdictOf(checkRep(r, 'a', { ...lax, respectWorkingHours: true }, lead, NOW, full, none))).toBe('outside_working_hours');
    expect(verdictOf(checkRep(r, 'a', { ...lax, respectCapacity: true }, lead, NOW, full, none))).toBe('over_open_cap');
  });

  it('never skips activity, exclusion or skills', () => {
    const lax = elig({ respectOutOfOffice: false, respectWorkingHours: false, respectCapacity: false });
    expect(verdictOf(checkRep(everythingWrong, 'a', lax, lead, NOW, full, none))).toBe('inactive');
    expect(verdictOf(checkRep(rep('a'), 'a', lax, lead, NOW, full, new Set(['a'])))).toBe('previously_assigned');
    expect(verdictOf(checkRep(rep('a'), 'a', { ...lax, skills: ['q'] }, lead, NOW, full, none))).toBe('missing_skill');
  });
});

describe('requiredSkills', () => {
  it('merges the step’s skills and the lead’s value without duplicates', () => {
    expect(requiredSkills(elig({ skills: ['de', 'Enterprise'], skillFromField: 'language' }), { language: 'DE' })).toEqual([
      { skill: 'de', fromField: null },
      { skill: 'Enterprise', fromField: null },
    ]);
    expect(requiredSkills(elig({ skillFromField: 'tier' }), { tier: 3 })).toEqual([{ skill: '3', fromField: 'tier' }]);
  });
});
