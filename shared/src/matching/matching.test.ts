import { describe, expect, it } from 'vitest';
import { prng } from '../fixtures/prng';
import { COMPANY_NAME_PAIRS_TSV } from './fixtures/company-name-pairs';
import { PSL_TEST_VECTORS } from './fixtures/psl-test-vectors';
import { isFreeMailDomain } from '../fields/free-mail';
import { normalizeCompanyName } from './company-name';
import { registrableDomain } from './domain';
import { pickEarlierLead, type EarlierLead } from './duplicates';
import { indexAccounts, matchAccount, type MatchableAccount } from './match';
import { parseNamePairs, scoreNamePairs } from './pairs';
import { companySimilarity, DEFAULT_FUZZY_THRESHOLD } from './similarity';

describe('registrableDomain', () => {
  // The Public Suffix List's own checkPublicSuffix vectors (tests/test_psl.txt), committed as a fixture.
  const vectors = PSL_TEST_VECTORS.map(([input, expected]) => [input, expected] as [string | null, string | null]);

  it('has the list test file vectors', () => {
    expect(vectors.length).toBe(78);
  });

  it.each(vectors)('checkPublicSuffix(%j) = %j', (input, expected) => {
    expect(registrableDomain(input)).toBe(expected);
  });

  it.each([
    ['mail.acme.co.uk', 'acme.co.uk'],
    ['ana@mail.acme.co.uk', 'acme.co.uk'],
    ['Ana Diaz <ana@EU.Acme.com>', 'acme.com'],
    ['mailto:ana@acme.com', 'acme.com'],
    ['https://www.acme.com.au/pricing?x=1', 'acme.com.au'],
    ['acme.github.io', 'acme.github.io'],
    ['192.168.0.1', null],
    ['localhost', null],
    ['not a domain', null],
    ['', null],
    [`${'a'.repeat(600)}.com`, null],
  ])('registrableDomain(%j) = %j', (input, expected) => {
    expect(registrableDomain(input)).toBe(expected);
  });
});

describe('normalizeCompanyName', () => {
  it.each([
    ['Siemens AG', 'siemens'],
    ['SIEMENS Aktiengesellschaft', 'siemens'],
    ['The Procter & Gamble Company', 'procter and gamble'],
    ['Procter & Gamble Co.', 'procter and gamble'],
    ['Société Générale S.A.', 'societe generale'],
    ['Toyota Motor Co., Ltd.', 'toyota motor'],
    ['Kabushiki Kaisha Toshiba', 'toshiba'],
    ['Toshiba K.K.', 'toshiba'],
    ['Grupo Bimbo, S.A.B. de C.V.', 'grupo bimbo'],
    ['Henkel AG & Co. KGaA', 'henkel'],
    ['Aldi GmbH & Co. KG', 'aldi'],
    ['Novo Nordisk A/S', 'novo nordisk'],
    ['Atlassian Pty. Ltd.', 'atlassian'],
    ['Wipro Private Limited', 'wipro'],
    ['Petronas Sdn. Bhd.', 'petronas'],
    ['PT Bank Central Asia Tbk', 'bank central asia'],
    ['OOO Yandex', 'yandex'],
    ['Allegro.eu Sp. z o.o.', 'allegroeu'],
    ['Amazon.com, Inc.', 'amazon'],
    ['Straße AG', 'strasse'],
    ['A.P. Møller - Mærsk A/S', 'ap moller maersk'],
    // Legal words elsewhere in a name stay.
    ['AG Barr plc', 'ag barr'],
    ['The Co-operative Bank', 'co operative bank'],
    ['Company', 'co'],
    ['The', 'the'],
    ['...', ''],
  ])('normalizeCompanyName(%j) = %j', (input, expected) => {
    expect(normalizeCompanyName(input)).toBe(expected);
  });

  it('reads at most 300 characters', () => {
    expect(normalizeCompanyName(`Acme ${'x'.repeat(10_000)}`).length).toBeLessThanOrEqual(300);
  });
});

describe('companySimilarity on real-world name pairs', () => {
  const pairs = parseNamePairs(COMPANY_NAME_PAIRS_TSV);

  it('has at least 100 labelled pairs of each kind together', () => {
    expect(pairs.length).toBeGreaterThanOrEqual(100);
    expect(pairs.filter((p) => p.same).length).toBeGreaterThanOrEqual(50);
    expect(pairs.filter((p) => !p.same).length).toBeGreaterThanOrEqual(50);
  });

  it(`tells them apart with precision and recall of at least 0.95 at the default threshold ${DEFAULT_FUZZY_THRESHOLD}`, () => {
    const r = scoreNamePairs(pairs);
    expect(r.precision).toBeGreaterThanOrEqual(0.95);
    expect(r.recall).toBeGreaterThanOrEqual(0.95);
  });

  it('is symmetric and 1 for the same normalised name', () => {
    for (const p of pairs) expect(companySimilarity(p.a, p.b)).toBe(companySimilarity(p.b, p.a));
    expect(companySimilarity('Siemens AG', 'SIEMENS Aktiengesellschaft')).toBe(1);
    expect(companySimilarity('Delta Air Lines', 'Delta Faucet')).toBeLessThan(0.5);
  });
});

