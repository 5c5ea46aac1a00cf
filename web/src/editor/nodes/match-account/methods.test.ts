import { describe, expect, it } from 'vitest';
import { methodEarlier, methodRows, TIE_BREAK_CHOICES, tieBreakersOf, tieBreakValue, toggleMethod } from './methods';
import { summarizeMatchAccount } from './summary';

describe('match methods', () => {
  it('lists chosen methods in their order, then the rest', () => {
    expect(methodRows(['company_name', 'email_domain'])).toEqual([
      { method: 'company_name', on: true },
      { method: 'email_domain', on: true },
      { method: 'website_domain', on: false },
    ]);
  });

  it('turns a method on (tried last) or off, and moves one earlier', () => {
    expect(toggleMethod(['email_domain'], 'company_name', true)).toEqual(['email_domain', 'company_name']);
    expect(toggleMethod(['email_domain'], 'email_domain', true)).toEqual(['email_domain']);
    expect(toggleMethod(['email_domain', 'company_name'], 'email_domain', false)).toEqual(['company_name']);
    expect(methodEarlier(['email_domain', 'company_name'], 'company_name')).toEqual(['company_name', 'email_domain']);
    expect(methodEarlier(['email_domain', 'company_name'], 'email_domain')).toEqual(['email_domain', 'company_name']);
  });

  it('reads and writes the tie-breakers as one choice, the default being owner then recent', () => {
    expect(tieBreakValue(undefined)).toBe('has_owner,most_recent');
    expect(tieBreakValue([])).toBe('');
    for (const c of TIE_BREAK_CHOICES) expect(tieBreakValue(tieBreakersOf(c.value))).toBe(c.value);
    expect(tieBreakersOf('most_recent,bogus')).toEqual(['most_recent']);
  });

  it('summarises the options that are on', () => {
    expect(summarizeMatchAccount({ by: ['email_domain'] })).toBe('By email domain');
    expect(summarizeMatchAccount({ by: ['email_domain', 'company_name'], fuzzyThreshold: 0.85, duplicateWithinDays: 30 })).toBe(
      'By email domain, company name; similar names >= 0.85; repeat leads within 30 days',
    );
  });
});
