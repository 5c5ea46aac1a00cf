import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { Link } from 'wouter';
import { ErrorMessage } from '../../../ui/error-message';
import { Instant } from '../../../ui/instant';
import { StatusBadge } from '../../../ui/status-badge';
import { triggerLeadsQuery, type TriggerLead } from '../../api/queries';

/** How many leads the trigger lists: the latest few, enough to see one just sent arrive. */
export const RECENT_LEADS = 10;

/** While the panel is open the list follows new leads and status changes. */
const REFRESH_MS = 3000;

function leadName(l: TriggerLead): string {
  return l.name ?? l.email ?? 'A lead without name or email';
}

function assigneeText(a: TriggerLead['assignee']): string {
  if (!a) return 'Not assigned yet';
  return a.name ?? (a.type === 'queue' ? 'a queue no longer in the directory' : 'a rep no longer in the directory');
}

/** The last leads this workflow received, newest first, each linked to its lead page; `highlight` marks one just sent. */
export function RecentLeads({ workflowId, highlight }: { workflowId: string; highlight: string | null }) {
  const leads = useQuery({ ...triggerLeadsQuery(workflowId, RECENT_LEADS), refetchInterval: REFRESH_MS });
  // A lead just sent is brought into view once, when it first shows up; later refreshes leave the scroll alone.
  const list = useRef<HTMLOListElement>(null);
  const shown = useRef<string | null>(null);
  const arrived = !!highlight && !!leads.data?.items.some((l) => l.leadId === highlight);
  useEffect(() => {
    if (!arrived || shown.current === highlight) return;
    shown.current = highlight;
    list.current?.querySelector('li.is-new')?.scrollIntoView({ block: 'nearest' });
  }, [arrived, highlight]);
  return (
    <div className="te-field">
      <div className="te-row te-row-between">
        <span className="te-label" id="te-recent-label">
          Last leads received
        </span>
        <Link href={`/leads?workflow=${encodeURIComponent(workflowId)}`} className="te-small-link">
          All leads
        </Link>
      </div>
      <ErrorMessage error={leads.error} />
      {leads.isPending && <p className="te-note">Loading…</p>}
      {leads.data && leads.data.items.length === 0 && <p className="te-note">No lead has come in yet. Post one with the command above.</p>}
      {leads.data && leads.data.items.length > 0 && (
        <ol className="te-leads" aria-labelledby="te-recent-label" ref={list}>
          {leads.data.items.map((l) => (
            <li key={l.leadId} className={l.leadId === highlight ? 'is-new' : undefined} data-testid="trigger-lead">
              <div className="te-row te-row-between">
                <Link href={`/leads/${encodeURIComponent(l.leadId)}`} className="te-lead-name">
                  {leadName(l)}
                </Link>
                <StatusBadge status={l.status} label={l.outcome && l.status === 'completed' ? `completed · ${l.outcome}` : l.status} />
              </div>
              <div className="te-lead-meta">
                {l.company && <span>{l.company}</span>}
                <span title={l.assignee ? `${l.assignee.type} ${l.assignee.id}` : undefined}>{assigneeText(l.assignee)}</span>
                <Instant iso={l.receivedAt} seconds />
              </div>
              {l.leadId === highlight && <span className="te-tag">Test lead you sent</span>}
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
