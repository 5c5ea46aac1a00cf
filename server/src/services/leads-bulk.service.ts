import type { Db } from '@lead-router/db/client';
import { queues, reps, routingRuns } from '@lead-router/db/schema';
import { and, eq, inArray } from 'drizzle-orm';
import { hasRole, type Principal } from '../auth/principal';
import { DomainError } from '../errors/domain-error';
import { assignLeads, claimLead, QUEUE_MANAGER_ROLE, type CapName, type Override, type QueueWorkDeps } from './queue-work.service';
import { rerouteLead } from './reroute.service';
import { UUID_PATTERN } from './workflow-access';

// Bulk actions of the lead list (POST /api/leads/bulk): each selected lead goes through the one-lead service
// of its action (reroute.service.ts, queue-work.service.ts), so a bulk move is exactly the moves one by one:
// the same transactions, locks, caps, audit entries and timeline steps. The role of the action is checked
// once, up front (403 for the whole request); each lead then gets its own result in request order, with its
// place in the request (`leadIds.3`), as the queue's assign answers. One lead failing never stops the rest.

/** Most leads one bulk request may name. */
export const MAX_BULK_LEADS = 500;

/** What a bulk request asks. */
export type BulkRequest =
  | { action: 'reroute'; leadIds: string[]; version?: number | undefined; note?: string | undefined }
  | { action: 'assign'; leadIds: string[]; repId: string; override?: Override | undefined }
  | { action: 'claim'; leadIds: string[] };

/** How one lead fared. */
export type BulkResult = { leadId: string; path: string; message: string | null } & (
  | { result: 'rerouted'; version: number; runNumber: number }
  | { result: 'assigned'; rep: { id: string; name: string }; queue: { id: string; name: string }; override: { cap: CapName; reason: string } | null }
  | { result: 'conflict' }
  | { result: 'cap'; cap: CapName }
  | { result: 'not_found' }
  | { result: 'unavailable' }
  | { result: 'refused'; code: string }
);

export type BulkOutcome = BulkResult['result'];

const OUTCOMES: BulkOutcome[] = ['rerouted', 'assigned', 'conflict', 'cap', 'not_found', 'unavailable', 'refused'];

/** The bulk answer: each lead's result in request order, and how many of each. */
export interface BulkAnswer {
  action: BulkRequest['action'];
  results: BulkResult[];
  counts: Record<BulkOutcome, number>;
}

type Base = { leadId: string; path: string };

// A one-lead service's refusal as this lead's result; anything else (a bug, the database gone) still throws.
function refusal(base: Base, e: unknown): BulkResult {
  if (!(e instanceof DomainError)) throw e;
  switch (e.code) {
    case 'not_found':
      return { ...base, result: 'not_found', message: e.message };
    case 'unavailable':
      return { ...base, result: 'unavailable', message: e.message };
    case 'not_in_queue':
      return { ...base, result: 'conflict', message: e.message };
    case 'cap_reached': {
      const cap = (e.details as { cap?: CapName } | undefined)?.cap ?? 'open_leads';
      return { ...base, result: 'cap', cap, message: e.message };
    }
    default:
      return { ...base, result: 'refused', code: e.code, message: e.message };
  }
}

/** Who holds each lead now (rep or queue, with its name), for the leads of the workspace among `ids`. */
async function holders(db: Db, workspaceId: string, ids: string[]) {
  const valid = [...new Set(ids.filter((id) => UUID_PATTERN.test(id)))];
  if (valid.length === 0) return new Map<string, { type: 'rep' | 'queue' | null; id: string | null; name: string | null }>();
  const rows = await db
    .select({ leadId: routingRuns.leadId, type: routingRuns.assigneeType, id: routingRuns.assigneeId, repName: reps.name, queueName: queues.name })
    .from(routingRuns)
    .leftJoin(reps, and(eq(routingRuns.assigneeType, 'rep'), eq(reps.workspaceId, routingRuns.workspaceId), eq(reps.id, routingRuns.assigneeId)))
    .leftJoin(queues, and(eq(routingRuns.assigneeType, 'queue'), eq(queues.workspaceId, routingRuns.workspaceId), eq(queues.id, routingRuns.assigneeId)))
    .where(and(eq(routingRuns.workspaceId, workspaceId), inArray(routingRuns.leadId, valid)));
  return new Map(rows.map((r) => [r.leadId, { type: r.type, id: r.id, name: r.repName ?? r.queueName ?? r.id }]));
}

