import type { Territory, TerritoryRule } from '../directory/schema';
import { isMissing, type Lead } from '../fields/lead';

/** The lead's location as territory rules see it. */
export interface LeadLocation {
  country: string | null;
  state: string | null;
  postalCode: string | null;
}

const norm = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim().toUpperCase() : typeof v === 'number' ? String(v) : null);

/** Removes all whitespace (postal codes are compared without spaces: "SW1A 1AA" is "SW1A1AA"). */
function stripSpaces(s: string): string {
  let out: string | null = null;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const space = c === 32 || c === 9 || c === 10 || c === 13 || c === 160;
    if (space && out === null) out = s.slice(0, i);
    else if (!space && out !== null) out += s[i];
  }
  return out ?? s;
}

/** Reads country, state and postal code off a lead, normalised (upper case, trimmed). */
export function leadLocation(lead: Lead): LeadLocation {
  const postal = isMissing(lead.postalCode) ? null : norm(lead.postalCode);
  return {
    country: isMissing(lead.country) ? null : norm(lead.country),
    state: isMissing(lead.state) ? null : norm(lead.state),
    postalCode: postal === null ? null : stripSpaces(postal),
  };
}

/** A location in words, for explanations: `US / CA / 94105`, with `-` for a missing part. */
export function formatLocation(loc: LeadLocation): string {
  return `${loc.country ?? '-'} / ${loc.state ?? '-'} / ${loc.postalCode ?? '-'}`;
}

/** A rule with its parts normalised once (rules are immutable directory data, used for every lead). */
interface PreparedRule {
  countries: ReadonlySet<string> | null;
  states: ReadonlySet<string> | null;
  postalCodes: readonly string[] | null;
}

const preparedRules = new WeakMap<TerritoryRule, PreparedRule>();

function prepareRule(rule: TerritoryRule): PreparedRule {
  let p = preparedRules.get(rule);
  if (p === undefined) {
    p = {
      countries: rule.countries && rule.countries.length > 0 ? new Set(rule.countries.map((c) => c.trim().toUpperCase())) : null,
      states: rule.states && rule.states.length > 0 ? new Set(rule.states.map((c) => c.trim().toUpperCase())) : null,
      postalCodes: rule.postalCodes && rule.postalCodes.length > 0 ? rule.postalCodes.map((c) => stripSpaces(c.trim().toUpperCase())) : null,
    };
    preparedRules.set(rule, p);
  }
  return p;
}

function postalMatches(p: string, code: string): boolean {
  if (p.endsWith('*')) return code.startsWith(p.slice(0, -1));
  const dash = p.indexOf('-');
  if (dash > 0) {
    const lo = p.slice(0, dash);
    const hi = p.slice(dash + 1);
    // Ranges compare codes of the same length as the bounds, so 1000-1999 never matches 10500.
    if (code.length !== lo.length || code.length !== hi.length) return false;
    return code >= lo && code <= hi;
  }
  return code === p;
}

/** True when every part the rule gives matches the location; a rule part the lead lacks never matches. */
export function ruleMatches(rule: TerritoryRule, loc: LeadLocation): boolean {
  const p = prepareRule(rule);
  if (p.countries !== null && (loc.country === null || !p.countries.has(loc.country))) return false;
  if (p.states !== null && (loc.state === null || !p.states.has(loc.state))) return false;
  if (p.postalCodes !== null) {
    const code = loc.postalCode;
    if (code === null) return false;
    let any = false;
    for (const pc of p.postalCodes) {
      if (postalMatches(pc, code)) {
        any = true;
        break;
      }
    }
    if (!any) return false;
  }
  return true;
}

/** True when the location falls in the territory (any of its rules matches). */
export function inTerritory(territory: Territory, loc: LeadLocation): boolean {
  for (const r of territory.rules) if (ruleMatches(r, loc)) return true;
  return false;
}

/** The territory a lead falls in: the lowest priority number wins, then the order given. Null when none covers it. */
export function findTerritory(territories: readonly Territory[], lead: Lead): Territory | null {
  const loc = leadLocation(lead);
  let best: Territory | null = null;
  for (const t of territories) {
    if ((best === null || t.priority < best.priority) && inTerritory(t, loc)) best = t;
  }
  return best;
}
