import { z } from 'zod';
import { CustomFieldSchema } from '../fields/catalog';
import { Text } from '../text';

/** Ids of directory entries and graph nodes: short, URL-safe. */
export const IdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]*$/, 'use letters, digits and _ . : - (max 64)');

const HHMM = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'use HH:MM, 24-hour');

/** Days of the week, as working hours name them. */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** A span of working time on one day, in the rep's own time zone. `end` is exclusive. */
export const TimeSpanSchema = z
  .object({ start: HHMM, end: HHMM })
  .refine((s) => s.start < s.end, { message: 'start must be before end', path: ['end'] });

/** Working hours per weekday; a day that is absent is a day off. */
export const WorkingHoursSchema = z.object({
  mon: z.array(TimeSpanSchema).max(6).optional(),
  tue: z.array(TimeSpanSchema).max(6).optional(),
  wed: z.array(TimeSpanSchema).max(6).optional(),
  thu: z.array(TimeSpanSchema).max(6).optional(),
  fri: z.array(TimeSpanSchema).max(6).optional(),
  sat: z.array(TimeSpanSchema).max(6).optional(),
  sun: z.array(TimeSpanSchema).max(6).optional(),
});
export type WorkingHours = z.infer<typeof WorkingHoursSchema>;

const IsoInstant = z.iso.datetime({ offset: true });

/** An out-of-office period; `until` is exclusive. */
export const OutOfOfficeSchema = z
  .object({ from: IsoInstant, until: IsoInstant, note: Text(200).optional() })
  .refine((o) => Date.parse(o.from) < Date.parse(o.until), { message: 'from must be before until', path: ['until'] });

/** Checks an IANA time zone name without touching the host clock. */
export function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** The zone a rep's period caps count days, weeks (Monday to Sunday) and months in. */
export const CapsTimeZoneSchema = z.enum(['rep', 'workspace']);
export type CapsTimeZone = z.infer<typeof CapsTimeZoneSchema>;

/** Caps over a period: leads per day, per week (Monday to Sunday) and per calendar month. */
export const PeriodCapsSchema = z.object({
  perDay: z.int().min(0).max(1000000).optional(),
  perWeek: z.int().min(0).max(1000000).optional(),
  perMonth: z.int().min(0).max(1000000).optional(),
});
export type PeriodCaps = z.infer<typeof PeriodCapsSchema>;

/** A sales rep who can receive leads. */
export const RepSchema = z.object({
  id: IdSchema,
  name: Text(200).min(1),
  email: z.email().max(320),
  timeZone: z.string().refine(isValidTimeZone, 'must be an IANA time zone such as America/New_York'),
  /** null or absent: available at any hour. */
  workingHours: WorkingHoursSchema.nullable().optional(),
  outOfOffice: z.array(OutOfOfficeSchema).max(100).default([]),
  skills: z.array(Text(100).min(1)).max(100).default([]),
  caps: z
    .object({
      perDay: z.int().min(0).max(100000).optional(),
      /** Leads per week, Monday to Sunday in the caps' time zone. */
      perWeek: z.int().min(0).max(100000).optional(),
      /** Leads per calendar month in the caps' time zone. */
      perMonth: z.int().min(0).max(100000).optional(),
      openLeads: z.int().min(0).max(100000).optional(),
    })
    .default({}),
  /** Which clock the per-day, per-week and per-month caps count in: the rep's own zone (absent) or the workspace's. */
  capsTimeZone: CapsTimeZoneSchema.optional(),
  active: z.boolean().default(true),
  /** The rep's own availability switch (inbox toggle or API); absent means online. Offline reps get no leads while respected. */
  online: z.boolean().optional(),
  managerId: IdSchema.nullable().optional(),
  /** The rep's public-holiday calendar: absent = the workspace's, null = none (issue #16, SLA clocks). */
  holidayCalendar: z.lazy(() => HolidayCalendarSchema).nullable().optional(),
});
export type Rep = z.infer<typeof RepSchema>;
export type RepInput = z.input<typeof RepSchema>;

/** A team (pool) of reps; weights drive weighted round-robin. */
export const TeamSchema = z.object({
  id: IdSchema,
  name: Text(200).min(1),
  members: z
    .array(z.object({ repId: IdSchema, weight: z.int().min(1).max(1000).default(1) }))
    .max(1000),
  managerId: IdSchema.nullable().optional(),
  /** Caps on the leads the team's pool hands out, counted in the workspace's time zone. */
  caps: PeriodCapsSchema.optional(),
});
export type Team = z.infer<typeof TeamSchema>;

/**
 * One rule of a territory. A lead matches a rule when every part that is given matches:
 * countries (ISO codes), states, and postal codes (exact, prefix with a trailing `*`, or a range `10000-19999`).
 */
export const TerritoryRuleSchema = z.object({
  countries: z.array(Text(60).min(1)).max(300).optional(),
  states: z.array(Text(100).min(1)).max(500).optional(),
  postalCodes: z.array(Text(40).min(1)).max(5000).optional(),
});
export type TerritoryRule = z.infer<typeof TerritoryRuleSchema>;

