import type { Company, HolidayCalendar, Rep, Team } from '@lead-router/shared';
import type { companies, reps, teams } from './schema';

// How the directory's rows and the shared model's records map to each other, in both directions: the one
// place a column of a rep or a company is named outside the schema.

/** A rep row as the shared model has it. */
export function repFromRow(x: typeof reps.$inferSelect): Rep {
  return {
    id: x.id,
    name: x.name,
    email: x.email,
    timeZone: x.timeZone,
    workingHours: x.workingHours,
    outOfOffice: x.outOfOffice,
    skills: x.skills,
    caps: {
      ...(x.capPerDay !== null ? { perDay: x.capPerDay } : {}),
      ...(x.capPerWeek !== null ? { perWeek: x.capPerWeek } : {}),
      ...(x.capPerMonth !== null ? { perMonth: x.capPerMonth } : {}),
      ...(x.capOpenLeads !== null ? { openLeads: x.capOpenLeads } : {}),
    },
    ...(x.capsTimeZone === 'workspace' ? { capsTimeZone: 'workspace' as const } : {}),
    active: x.active,
    ...(x.online ? {} : { online: false }),
    managerId: x.managerId,
    ...holidayCalendarFromColumn(x.holidayCalendar),
  };
}

/** The rep's holiday calendar as stored (see the column): absent (the workspace's), none (null) or their own. */
function holidayCalendarFromColumn(c: HolidayCalendar | { none: true } | null): Pick<Rep, 'holidayCalendar'> {
  if (c === null) return {};
  return 'none' in c ? { holidayCalendar: null } : { holidayCalendar: c };
}

/** The column value of a rep's holiday calendar. */
function holidayCalendarColumn(c: Rep['holidayCalendar']): HolidayCalendar | { none: true } | null {
  if (c === undefined) return null;
  return c === null ? { none: true } : c;
}

/** A company row as the shared model has it: unknown values are absent. */
export function companyFromRow(x: typeof companies.$inferSelect): Company {
  return {
    domain: x.domain,
    ...(x.name !== null ? { name: x.name } : {}),
    ...(x.employees !== null ? { employees: x.employees } : {}),
    ...(x.annualRevenue !== null ? { annualRevenue: x.annualRevenue } : {}),
    ...(x.industry !== null ? { industry: x.industry } : {}),
    ...(x.country !== null ? { country: x.country } : {}),
    ...(x.technologies !== null ? { technologies: x.technologies } : {}),
  };
}

/** A rep's columns (all but the workspace and id), as every write of a rep stores them. */
export function repColumns(r: Rep) {
  return {
    name: r.name,
    email: r.email,
    timeZone: r.timeZone,
    workingHours: r.workingHours ?? null,
    outOfOffice: r.outOfOffice,
    skills: r.skills,
    capPerDay: r.caps.perDay ?? null,
    capOpenLeads: r.caps.openLeads ?? null,
    capPerWeek: r.caps.perWeek ?? null,
    capPerMonth: r.caps.perMonth ?? null,
    capsTimeZone: r.capsTimeZone ?? 'rep',
    active: r.active,
    online: r.online ?? true,
    managerId: r.managerId ?? null,
    holidayCalendar: holidayCalendarColumn(r.holidayCalendar),
  };
}

/** The stored columns of a company body: what it leaves out is unknown (null). */
export function companyColumns(b: { [K in Exclude<keyof Company, 'domain'>]?: Company[K] | null }) {
  return {
    name: b.name ?? null,
    employees: b.employees ?? null,
    annualRevenue: b.annualRevenue ?? null,
    industry: b.industry ?? null,
    country: b.country ?? null,
    technologies: b.technologies ?? null,
  };
}

/** A team row as the shared model has it; period caps (#16) that are unset are absent, and `caps` with none. */
export function teamFromRow(x: typeof teams.$inferSelect): Team {
  const caps = {
    ...(x.capPerDay !== null ? { perDay: x.capPerDay } : {}),
    ...(x.capPerWeek !== null ? { perWeek: x.capPerWeek } : {}),
    ...(x.capPerMonth !== null ? { perMonth: x.capPerMonth } : {}),
  };
  return { id: x.id, name: x.name, members: x.members, managerId: x.managerId, ...(Object.keys(caps).length > 0 ? { caps } : {}) };
}

/** A team's columns (all but the workspace and id), as every write of a team stores them. */
export function teamColumns(t: Team) {
  return {
    name: t.name,
    members: t.members,
    managerId: t.managerId ?? null,
    capPerDay: t.caps?.perDay ?? null,
    capPerWeek: t.caps?.perWeek ?? null,
    capPerMonth: t.caps?.perMonth ?? null,
  };
}
