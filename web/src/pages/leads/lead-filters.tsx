import { useQuery } from '@tanstack/react-query';
import { X } from 'lucide-react';
import { useEffect, useRef, useState } from 'react';
import { useLocation, useSearch } from 'wouter';
import { formatInstant } from '../../ui/format';
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

/** The server-side orders of the list: what `sort` and `order` the URL carries for each. */
export const SORTS: { id: string; label: string; sort: string; order: string }[] = [
  { id: 'newest', label: 'Newest first', sort: '', order: '' },
  { id: 'oldest', label: 'Oldest first', sort: 'received', order: 'asc' },
  { id: 'status', label: 'Status (A to Z)', sort: 'status', order: '' },
  { id: 'assignee', label: 'Assignee name (A to Z)', sort: 'assignee', order: '' },
  { id: 'assignee-desc', label: 'Assignee name (Z to A)', sort: 'assignee', order: 'desc' },
];

/** The sort the URL's `sort` and `order` spell. */
export function sortIdOf(params: Record<string, string>): string {
  return SORTS.find((s) => s.sort === (params.sort === 'received' && !params.order ? '' : (params.sort ?? '')) && s.order === (params.order ?? ''))?.id ?? 'newest';
}

/** The search box: applied as the person pauses typing (and on Enter), kept in the URL as `q`. */
function SearchField({ value, onSearch }: { value: string; onSearch: (q: string) => void }) {
  const [text, setText] = useState(value);
  // The latest callback, without restarting the pause timer whenever the page re-renders.
  const search = useRef(onSearch);
  search.current = onSearch;
  useEffect(() => setText(value), [value]);
  useEffect(() => {
    if (text.trim() === value) return;
    const t = setTimeout(() => search.current(text.trim()), 350);
    return () => clearTimeout(t);
  }, [text, value]);
  return (
    <Field label="Search">
      <input
        type="search"
        className="search-input"
        placeholder="Name, email or company"
        value={text}
        maxLength={200}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => e.key === 'Enter' && onSearch(text.trim())}
      />
    </Field>
  );
}

// The drill-down filters the form has no control for (the analytics page links with them): shown as chips.
const CHIP_LABELS: Record<string, string> = {
  firstAssignee: 'First assigned to',
  assignedTo: 'Assigned to',
  assignedBy: 'Assigned by node',
  waitedOn: 'Waited on',
  waitOutcome: 'Wait outcome',
  passedOver: 'Passed over',
  passedReason: 'Passed over because',
  throughNode: 'Through node',
  nodeOutcome: 'Node outcome',
  since: 'Received from',
  until: 'Received before',
};
const WHO = new Set(['firstAssignee', 'assignedTo', 'waitedOn', 'passedOver']);

/** The active drill-down filters as removable chips ("Assigned to: Ana Diaz ×"). */
export function FilterChips({ params, onRemove }: { params: Record<string, string>; onRemove: (keys: string[]) => void }) {
  const assignees = useQuery(assigneesQuery);
  const nameOf = (id: string) => assignees.data?.reps.find((r) => r.id === id)?.name ?? assignees.data?.queues.find((q) => q.id === id)?.name ?? id;
  // `since` chosen through the period control is that control's; a `since` from a link is a chip.
  const keys = Object.keys(CHIP_LABELS).filter((k) => params[k] && !(k === 'since' && params.period));
  if (keys.length === 0) return null;
  const shown = (k: string, v: string) => (WHO.has(k) ? nameOf(v) : k === 'since' || k === 'until' ? formatInstant(v) : v.replace(/_/g, ' '));
  return (
    <div className="chips" aria-label="Active filters">
      {keys.map((k) => (
        <span key={k} className="chip" data-testid={`chip-${k}`}>
          {CHIP_LABELS[k]}: <strong>{shown(k, params[k]!)}</strong>
          <button type="button" aria-label={`Remove filter ${CHIP_LABELS[k]}`} onClick={() => onRemove(k === 'throughNode' ? [k, 'nodeOutcome'] : [k])}>
            <X aria-hidden size={12} />
          </button>
        </span>
      ))}
      {keys.length > 1 && (
        <button type="button" className="ghost" onClick={() => onRemove(keys)}>
          Clear all
        </button>
      )}
    </div>
  );
}

/** The lead list's filters: search, workflow, status, assignee (reps and queues), the period received in, and the order. */
export function LeadFiltersForm({
  params,
  period,
  onFilter,
  onPeriod,
  onSort,
}: {
  params: Record<string, string>;
  period: string;
  onFilter: (key: string, value: string) => void;
  onPeriod: (id: string) => void;
  onSort: (id: string) => void;
}) {
  const workflows = useQuery(workflowsQuery(true));
  const assignees = useQuery(assigneesQuery);
  return (
    <form className="filters" aria-label="Filters" onSubmit={(e) => e.preventDefault()}>
      <SearchField value={params.q ?? ''} onSearch={(q) => onFilter('q', q)} />
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
      <Field label="Order">
        <select value={sortIdOf(params)} onChange={(e) => onSort(e.target.value)}>
          {SORTS.map((s) => (
            <option key={s.id} value={s.id}>
              {s.label}
            </option>
          ))}
        </select>
      </Field>
    </form>
  );
}
