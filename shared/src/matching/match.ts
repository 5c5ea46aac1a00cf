import type { Lead, LeadValue } from '../fields/lead';
import { coreTokens } from './company-name';
import { hostOfAddress, registrableDomain } from './domain';
import { prepareName, preparedSimilarity, similarityBound, type PreparedName } from './similarity';

// Lead-to-account matching: every account the lead could belong to, each with its score and the rule that
// found it, ranked (rule first: the methods in the order the step lists them, a fuzzy name right after an
// exact one; then score; then the tie-breakers; then account id), the first being the match. Pure and
// deterministic: the same lead and accounts give the same answer in any order, in simulation and in the
// worker alike. Cost is bounded: inputs are capped (see domain.ts, company-name.ts) and a fuzzy name is
// compared with at most MAX_FUZZY_COMPARISONS accounts, those sharing a word's first letters with it.

/** The methods a match can use, as the `match_account` node lists them. */
export type MatchRuleMethod = 'email_domain' | 'website_domain' | 'company_name';
/** The rule that found a candidate: one of the methods, or a close-enough company name. */
export type MatchRule = MatchRuleMethod | 'fuzzy_name';
/** How equally good candidates are told apart: an account with an owner first, then the most recently active. */
export type MatchTieBreaker = 'has_owner' | 'most_recent';

/** An account as matching reads it. `lastActivityAt` is an ISO instant (or ms since epoch). */
export interface MatchableAccount {
  id: string;
  name: string;
  domains?: readonly string[];
  ownerId?: string | null;
  lastActivityAt?: string | number | null;
}

/** One account the lead could belong to. */
export interface MatchCandidate {
  accountId: string;
  accountName: string;
  ownerId: string | null;
  rule: MatchRule;
  /** 1 for an exact domain or name; a fuzzy name's similarity; 0.99 for a domain matched by its registrable part. */
  score: number;
  /** What matched: the domain, or the two names. */
  via: string;
}

/** What matching answers. */
export interface MatchOutcome<A extends MatchableAccount = MatchableAccount> {
  account: A | null;
  rule: MatchRule | null;
  /** Every candidate, best first (the winner first), at most `maxCandidates`. */
  candidates: MatchCandidate[];
  /** How many candidates there were before the list was cut. */
  candidateCount: number;
  /** Why: what matched and how a tie was broken, or what each method tried. */
  detail: string;
}

/** Options of `matchAccount`. */
export interface MatchOptions {
  /** Methods to use, in order of preference (a candidate found by an earlier one ranks first). */
  by: readonly MatchRuleMethod[];
  /** Also match company names at least this similar (0..1); null or absent: exact normalised names only. */
  fuzzyThreshold?: number | null;
  /** Default `['has_owner', 'most_recent']`; account id order always decides last. */
  tieBreakers?: readonly MatchTieBreaker[];
  /** Free-mail domains never match an account (gmail.com...). */
  isFreeMail?: (domain: string) => boolean;
  /** Candidates kept in the answer (default 10, at most 100). */
  maxCandidates?: number;
}

/** Most accounts a fuzzy name is compared with. */
export const MAX_FUZZY_COMPARISONS = 200;
/** Candidates kept by default. */
export const DEFAULT_MAX_CANDIDATES = 10;
/** The tie-breakers used when a step names none. */
export const DEFAULT_TIE_BREAKERS: readonly MatchTieBreaker[] = ['has_owner', 'most_recent'];

interface Entry<A> {
  account: A;
  /** Index in id order: the last tie-breaker. */
  order: number;
  hosts: Set<string>;
  words: readonly string[];
  name: string;
  compact: string;
  prepared: PreparedName;
  activity: number;
}

/** What an account's name and domains reduce to: a pure function of them, memoised across index builds. */
interface Derived {
  words: readonly string[];
  prepared: PreparedName;
  domains: ReadonlyArray<{ reg: string; host: string | null }>;
}

// The worker re-reads a workspace's directory every few seconds and rebuilds the index: accounts that did not
// change are not normalised again. Bounded: cleared when full.
const MAX_DERIVED = 250_000;
const derivedCache = new Map<string, Derived>();

function derive(name: string, domains: readonly string[]): Derived {
  const key = `${name}\u0000${domains.join('\u0000')}`;
  const known = derivedCache.get(key);
  if (known) return known;
  const words = coreTokens(name);
  const d: Derived = { words, prepared: prepareName(words), domains: [] };
  const list: Array<{ reg: string; host: string | null }> = [];
  for (const raw of domains) {
    const reg = registrableDomain(raw);
    if (reg !== null) list.push({ reg, host: hostOfAddress(raw) });
  }
  d.domains = list;
  if (derivedCache.size >= MAX_DERIVED) derivedCache.clear();
  derivedCache.set(key, d);
  return d;
}