const ACCOUNTS: MatchableAccount[] = [
  { id: 'a-acme', name: 'Acme Corporation', domains: ['acme.com', 'acme.co.uk', 'acme-industries.de'], ownerId: 'rep-ana', lastActivityAt: '2026-01-10T00:00:00Z' },
  { id: 'a-acme-labs', name: 'Acme Labs GmbH', domains: ['labs.acme.com'], ownerId: null },
  { id: 'a-globex', name: 'Globex, Inc.', domains: ['globex.io'], ownerId: 'rep-bo', lastActivityAt: '2026-02-01T00:00:00Z' },
  { id: 'a-globex-2', name: 'Globex Incorporated', domains: [], ownerId: 'rep-cara', lastActivityAt: '2026-03-01T00:00:00Z' },
  { id: 'a-globex-3', name: 'GLOBEX', domains: [], ownerId: null, lastActivityAt: '2026-04-01T00:00:00Z' },
  { id: 'a-initech', name: 'Initech Software Solutions', domains: ['initech.com'] },
  { id: 'a-pg', name: 'The Procter & Gamble Company', domains: ['pg.com'], ownerId: 'rep-dev' },
];
const ALL = ['email_domain', 'website_domain', 'company_name'] as const;

describe('matchAccount', () => {
  it('matches the registrable domain of any of an account’s domains', () => {
    const r = matchAccount({ email: 'ana@mail.acme.co.uk' }, ACCOUNTS, { by: ALL });
    expect(r.account?.id).toBe('a-acme');
    expect(r.rule).toBe('email_domain');
    expect(r.candidates[0]).toMatchObject({ accountId: 'a-acme', score: 0.99, via: 'mail.acme.co.uk (via acme.co.uk)' });
  });

  it('prefers the account listing the exact host over the one sharing its registrable domain', () => {
    const r = matchAccount({ email: 'bo@labs.acme.com' }, ACCOUNTS, { by: ALL });
    expect(r.account?.id).toBe('a-acme-labs');
    expect(r.candidates.map((c) => [c.accountId, c.score])).toEqual([
      ['a-acme-labs', 1],
      ['a-acme', 0.99],
    ]);
  });

  it('never matches a free-mail address by domain', () => {
    const accounts = [...ACCOUNTS, { id: 'a-gmail', name: 'Google', domains: ['gmail.com'] }];
    const r = matchAccount({ email: 'someone@gmail.com' }, accounts, { by: ['email_domain'], isFreeMail: isFreeMailDomain });
    expect(r.account).toBeNull();
    expect(r.detail).toBe('No account matched by email domain: email domain gmail.com is free mail');
  });

  it('ranks exact domain over normalised name over fuzzy name', () => {
    const lead = { email: 'x@initech.com', company: 'Procter and Gamble', website: 'globex.io' };
    const r = matchAccount(lead, ACCOUNTS, { by: ['company_name', 'email_domain'], fuzzyThreshold: 0.85 });
    expect(r.account?.id).toBe('a-pg');
    expect(r.candidates.map((c) => c.rule)).toEqual(['company_name', 'email_domain']);
    const fuzzy = matchAccount({ company: 'Initech Sofware Solutions' }, ACCOUNTS, { by: ALL, fuzzyThreshold: 0.85 });
    expect(fuzzy.rule).toBe('fuzzy_name');
    expect(fuzzy.account?.id).toBe('a-initech');
    expect(matchAccount({ company: 'Initech Sofware Solutions' }, ACCOUNTS, { by: ALL }).account).toBeNull();
  });

  it('breaks ties by owner, then most recent activity, then id; and says so', () => {
    const r = matchAccount({ company: 'Globex Corp.' }, ACCOUNTS, { by: ['company_name'] });
    expect(r.candidates.map((c) => c.accountId)).toEqual(['a-globex-2', 'a-globex', 'a-globex-3']);
    expect(r.detail).toContain('ahead of Globex, Inc. because it was active most recently');
    const recent = matchAccount({ company: 'Globex Corp.' }, ACCOUNTS, { by: ['company_name'], tieBreakers: ['most_recent'] });
    expect(recent.account?.id).toBe('a-globex-3');
    const byId = matchAccount({ company: 'Globex Corp.' }, ACCOUNTS, { by: ['company_name'], tieBreakers: [] });
    expect(byId.account?.id).toBe('a-globex');
    expect(byId.detail).toContain('by account id');
  });

  it('keeps at most maxCandidates candidates but counts them all', () => {
    const many = Array.from({ length: 30 }, (_, i) => ({ id: `a${String(i).padStart(2, '0')}`, name: 'Umbrella Ltd', domains: [] }));
    const r = matchAccount({ company: 'Umbrella' }, many, { by: ['company_name'] });
    expect(r.candidates).toHaveLength(10);
    expect(r.candidateCount).toBe(30);
    expect(r.account?.id).toBe('a00');
  });

  it('says what each method tried when nothing matched', () => {
    const r = matchAccount({ email: 'nobody', company: '!!!' }, ACCOUNTS, { by: ALL });
    expect(r.detail).toBe('No account matched by email domain, website, company name: email "nobody" has no domain; no website; company name "!!!" has no letters or digits');
  });

  // Property: the answer does not depend on the accounts' order, and the same input always gives the same answer.
  it('is deterministic and independent of the accounts’ order (seeded shuffles)', () => {
    const rand = prng(16);
    const names = ['Acme', 'Acme Corp', 'ACME Inc.', 'Acme Labs', 'Globex', 'Globex GmbH', 'Initech', 'Initek', 'Umbrella', 'Umbrela Co'];
    const domains = ['acme.com', 'acme.co.uk', 'globex.io', 'initech.com', 'umbrella.org', 'mail.acme.com'];
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
    for (let round = 0; round < 200; round++) {
      const accounts: MatchableAccount[] = Array.from({ length: 2 + Math.floor(rand() * 12) }, (_, i) => ({
        id: `a${i}`,
        name: pick(names),
        domains: rand() < 0.6 ? [pick(domains)] : [],
        ownerId: rand() < 0.5 ? `rep-${i}` : null,
        lastActivityAt: rand() < 0.5 ? Math.floor(rand() * 4) * 86_400_000 : null,
      }));
      const lead = { email: `x@${pick(domains)}`, company: pick(names), website: pick(domains) };
      const options = { by: [...ALL].sort(() => rand() - 0.5), fuzzyThreshold: rand() < 0.5 ? 0.85 : null };
      const first = matchAccount(lead, accounts, options);
      expect(matchAccount(lead, accounts, options)).toEqual(first);
      const shuffled = [...accounts].sort(() => rand() - 0.5);
      expect(matchAccount(lead, shuffled, options)).toEqual(first);
      expect(matchAccount(lead, indexAccounts(shuffled), options)).toEqual(first);
    }
  });
});

