import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RepInput } from '../directory/schema';
import { dirOf, elig } from './assignment.fixtures';
import { chooseAssignee } from './choose';
import { MemoryRoutingState } from './memory-state';
import { capsDayKey } from './periods';
import { dayKey, localTimeUncached } from './working-hours';

// Random streams of leads over ten weeks (through the DST changes of March and October) into a team whose
// reps count caps in their own zones or the workspace's. The oracle reads dates straight from ICU and finds
// weeks and months with its own arithmetic: no period is ever over its cap, and whenever a rep or the team
// is refused for a period cap, that period holds exactly the cap (caps never bite early).

const ZONES = ['Europe/Berlin', 'America/Los_Angeles', 'Asia/Kolkata', 'UTC', 'Pacific/Auckland', 'America/St_Johns'] as const;
const DAY_MS = 86_400_000;

/** Oracle: the Monday of the week and the month of a local date, with Date arithmetic only. */
function oracleWeek(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  const back = (d.getUTCDay() + 6) % 7;
  return new Date(d.getTime() - back * DAY_MS).toISOString().slice(0, 10);
}

const repArb = fc.record({
  zone: fc.constantFrom(...ZONES),
  workspaceZone: fc.boolean(),
  perDay: fc.option(fc.integer({ min: 0, max: 6 }), { nil: undefined }),
  perWeek: fc.option(fc.integer({ min: 0, max: 12 }), { nil: undefined }),
  perMonth: fc.option(fc.integer({ min: 0, max: 30 }), { nil: undefined }),
});

describe('period caps over random streams (property)', () => {
  for (const start of ['2026-03-16T00:00:00Z', '2026-10-12T00:00:00Z']) {
    it(`never exceeds a day, week or month cap, and never bites early (from ${start.slice(0, 10)})`, () => {
      fc.assert(
        fc.property(
          fc.array(repArb, { minLength: 1, maxLength: 4 }),
          fc.constantFrom(...ZONES),
          fc.record({ perDay: fc.option(fc.integer({ min: 1, max: 8 }), { nil: undefined }), perWeek: fc.option(fc.integer({ min: 1, max: 25 }), { nil: undefined }) }),
          fc.array(fc.integer({ min: 1, max: 20 * 60 }), { minLength: 1, maxLength: 120 }),
          (specs, wsZone, teamCaps, gaps) => {
            const reps: RepInput[] = specs.map((s, i) => ({
              id: `r${i}`,
              name: `Rep ${i}`,
              email: `r${i}@x.com`,
              timeZone: s.zone,
              capsTimeZone: s.workspaceZone ? 'workspace' : 'rep',
              caps: { perDay: s.perDay, perWeek: s.perWeek, perMonth: s.perMonth },
            }));
            const dir = dirOf({ reps, teams: [{ id: 't', name: 'T', members: reps.map((r) => ({ repId: r.id })), caps: teamCaps }], settings: { timeZone: wsZone } });
            const state = new MemoryRoutingState();
            // Oracle counts: rep -> period key -> n; team -> period key -> n.
            const counts = new Map<string, number>();
            const bump = (k: string) => counts.set(k, (counts.get(k) ?? 0) + 1);
            const get = (k: string) => counts.get(k) ?? 0;
            const periodsOf = (instant: number, zone: string) => {
              const date = localTimeUncached(instant, zone).date;
              return { day: `d:${date}`, week: `w:${oracleWeek(date)}`, month: `m:${date.slice(0, 7)}` };
            };
            let now = Date.parse(start);
            for (const gap of gaps) {
              now += gap * 60_000 * 7; // up to ~4 days apart: streams cross days, weeks and months
              const r = chooseAssignee({ strategy: { type: 'round_robin', teamId: 't' }, eligibility: elig(), lead: {}, now, exclude: [] }, dir, state);
              const team = periodsOf(now, wsZone);
              for (const c of r.candidates) {
                const i = Number(c.repId.slice(1));
                const spec = specs[i]!;
                const p = periodsOf(now, spec.workspaceZone ? wsZone : spec.zone);
                if (c.verdict === 'over_daily_cap') expect(get(`${c.repId}${p.day}`)).toBe(spec.perDay);
                if (c.verdict === 'over_weekly_cap') expect(get(`${c.repId}${p.week}`)).toBe(spec.perWeek);
                if (c.verdict === 'over_monthly_cap') expect(get(`${c.repId}${p.month}`)).toBe(spec.perMonth);
                if (c.verdict === 'over_team_cap') {
                  const full = (teamCaps.perDay !== undefined && get(`t${team.day}`) === teamCaps.perDay) || (teamCaps.perWeek !== undefined && get(`t${team.week}`) === teamCaps.perWeek);
                  expect(full).toBe(true);
                }
              }
              if (r.assignee === null) continue;
              const id = r.assignee.id;
              const spec = specs[Number(id.slice(1))]!;
              // As SimulationEffects and production's take() count it.
              state.recordAssignment(id, capsDayKey(dir.reps.get(id), wsZone, now));
              state.recordPoolAssignment('team:t', dayKey(now, wsZone));
              state.apply(r.update);
              const p = periodsOf(now, spec.workspaceZone ? wsZone : spec.zone);
              bump(`${id}${p.day}`);
              bump(`${id}${p.week}`);
              bump(`${id}${p.month}`);
              bump(`t${team.day}`);
              bump(`t${team.week}`);
              if (spec.perDay !== undefined) expect(get(`${id}${p.day}`)).toBeLessThanOrEqual(spec.perDay);
              if (spec.perWeek !== undefined) expect(get(`${id}${p.week}`)).toBeLessThanOrEqual(spec.perWeek);
              if (spec.perMonth !== undefined) expect(get(`${id}${p.month}`)).toBeLessThanOrEqual(spec.perMonth);
              if (teamCaps.perDay !== undefined) expect(get(`t${team.day}`)).toBeLessThanOrEqual(teamCaps.perDay);
              if (teamCaps.perWeek !== undefined) expect(get(`t${team.week}`)).toBeLessThanOrEqual(teamCaps.perWeek);
            }
          },
        ),
        { seed: 20261205, numRuns: 150 },
      );
    });
  }
});