/** Accounts indexed for matching: by registrable domain, normalised name, letters without spaces and word starts. */
export interface AccountMatchIndex<A extends MatchableAccount = MatchableAccount> {
  readonly size: number;
  byDomain: Map<string, Entry<A>[]>;
  byName: Map<string, Entry<A>[]>;
  byCompact: Map<string, Entry<A>[]>;
  byWordStart: Map<string, Entry<A>[]>;
}

const WORD_START = 3;
const NOT_BLOCKING = new Set(['the', 'and', 'of', 'group', 'holding', 'holdings', 'intl', 'global', 'bank', 'corp', 'co', 'inc', 'ltd']);

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) {
    if (list[list.length - 1] !== v) list.push(v);
  } else m.set(k, [v]);
}

function activityOf(v: string | number | null | undefined): number {
  if (typeof v === 'number') return Number.isFinite(v) ? v : -Infinity;
  if (typeof v === 'string') {
    const t = Date.parse(v);
    return Number.isNaN(t) ? -Infinity : t;
  }
  return -Infinity;
}

/** Builds the index once per directory snapshot. Accounts are ordered by id, so input order never matters. */
export function indexAccounts<A extends MatchableAccount>(accounts: readonly A[]): AccountMatchIndex<A> {
  const sorted = [...accounts].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const index: AccountMatchIndex<A> = { size: sorted.length, byDomain: new Map(), byName: new Map(), byCompact: new Map(), byWordStart: new Map() };
  sorted.forEach((account, order) => {
    const { words, prepared, domains } = derive(account.name, (account.domains ?? []).slice(0, 50));
    const e: Entry<A> = { account, order, hosts: new Set(), words, name: words.join(' '), compact: words.join(''), prepared, activity: activityOf(account.lastActivityAt) };
    for (const { reg, host } of domains) {
      if (host !== null) e.hosts.add(host);
      push(index.byDomain, reg, e);
    }
    if (e.name !== '') {
      push(index.byName, e.name, e);
      push(index.byCompact, e.compact, e);
      for (const w of words) if (w.length >= WORD_START && !NOT_BLOCKING.has(w)) push(index.byWordStart, w.slice(0, WORD_START), e);
    }
  });
  return index;
}

/** A lead value as trimmed text, or null when missing. */
function text(v: LeadValue | undefined): string | null {
  if (v === undefined || v === null) return null;
  const t = String(v).trim();
  return t === '' ? null : t;
}

const METHOD_LABEL: Record<MatchRule, string> = { email_domain: 'email domain', website_domain: 'website', company_name: 'company name', fuzzy_name: 'similar company name' };
const TIE_LABEL: Record<MatchTieBreaker, string> = { has_owner: 'it has an owner', most_recent: 'it was active most recently' };

interface Found<A> {
  e: Entry<A>;
  rule: MatchRule;
  rank: number;
  score: number;
  via: string;
}

/**
 * Finds the lead's account among `accounts` (an array, or an index from `indexAccounts` for many leads).
 * Returns the winner, the rule that matched, every candidate with its score (best first, cut at
 * `maxCandidates`) and a detail that says why. Deterministic and independent of the accounts' order.
 */
