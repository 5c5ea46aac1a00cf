import { describe, expect, it } from 'vitest';
import { domainOf, matchAccountByMethods as matchAccount } from './directory-index';
import { normalizeCompanyName } from './company-name';
import { dirOf } from './assignment.fixtures';

const FREE = new Set(['gmail.com', 'outlook.com']);
const isFreeMail = (d: string): boolean => FREE.has(d);

describe('normalizeCompanyName', () => {
  it.each([
    ['Acme, Inc.', 'acme'],
    ['ACME Inc', 'acme'],
    ['Acme LLC', 'acme'],
    ['Acme Co., Ltd.', 'acme'],
    ['Siemens AG', 'siemens'],
    ['Müller GmbH', 'muller'],
    ['Muller GMBH', 'muller'],
    ['Nestlé S.A.', 'nestle'],
    ['Philips B.V.', 'philips'],
    ['Barclays PLC', 'barclays'],
    ['Widget Corp.', 'widget'],
    ['Smith & Co.', 'smith'],
    ['Johnson & Johnson', 'johnson and johnson'],
    ["McDonald's Corporation", 'mcdonalds'],
    ['  Big   Data -- Labs  ', 'big data labs'],
    ['Company', 'company'],
    ['Co-op Bank', 'co op bank'],
    ['AG Barr plc', 'ag barr'],
    ['!!!', ''],
  ])('%s -> %s', (input, out) => {
    expect(normalizeCompanyName(input)).toBe(out);
  });
});

describe('domainOf', () => {
  it.each([
    ['ana@Acme.com', 'acme.com'],
    [' Ana.Diaz+tag@mail.ACME.co.uk ', 'mail.acme.co.uk'],
    ['mailto:ana@acme.com', 'acme.com'],
    ['Ana Diaz <ana@acme.com>', 'acme.com'],
    ['https://www.acme.com/pricing?x=1#top', 'acme.com'],
    ['http://acme.com:8080', 'acme.com'],
    ['HTTPS://WWW.ACME.COM', 'acme.com'],
    ['www.acme.com', 'acme.com'],
    ['acme.com', 'acme.com'],
    ['acme.com.', 'acme.com'],
    ['//acme.io/x', 'acme.io'],
    ['https://user:pw@acme.com/', 'acme.com'],
    ['https://münchen.de', 'münchen.de'],
    ['localhost', null],
    ['not a domain', null],
    ['ana@', null],
    ['', null],
    ['https://', null],
  ])('%s -> %s', (input, out) => {
    expect(domainOf(input)).toBe(out);
  });
});

describe('indexDirectory', () => {
  const idx = dirOf({
    reps: [{ id: 'r1', name: 'Ana', email: 'ana@x.com', timeZone: 'UTC' }],
    teams: [{ id: 't1', name: 'Inbound', members: [{ repId: 'r1' }] }],
    territories: [{ id: 'west', name: 'West', rules: [{ states: ['CA'] }] }],
    queues: [{ id: 'q1', name: 'Triage' }],
    accounts: [
      { id: 'a1', name: 'Acme, Inc.', domains: ['WWW.Acme.com', 'https://acme.io/'], ownerId: 'r1' },
      { id: 'a2', name: 'ACME LLC', domains: ['acme.com'] },
    ],
    companies: [{ domain: 'www.Globex.com', name: 'Globex' }],
  });

  it('indexes by id', () => {
    expect(idx.reps.get('r1')?.name).toBe('Ana');
    expect(idx.teams.get('t1')?.name).toBe('Inbound');
    expect(idx.territoriesById.get('west')?.name).toBe('West');
    expect(idx.territories.map((t) => t.id)).toEqual(['west']);
    expect(idx.queues.get('q1')?.name).toBe('Triage');
    expect(idx.accounts.get('a2')?.name).toBe('ACME LLC');
  });

  it('normalises domains and names; the first account keeps a shared key', () => {
    expect([...idx.accountsByDomain.keys()].sort()).toEqual(['acme.com', 'acme.io']);
    expect(idx.accountsByDomain.get('acme.com')?.id).toBe('a1');
    expect(idx.accountsByName.get('acme')?.id).toBe('a1');
    expect(idx.companiesByDomain.get('globex.com')?.name).toBe('Globex');
  });
});

describe('matchAccount', () => {
  const idx = dirOf({
    accounts: [
      { id: 'a1', name: 'Acme, Inc.', domains: ['acme.com'], ownerId: 'r1' },
      { id: 'a2', name: 'Globex Corporation', domains: ['globex.io'] },
      { id: 'a3', name: 'Gmail Fans Ltd', domains: ['gmail.com'] },
    ],
  });
  const all = ['email_domain', 'website_domain', 'company_name'] as const;

  it('matches by email domain first', () => {
    const r = matchAccount({ email: 'ana@ACME.com', website: 'globex.io' }, [...all], idx, isFreeMail);
    expect(r.account?.id).toBe('a1');
    expect(r.method).toBe('email_domain');
    expect(r.detail).toBe('Email domain acme.com matched account Acme, Inc.');
  });

  it('tries parent domains of the email', () => {
    const r = matchAccount({ email: 'ana@eu.sales.acme.com' }, ['email_domain'], idx, isFreeMail);
    expect(r.account?.id).toBe('a1');
    expect(r.detail).toContain('eu.sales.acme.com (via acme.com)');
  });

  it('skips free-mail email domains', () => {
    const r = matchAccount({ email: 'ana@gmail.com', company: 'Globex Corp.' }, [...all], idx, isFreeMail);
    expect(r.account?.id).toBe('a2');
    expect(r.method).toBe('company_name');
  });

  it('matches by website, falling back to the domain field', () => {
    expect(matchAccount({ website: 'https://www.globex.io/about' }, ['website_domain'], idx, isFreeMail).account?.id).toBe('a2');
    expect(matchAccount({ domain: 'globex.io' }, ['website_domain'], idx, isFreeMail).method).toBe('website_domain');
  });

  it('respects the order given', () => {
    const lead = { email: 'ana@acme.com', company: 'Globex' };
    expect(matchAccount(lead, ['company_name', 'email_domain'], idx, isFreeMail).account?.id).toBe('a2');
    expect(matchAccount(lead, ['email_domain', 'company_name'], idx, isFreeMail).account?.id).toBe('a1');
    // A method not asked for is never tried.
    expect(matchAccount(lead, ['website_domain'], idx, isFreeMail).account).toBeNull();
  });

  it('says what each method tried when nothing matches', () => {
    const r = matchAccount({ email: 'bo@gmail.com', website: 'not a site', company: 'Initech' }, [...all], idx, isFreeMail);
    expect(r).toEqual({
      account: null,
      method: null,
      detail:
        'No account matched by email domain, website, company name: email domain gmail.com is free mail; ' +
        'website "not a site" has no domain; no account named like "Initech"',
    });
    expect(matchAccount({}, [...all], idx, isFreeMail).detail).toBe(
      'No account matched by email domain, website, company name: no email; no website; no company name',
    );
  });
});
