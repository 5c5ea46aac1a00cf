import { toCsv, type CsvCell } from '@lead-router/shared';
import type { Db } from '@lead-router/db/client';
import { leadListCursor, listLeads, type LeadListQuery, type LeadSummary } from './leads.service';

// The lead list as CSV (GET /api/leads?format=csv): the same filters, search and sort as the list, read page
// by page on the list's own keyset and written as it is read, so an export of many leads never sits in
// memory. Every text cell is formula-safe (toCsv's escapeFormulas: a cell starting with = + - @, a tab or a
// carriage return gets a leading apostrophe), as the analytics CSV does: a lead's name is anyone's input.

/** Most rows one export writes; the answer says so in `X-Row-Cap` and stops there. */
export const CSV_MAX_ROWS = 100_000;
const PAGE = 1000;

/** The export's columns, in order. */
export const LEAD_CSV_COLUMNS = [
  'leadId',
  'receivedAt',
  'name',
  'email',
  'company',
  'workflow',
  'version',
  'status',
  'assigneeType',
  'assigneeId',
  'assigneeName',
  'outcome',
  'firstAssignedAt',
  'assignedAt',
  'acceptedAt',
  'completedAt',
  'closedAt',
  'closeReason',
] as const;

function row(l: LeadSummary): CsvCell[] {
  return [
    l.leadId,
    l.receivedAt,
    l.name,
    l.email,
    l.company,
    l.workflowName,
    l.version,
    l.status,
    l.assignee?.type ?? null,
    l.assignee?.id ?? null,
    l.assignee?.name ?? null,
    l.outcome,
    l.firstAssignedAt,
    l.assignedAt,
    l.acceptedAt,
    l.completedAt,
    l.closed?.at ?? null,
    l.closed?.reason ?? null,
  ];
}

/** The CSV text of the matching leads, chunk by chunk: the header, then up to `cap` rows in the list's order. */
export async function* leadsCsv(db: Db, workspaceId: string, q: Omit<LeadListQuery, 'limit' | 'cursor'>, cap = CSV_MAX_ROWS): AsyncGenerator<string> {
  yield toCsv([[...LEAD_CSV_COLUMNS]]);
  let written = 0;
  let cursor: LeadListQuery['cursor'];
  while (written < cap) {
    const page = await listLeads(db, workspaceId, { ...q, limit: Math.min(PAGE, cap - written), ...(cursor ? { cursor } : {}) });
    if (page.items.length > 0) yield toCsv(page.items.map(row), { escapeFormulas: true });
    written += page.items.length;
    const next = page.nextCursor ? leadListCursor.decode(page.nextCursor) : null;
    if (!next) return;
    cursor = next;
  }
}
