import { describe, expect, it } from 'vitest';
import { isFreeMailDomain } from './free-mail';

describe('isFreeMailDomain', () => {
  it('knows the big consumer providers, in any case', () => {
    for (const d of ['gmail.com', 'GMAIL.com', ' hotmail.com ', 'icloud.com.', 'proton.me', 'yandex.ru', 'web.de', '163.com']) {
      expect(isFreeMailDomain(d)).toBe(true);
    }
  });

  it('does not flag company domains', () => {
    for (const d of ['acme.com', 'salesforce.com', 'google.com', 'microsoft.com', '', '.']) expect(isFreeMailDomain(d)).toBe(false);
  });

  it('matches whole domains only, not look-alikes or company subdomains', () => {
    for (const d of ['notgmail.com', 'gmail.com.evil.io', 'mail.acme.com', 'gmail', 'bob@gmail.com']) expect(isFreeMailDomain(d)).toBe(false);
  });
});
