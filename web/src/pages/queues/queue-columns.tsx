import { useMemo } from 'react';
import { Link } from 'wouter';
import type { DataColumn } from '../../ui/data-table';
import { formatCountdown } from '../../ui/format';
import { Instant } from '../../ui/instant';
import { formatAge, type QueueLead } from './queries';

/** A queued lead as the page names it. */
export const leadName = (l: QueueLead) => l.name ?? l.email ?? l.leadId;

/** The queue page's columns: a manager's selection box, who, source, score, live age, SLA, workflow, received. */
export function useQueueColumns({
  isManager,
  selected,
  toggle,
  elapsed,
  now,
}: {
  isManager: boolean;
  selected: ReadonlySet<string>;
  toggle: (leadId: string, on: boolean) => void;
  /** Since the page was read: the ages tick on from the server's. */
  elapsed: number;
  now: number;
}): DataColumn<QueueLead>[] {
  return useMemo((): DataColumn<QueueLead>[] => {
    const cols: DataColumn<QueueLead>[] = [
      {
        id: 'lead',
        header: 'Lead',
        hideable: false,
        cell: (l) => (
          <>
            <Link href={`/leads/${encodeURIComponent(l.leadId)}`}>{leadName(l)}</Link>
            {l.email && l.name && <div className="muted">{l.email}</div>}
            {l.company && <div className="muted">{l.company}</div>}
          </>
        ),
      },
      { id: 'source', header: 'Source', cell: (l) => l.source ?? <span className="muted">—</span> },
      {
        id: 'score',
        header: 'Score',
        className: 'num',
        cell: (l) => (l.score === null ? <span className="muted">—</span> : `${l.score}${l.grade ? ` · ${l.grade}` : ''}`),
      },
      {
        id: 'age',
        header: 'In queue',
        cell: (l) => (
          <span title={`Queued ${new Date(l.queuedAt).toLocaleString()}`} data-testid="queue-age">
            {formatAge(l.ageMs + elapsed)}
          </span>
        ),
      },
      {
        id: 'sla',
        header: 'SLA',
        cell: (l) =>
          l.sla.deadlineAt === null ? (
            <span className="muted">none</span>
          ) : l.sla.breached || new Date(l.sla.deadlineAt).getTime() <= now ? (
            <span className="sla-breached">
              breached · <Instant iso={l.sla.deadlineAt} />
            </span>
          ) : (
            <span>
              {formatCountdown(l.sla.deadlineAt, now)} left · due <Instant iso={l.sla.deadlineAt} />
            </span>
          ),
      },
      {
        id: 'workflow',
        header: 'Workflow',
        cell: (l) => (
          <>
            {l.workflow.name}
            {l.workflow.version !== null && <span className="muted"> v{l.workflow.version}</span>}
          </>
        ),
      },
      { id: 'received', header: 'Received', cell: (l) => <Instant iso={l.receivedAt} /> },
    ];
    if (!isManager) return cols;
    const select: DataColumn<QueueLead> = {
      id: 'select',
      header: 'Select',
      hideable: false,
      cell: (l) => <input type="checkbox" aria-label={`Select ${leadName(l)}`} checked={selected.has(l.leadId)} onChange={(e) => toggle(l.leadId, e.target.checked)} />,
    };
    return [select, ...cols];
  }, [isManager, selected, toggle, elapsed, now]);

}
