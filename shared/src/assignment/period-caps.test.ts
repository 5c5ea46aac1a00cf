import { describe, expect, it } from 'vitest';
import type { RepInput } from '../directory/schema';
import { at, dirOf, elig } from './assignment.fixtures';
import { chooseAssignee } from './choose';
import { checkRep } from './eligibility';
import { MemoryRoutingState } from './memory-state';
import { addDays, capsDayKey, describeMonth, describeWeek, monthOf, weekOf } from './periods';
import { rep } from './assignment.fixtures';

const week = (days: Record<string, number>) => days;

describe('periods', () => {
  it('weeks run Monday to Sunday, months are calendar months', () => {
    expect(weekOf('2026-12-02')).toEqual({ from: '2026-11-30', to: '2026-12-06' });
    expect(weekOf('2026-11-30')).toEqual({ from: '2026-11-30', to: '2026-12-06' });
    expect(weekOf('2026-12-06')).toEqual({ from: '2026-11-30', to: '2026-12-06' });
    expect(weekOf('2026-12-07')).toEqual({ from: '2026-12-07', to: '2026-12-13' });
    expect(weekOf('2027-01-01')).toEqual({ from: '2026-12-28', to: '2027-01-03' });
    expect(monthOf('2026-02-15')).toEqual({ from: '2026-02-01', to: '2026-02-28' });
    expect(monthOf('2028-02-29')).toEqual({ from: '2028-02-01', to: '2028-02-29' });
    expect(monthOf('2026-12-31')).toEqual({ from: '2026-12-01', to: '2026-12-31' });
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });

  it('names weeks and months as a person reads them', () => {
    expect(describeWeek(weekOf('2026-12-02'))).toBe('Mon 30 Nov–Sun 6 Dec');
    expect(describeMonth(monthOf('2026-12-02'))).toBe('December 2026');
  });

  it('counts a day in the rep zone, or the workspace zone when the rep says so', () => {
    const now = at('2026-12-06T23:30:00Z'); // Sunday 15:30 in Los Angeles, Monday 00:30 in Berlin
    expect(capsDayKey({ timeZone: 'America/Los_Angeles', capsTimeZone: 'rep' }, 'Europe/Berlin', now)).toBe('2026-12-06');
    expect(capsDayKey({ timeZone: 'America/Los_Angeles', capsTimeZone: 'workspace' }, 'Europe/Berlin', now)).toBe('2026-12-07');
  });
});

const berlin = (extra: Partial<RepInput> = {}) => rep('ana', { name: 'Ana Diaz', timeZone: 'Europe/Berlin', ...extra });

