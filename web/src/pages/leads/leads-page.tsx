import { useQuery } from '@tanstack/react-query';
import { ChevronLeft, ChevronRight } from 'lucide-react';
import { useState } from 'react';
import { ErrorMessage } from '../../ui/error-message';
import { PageHeader } from '../../ui/page-header';
import { LeadFiltersForm, PERIODS, useFilters } from './lead-filters';
import { LeadsTable } from './leads-table';
import { leadsQuery, type LeadFilters, type RunStatus } from './queries';

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
      <LeadFiltersForm params={params} period={period.id} onFilter={setFilter} onPeriod={setPeriod} />
      <ErrorMessage error={page.error} />
      {page.isPending && <p className="loading">Loading…</p>}
      {page.data && page.data.items.length === 0 && <p className="empty">No leads match these filters.</p>}
      {page.data && page.data.items.length > 0 && <LeadsTable items={page.data.items} />}
      <div className="pager">
        {cursors.length > 0 && (
          <button type="button" onClick={() => setCursors((c) => c.slice(0, -1))}>
            <ChevronLeft aria-hidden size={16} /> Newer
          </button>
        )}
        {page.data?.nextCursor && (
          <button type="button" onClick={() => setCursors((c) => [...c, page.data.nextCursor!])}>
            Older <ChevronRight aria-hidden size={16} />
          </button>
        )}
      </div>
    </section>
  );
}
