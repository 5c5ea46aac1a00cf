import { describe, expect, it } from 'vitest';
import { methodEarlier, methodRows, toggleMethod } from './methods';

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
});