describe('weekly and monthly caps', () => {
  it('says who has how many of how many, this week, in which zone', () => {
    const s = new MemoryRoutingState({ assignedOn: { ana: week({ '2026-11-30': 10, '2026-12-01': 20, '2026-12-03': 10, '2026-11-29': 99, '2026-12-07': 99 }) } });
    const r = checkRep(berlin({ caps: { perWeek: 40 } }), 'ana', elig(), {}, at('2026-12-03T12:00:00Z'), s, new Set());
    expect(r).toEqual({ eligible: false, verdict: 'over_weekly_cap', reason: 'weekly cap reached: has 40 of 40 leads this week (Mon 30 Nov–Sun 6 Dec, Europe/Berlin)' });
    expect(checkRep(berlin({ caps: { perWeek: 41 } }), 'ana', elig(), {}, at('2026-12-03T12:00:00Z'), s, new Set())).toEqual({ eligible: true });
  });

  it('a new week starts at midnight Sunday to Monday in the rep zone', () => {
    const s = new MemoryRoutingState({ assignedOn: { ana: { '2026-12-06': 5 } } });
    const la = rep('ana', { timeZone: 'America/Los_Angeles', caps: { perWeek: 5 } });
    // Sunday 23:59 in Los Angeles is Monday 07:59 UTC: still the old week for the rep.
    expect(checkRep(la, 'ana', elig(), {}, at('2026-12-07T07:59:00Z'), s, new Set()).eligible).toBe(false);
    expect(checkRep(la, 'ana', elig(), {}, at('2026-12-07T08:00:00Z'), s, new Set())).toEqual({ eligible: true });
  });

  it('counts in the workspace zone when the rep says so', () => {
    const s = new MemoryRoutingState({ assignedOn: { ana: { '2026-12-06': 5 } } });
    const la = rep('ana', { timeZone: 'America/Los_Angeles', capsTimeZone: 'workspace', caps: { perWeek: 5 } });
    const d = dirOf({ reps: [la], settings: { timeZone: 'Europe/Berlin' } });
    const choose = (iso: string) => chooseAssignee({ strategy: { type: 'specific_rep', repId: 'ana' }, eligibility: elig(), lead: {}, now: at(iso), exclude: [] }, d, s);
    // Sunday 22:59 in Berlin: the week of 30 Nov is full.
    expect(choose('2026-12-06T21:59:00Z').candidates[0]).toMatchObject({ verdict: 'over_weekly_cap', reason: 'weekly cap reached: has 5 of 5 leads this week (Mon 30 Nov–Sun 6 Dec, Europe/Berlin)' });
    // Monday 00:00 in Berlin (Sunday 15:00 in Los Angeles): a new week in the workspace zone.
    expect(choose('2026-12-06T23:00:00Z').assignee?.id).toBe('ana');
  });

  it('a per-day cap in the workspace zone resets at the workspace midnight', () => {
    const s = new MemoryRoutingState({ assignedOn: { ana: { '2026-12-03': 2 } } });
    const tokyo = rep('ana', { timeZone: 'Asia/Tokyo', capsTimeZone: 'workspace', caps: { perDay: 2 } });
    const r = checkRep(tokyo, 'ana', elig(), {}, at('2026-12-03T22:00:00Z'), s, new Set(), 'America/New_York');
    expect(r).toEqual({ eligible: false, verdict: 'over_daily_cap', reason: 'daily cap reached: 2 of 2 today (2026-12-03, America/New_York)' });
    expect(checkRep(tokyo, 'ana', elig(), {}, at('2026-12-04T05:00:00Z'), s, new Set(), 'America/New_York')).toEqual({ eligible: true });
  });

  it('on the day clocks go forward, the week ends at local midnight, not an hour off', () => {
    // Europe/Berlin moves to summer time on Sunday 29 March 2026: midnight to Monday is 22:00 UTC.
    const s = new MemoryRoutingState({ assignedOn: { ana: { '2026-03-29': 3 } } });
    const r = berlin({ caps: { perWeek: 3 } });
    expect(checkRep(r, 'ana', elig(), {}, at('2026-03-29T21:59:00Z'), s, new Set())).toMatchObject({ verdict: 'over_weekly_cap', reason: 'weekly cap reached: has 3 of 3 leads this week (Mon 23 Mar–Sun 29 Mar, Europe/Berlin)' });
    expect(checkRep(r, 'ana', elig(), {}, at('2026-03-29T22:00:00Z'), s, new Set())).toEqual({ eligible: true });
  });

  it('monthly caps sum the calendar month in the caps zone', () => {
    const s = new MemoryRoutingState({ assignedOn: { ana: { '2026-11-30': 50, '2026-12-01': 7, '2026-12-31': 3 } } });
    const r = berlin({ caps: { perMonth: 10 } });
    expect(checkRep(r, 'ana', elig(), {}, at('2026-12-15T12:00:00Z'), s, new Set())).toEqual({
      eligible: false,
      verdict: 'over_monthly_cap',
      reason: 'monthly cap reached: has 10 of 10 leads this month (December 2026, Europe/Berlin)',
    });
    // 31 Dec 23:30 UTC is 1 January 00:30 in Berlin: a new month.
    expect(checkRep(r, 'ana', elig(), {}, at('2026-12-31T23:30:00Z'), s, new Set())).toEqual({ eligible: true });
  });

  it('respectCapacity off ignores period caps', () => {
    const s = new MemoryRoutingState({ assignedOn: { ana: { '2026-12-01': 9 } } });
    expect(checkRep(berlin({ caps: { perWeek: 1, perMonth: 1 } }), 'ana', elig({ respectCapacity: false }), {}, at('2026-12-03T12:00:00Z'), s, new Set())).toEqual({ eligible: true });
  });
});

