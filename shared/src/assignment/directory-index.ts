import type { Account, Company, Directory, Queue, Rep, Team, Territory } from '../directory/schema';
import { isMissing, type Lead, type LeadValue } from '../fields/lead';
import type { MatchMethod } from '../graph/nodes/match-account';

/** A directory with lookups by id, domain and normalised name, built once per directory snapshot. */
export interface DirectoryIndex {
  reps: Map<string, Rep>;
  teams: Map<string, Team>;
  /** In directory order: territory ties go to the one listed first. */
  territories: Territory[];
  territoriesById: Map<string, Territory>;
  queues: Map<string, Queue>;
  accounts: Map<string, Account>;
  /** Domain (lower case, no `www.`) -> account; the first account listing a domain keeps it. */
  accountsByDomain: Map<string, Account>;
  /** `normalizeCompanyName(name)` -> account; the first account with a name keeps it. */
  accountsByName: Map<string, Account>;
  companiesByDomain: Map<string, Company>;
}

// Legal-form words that say nothing about which company it is. Only stripped from the end of a name,
// so "Co-op Bank" or "AG Barr" keep their meaning.
const LEGAL_SUFFIXES = new Set([
  'inc',
  'incorporated',
  'llc',
  'llp',
  'lp',
  'ltd',
  'limited',
  'gmbh',
  'mbh',
  'corp',
  'corporation',
  'co',
  'company',
  'sa',
  'sas',
  'sarl',
  'srl',
  'spa',
  'ag',
  'kg',
  'bv',
  'nv',
  'plc',
  'pty',
  'pte',
  'pvt',
  'oy',
  'ab',
  'as',
  'aps',
]);

/**
 * A company name reduced to what identifies it: lower case, accents and punctuation gone, `&` read as `and`,
 * and trailing legal forms (Inc, LLC, Ltd, GmbH, Corp, Co, SA, AG, BV, PLC...) stripped: `Acme, Inc.` -> `acme`.
 */
