import type { Rep } from '../directory/schema';
import { isMissing, type Lead } from '../fields/lead';
import type { Eligibility } from '../graph/nodes/assign';
import type { CandidateVerdict, RoutingStateView } from './types';
import {
  formatLocalDateTime,
  localTime,
  minutesToHhmm,
  outOfOfficeUntil,
  spansOn,
  withinSpans,
  type LocalTime,
} from './working-hours';

/** The outcome of checking one rep: eligible, or the first rule that rules them out and why. */
export type RepCheck = { eligible: true } | { eligible: false; verdict: CandidateVerdict; reason: string };

const DAY_NAMES = { mon: 'Monday', tue: 'Tuesday', wed: 'Wednesday', thu: 'Thursday', fri: 'Friday', sat: 'Saturday', sun: 'Sunday' } as const;

const UTC_ZONES = new Set(['UTC', 'Etc/UTC', 'Etc/GMT', 'GMT', 'Etc/Universal', 'Etc/Zulu', 'Universal', 'Zulu']);

const no = (verdict: CandidateVerdict, reason: string): RepCheck => ({ eligible: false, verdict, reason });

/** The skills a lead needs under this eligibility: the fixed ones plus the lead's value of `skillFromField`. */
export function requiredSkills(eligibility: Eligibility, lead: Lead): { skill: string; fromField: string | null }[] {
  const out: { skill: string; fromField: string | null }[] = [];
  const seen = new Set<string>();
  const add = (skill: string, fromField: string | null): void => {
    const s = skill.trim();
    const key = s.toLowerCase();
    if (s === '' || seen.has(key)) return;
    seen.add(key);
    out.push({ skill: s, fromField });
  };
  for (const s of eligibility.skills ?? []) add(s, null);
  const field = eligibility.skillFromField;
  if (field !== undefined) {
    const v = lead[field];
    // A lead without the field asks for nothing extra: the author chose a field, not a mandatory value.
    if (!isMissing(v)) add(String(v), field);
  }
  return out;
}

function describeOutOfOffice(until: number, timeZone: string): string {
  const utc = formatLocalDateTime(until, 'UTC');
  if (UTC_ZONES.has(timeZone)) return `out of office until ${utc} UTC`;
  return `out of office until ${utc} UTC (${formatLocalDateTime(until, timeZone)} ${timeZone} time)`;
}

function describeOutsideHours(rep: Rep, lt: LocalTime): string {
  const spans = spansOn(rep, lt.day) ?? [];
  const at = `it is ${DAY_NAMES[lt.day]} ${minutesToHhmm(lt.minutes)} in ${rep.timeZone}`;
  if (spans.length === 0) return `outside working hours: ${at}, a day off`;
  const hours = spans.map((s) => `${s.start}-${s.end}`).join(', ');
  return `outside working hours: ${at}; hours today are ${hours}`;
}

/**
 * Whether a rep may take this lead now. Checks run in a fixed order and the first failing one is reported:
 * not in directory, inactive, previously assigned, out of office, outside working hours, open-lead cap,
 * daily cap, missing skill.
 */
export function checkRep(
  rep: Rep | undefined,
  repId: string,
  eligibility: Eligibility,
  lead: Lead,
  now: number,
  state: RoutingStateView,
  exclude: ReadonlySet<string>,
): RepCheck {
  if (rep === undefined) return no('not_in_directory', `not in the directory (rep id ${repId})`);
  if (rep.active === false) return no('inactive', 'inactive: not taking leads');
  if (exclude.has(repId)) return no('previously_assigned', 'previously assigned: already had this lead, so it goes to someone else');

  // Defaults mirror the schema's, for callers that pass an eligibility that was never parsed.
  const respectOoo = eligibility.respectOutOfOffice ?? true;
  const respectHours = eligibility.respectWorkingHours ?? true;
  const respectCapacity = eligibility.respectCapacity ?? true;

  if (respectOoo) {
    const until = outOfOfficeUntil(rep, now);
    if (until !== null) return no('out_of_office', describeOutOfOffice(until, rep.timeZone));
  }

  // The local reading serves both working hours and the per-day cap; reading it once halves the Intl calls.
  let lt: LocalTime | null = null;
  const local = (): LocalTime => (lt ??= localTime(now, rep.timeZone));

  if (respectHours && rep.workingHours !== null && rep.workingHours !== undefined) {
    const t = local();
    if (!withinSpans(spansOn(rep, t.day) ?? [], t.minutes)) return no('outside_working_hours', describeOutsideHours(rep, t));
  }

  if (respectCapacity) {
    const openCap = rep.caps?.openLeads;
    if (openCap !== undefined) {
      const open = state.openLoad(repId);
      if (open >= openCap) return no('over_open_cap', `open-lead cap reached: ${open} open of ${openCap}`);
    }
    const dayCap = rep.caps?.perDay;
    if (dayCap !== undefined) {
      const today = state.assignedOn(repId, local().date);
      if (today >= dayCap) return no('over_daily_cap', `daily cap reached: ${today} of ${dayCap} today`);
    }
  }

  const have = new Set((rep.skills ?? []).map((s) => s.trim().toLowerCase()));
  const missing = requiredSkills(eligibility, lead).filter((r) => !have.has(r.skill.toLowerCase()));
  if (missing.length > 0) {
    const named = missing.map((m) => (m.fromField === null ? m.skill : `${m.skill} (the lead's ${m.fromField})`));
    return no('missing_skill', `missing skill${missing.length === 1 ? '' : 's'}: ${named.join(', ')}`);
  }

  return { eligible: true };
}
