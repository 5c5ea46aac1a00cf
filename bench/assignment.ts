// Assignment micro-benchmark: microseconds per chooseAssignee call for each strategy, and per matchAccount
// call, on the demo directory. Not a test and not part of `npm run bench`; run it by hand:
//   npx tsx bench/assignment.ts [--rounds N] [--iterations N]
// Each case is warmed up (>= 20,000 calls) and then timed over several rounds; the median and the best round
// are printed. The machine is shared, so compare medians of repeated runs rather than single figures.
// A chooseAssignee call is timed as the simulation makes it: input built, choice made (every candidate's
// verdict, reason and explanation line included), update applied to a MemoryRoutingState.
import {
  chooseAssignee,
  DirectorySchema,
  indexDirectory,
  isFreeMailDomain,
  matchAccountByMethods as matchAccount,
  MemoryRoutingState,
  type AssignStrategy,
  type ChooseInput,
  type Eligibility,
  type Lead,
  type MatchMethod,
} from '@lead-router/shared';
import { demoDirectory, generateSampleLeads } from '@lead-router/shared/fixtures';

const args = process.argv.slice(2);
const flag = (name: string, fallback: number): number => {
  const i = args.indexOf(name);
  const v = i >= 0 ? Number(args[i + 1]) : NaN;
  return Number.isFinite(v) && v > 0 ? v : fallback;
};
const ROUNDS = flag('--rounds', 7);
const ITERATIONS = flag('--iterations', 200_000);
const WARMUP = Math.max(20_000, Math.floor(ITERATIONS / 2));

// Tuesday 10:00 in New York: Ana (working hours 08-18 ET) is in; Eli is out of office (until 2099).
const NOW = Date.parse('2026-11-24T15:00:00Z');
// The demo directory, plus a six-rep team (the largest the targets speak of) made of its reps.
const six = { id: 'team-six', name: 'Six', members: ['rep-ana', 'rep-bo', 'rep-cara', 'rep-dev', 'rep-fay', 'rep-gus'].map((repId, i) => ({ repId, weight: 1 + (i % 3) })) };
const index = indexDirectory(DirectorySchema.parse({ ...demoDirectory, teams: [...demoDirectory.teams, six] }));
// Sample leads cycle through the cases, so nothing is measured on one lead that a cache could remember.
const leads = generateSampleLeads(4_096, 7);
const leadAt = (i: number): Lead => leads[i & 4095] as Lead;

const plain: Eligibility = { skills: [], respectCapacity: true, respectWorkingHours: true, respectOutOfOffice: true };
const skilled: Eligibility = { skills: ['en'], skillFromField: 'language', respectCapacity: true, respectWorkingHours: true, respectOutOfOffice: true };

/** Calls chooseAssignee and applies its update, as the simulation does; assignments are not recorded, so caps never fill. */
function chooseCase(strategy: AssignStrategy, eligibility: Eligibility, exclude: readonly string[] = []): (i: number) => unknown {
  const state = new MemoryRoutingState();
  return (i) => {
    const input: ChooseInput = { strategy, eligibility, lead: leadAt(i), now: NOW + (i & 1023) * 1000, exclude };
    const r = chooseAssignee(input, index, state);
    state.apply(r.update);
    return r;
  };
}

// Method lists are hoisted, as a step's config is: one array for every lead.
const BY: readonly MatchMethod[] = ['email_domain', 'website_domain', 'company_name'];
const BY_COMPANY: readonly MatchMethod[] = ['company_name'];

const cases: Array<[string, (i: number) => unknown]> = [
  ['round_robin, team of 3', chooseCase({ type: 'round_robin', teamId: 'team-enterprise' }, plain)],
  ['weighted_round_robin, team of 3 (3/2/1)', chooseCase({ type: 'weighted_round_robin', teamId: 'team-enterprise' }, plain)],
  ['load_balanced, team of 3', chooseCase({ type: 'load_balanced', teamId: 'team-enterprise' }, plain)],
  ['round_robin, team of 4 (one out of office)', chooseCase({ type: 'round_robin', teamId: 'team-inbound' }, plain)],
  ['weighted_round_robin, team of 4 (one out of office)', chooseCase({ type: 'weighted_round_robin', teamId: 'team-inbound' }, plain)],
  ['load_balanced, team of 4 (one out of office)', chooseCase({ type: 'load_balanced', teamId: 'team-inbound' }, plain)],
  ['round_robin, team of 6', chooseCase({ type: 'round_robin', teamId: 'team-six' }, plain)],
  ['weighted_round_robin, team of 6', chooseCase({ type: 'weighted_round_robin', teamId: 'team-six' }, plain)],
  ['load_balanced, team of 6', chooseCase({ type: 'load_balanced', teamId: 'team-six' }, plain)],
  ['weighted_round_robin, team of 4, skills en + lead language', chooseCase({ type: 'weighted_round_robin', teamId: 'team-inbound' }, skilled)],
  ['round_robin, team of 3, one excluded', chooseCase({ type: 'round_robin', teamId: 'team-enterprise' }, plain, ['rep-bo'])],
  ['territory (sample lead locations)', chooseCase({ type: 'territory' }, plain)],
  ['account_owner', chooseCase({ type: 'account_owner' }, plain)],
  ['specific_rep', chooseCase({ type: 'specific_rep', repId: 'rep-cara' }, plain)],
  ['queue', chooseCase({ type: 'queue', queueId: 'q-unassigned' }, plain)],
  ['matchAccount, sample leads, email/website/company', (i) => matchAccount(leadAt(i), BY, index, isFreeMailDomain)],
  ['matchAccount, company name only', (i) => matchAccount(leadAt(i), BY_COMPANY, index, isFreeMailDomain)],
];

// Results are folded into a sink so the calls cannot be optimised away.
let sink = 0;
const consume = (r: unknown): void => {
  if (r !== null && typeof r === 'object') sink = (sink + 1) | 0;
};

function time(run: (i: number) => unknown, n: number): number {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) consume(run(i));
  return ((performance.now() - t0) * 1000) / n;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
};

// Account-owner leads need an owner, as an earlier match_account step would have set; give every sample lead one.
for (const lead of leads) {
  const m = matchAccount(lead, BY, index, isFreeMailDomain);
  lead.accountOwner = m.account?.ownerId ?? 'rep-mia';
  lead.accountName = m.account?.name ?? 'Unmatched';
}

console.log(`Assignment micro-benchmark: ${ROUNDS} rounds x ${ITERATIONS.toLocaleString('en')} calls, warm-up ${WARMUP.toLocaleString('en')}; Node ${process.version}`);
const width = Math.max(...cases.map(([name]) => name.length));
for (const [name, run] of cases) {
  time(run, WARMUP);
  const rounds: number[] = [];
  for (let r = 0; r < ROUNDS; r++) rounds.push(time(run, ITERATIONS));
  console.log(`${name.padEnd(width)}  median ${median(rounds).toFixed(3)} us/call  best ${Math.min(...rounds).toFixed(3)} us/call`);
}
if (sink === 42) console.log('');
