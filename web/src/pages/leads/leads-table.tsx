import { Link } from 'wouter';
import { formatDuration, formatInstant } from '../../ui/format';
import { StatusBadge } from '../../ui/status-badge';
import type { LeadSummary } from './queries';

function assigneeText(l: LeadSummary): string {
  if (!l.assignee) return '—';
  return l.assignee.name ?? l.assignee.id;
}

/** One page of leads: who, which workflow and version, status, assignee, when received, and how fast. */
export function LeadsTable({ items }: { items: readonly LeadSummary[] }) {
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
            <td>{assigneeText(l)}</td>
            <td>{formatInstant(l.receivedAt)}</td>
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
