import { MATCH_METHODS, type MatchMethod } from '@lead-router/shared';
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
