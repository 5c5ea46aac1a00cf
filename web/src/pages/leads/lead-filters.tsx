import { useQuery } from '@tanstack/react-query';
import { useLocation, useSearch } from 'wouter';
import { Field } from '../../ui/field';
import { membersOf } from '../../ui/members-of';
import { workflowsQuery } from '../workflows/queries';
import { assigneesQuery, type RunStatus } from './queries';

const STATUSES = membersOf<RunStatus>({ queued: true, running: true, waiting: true, completed: true, failed: true });

/** The periods a lead list can cover; 'all' (the last) is the default. */
export const PERIODS: { id: string; label: string; ms: number | null }[] = [
  { id: 'hour', label: 'Last hour', ms: 3600_000 },
  { id: 'day', label: 'Last 24 hours', ms: 24 * 3600_000 },
  { id: 'week', label: 'Last 7 days', ms: 7 * 24 * 3600_000 },
  { id: 'all', label: 'Any time', ms: null },
];

/** Reads the filters from the URL's query string, so a filtered list can be shared and reloaded. */
export function useFilters(): [Record<string, string>, (patch: Record<string, string>) => void] {
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

/** The lead list's filters: workflow, status, assignee (reps and queues) and the period received in. */
export function LeadFiltersForm({
  params,
  period,
  onFilter,
  onPeriod,
}: {
  params: Record<string, string>;
  period: string;
  onFilter: (key: string, value: string) => void;
  onPeriod: (id: string) => void;
}) {
  const workflows = useQuery(workflowsQuery(true));
  const assignees = useQuery(assigneesQuery);
  return (
    <form className="filters" aria-label="Filters" onSubmit={(e) => e.preventDefault()}>
      <Field label="Workflow">
        <select value={params.workflow ?? ''} onChange={(e) => onFilter('workflow', e.target.value)}>
          <option value="">All workflows</option>
          {workflows.data?.workflows.map((w) => (
            <option key={w.id} value={w.id}>
              {w.name}
            </option>
          ))}
        </select>
      </Field>
      <Field label="Status">
        <select value={params.status ?? ''} onChange={(e) => onFilter('status', e.target.value)}>
          <option value="">Any status</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </Field>
      <Field label="Assignee">
        <select value={params.assignee ?? ''} onChange={(e) => onFilter('assignee', e.target.value)}>
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
        <select value={period} onChange={(e) => onPeriod(e.target.value)}>
          {PERIODS.map((p) => (
            <option key={p.id} value={p.id}>
              {p.label}
            </option>
          ))}
        </select>
      </Field>
    </form>
  );
}
