import type { DirectoryIndex } from '../assignment/directory-index';
import type { Account } from '../directory/schema';
import type { MatchAccountRequest, MatchAccountResult } from '../interpreter/effects';
import type { EarlierLeadMatch } from './duplicates';
import { indexAccounts, matchAccount, type AccountMatchIndex } from './match';

// What the `match_account` effect answers, computed the same way by the simulation and the worker activity:
// both hand in the directory they hold and the earlier lead they found (or null), and get the same result.

const cache = new WeakMap<object, AccountMatchIndex<Account>>();

/** The account index of a directory index, built once per directory snapshot. */
export function accountMatchIndex(index: DirectoryIndex): AccountMatchIndex<Account> {
  let m = cache.get(index.accounts);
  if (!m) {
    m = indexAccounts([...index.accounts.values()]);
    cache.set(index.accounts, m);
  }
  return m;
}

/** The `match_account` answer for a request over a directory, with the duplicate lookup's finding. */
export function matchAccountResult(
  req: Pick<MatchAccountRequest, 'lead' | 'config'>,
  index: DirectoryIndex,
  isFreeMail: (domain: string) => boolean,
  duplicate: EarlierLeadMatch | null,
): MatchAccountResult {
  const c = req.config;
  const r = matchAccount(req.lead, accountMatchIndex(index), {
    by: c.by,
    fuzzyThreshold: c.fuzzyThreshold ?? null,
    ...(c.tieBreakers ? { tieBreakers: c.tieBreakers } : {}),
    isFreeMail,
  });
  const method = r.rule === 'fuzzy_name' ? 'company_name' : r.rule;
  const rep = duplicate ? index.reps.get(duplicate.repId) : undefined;
  const dupLine = duplicate ? `Duplicate of lead ${duplicate.leadId} (received ${duplicate.receivedAt}), held by ${rep?.name ?? duplicate.repId}` : null;
  return {
    account: r.account ? { id: r.account.id, name: r.account.name, ownerId: r.account.ownerId ?? null } : null,
    method,
    rule: r.rule,
    candidates: r.candidates,
    candidateCount: r.candidateCount,
    ...(c.duplicateWithinDays ? { duplicate } : {}),
    detail: dupLine ? `${dupLine}. ${r.detail}` : r.detail,
  };
}