/** A territory: rules over location, and the reps who cover it (in round-robin order). */
export const TerritorySchema = z.object({
  id: IdSchema,
  name: Text(200).min(1),
  rules: z.array(TerritoryRuleSchema).min(1).max(200),
  repIds: z.array(IdSchema).max(1000).default([]),
  /** Lower first; when territories overlap the lowest priority number wins, then directory order. */
  priority: z.int().min(0).max(10000).default(100),
});
export type Territory = z.infer<typeof TerritorySchema>;

/** A customer or target account, owned by a rep. */
export const AccountSchema = z.object({
  id: IdSchema,
  name: Text(300).min(1),
  domains: z.array(Text(253).min(1)).max(50).default([]),
  ownerId: IdSchema.nullable().optional(),
  /** When the account was last active (an ISO instant): a match tie-breaker, the most recent first. */
  lastActivityAt: IsoInstant.nullable().optional(),
});
export type Account = z.infer<typeof AccountSchema>;

/** A queue: a holding place leads go to when no rep takes them. */
export const QueueSchema = z.object({
  id: IdSchema,
  name: Text(200).min(1),
});
export type Queue = z.infer<typeof QueueSchema>;

/** A row of the workspace's firmographics table, used by the `enrich` step. */
export const CompanySchema = z.object({
  domain: Text(253).min(1),
  name: Text(300).optional(),
  employees: z.number().optional(),
  annualRevenue: z.number().optional(),
  industry: Text(200).optional(),
  country: Text(60).optional(),
  technologies: z.array(Text(100)).max(200).optional(),
});
export type Company = z.infer<typeof CompanySchema>;

/** A calendar date, YYYY-MM-DD. */
export const IsoDateSchema = z.iso.date();

/** A public-holiday calendar of the date-holidays package: a country (ISO 3166-1 alpha-2) and optionally a region. */
export const HolidayCalendarSchema = z.object({
  country: z.string().regex(/^[A-Z]{2}$/, 'use an ISO country code such as DE or US'),
  region: z.string().regex(/^[A-Za-z0-9]{1,10}$/, 'use the region code of the holiday calendar, such as BY or CA').optional(),
});
export type HolidayCalendar = z.infer<typeof HolidayCalendarSchema>;

/** A public holiday of a calendar, resolved from the date-holidays package when a directory is loaded. */
export const PublicHolidaySchema = z.object({ date: IsoDateSchema, name: Text(200).min(1) });
export type PublicHoliday = z.infer<typeof PublicHolidaySchema>;

/** A company day off: nobody works, whatever their holiday calendar says. */
export const CompanyDayOffSchema = z.object({ date: IsoDateSchema, name: Text(200).min(1) });
export type CompanyDayOff = z.infer<typeof CompanyDayOffSchema>;

/**
 * Workspace-wide routing settings: the time zone that reset windows and workspace-zone caps count days in,
 * the default holiday calendar of its reps, and the company's days off.
 */
export const WorkspaceSettingsSchema = z.object({
  timeZone: z.string().refine(isValidTimeZone, 'must be an IANA time zone such as Europe/Berlin').default('UTC'),
  holidayCalendar: HolidayCalendarSchema.nullable().default(null),
  daysOff: z.array(CompanyDayOffSchema).max(1000).default([]),
});
export type WorkspaceSettings = z.infer<typeof WorkspaceSettingsSchema>;

/** Settings of a workspace nobody has configured yet. */
export function defaultWorkspaceSettings(): WorkspaceSettings {
  return { timeZone: 'UTC', holidayCalendar: null, daysOff: [] };
}

/** A snapshot of a workspace's directory: what the compiler checks references against and simulations run on. */
export const DirectorySchema = z.object({
  reps: z.array(RepSchema).max(10000).default([]),
  teams: z.array(TeamSchema).max(1000).default([]),
  territories: z.array(TerritorySchema).max(1000).default([]),
  accounts: z.array(AccountSchema).max(200000).default([]),
  queues: z.array(QueueSchema).max(1000).default([]),
  companies: z.array(CompanySchema).max(200000).default([]),
  customFields: z.array(CustomFieldSchema).max(500).default([]),
  settings: WorkspaceSettingsSchema.default(defaultWorkspaceSettings),
  /**
   * Public holidays per holiday calendar (`DE`, `DE-BY`), resolved from date-holidays when the snapshot is
   * loaded (`withPublicHolidays`), so routing and SLA clocks read plain dates: the workflow never loads the package.
   */
  holidays: z.record(z.string().max(20), z.array(PublicHolidaySchema).max(1000)).optional(),
});
export type Directory = z.infer<typeof DirectorySchema>;
export type DirectoryInput = z.input<typeof DirectorySchema>;

/** An empty directory. */
export function emptyDirectory(): Directory {
  return { reps: [], teams: [], territories: [], accounts: [], queues: [], companies: [], customFields: [], settings: defaultWorkspaceSettings() };
}