export function matchAccount<A extends MatchableAccount>(lead: Lead, accounts: readonly A[] | AccountMatchIndex<A>, options: MatchOptions): MatchOutcome<A> {
  const index = Array.isArray(accounts) ? indexAccounts(accounts as readonly A[]) : (accounts as AccountMatchIndex<A>);
  const isFree = options.isFreeMail ?? (() => false);
  const ties = options.tieBreakers ?? DEFAULT_TIE_BREAKERS;
  const max = Math.max(1, Math.min(100, options.maxCandidates ?? DEFAULT_MAX_CANDIDATES));
  const best = new Map<Entry<A>, Found<A>>();
  const offer = (f: Found<A>): void => {
    const had = best.get(f.e);
    if (!had || f.rank < had.rank || (f.rank === had.rank && f.score > had.score)) best.set(f.e, f);
  };
  const misses: string[] = [];
  const by = [...new Set(options.by)];
  by.forEach((method, position) => {
    const rank = position * 2;
    if (method === 'email_domain' || method === 'website_domain') {
      const raw = method === 'email_domain' ? text(lead.email) : (text(lead.website) ?? text(lead.domain));
      const what = method === 'email_domain' ? 'email' : 'website';
      if (raw === null) return void misses.push(`no ${what}`);
      if (method === 'email_domain' && !raw.includes('@')) return void misses.push(`email ${JSON.stringify(raw.slice(0, 200))} has no domain`);
      const reg = registrableDomain(raw);
      const host = hostOfAddress(raw);
      if (reg === null) return void misses.push(`${what} ${JSON.stringify(raw.slice(0, 200))} has no domain`);
      if (isFree(reg) || (host !== null && isFree(host))) return void misses.push(`${what} domain ${reg} is free mail`);
      const hits = index.byDomain.get(reg) ?? [];
      if (hits.length === 0) return void misses.push(`no account has ${what} domain ${reg}`);
      for (const e of hits) {
        const exact = host !== null && e.hosts.has(host);
        offer({ e, rule: method, rank, score: exact ? 1 : 0.99, via: exact ? host : host !== null && host !== reg ? `${host} (via ${reg})` : reg });
      }
      return;
    }
    // company_name (and its fuzzy extension)
    const company = text(lead.company);
    if (company === null) return void misses.push('no company name');
    const words = coreTokens(company);
    const name = words.join(' ');
    if (name === '') return void misses.push(`company name ${JSON.stringify(company.slice(0, 200))} has no letters or digits`);
    const q = JSON.stringify(company.slice(0, 200));
    const exact = index.byName.get(name) ?? [];
    for (const e of exact) offer({ e, rule: 'company_name', rank, score: 1, via: `${q} = ${JSON.stringify(e.account.name)}` });
    const threshold = options.fuzzyThreshold;
    let fuzzyHits = 0;
    if (threshold !== null && threshold !== undefined) {
      // Blocks of accounts sharing a word start (or all the letters): the smallest first, up to the cap.
      const blocks: Entry<A>[][] = [index.byCompact.get(words.join('')) ?? []];
      for (const w of new Set(words)) if (w.length >= WORD_START && !NOT_BLOCKING.has(w)) blocks.push(index.byWordStart.get(w.slice(0, WORD_START)) ?? []);
      blocks.sort((a, b) => a.length - b.length);
      const seen = new Set<Entry<A>>();
      for (const block of blocks) {
        for (const e of block) {
          if (seen.size >= MAX_FUZZY_COMPARISONS) break;
          seen.add(e);
        }
      }
      const mine = prepareName(words);
      for (const e of seen) {
        if (e.name === name || similarityBound(mine, e.prepared) < threshold) continue;
        const score = preparedSimilarity(mine, e.prepared);
        if (score >= threshold) {
          fuzzyHits++;
          offer({ e, rule: 'fuzzy_name', rank: rank + 1, score, via: `${q} ~ ${JSON.stringify(e.account.name)}` });
        }
      }
    }
    if (exact.length === 0 && fuzzyHits === 0) misses.push(threshold != null ? `no account named like ${q} (similarity ${threshold} or more)` : `no account named like ${q}`);
  });

  const tieValue = (f: Found<A>, t: MatchTieBreaker): number => (t === 'has_owner' ? (f.e.account.ownerId ? 1 : 0) : f.e.activity);
  const all = [...best.values()].sort((x, y) => {
    if (x.rank !== y.rank) return x.rank - y.rank;
    if (x.score !== y.score) return y.score - x.score;
    for (const t of ties) {
      const a = tieValue(x, t);
      const b = tieValue(y, t);
      if (a !== b) return b > a ? 1 : -1;
    }
    return x.e.order - y.e.order;
  });
  const candidates: MatchCandidate[] = all.slice(0, max).map((f) => ({
    accountId: f.e.account.id,
    accountName: f.e.account.name,
    ownerId: f.e.account.ownerId ?? null,
    rule: f.rule,
    score: f.score,
    via: f.via,
  }));
  const win = all[0];
  if (win === undefined) {
    const methods = by.map((m) => METHOD_LABEL[m] ?? String(m)).join(', ');
    return { account: null, rule: null, candidates, candidateCount: 0, detail: `No account matched by ${methods}: ${misses.join('; ')}` };
  }
  const label = METHOD_LABEL[win.rule];
  let detail = `${label.charAt(0).toUpperCase()}${label.slice(1)} ${win.via} matched account ${win.e.account.name}`;
  if (win.rule === 'fuzzy_name') detail += ` (similarity ${win.score})`;
  const second = all[1];
  if (second !== undefined) {
    detail += `; ${all.length} candidates`;
    if (second.rank === win.rank && second.score === win.score) {
      const decided = ties.find((t) => tieValue(win, t) !== tieValue(second, t));
      detail += decided ? `, ahead of ${second.e.account.name} because ${TIE_LABEL[decided]}` : `, ahead of ${second.e.account.name} by account id`;
    }
  }
  return { account: win.e.account, rule: win.rule, candidates, candidateCount: all.length, detail };
}


