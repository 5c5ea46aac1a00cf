// The eligibility check at the speed a choice needs: what a choice asks once (flags, skills) is read once,
// what a rep implies (skill set, zone, hours in minutes, absences) is derived once per rep object, and an
// eligible rep costs no allocation. Internal to assignment/; `eligibility.ts` holds the public API.
import type { Rep } from '../directory/schema';
import { isMissing, leadField, type Lead } from '../fields/lead';
import type { Eligibility } from '../graph/nodes/assign';
import type { CandidateVerdict, RoutingStateView } from './types';
import type { Closures } from '../calendar/work-calendar';
import { absenceEnd, outOfOfficePeriods } from './absence';
import { wallClockMs, wallMinutes, wallWeekdayIndex, WEEKDAYS_FROM_MONDAY, zoneOffsets, zoneWallDate, type ZoneOffsets } from './wall-clock';
import { formatLocalDateTime, hhmmToMinutes, minutesToHhmm, type TimeSpan } from './working-hours';
import { periodCapReason } from './period-caps';

const DAY_NAMES = { mon: 'Monday', tue: 'Tuesday', wed: 'Wednesday', thu: 'Thursday', fri: 'Friday', sat: 'Saturday', sun: 'Sunday' } as const;

const UTC_ZONES = new Set(['UTC', 'Etc/UTC', 'Etc/GMT', 'GMT', 'Etc/Universal', 'Etc/Zulu', 'Universal', 'Zulu']);

// ---------------------------------------------------------------------------------------------------------
// What a choice needs to know once, not once per rep: the eligibility's flags and the skills asked for.

/** One skill a lead needs: as written (trimmed), its case-free key, and the lead field it came from. */
export interface RequiredSkill {
  skill: string;
  key: string;
  fromField: string | null;
  /** How a missing-skill reason names it: the skill, and the lead field it came from if any. */
  named?: string;
}

/** The fixed skills of an eligibility, trimmed, keyed in lower case and without duplicates; made once per list. */
export interface FixedSkills {
  /** How many skills the list had when this was made; a list grown or shrunk in place is read again. */
  length: number;
  list: readonly RequiredSkill[];
  keys: ReadonlySet<string>;
}

const NO_SKILLS: FixedSkills = { length: 0, list: [], keys: new Set() };
const fixedSkillsCache = new WeakMap<readonly string[], FixedSkills>();

export function fixedSkills(skills: readonly string[] | undefined): FixedSkills {
  if (skills === undefined || skills === null || skills.length === 0) return NO_SKILLS;
  let fixed = fixedSkillsCache.get(skills);
  if (fixed === undefined || fixed.length !== skills.length) {
    const list: RequiredSkill[] = [];
    const keys = new Set<string>();
    for (const raw of skills) {
      const skill = raw.trim();
      const key = skill.toLowerCase();
      if (skill === '' || keys.has(key)) continue;
      keys.add(key);
      list.push({ skill, key, fromField: null });
    }
    fixed = { length: skills.length, list, keys };
    fixedSkillsCache.set(skills, fixed);
  }
  return fixed;
}

export function leadSkill(eligibility: Eligibility, lead: Lead, fixed: FixedSkills): RequiredSkill | null {
  const field = eligibility.skillFromField;
  if (field === undefined) return null;
  const v = leadField(lead, field);
  // A lead without the field asks for nothing extra: the author chose a field, not a mandatory value.
  if (isMissing(v)) return null;
  const skill = String(v).trim();
  const key = skill.toLowerCase();
  if (skill === '' || fixed.keys.has(key)) return null;
  return { skill, key, fromField: field };
}

/**
 * Everything a rep check reads besides the rep: made once per choice. The defaults mirror the schema's,
 * for callers that pass an eligibility that was never parsed.
 */
export interface EligibilityContext {
  respectOutOfOffice: boolean;
  respectWorkingHours: boolean;
  respectCapacity: boolean;
  /** Availability (#16): whether reps who switched themselves offline are skipped. */
  respectAvailability: boolean;
  /** The workspace's time zone: what caps of reps with `capsTimeZone: 'workspace'` count days in. */
  workspaceTimeZone: string;
  /** The eligibility's fixed skills, then (in `extra`) the one the lead's field adds. */
  skills: readonly RequiredSkill[];
  extra: RequiredSkill | null;
  now: number;
  state: RoutingStateView;
  /** Set by `ineligibility` when it returns a reason: the verdict that goes with it. */
  verdict: CandidateVerdict;
  /** The directory's closed dates (holidays, company days off), checked with working hours; null: none. */
  closures: Closures | null;
}

/** The context of one choice. */
export function checkContext(eligibility: Eligibility, lead: Lead, now: number, state: RoutingStateView, workspaceTimeZone = 'UTC', closures: Closures | null = null): EligibilityContext {
  const fixed = fixedSkills(eligibility.skills);
  return {
    respectOutOfOffice: eligibility.respectOutOfOffice ?? true,
    respectWorkingHours: eligibility.respectWorkingHours ?? true,
    respectCapacity: eligibility.respectCapacity ?? true,
    respectAvailability: eligibility.respectAvailability ?? true,
    workspaceTimeZone,
    skills: fixed.list,
    extra: leadSkill(eligibility, lead, fixed),
    now,
    state,
    verdict: 'not_in_directory',
    closures,
  };
}