/** The role check of each action, for the whole request. */
function assertMay(p: Principal, req: BulkRequest): void {
  if (req.action === 'reroute' && !hasRole(p, 'editor')) throw new DomainError('forbidden', 'Re-routing leads needs an editor or above.');
  if (req.action === 'assign' && !hasRole(p, QUEUE_MANAGER_ROLE)) throw new DomainError('forbidden', 'Assigning queued leads needs a manager (publisher or admin).');
  if (req.action === 'claim' && !p.repId) throw new DomainError('forbidden', 'Only a rep (a signed-in user linked to a rep) can claim leads.');
}

/** Runs one bulk action over the listed leads, one lead at a time, in order. */
export async function bulkLeads(deps: QueueWorkDeps, p: Principal, req: BulkRequest): Promise<BulkAnswer> {
  assertMay(p, req);
  if (req.action === 'assign') {
    const [rep] = await deps.db.select({ id: reps.id }).from(reps).where(and(eq(reps.workspaceId, p.workspaceId), eq(reps.id, req.repId))).limit(1);
    if (!rep) throw new DomainError('unknown_rep', `There is no rep ${req.repId} in this workspace's directory.`, [{ path: 'repId', message: `unknown rep ${req.repId}` }]);
  }
  const held = req.action === 'reroute' ? null : await holders(deps.db, p.workspaceId, req.leadIds);
  const results: BulkResult[] = [];
  const seen = new Set<string>();
  for (const [i, leadId] of req.leadIds.entries()) {
    const base = { leadId, path: `leadIds.${i}` };
    if (seen.has(leadId)) {
      results.push({ ...base, result: 'conflict', message: 'The same lead is listed earlier in this request.' });
      continue;
    }
    seen.add(leadId);
    results.push(await one(deps, p, req, base, held));
  }
  const counts = Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<BulkOutcome, number>;
  for (const r of results) counts[r.result]++;
  return { action: req.action, results, counts };
}

async function one(deps: QueueWorkDeps, p: Principal, req: BulkRequest, base: Base, held: Awaited<ReturnType<typeof holders>> | null): Promise<BulkResult> {
  try {
    if (req.action === 'reroute') {
      const r = await rerouteLead(deps, p, base.leadId, { version: req.version, note: req.note });
      return { ...base, result: 'rerouted', version: r.version, runNumber: r.runNumber, message: null };
    }
    const h = held?.get(base.leadId);
    if (!h) return { ...base, result: 'not_found', message: `Lead ${base.leadId} was not found.` };
    if (h.type !== 'queue' || !h.id) {
      return { ...base, result: 'conflict', message: h.type === 'rep' ? `The lead is not in a queue: ${h.name ?? h.id} has it.` : 'The lead is not in a queue: nobody holds it.' };
    }
    if (req.action === 'claim') {
      const r = await claimLead(deps, p, h.id, base.leadId, {});
      return { ...base, result: 'assigned', rep: r.rep, queue: r.queue, override: null, message: null };
    }
    const { results } = await assignLeads(deps, p, h.id, { repId: req.repId, leadIds: [base.leadId], override: req.override });
    const r = results[0];
    if (!r) throw new Error('assignLeads answered no result for one lead');
    switch (r.result) {
      case 'assigned':
        return { ...base, result: 'assigned', rep: r.rep, queue: r.queue, override: r.override ? { cap: r.override.cap, reason: r.override.reason } : null, message: null };
      case 'cap':
        return { ...base, result: 'cap', cap: r.cap, message: r.message };
      default:
        return { ...base, result: r.result, message: r.message };
    }
  } catch (e) {
    return refusal(base, e);
  }
}
