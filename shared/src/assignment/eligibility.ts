import type { Rep } from '../directory/schema';
import type { Lead } from '../fields/lead';
import type { Eligibility } from '../graph/nodes/assign';
import { checkContext, fixedSkills, ineligibility, leadSkill } from './rep-check';
import type { CandidateVerdict, RoutingStateView } from './types';

/** The outcome of checking one rep: eligible, or the first rule that rules them out and why. */
export type RepCheck = { eligible: true } | { eligible: false; verdict: CandidateVerdict; reason: string };

/** The skills a lead needs under this eligibility: the fixed ones plus the lead's value of `skillFromField`. */
export function requiredSkills(eligibility: Eligibility, lead: Lead): { skill: string; fromField: string | null }[] {
  const fixed = fixedSkills(eligibility.skills);
  const out: { skill: string; fromField: string | null }[] = fixed.list.map((r) => ({ skill: r.skill, fromField: r.fromField }));
  const extra = leadSkill(eligibility, lead, fixed);
  if (extra !== null) out.push({ skill: extra.skill, fromField: extra.fromField });
  return out;
}

/**
 * Whether a rep may take this lead now. Checks run in a fixed order and the first failing one is reported:
 * not in directory, inactive, previously assigned, offline, out of office, outside working hours, open-lead
 * cap, daily, weekly and monthly caps, missing skill. `workspaceTimeZone` is where workspace-zone caps count.
 */
export function checkRep(
  rep: Rep | undefined,
  repId: string,
  eligibility: Eligibility,
  lead: Lead,
  now: number,
  state: RoutingStateView,
  exclude: ReadonlySet<string>,
  workspaceTimeZone = 'UTC',
): RepCheck {
  const ctx = checkContext(eligibility, lead, now, state, workspaceTimeZone);
  const reason = ineligibility(rep, repId, exclude.has(repId), ctx);
  return reason === null ? { eligible: true } : { eligible: false, verdict: ctx.verdict, reason };
}