// ---------------------------------------------------------------------------------------------------------
// What a check derives from a rep, once per rep object: skill set, zone, working hours in minutes, absences.
// Each part remembers the field it came from (and its length) and is made again if that field is replaced.

/** One weekday of a rep's working hours: spans in minutes and as the explanation writes them. */
interface DayHours {
  src: readonly TimeSpan[] | undefined;
  length: number;
  starts: number[];
  ends: number[];
  /** `09:00-12:00, 13:00-17:00`; empty on a day off. */
  text: string;
}

interface RepInfo {
  skillsSrc: unknown;
  skillsLength: number;
  skillSet: ReadonlySet<string>;
  zone: ZoneOffsets | null;
  hoursSrc: unknown;
  days: (DayHours | undefined)[];
  /** The last absence explained, and how: every lead while a rep is away asks for the same sentence. */
  oooUntil: number;
  oooZone: string;
  oooText: string;
}

const repInfos = new WeakMap<Rep, RepInfo>();
/** No field of a rep is this object, so the first read of each part derives it. */
const UNREAD: unknown = Object.freeze({});

function infoOf(rep: Rep): RepInfo {
  let info = repInfos.get(rep);
  if (info === undefined) {
    info = { skillsSrc: UNREAD, skillsLength: 0, skillSet: new Set(), zone: null, hoursSrc: UNREAD, days: [], oooUntil: NaN, oooZone: '', oooText: '' };
    repInfos.set(rep, info);
  }
  return info;
}

function skillSetOf(info: RepInfo, rep: Rep): ReadonlySet<string> {
  const skills = rep.skills;
  if (info.skillsSrc !== skills || info.skillsLength !== (skills?.length ?? 0)) {
    info.skillSet = new Set((skills ?? []).map((s) => s.trim().toLowerCase()));
    info.skillsSrc = skills;
    info.skillsLength = skills?.length ?? 0;
  }
  return info.skillSet;
}

function zoneOf(info: RepInfo, rep: Rep): ZoneOffsets {
  let zone = info.zone;
  if (zone === null || zone.timeZone !== rep.timeZone) {
    zone = zoneOffsets(rep.timeZone);
    info.zone = zone;
  }
  return zone;
}

const NO_SPANS: readonly TimeSpan[] = [];

/** The rep's hours on a weekday (index from Monday); `workingHours` must be set. */
function hoursOn(info: RepInfo, wh: NonNullable<Rep['workingHours']>, dayIndex: number): DayHours {
  if (info.hoursSrc !== wh) {
    info.days = [];
    info.hoursSrc = wh;
  }
  const spans = wh[WEEKDAYS_FROM_MONDAY[dayIndex] as keyof typeof wh];
  let day = info.days[dayIndex];
  if (day === undefined || day.src !== spans || day.length !== (spans?.length ?? 0)) {
    day = dayHours(spans);
    info.days[dayIndex] = day;
  }
  return day;
}

function dayHours(spans: readonly TimeSpan[] | undefined): DayHours {
  const list = spans ?? NO_SPANS;
  return {
    src: spans,
    length: list.length,
    starts: list.map((s) => hhmmToMinutes(s.start)),
    ends: list.map((s) => hhmmToMinutes(s.end)),
    text: list.map((s) => `${s.start}-${s.end}`).join(', '),
  };
}

function describeOutOfOffice(info: RepInfo, until: number, timeZone: string): string {
  if (info.oooUntil === until && info.oooZone === timeZone) return info.oooText;
  const utc = formatLocalDateTime(until, 'UTC');
  const text = UTC_ZONES.has(timeZone)
    ? `out of office until ${utc} UTC`
    : `out of office until ${utc} UTC (${formatLocalDateTime(until, timeZone)} ${timeZone} time)`;
  info.oooUntil = until;
  info.oooZone = timeZone;
  info.oooText = text;
  return text;
}

function describeOutsideHours(rep: Rep, day: DayHours, dayIndex: number, minutes: number): string {
  const weekday = WEEKDAYS_FROM_MONDAY[dayIndex] as keyof typeof DAY_NAMES;
  const at = `it is ${DAY_NAMES[weekday]} ${minutesToHhmm(minutes)} in ${rep.timeZone}`;
  if (day.starts.length === 0) return `outside working hours: ${at}, a day off`;
  // Inside a gap between two spans of the same day: a break, which ends when the next span starts.
  let next = -1;
  let before = false;
  for (let i = 0; i < day.starts.length; i++) {
    const start = day.starts[i] as number;
    if ((day.ends[i] as number) <= minutes) before = true;
    else if (start > minutes && (next < 0 || start < next)) next = start;
  }
  if (before && next >= 0) return `on a break until ${minutesToHhmm(next)}: ${at}; hours today are ${day.text}`;
  return `outside working hours: ${at}; hours today are ${day.text}`;
}

