import type { Account, Company, Directory, Queue, Rep, Team, Territory, WorkspaceSettings } from '../directory/schema';
import type { Lead, LeadValue } from '../fields/lead';
import type { MatchMethod } from '../graph/nodes/match-account';
import { lastCleanName, normalizeCompanyName } from './company-name';
import { domainOf, normalizeDomain } from './domain';
import { closuresOf, type CalendarSource, type Closures } from '../calendar/work-calendar';

export { domainOf };

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
  /** The workspace's settings (its time zone counts fairness windows and workspace-zone caps); absent reads as the defaults (UTC). */
  settings?: WorkspaceSettings;
  /** Dates closed for each rep (holidays of their calendar, company days off): the `on_holiday` check. */
  closures?: Closures;
  /** The workspace settings and resolved holidays a work calendar (SLA clock) is made from. */
  calendars?: CalendarSource;
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
    ...(d.settings ? { settings: d.settings } : {}),
    closures: closuresOf(d),
    calendars: { settings: d.settings, ...(d.holidays ? { holidays: d.holidays } : {}) },
  };
}

/**
 * The key under which an account owns a domain, trying parent domains too (`eu.acme.com` -> `acme.com`),
 * never a bare TLD; null when none does.
 */
function accountKeyForDomain(domain: string, index: DirectoryIndex): string | null {
  let d = domain;
  let from = 0;
  for (;;) {
    if (index.accountsByDomain.get(d) !== undefined) return d;
    const dot = domain.indexOf('.', from);
    if (dot < 0 || domain.indexOf('.', dot + 1) < 0) return null;
    from = dot + 1;
    d = domain.slice(from);
  }
}

/** A lead value as trimmed text, or null when missing. */
function text(v: LeadValue | undefined): string | null {
  if (typeof v === 'string') {
    const t = v.trim();
    return t === '' ? null : t;
  }
  return v === undefined || v === null ? null : String(v).trim();
}

const METHOD_LABEL: Record<MatchMethod, string> = {
  email_domain: 'email domain',
  website_domain: 'website',
  company_name: 'company name',
};

// The methods text of the list used last: a step's config passes the same list for every lead.
let lastMethods: readonly MatchMethod[] | null = null;
let lastMethodsCopy: MatchMethod[] = [];
let lastMethodsText = '';

/** `email domain, website, company name`: the methods a detail says were tried. */
function methodsText(by: readonly MatchMethod[]): string {
  if (by === lastMethods && by.length === lastMethodsCopy.length) {
    let same = true;
    for (let i = 0; i < by.length && same; i++) same = by[i] === lastMethodsCopy[i];
    if (same) return lastMethodsText;
  }
  let t = '';
  for (let i = 0; i < by.length; i++) {
    const m = by[i] as MatchMethod;
    const label = METHOD_LABEL[m] ?? String(m);
    t = i === 0 ? label : `${t}, ${label}`;
  }
  lastMethods = by;
  lastMethodsCopy = by.slice();
  lastMethodsText = t;
  return t;
}

/**
 * `JSON.stringify` of a string: quoted, and for the usual text that needs no escape (no quote, backslash,
 * control character or surrogate) without going through the serializer.
 */
function quoted(s: string): string {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 32 || c === 34 /* " */ || c === 92 /* \ */ || (c >= 0xd800 && c <= 0xdfff)) return JSON.stringify(s);
  }
  return `"${s}"`;
}

const viaNote = (domain: string, via: string): string => (via === domain ? domain : `${domain} (via ${via})`);

/**
 * Finds the lead's account by the methods given, in order; the first that finds one wins.
 * Email domains of free-mail providers are skipped. `detail` says what matched, or what each method tried.
 */
export function matchAccountByMethods(
  lead: Lead,
  by: readonly MatchMethod[],
  index: DirectoryIndex,
  isFreeMail: (domain: string) => boolean,
): { account: Account | null; method: MatchMethod | null; detail: string } {
  // What each method tried, `; `-joined as the detail lists them.
  let tried = '';
  for (let i = 0; i < by.length; i++) {
    const method = by[i] as MatchMethod;
    let miss: string;
    switch (method) {
      case 'email_domain': {
        const email = text(lead.email);
        if (email === null) {
          miss = 'no email';
          break;
        }
        const dom = email.includes('@') ? domainOf(email) : null;
        if (dom === null) miss = `email ${quoted(email)} has no domain`;
        else if (isFreeMail(dom)) miss = `email domain ${dom} is free mail`;
        else {
          const via = accountKeyForDomain(dom, index);
          const account = via === null ? undefined : index.accountsByDomain.get(via);
          if (via !== null && account !== undefined) {
            return { account, method, detail: `Email domain ${viaNote(dom, via)} matched account ${account.name}` };
          }
          miss = `no account has email domain ${dom}`;
        }
        break;
      }
      case 'website_domain': {
        // `domain` is the router's own copy of the website's host; used when the website itself is empty.
        const site = text(lead.website) ?? text(lead.domain);
        if (site === null) {
          miss = 'no website';
          break;
        }
        const dom = domainOf(site);
        if (dom === null) miss = `website ${quoted(site)} has no domain`;
        else {
          const via = accountKeyForDomain(dom, index);
          const account = via === null ? undefined : index.accountsByDomain.get(via);
          if (via !== null && account !== undefined) {
            return { account, method, detail: `Website ${viaNote(dom, via)} matched account ${account.name}` };
          }
          miss = `no account has website ${dom}`;
        }
        break;
      }
      case 'company_name': {
        const company = text(lead.company);
        if (company === null) {
          miss = 'no company name';
          break;
        }
        const norm = normalizeCompanyName(company);
        // The name was just scanned: if it needs no escaping, quoting it is only adding the quotes.
        const q = lastCleanName() === company ? `"${company}"` : quoted(company);
        if (norm === '') miss = `company name ${q} has no letters or digits`;
        else {
          const a = index.accountsByName.get(norm);
          if (a !== undefined) {
            return { account: a, method, detail: `Company name ${q} matched account ${a.name}` };
          }
          miss = `no account named like ${q}`;
        }
        break;
      }
      default:
        miss = `unknown method ${String(method)}`;
    }
    tried = tried === '' ? miss : `${tried}; ${miss}`;
  }
  return { account: null, method: null, detail: `No account matched by ${methodsText(by)}: ${tried}` };
}
