// Caps per period (#16): a rep's leads per day, week and month in the caps' zone (their own or the
// workspace's), and a team's per pool in the workspace's zone. Counts are per local day; a week or month is
// the sum of its days (see periods.ts). The reasons name the figures, the period and the zone.
import type { Rep, Team } from '../directory/schema';
import type { EligibilityContext } from './rep-check';
import { capsZoneOf, describeMonth, describeWeek, monthOf, weekOf } from './periods';
import type { CandidateVerdict, RoutingStateView } from './types';
import { dayKey } from './working-hours';

/**
 * Why the rep's period caps rule them out now (setting `ctx.verdict`), or null. The per-day cap is checked
 * here only when `dayToo` (it counts in the workspace's zone); in the rep's own zone `ineligibility` checks it.
 */
export function periodCapReason(rep: Rep, repId: string, ctx: EligibilityContext, dayToo: boolean): string | null {
  const zone = capsZoneOf(rep, ctx.workspaceTimeZone);
  const today = dayKey(ctx.now, zone);
  const caps = rep.caps;
  const state = ctx.state;
  if (dayToo && caps.perDay !== undefined) {
    const n = state.assignedOn(repId, today);
    if (n >= caps.perDay) {
      ctx.verdict = 'over_daily_cap';
      return `daily cap reached: ${n} of ${caps.perDay} today (${today}, ${zone})`;
    }
  }
  if (caps.perWeek !== undefined) {
    const week = weekOf(today);
    const n = state.assignedBetween(repId, week.from, week.to);
    if (n >= caps.perWeek) {
      ctx.verdict = 'over_weekly_cap';
      return `weekly cap reached: has ${n} of ${caps.perWeek} leads this week (${describeWeek(week)}, ${zone})`;
    }
  }
  if (caps.perMonth !== undefined) {
    const month = monthOf(today);
    const n = state.assignedBetween(repId, month.from, month.to);
    if (n >= caps.perMonth) {
      ctx.verdict = 'over_monthly_cap';
      return `monthly cap reached: has ${n} of ${caps.perMonth} leads this month (${describeMonth(month)}, ${zone})`;
    }
  }
  return null;
}

/** Whether a team has any period cap. */
export function hasTeamCaps(team: Team): boolean {
  const c = team.caps;
  return c !== undefined && (c.perDay !== undefined || c.perWeek !== undefined || c.perMonth !== undefined);
}

/**
 * Why the team's pool hands out no more leads now (its day, week or month cap, in the workspace's zone),
 * or null. Every member of the pool then gets the verdict `over_team_cap` with this reason.
 */
export function teamCapReason(team: Team, poolKey: string, state: RoutingStateView, now: number, zone: string): { verdict: CandidateVerdict; reason: string } | null {
  const caps = team.caps ?? {};
  const today = dayKey(now, zone);
  const of = (n: number, cap: number, period: string) => ({ verdict: 'over_team_cap' as const, reason: `team cap reached: team ${team.name} has ${n} of ${cap} leads ${period}` });
  if (caps.perDay !== undefined) {
    const n = state.poolAssignedBetween(poolKey, today, today);
    if (n >= caps.perDay) return of(n, caps.perDay, `today (${today}, ${zone})`);
  }
  if (caps.perWeek !== undefined) {
    const week = weekOf(today);
    const n = state.poolAssignedBetween(poolKey, week.from, week.to);
    if (n >= caps.perWeek) return of(n, caps.perWeek, `this week (${describeWeek(week)}, ${zone})`);
  }
  if (caps.perMonth !== undefined) {
    const month = monthOf(today);
    const n = state.poolAssignedBetween(poolKey, month.from, month.to);
    if (n >= caps.perMonth) return of(n, caps.perMonth, `this month (${describeMonth(month)}, ${zone})`);
  }
  return null;
}
