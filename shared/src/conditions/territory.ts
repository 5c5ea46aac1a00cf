import type { Territory, TerritoryRule } from '../directory/schema';
import { isMissing, type Lead } from '../fields/lead';

/** The lead's location as territory rules see it. */
export interface LeadLocation {
  country: string | null;
  state: string | null;
  postalCode: string | null;
}

const norm = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim().toUpperCase() : typeof v === 'number' ? String(v) : null);

/** Reads country, state and postal code off a lead, normalised (upper case, trimmed). */
export function leadLocation(lead: Lead): LeadLocation {
  return {
    country: isMissing(lead.country) ? null : norm(lead.country),
    state: isMissing(lead.state) ? null : norm(lead.state),
    postalCode: isMissing(lead.postalCode) ? null : norm(lead.postalCode)?.replace(/\s+/g, '') ?? null,
  };
}

/** A location in words, for explanations: `US / CA / 94105`, with `-` for a missing part. */
export function formatLocation(loc: LeadLocation): string {
  return `${loc.country ?? '-'} / ${loc.state ?? '-'} / ${loc.postalCode ?? '-'}`;
}

function postalMatches(pattern: string, code: string): boolean {
  const p = pattern.trim().toUpperCase().replace(/\s+/g, '');
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
  if (rule.countries && rule.countries.length > 0) {
    if (loc.country === null || !rule.countries.some((c) => c.trim().toUpperCase() === loc.country)) return false;
  }
  if (rule.states && rule.states.length > 0) {
    if (loc.state === null || !rule.states.some((s) => s.trim().toUpperCase() === loc.state)) return false;
  }
  if (rule.postalCodes && rule.postalCodes.length > 0) {
    const code = loc.postalCode;
    if (code === null || !rule.postalCodes.some((p) => postalMatches(p, code))) return false;
  }
  return true;
}

/** True when the location falls in the territory (any of its rules matches). */
export function inTerritory(territory: Territory, loc: LeadLocation): boolean {
  return territory.rules.some((r) => ruleMatches(r, loc));
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