function missingSkills(have: ReadonlySet<string>, ctx: EligibilityContext): string | null {
  const skills = ctx.skills;
  let named = '';
  let count = 0;
  for (let i = 0; i < skills.length; i++) {
    const r = skills[i] as RequiredSkill;
    if (!have.has(r.key)) named = count++ === 0 ? r.skill : `${named}, ${r.skill}`;
  }
  const extra = ctx.extra;
  if (extra !== null && !have.has(extra.key)) {
    // Written once per choice, when the first rep lacks it.
    extra.named ??= `${extra.skill} (the lead's ${extra.fromField ?? ''})`;
    named = count++ === 0 ? extra.named : `${named}, ${extra.named}`;
  }
  if (count === 0) return null;
  return count === 1 ? `missing skill: ${named}` : `missing skills: ${named}`;
}

// ---------------------------------------------------------------------------------------------------------

function no(ctx: EligibilityContext, verdict: CandidateVerdict, reason: string): string {
  ctx.verdict = verdict;
  return reason;
}

/**
 * Why the rep may not take this lead now, or null when they may; the verdict is then in `ctx.verdict`.
 * Checks run in a fixed order and the first failing one is reported: not in directory, inactive,
 * previously assigned, offline, out of office, on holiday (or a company day off), outside working hours,
 * open-lead cap, daily cap, weekly and monthly caps (period-caps.ts), missing skill.
 * Allocates nothing for an eligible rep: a choice checks every candidate of the pool.
 */
export function ineligibility(rep: Rep | undefined, repId: string, excluded: boolean, ctx: EligibilityContext): string | null {
  if (rep === undefined) return no(ctx, 'not_in_directory', `not in the directory (rep id ${repId})`);
  if (rep.active === false) return no(ctx, 'inactive', 'inactive: not taking leads');
  if (excluded) return no(ctx, 'previously_assigned', 'previously assigned: already had this lead, so it goes to someone else');
  if (ctx.respectAvailability && rep.online === false) return no(ctx, 'offline', 'offline: switched to offline, not taking leads until back online');

  const info = infoOf(rep);
  const now = ctx.now;
  if (ctx.respectOutOfOffice) {
    const until = absenceEnd(outOfOfficePeriods(rep), now);
    if (until !== null) return no(ctx, 'out_of_office', describeOutOfOffice(info, until, rep.timeZone));
  }

  // The wall clock serves both working hours and the per-day cap; it is read once, and only if needed.
  let wall = 0;
  let haveWall = false;

  // Holidays and company days off (issue #16): a closed date in the rep's zone, whatever their hours say.
  const closures = ctx.closures;
  if (ctx.respectWorkingHours && closures !== null) {
    wall = wallClockMs(zoneOf(info, rep), now);
    haveWall = true;
    const closed = closures.closedFor(rep, zoneWallDate(zoneOf(info, rep), wall));
    if (closed !== null) return no(ctx, 'on_holiday', closed);
  }

  const wh = rep.workingHours;
  if (ctx.respectWorkingHours && wh !== null && wh !== undefined) {
    wall = wallClockMs(zoneOf(info, rep), now);
    haveWall = true;
    const dayIndex = wallWeekdayIndex(wall);
    const minutes = wallMinutes(wall);
    // Beyond a Date's range the reading is NaN, as a Date's always was: no weekday names the day.
    const day = dayIndex >= 0 ? hoursOn(info, wh, dayIndex) : dayHours((wh as Record<string, readonly TimeSpan[] | undefined>)['undefined']);
    const { starts, ends } = day;
    let within = false;
    for (let i = 0; i < starts.length; i++) {
      if ((starts[i] as number) <= minutes && minutes < (ends[i] as number)) {
        within = true;
        break;
      }
    }
    if (!within) return no(ctx, 'outside_working_hours', describeOutsideHours(rep, day, dayIndex, minutes));
  }

  if (ctx.respectCapacity) {
    const caps = rep.caps;
    const openCap = caps?.openLeads;
    if (openCap !== undefined) {
      const open = ctx.state.openLoad(repId);
      if (open >= openCap) return no(ctx, 'over_open_cap', `open-lead cap reached: ${open} open of ${openCap}`);
    }
    const dayCap = caps?.perDay;
    const inWorkspaceZone = rep.capsTimeZone === 'workspace' && ctx.workspaceTimeZone !== rep.timeZone;
    if (dayCap !== undefined && !inWorkspaceZone) {
      const zone = zoneOf(info, rep);
      if (!haveWall) wall = wallClockMs(zone, now);
      const today = ctx.state.assignedOn(repId, zoneWallDate(zone, wall));
      if (today >= dayCap) return no(ctx, 'over_daily_cap', `daily cap reached: ${today} of ${dayCap} today`);
    }
    if (inWorkspaceZone || caps?.perWeek !== undefined || caps?.perMonth !== undefined) {
      const over = periodCapReason(rep, repId, ctx, inWorkspaceZone);
      if (over !== null) return over;
    }
  }

  if (ctx.skills.length > 0 || ctx.extra !== null) {
    const missing = missingSkills(skillSetOf(info, rep), ctx);
    if (missing !== null) return no(ctx, 'missing_skill', missing);
  }
  return null;
}

