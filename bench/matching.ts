// Account matching: how well company names are told apart (precision and recall of "the same company" over
// the labelled real-world pairs of shared/src/matching/fixtures/company-name-pairs.ts, both held to >= 0.95)
// at the default fuzzy threshold and around it, and the cost of one matchAccount call over a directory of
// 20,000 accounts. `npx tsx bench/matching.ts`, or `BENCH_ONLY=matching npm run bench`.
import { DEFAULT_FUZZY_THRESHOLD, indexAccounts, isFreeMailDomain, matchAccount, parseNamePairs, scoreNamePairs, type MatchableAccount } from '@lead-router/shared';
import { COMPANY_NAME_PAIRS_TSV } from '../shared/src/matching/fixtures/company-name-pairs';
import { report, type BenchRow } from './results';

const ACCOUNTS = Number(process.env.MATCHING_ACCOUNTS ?? 20_000);
const CALLS = Number(process.env.MATCHING_CALLS ?? 5_000);

/** A directory of generated accounts: made-up two-word names (some sharing words), a domain each. */
function accountsOf(n: number): MatchableAccount[] {
  const a = ['Acme', 'Globex', 'Initech', 'Umbrella', 'Hooli', 'Soylent', 'Stark', 'Wayne', 'Wonka', 'Tyrell', 'Cyberdyne', 'Aperture', 'Vandelay', 'Gringotts', 'Oscorp'];
  const b = ['Systems', 'Labs', 'Foods', 'Motors', 'Analytics', 'Logistics', 'Health', 'Capital', 'Energy', 'Robotics'];
  const suffix = ['Inc.', 'GmbH', 'S.A.', 'Ltd', 'KK', 'LLC', ''];
  return Array.from({ length: n }, (_, i) => ({
    id: `acct-${String(i).padStart(6, '0')}`,
    name: `${a[i % a.length]} ${b[Math.floor(i / a.length) % b.length]} ${i} ${suffix[i % suffix.length]}`.trim(),
    domains: [`${(a[i % a.length] as string).toLowerCase()}${i}.com`],
    ownerId: i % 3 === 0 ? null : `rep-${i % 7}`,
  }));
}

export function runMatchingBench(): void {
  const pairs = parseNamePairs(COMPANY_NAME_PAIRS_TSV);
  const same = pairs.filter((p) => p.same).length;
  const rows: BenchRow[] = [];
  for (const threshold of [0.75, 0.8, DEFAULT_FUZZY_THRESHOLD, 0.9, 0.95]) {
    const r = scoreNamePairs(pairs, threshold);
    const isDefault = threshold === DEFAULT_FUZZY_THRESHOLD;
    rows.push({
      name: `name pairs (${same} same, ${pairs.length - same} different), threshold ${threshold}${isDefault ? ' (default)' : ''}: precision`,
      value: r.precision.toFixed(3),
      target: isDefault ? '>= 0.95' : '-',
      met: isDefault ? r.precision >= 0.95 : null,
    });
    rows.push({ name: `... threshold ${threshold}: recall`, value: r.recall.toFixed(3), target: isDefault ? '>= 0.95' : '-', met: isDefault ? r.recall >= 0.95 : null });
  }
  const wrong = scoreNamePairs(pairs).wrong.map((w) => `${w.same ? 'missed' : 'false match'}: "${w.a}" / "${w.b}" (${w.score})`);

  const accounts = accountsOf(ACCOUNTS);
  const t0 = performance.now();
  const index = indexAccounts(accounts);
  const indexMs = performance.now() - t0;
  // The worker re-reads the directory every few seconds: a rebuild of unchanged accounts reuses their derivation.
  const t00 = performance.now();
  indexAccounts(accounts.map((x) => ({ ...x })));
  const reindexMs = performance.now() - t00;
  const leads = Array.from({ length: 1000 }, (_, i) => {
    const acc = accounts[(i * 7919) % accounts.length] as MatchableAccount;
    return i % 3 === 0
      ? { email: `x@mail.${acc.domains?.[0] ?? 'none.com'}` }
      : { email: `x${i}@gmail.com`, company: i % 3 === 1 ? acc.name.toUpperCase() : acc.name.replace(/s /, ' ') };
  });
  const options = { by: ['email_domain', 'website_domain', 'company_name'] as const, fuzzyThreshold: DEFAULT_FUZZY_THRESHOLD, isFreeMail: isFreeMailDomain };
  let matched = 0;
  for (let i = 0; i < 2000; i++) matchAccount(leads[i % leads.length] as never, index, options);
  const t1 = performance.now();
  for (let i = 0; i < CALLS; i++) if (matchAccount(leads[i % leads.length] as never, index, options).account) matched++;
  const us = ((performance.now() - t1) * 1000) / CALLS;
  rows.push({ name: `index ${ACCOUNTS.toLocaleString('en')} accounts`, value: `${indexMs.toFixed(0)} ms`, target: '-', met: null });
  rows.push({ name: `re-index the same ${ACCOUNTS.toLocaleString('en')} accounts (a directory re-read)`, value: `${reindexMs.toFixed(0)} ms`, target: '-', met: null });
  rows.push({ name: `matchAccount over ${ACCOUNTS.toLocaleString('en')} accounts (domain, exact and fuzzy names), ${CALLS.toLocaleString('en')} calls`, value: `${us.toFixed(1)} us/call (${((100 * matched) / CALLS).toFixed(0)}% matched)`, target: '-', met: null });
  report('Account matching (bench/matching.ts)', rows, ['Pairs judged wrongly at the default threshold:', ...wrong]);
}

if (import.meta.url === `file://${process.argv[1]}`) runMatchingBench();