export function normalizeCompanyName(name: string): string {
  const words = name
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    // Dots and apostrophes join their neighbours (S.A. -> sa, O'Neil -> oneil); other punctuation separates.
    .replace(/[.'’]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .split(' ')
    .filter((w) => w !== '');
  // Keep at least one word: a company called "Company" is still called something.
  while (words.length > 1) {
    const last = words[words.length - 1] ?? '';
    if (LEGAL_SUFFIXES.has(last)) words.pop();
    else if (last === 'and') words.pop(); // "Smith & Co" leaves a dangling "and"
    else break;
  }
  return words.join(' ');
}

const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;
const HOST = /^[\p{L}\p{N}-]+(\.[\p{L}\p{N}-]+)+$/u;

/**
 * The domain of an email address (`ana@Acme.com` -> `acme.com`) or of a URL or bare domain
 * (`https://www.acme.com/pricing` -> `acme.com`): lower case, without `www.`. Null when there is none.
 */
export function domainOf(emailOrUrl: string): string | null {
  let s = emailOrUrl.trim();
  if (s === '') return null;
  // `Ana Diaz <ana@acme.com>`: the address is inside the angle brackets.
  const bracketed = /<([^<>]*)>/.exec(s);
  if (bracketed !== null) s = (bracketed[1] ?? '').trim();
  if (/^mailto:/i.test(s)) s = s.slice('mailto:'.length);
  if (SCHEME.test(s)) {
    s = s.replace(SCHEME, '');
  } else if (s.startsWith('//')) {
    s = s.slice(2);
  }
  // Host ends at the first path, query or fragment; what is before an `@` is the user (email or URL userinfo).
  s = s.split(/[/?#]/, 1)[0] ?? '';
  const at = s.lastIndexOf('@');
  if (at >= 0) s = s.slice(at + 1);
  s = s.replace(/:\d*$/, '').toLowerCase();
  if (s.endsWith('.')) s = s.slice(0, -1);
  if (s.startsWith('www.')) s = s.slice(4);
  return HOST.test(s) ? s : null;
}

function normalizeDomain(domain: string): string | null {
  return domainOf(domain);
}

/** Builds the lookups of a directory. Earlier entries win when two claim the same domain or name. */
export function indexDirectory(d: Directory): DirectoryIndex {
  const byId = <T extends { id: string }>(items: readonly T[]): Map<string, T> => {
    const m = new Map<string, T>();
    for (const it of items) if (!m.has(it.id)) m.set(it.id, it);
    return m;
  };
  const accountsByDomain = new Map<string, Account>();
  const accountsByName = new Map<string, Account>();
  for (const a of d.accounts ?? []) {
    for (const raw of a.domains ?? []) {
      const dom = normalizeDomain(raw);
      if (dom !== null && !accountsByDomain.has(dom)) accountsByDomain.set(dom, a);
    }
    const name = normalizeCompanyName(a.name);
    if (name !== '' && !accountsByName.has(name)) accountsByName.set(name, a);
  }
  const companiesByDomain = new Map<string, Company>();
  for (const c of d.companies ?? []) {
    const dom = normalizeDomain(c.domain);
    if (dom !== null && !companiesByDomain.has(dom)) companiesByDomain.set(dom, c);
  }
  const territories = [...(d.territories ?? [])];
  return {
    reps: byId(d.reps ?? []),
    teams: byId(d.teams ?? []),
    territories,
    territoriesById: byId(territories),
    queues: byId(d.queues ?? []),
    accounts: byId(d.accounts ?? []),
    accountsByDomain,
    accountsByName,
    companiesByDomain,
  };
}

/** The account owning a domain, trying parent domains too (`eu.acme.com` -> `acme.com`), never a bare TLD. */
function accountForDomain(domain: string, index: DirectoryIndex): { account: Account; via: string } | null {
  let d = domain;
  for (;;) {
    const a = index.accountsByDomain.get(d);
    if (a !== undefined) return { account: a, via: d };
    const dot = d.indexOf('.');
    const parent = d.slice(dot + 1);
    if (dot < 0 || !parent.includes('.')) return null;
    d = parent;
  }
}

const text = (v: LeadValue | undefined): string | null => (isMissing(v) ? null : String(v).trim());

const METHOD_LABEL: Record<MatchMethod, string> = {
  email_domain: 'email domain',
  website_domain: 'website',
  company_name: 'company name',
};

/**
 * Finds the lead's account by the methods given, in order; the first that finds one wins.
 * Email domains of free-mail providers are skipped. `detail` says what matched, or what each method tried.
 */
export function matchAccount(
  lead: Lead,
  by: readonly MatchMethod[],
  index: DirectoryIndex,
  isFreeMail: (domain: string) => boolean,
): { account: Account | null; method: MatchMethod | null; detail: string } {
  const tried: string[] = [];
  const viaNote = (domain: string, via: string): string => (via === domain ? domain : `${domain} (via ${via})`);
  for (const method of by) {
    switch (method) {
      case 'email_domain': {
        const email = text(lead.email);
        const dom = email === null ? null : domainOf(email);
        if (email === null) tried.push('no email');
        else if (dom === null || !email.includes('@')) tried.push(`email ${JSON.stringify(email)} has no domain`);
        else if (isFreeMail(dom)) tried.push(`email domain ${dom} is free mail`);
        else {
          const hit = accountForDomain(dom, index);
          if (hit !== null) {
            return { account: hit.account, method, detail: `Email domain ${viaNote(dom, hit.via)} matched account ${hit.account.name}` };
          }
          tried.push(`no account has email domain ${dom}`);
        }
        break;
      }
      case 'website_domain': {
        // `domain` is the router's own copy of the website's host; used when the website itself is empty.
        const site = text(lead.website) ?? text(lead.domain);
        const dom = site === null ? null : domainOf(site);
        if (site === null) tried.push('no website');
        else if (dom === null) tried.push(`website ${JSON.stringify(site)} has no domain`);
        else {
          const hit = accountForDomain(dom, index);
          if (hit !== null) {
            return { account: hit.account, method, detail: `Website ${viaNote(dom, hit.via)} matched account ${hit.account.name}` };
          }
          tried.push(`no account has website ${dom}`);
        }
        break;
      }
      case 'company_name': {
        const company = text(lead.company);
        const norm = company === null ? '' : normalizeCompanyName(company);
        if (company === null) tried.push('no company name');
        else if (norm === '') tried.push(`company name ${JSON.stringify(company)} has no letters or digits`);
        else {
          const a = index.accountsByName.get(norm);
          if (a !== undefined) {
            return { account: a, method, detail: `Company name ${JSON.stringify(company)} matched account ${a.name}` };
          }
          tried.push(`no account named like ${JSON.stringify(company)}`);
        }
        break;
      }
      default:
        tried.push(`unknown method ${String(method)}`);
    }
  }
  const methods = by.map((m) => METHOD_LABEL[m] ?? String(m)).join(', ');
  return { account: null, method: null, detail: `No account matched by ${methods}: ${tried.join('; ')}` };
}
