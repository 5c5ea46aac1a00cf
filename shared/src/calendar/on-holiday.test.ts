import { describe, expect, it } from 'vitest';
import { at, dirOf, elig, rep } from '../assignment/assignment.fixtures';
import { chooseAssignee } from '../assignment/choose';
import { MemoryRoutingState } from '../assignment/memory-state';
import type { DirectoryInput } from '../directory/schema';
import { withPublicHolidays } from './holidays';

// Issue #16, item 3: a rep on a public holiday of their calendar, or on a company day off, is not chosen,
// and the candidate verdict names the day.

const hours = { mon: [{ start: '09:00', end: '18:00' }], tue: [{ start: '09:00', end: '18:00' }], wed: [{ start: '09:00', end: '18:00' }], thu: [{ start: '09:00', end: '18:00' }], fri: [{ start: '09:00', end: '18:00' }] };

function directory(): DirectoryInput {
  return withPublicHolidays(
    {
      reps: [
        rep('de', { name: 'Dora Berlin', timeZone: 'Europe/Berlin', workingHours: hours }), // the workspace's calendar: DE
        rep('us', { name: 'Sam York', timeZone: 'America/New_York', workingHours: hours, holidayCalendar: { country: 'US' } }),
        rep('none', { name: 'Nico Free', timeZone: 'Europe/Berlin', workingHours: hours, holidayCalendar: null }),
      ],
      teams: [{ id: 'team', name: 'Team', members: [{ repId: 'de', weight: 1 }, { repId: 'us', weight: 1 }, { repId: 'none', weight: 1 }] }],
      settings: { timeZone: 'Europe/Berlin', holidayCalendar: { country: 'DE' }, daysOff: [{ date: '2026-12-24', name: 'Winter break' }] },
    },
    { from: 2026, to: 2027 },
  );
}

function verdicts(now: number, respectWorkingHours = true) {
  const r = chooseAssignee(
    { strategy: { type: 'round_robin', teamId: 'team' }, eligibility: elig({ respectWorkingHours }), lead: { email: 'x@acme.com' }, now, exclude: [] },
    dirOf(directory()),
    new MemoryRoutingState(),
  );
  return Object.fromEntries(r.candidates.map((c) => [c.repId, `${c.verdict}: ${c.reason}`]));
}

describe('on_holiday verdicts', () => {
  it("a German holiday keeps the rep on the workspace's calendar out; a rep with none or another calendar is in", () => {
    // Pfingstmontag, Monday 2026-05-25, 11:00 in Berlin; in New York it is Memorial Day (their own calendar).
    const v = verdicts(at('2026-05-25T09:00:00Z'));
    expect(v['de']).toBe('on_holiday: public holiday: Pfingstmontag (DE)');
    expect(v['us']).toBe('on_holiday: public holiday: Memorial Day (US)');
    expect(v['none']).toMatch(/^chosen: /);
  });

  it("a rep's own calendar: Thanksgiving in New York", () => {
    // Thursday 2026-11-26, 11:00 in New York, 17:00 in Berlin (a working day there).
    const v = verdicts(at('2026-11-26T16:00:00Z'));
    expect(v['us']).toBe('on_holiday: public holiday: Thanksgiving Day (US)');
    expect(v['de']).not.toMatch(/^on_holiday/);
    // Wednesday 2026-11-25 is a working day in New York: hours decide.
    expect(verdicts(at('2026-11-25T16:00:00Z'))['us']).not.toMatch(/^on_holiday/);
  });

  it('a company day off applies to everyone, whatever their calendar', () => {
    const v = verdicts(at('2026-12-24T10:00:00Z'));
    expect(v['de']).toBe('on_holiday: company day off: Winter break');
    expect(v['none']).toBe('on_holiday: company day off: Winter break');
  });

  it('holidays are respected with working hours: off, they do not count', () => {
    const v = verdicts(at('2026-05-25T09:00:00Z'), false);
    expect(Object.values(v).some((x) => x.startsWith('on_holiday'))).toBe(false);
  });
});
