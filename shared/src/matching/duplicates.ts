// Duplicate leads: a lead whose email an earlier lead had within N days can go to the rep who has that
// earlier lead. The worker reads the earlier leads from the database (routing_runs: who holds each lead now)
// and the simulation from the history it was given plus the leads it routed itself; both then pick with
// `pickEarlierLead`, so they agree.

/** A lead routed before, as duplicate detection reads it. */
export interface EarlierLead {
  leadId: string;
  /** The email as the lead had it; compared trimmed and in lower case. */
  email: string;
  /** When it arrived, ms since epoch. */
  receivedAt: number;
  /** The rep who holds it now; null when a queue (or nobody) does. */
  repId: string | null;
}

/** The earlier lead a duplicate goes after, as the trace shows it. */
export interface EarlierLeadMatch {
  leadId: string;
  repId: string;
  receivedAt: string;
}

/** Longest email compared. */
const MAX_EMAIL = 320;
const DAY_MS = 86_400_000;

/** An email as duplicates compare it: trimmed, lower case; null when it is no address. */
export function emailKey(email: unknown): string | null {
  if (typeof email !== 'string') return null;
  const e = email.trim().toLowerCase();
  return e === '' || e.length > MAX_EMAIL || !e.includes('@') ? null : e;
}

/**
 * The earlier lead with the same email that a rep holds, received within `withinDays` days before `at`
 * (inclusive) and not the lead itself: the first received, then the lowest lead id. Null when none.
 */
export function pickEarlierLead(
  earlier: Iterable<EarlierLead>,
  lead: { leadId: string; email: unknown; at: number },
  withinDays: number,
): EarlierLeadMatch | null {
  const key = emailKey(lead.email);
  if (key === null) return null;
  const from = lead.at - withinDays * DAY_MS;
  let best: EarlierLead | null = null;
  for (const e of earlier) {
    if (e.leadId === lead.leadId || e.repId === null || e.receivedAt < from || e.receivedAt > lead.at) continue;
    if (emailKey(e.email) !== key) continue;
    if (best === null || e.receivedAt < best.receivedAt || (e.receivedAt === best.receivedAt && e.leadId < best.leadId)) best = e;
  }
  return best === null || best.repId === null ? null : { leadId: best.leadId, repId: best.repId, receivedAt: new Date(best.receivedAt).toISOString() };
}