describe('team caps', () => {
  const dir = dirOf({
    reps: [rep('a', { name: 'Ana' }), rep('b', { name: 'Bo' })],
    teams: [{ id: 'in', name: 'Inbound', members: [{ repId: 'a' }, { repId: 'b' }], caps: { perWeek: 3 } }],
    settings: { timeZone: 'Europe/Berlin' },
  });
  const input = (iso: string) => ({ strategy: { type: 'round_robin' as const, teamId: 'in' }, eligibility: elig(), lead: {}, now: at(iso), exclude: [] });

  it('a full team hands out nothing: every member is over the team cap, the step has no eligible rep', () => {
    const s = new MemoryRoutingState({ poolAssignedOn: { 'team:in': { '2026-11-30': 1, '2026-12-02': 2 } } });
    const r = chooseAssignee(input('2026-12-03T10:00:00Z'), dir, s);
    expect(r.assignee).toBeNull();
    expect(r.poolKey).toBe('team:in');
    const reason = 'team cap reached: team Inbound has 3 of 3 leads this week (Mon 30 Nov–Sun 6 Dec, Europe/Berlin)';
    expect(r.candidates).toEqual([
      { repId: 'a', name: 'Ana', verdict: 'over_team_cap', reason },
      { repId: 'b', name: 'Bo', verdict: 'over_team_cap', reason },
    ]);
    expect(r.explanation[0]).toBe(`No eligible rep in team Inbound: ${reason}`);
    // Monday in Berlin: a new week for the team.
    expect(chooseAssignee(input('2026-12-06T23:00:00Z'), dir, s).assignee?.id).toBe('a');
  });

  it('counts only what the pool handed out, and respectCapacity off ignores it', () => {
    const s = new MemoryRoutingState({ assignedOn: { a: { '2026-12-01': 10 } }, poolAssignedOn: { 'team:in': { '2026-12-01': 2 } } });
    expect(chooseAssignee(input('2026-12-03T10:00:00Z'), dir, s).assignee).not.toBeNull();
    s.recordPoolAssignment('team:in', '2026-12-03');
    expect(chooseAssignee(input('2026-12-03T10:00:00Z'), dir, s).assignee).toBeNull();
    expect(chooseAssignee({ ...input('2026-12-03T10:00:00Z'), eligibility: elig({ respectCapacity: false }) }, dir, s).assignee).not.toBeNull();
  });
});

describe('availability', () => {
  it('an offline rep is skipped with the verdict offline, unless the step ignores availability', () => {
    const s = new MemoryRoutingState();
    const off = rep('a', { online: false });
    expect(checkRep(off, 'a', elig(), {}, at('2026-12-03T10:00:00Z'), s, new Set())).toEqual({
      eligible: false,
      verdict: 'offline',
      reason: 'offline: switched to offline, not taking leads until back online',
    });
    expect(checkRep(off, 'a', elig({ respectAvailability: false }), {}, at('2026-12-03T10:00:00Z'), s, new Set())).toEqual({ eligible: true });
  });

  it('a gap between two spans of a day is a break that ends when the next span starts', () => {
    const r = rep('a', { timeZone: 'Europe/Berlin', workingHours: { thu: [{ start: '09:00', end: '12:00' }, { start: '13:00', end: '17:00' }] } });
    const s = new MemoryRoutingState();
    expect(checkRep(r, 'a', elig(), {}, at('2026-12-03T11:30:00Z'), s, new Set())).toEqual({
      eligible: false,
      verdict: 'outside_working_hours',
      reason: 'on a break until 13:00: it is Thursday 12:30 in Europe/Berlin; hours today are 09:00-12:00, 13:00-17:00',
    });
    expect(checkRep(r, 'a', elig(), {}, at('2026-12-03T07:30:00Z'), s, new Set())).toMatchObject({ reason: 'outside working hours: it is Thursday 08:30 in Europe/Berlin; hours today are 09:00-12:00, 13:00-17:00' });
    expect(checkRep(r, 'a', elig(), {}, at('2026-12-03T17:30:00Z'), s, new Set())).toMatchObject({ reason: 'outside working hours: it is Thursday 18:30 in Europe/Berlin; hours today are 09:00-12:00, 13:00-17:00' });
  });
});
