import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useSearch, useLocation } from 'wouter';
import { ErrorMessage } from '../../ui/error-message';
import { Field } from '../../ui/field';
import { formatDuration, formatInstant } from '../../ui/format';
import { PageHeader } from '../../ui/page-header';
import { membersOf } from '../../ui/members-of';
import { StatusBadge } from '../../ui/status-badge';
import { workflowsQuery } from '../workflows/queries';
import { assigneesQuery, leadsQuery, type LeadFilters, type LeadSummary, type RunStatus } from './queries';

const STATUSES = membersOf<RunStatus>({ queued: true, running: true, waiting: true, completed: true, failed: true });
const PERIODS: { id: string; label: string; ms: number | null }[] = [
  { id: 'hour', label: 'Last hour', ms: 3600_000 },
  { id: 'day', label: 'Last 24 hours', ms: 24 * 3600_000 },
  { id: 'week', label: 'Last 7 days', ms: 7 * 24 * 3600_000 },
  { id: 'all', label: 'Any time', ms: null },
];

/** Reads the filters from the URL's query string, so a filtered list can be shared and reloaded. */
function useFilters(): [Record<string, string>, (patch: Record<string, string>) => void] {
  const search = useSearch();
  const [location, navigate] = useLocation();
  const params = Object.fromEntries(new URLSearchParams(search));
  const set = (patch: Record<string, string>) => {
    const next = new URLSearchParams(search);
    for (const [key, value] of Object.entries(patch)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    const qs = next.toString();
    navigate(qs ? `${location}?${qs}` : location, { replace: true });
  };
  return [params, set];
}

function assigneeText(l: LeadSummary): string {
  if (!l.assignee) return '—';
  return l.assignee.name ?? l.assignee.id;
}

/** `/leads`: every lead with its routing, filtered by workflow, status, assignee and time; newest first. */
export function LeadsPage() {
  const [params, setParam] = useFilters();
  const [cursors, setCursors] = useState<string[]>([]);
  const period = PERIODS.find((p) => p.id === params.period) ?? PERIODS[3]!;
  // The period's start is fixed when it is chosen and kept in the URL, so the query key stays stable.
  const sinceIso = period.ms === null ? undefined : params.since;
  const filters: LeadFilters = {
    ...(params.workflow ? { workflow: params.workflow } : {}),
    ...(params.status ? { status: params.status as RunStatus } : {}),
    ...(params.assignee ? { assignee: params.assignee } : {}),
    ...(sinceIso ? { since: sinceIso } : {}),
  };
  const cursor = cursors.at(-1);
  const page = useQuery({ ...leadsQuery(filters, cursor), refetchInterval: 5000 });
  const workflows = useQuery(workflowsQuery(true));
  const assignees = useQuery(assigneesQuery);
  const setFilter = (key: string, value: string) => {
    setCursors([]);
    setParam({ [key]: value });
  };
  const setPeriod = (id: string) => {
    const ms = PERIODS.find((p) => p.id === id)?.ms ?? null;
    setCursors([]);
    setParam({ period: ms === null ? '' : id, since: ms === null ? '' : new Date(Date.now() - ms).toISOString() });
  };

  return (
    <section aria-labelledby="leads-title">
      <PageHeader title={<span id="leads-title">Leads</span>} />
      <form className="filters" aria-label="Filters" onSubmit={(e) => e.preventDefault()}>
        <Field label="Workflow">
          <select value={params.workflow ?? ''} onChange={(e) => setFilter('workflow', e.target.value)}>
            <option value="">All workflows</option>
            {workflows.data?.workflows.map((w) => (
              <option key={w.id} value={w.id}>
                {w.name}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Status">
          <select value={params.status ?? ''} onChange={(e) => setFilter('status', e.target.value)}>
            <option value="">Any status</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Assignee">
          <select value={params.assignee ?? ''} onChange={(e) => setFilter('assignee', e.target.value)}>
            <option value="">Anyone</option>
            <optgroup label="Reps">
              {assignees.data?.reps.map((r) => (
                <option key={r.id} value={r.id}>
                  {r.name}
                </option>
              ))}
            </optgroup>
            <optgroup label="Queues">
              {assignees.data?.queues.map((q) => (
                <option key={q.id} value={q.id}>
                  {q.name}
                </option>
              ))}
            </optgroup>
          </select>
        </Field>
        <Field label="Received">
          <select value={period.id} onChange={(e) => setPeriod(e.target.value)}>
            {PERIODS.map((p) => (
              <option key={p.id} value={p.id}>
                {p.label}
              </option>
            ))}
          </select>
        </Field>
      </form>
      <ErrorMessage error={page.error} />
      {page.isPending && <p className="loading">Loading…</p>}
      {page.data && page.data.items.length === 0 && <p className="empty">No leads match these filters.</p>}
      {page.data && page.data.items.length > 0 && (
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
            {page.data.items.map((l) => (
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
                <td className="num">{l.assignedAt ? formatDuration(new Date(l.assignedAt).getTime() - new Date(l.receivedAt).getTime()) : '—'}</td>
                <td className="num">{l.acceptedAt && l.assignedAt ? formatDuration(new Date(l.acceptedAt).getTime() - new Date(l.assignedAt).getTime()) : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="pager">
        {cursors.length > 0 && (
          <button type="button" onClick={() => setCursors((c) => c.slice(0, -1))}>
            Newer
          </button>
        )}
        {page.data?.nextCursor && (
          <button type="button" onClick={() => setCursors((c) => [...c, page.data.nextCursor!])}>
            Older
          </button>
        )}
      </div>
    </section>
  );
}
