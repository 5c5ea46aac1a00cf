import { MATCH_METHODS, MATCH_TIE_BREAKERS, type MatchMethod } from '@lead-router/shared';
import { moveItem } from '../../inspector/list-ops';

/** What each matching method compares, as the form names it. */
export const METHOD_LABELS: Record<MatchMethod, string> = {
  email_domain: "Email domain (the lead's email, not free mail)",
  website_domain: "Website domain (the lead's website)",
  company_name: 'Company name (normalised: case, punctuation and Inc/Ltd/GmbH ignored)',
};

/** Every method in the order the form lists them: the chosen ones in their order, then the rest. */
export function methodRows(by: readonly MatchMethod[]): { method: MatchMethod; on: boolean }[] {
  return [...by.map((method) => ({ method, on: true })), ...MATCH_METHODS.filter((m) => !by.includes(m)).map((method) => ({ method, on: false }))];
}

/** The methods with one turned on (tried last) or off. */
export function toggleMethod(by: readonly MatchMethod[], method: MatchMethod, on: boolean): MatchMethod[] {
  return on ? (by.includes(method) ? [...by] : [...by, method]) : by.filter((m) => m !== method);
}

/** The methods with one tried a place earlier. */
export function methodEarlier(by: readonly MatchMethod[], method: MatchMethod): MatchMethod[] {
  const i = by.indexOf(method);
  return moveItem(by, i, i - 1);
}

type TieBreaker = (typeof MATCH_TIE_BREAKERS)[number];

/** The tie-breaker orders the form offers, keyed by their joined ids ('' is account id order only). */
export const TIE_BREAK_CHOICES: readonly { value: string; label: string }[] = [
  { value: 'has_owner,most_recent', label: 'Owned, then most recent' },
  { value: 'most_recent,has_owner', label: 'Most recent, then owned' },
  { value: 'has_owner', label: 'Owned accounts' },
  { value: 'most_recent', label: 'Most recently active' },
  { value: '', label: 'Neither (by account id)' },
];

/** The choice value of a config's tie-breakers (absent: the default, owner then recent). */
export function tieBreakValue(t: readonly TieBreaker[] | undefined): string {
  return (t ?? ['has_owner', 'most_recent']).join(',');
}

/** The tie-breakers of a choice value. */
export function tieBreakersOf(value: string): TieBreaker[] {
  return value === '' ? [] : (value.split(',').filter((v): v is TieBreaker => (MATCH_TIE_BREAKERS as readonly string[]).includes(v)));
}