describe('pickEarlierLead', () => {
  const DAY = 86_400_000;
  const at = Date.UTC(2026, 2, 10);
  const earlier: EarlierLead[] = [
    { leadId: 'l3', email: 'Ana@Acme.com', receivedAt: at - 2 * DAY, repId: 'rep-bo' },
    { leadId: 'l2', email: 'ana@acme.com ', receivedAt: at - 5 * DAY, repId: 'rep-ana' },
    { leadId: 'l1', email: 'ana@acme.com', receivedAt: at - 40 * DAY, repId: 'rep-cara' },
    { leadId: 'l4', email: 'ana@acme.com', receivedAt: at - 1 * DAY, repId: null },
    { leadId: 'l5', email: 'ana@acme.com', receivedAt: at + DAY, repId: 'rep-dev' },
  ];
  it('takes the first lead within the window that a rep holds', () => {
    expect(pickEarlierLead(earlier, { leadId: 'new', email: 'ANA@acme.com', at }, 30)).toEqual({ leadId: 'l2', repId: 'rep-ana', receivedAt: new Date(at - 5 * DAY).toISOString() });
    expect(pickEarlierLead(earlier, { leadId: 'new', email: 'ana@acme.com', at }, 3)?.leadId).toBe('l3');
    expect(pickEarlierLead(earlier, { leadId: 'new', email: 'ana@acme.com', at }, 1)).toBeNull();
    expect(pickEarlierLead(earlier, { leadId: 'new', email: 'bo@acme.com', at }, 30)).toBeNull();
    expect(pickEarlierLead(earlier, { leadId: 'new', email: 42, at }, 30)).toBeNull();
    expect(pickEarlierLead([...earlier].reverse(), { leadId: 'l2', email: 'ana@acme.com', at }, 30)?.leadId).toBe('l3');
  });
});
