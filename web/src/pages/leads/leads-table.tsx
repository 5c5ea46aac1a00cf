import { useQuery } from '@tanstack/react-query';
import { useMemo, type ReactNode } from 'react';
import { Link } from 'wouter';
import { DataTable, type DataColumn } from '../../ui/data-table';
import { formatDuration } from '../../ui/format';
import { Instant } from '../../ui/instant';
import { StatusBadge } from '../../ui/status-badge';
import { assigneeName } from './assignee-text';
import { assigneesQuery, type LeadSummary } from './queries';

const time = (iso: string | null | undefined) => (iso ? new Date(iso).getTime() : null);

/** Received -> first assignment (re-assignments never move it), in milliseconds, or null before any. */
function toAssignMs(l: LeadSummary): number | null {
  const first = time(l.firstAssignedAt ?? l.assignedAt);
  return first === null ? null : first - new Date(l.receivedAt).getTime();
}

/** Assigned -> accepted, in milliseconds, or null until accepted. */
function toAcceptMs(l: LeadSummary): number | null {
  const accepted = time(l.acceptedAt);
  const assigned = time(l.assignedAt);
  return accepted === null || assigned === null ? null : accepted - assigned;
}

const duration = (ms: number | null) => (ms === null ? '—' : formatDuration(ms));
const leadName = (l: LeadSummary) => l.name ?? l.email ?? l.leadId;
const statusText = (l: LeadSummary) => (l.outcome && l.status === 'completed' ? `completed · ${l.outcome}` : l.status);

/**
 * One page of leads: who, which workflow and version, status, assignee, when received, and how fast, with a
 * selection box per row and the page's bulk actions above (`toolbar`). The server orders the list (the
 * Order filter); columns can be hidden, the choice remembered per person (localStorage).
 */
export function LeadsTable({
  items,
  selected,
  onSelect,
  toolbar,
}: {
  items: readonly LeadSummary[];
  selected: ReadonlySet<string>;
  onSelect: (leadIds: string[], on: boolean) => void;
  toolbar?: ReactNode;
}) {
  const known = useQuery(assigneesQuery);
  const columns = useMemo((): DataColumn<LeadSummary>[] => {
    const assignee = (l: LeadSummary) => (l.assignee ? assigneeName(l.assignee, known.data) : null);
    return [
      {
        id: 'select',
        header: 'Select',
        hideable: false,
        cell: (l) => <input type="checkbox" aria-label={`Select ${leadName(l)}`} checked={selected.has(l.leadId)} onChange={(e) => onSelect([l.leadId], e.target.checked)} />,
      },
      {
        id: 'lead',
        header: 'Lead',
        hideable: false,
        cell: (l) => <Link href={`/leads/${encodeURIComponent(l.leadId)}`}>{leadName(l)}</Link>,
      },
      { id: 'email', header: 'Email', cell: (l) => l.email ?? '—' },
      { id: 'company', header: 'Company', cell: (l) => l.company ?? '—' },
      {
        id: 'workflow',
        header: 'Workflow',
        cell: (l) => (
          <>
            {l.workflowName}
            {l.version !== null && <span className="muted"> v{l.version}</span>}
          </>
        ),
      },
      { id: 'status', header: 'Status', cell: (l) => <StatusBadge status={l.status} label={statusText(l)} /> },
      { id: 'assignee', header: 'Assignee', cell: (l) => assignee(l) ?? '—' },
      { id: 'received', header: 'Received', cell: (l) => <Instant iso={l.receivedAt} /> },
      { id: 'toAssign', header: 'To assign', className: 'num', cell: (l) => duration(toAssignMs(l)) },
      { id: 'toAccept', header: 'To accept', className: 'num', cell: (l) => duration(toAcceptMs(l)) },
    ];
  }, [known.data, selected, onSelect]);
  return <DataTable label="Leads" storageKey="leads" columns={columns} rows={items} rowKey={(l) => l.leadId} {...(toolbar ? { toolbar } : {})} />;
}
