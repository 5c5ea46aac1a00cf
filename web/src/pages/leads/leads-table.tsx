import { useQuery } from '@tanstack/react-query';
import { Link } from 'wouter';
import { formatDuration } from '../../ui/format';
import { Instant } from '../../ui/instant';
import { StatusBadge } from '../../ui/status-badge';
import { assigneeName } from './assignee-text';
import { assigneesQuery, type LeadSummary } from './queries';

/** One page of leads: who, which workflow and version, status, assignee, when received, and how fast. */
export function LeadsTable({ items }: { items: readonly LeadSummary[] }) {
  const known = useQuery(assigneesQuery);
  return (
    <table className="table" aria-label="Leads">
      <thead>
        <tr>
          <th scope="col">Lead</th>
          <th scope="col">Workflow</th>
          <th scope="col">Status</th>
          <th scope="col">Assignee</th>
          <th scope="col">Received</th>
          <th scope="col">To assign</th>
          <th scope="col">To accept</th>
        </tr>
      </thead>
      <tbody>
        {items.map((l) => (
          <tr key={l.leadId}>
            <td>
              <Link href={`/leads/${encodeURIComponent(l.leadId)}`}>{l.name ?? l.email ?? l.leadId}</Link>
              {l.company && <div className="muted">{l.company}</div>}
            </td>
            <td>
              {l.workflowName}
              {l.version !== null && <span className="muted"> v{l.version}</span>}
            </td>
            <td>
              <StatusBadge status={l.status} label={l.outcome && l.status === 'completed' ? `completed · ${l.outcome}` : l.status} />
            </td>
            <td>{l.assignee ? assigneeName(l.assignee, known.data) : '—'}</td>
            <td>
              <Instant iso={l.receivedAt} />
            </td>
            <td className="num">{speedToLead(l)}</td>
            <td className="num">{l.acceptedAt && l.assignedAt ? formatDuration(new Date(l.acceptedAt).getTime() - new Date(l.assignedAt).getTime()) : '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Received -> first assignment (re-assignments never move it), or a dash before any. */
function speedToLead(l: LeadSummary): string {
  const first = l.firstAssignedAt ?? l.assignedAt;
  return first ? formatDuration(new Date(first).getTime() - new Date(l.receivedAt).getTime()) : '—';
}
