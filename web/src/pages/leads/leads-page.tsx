import { useQuery } from '@tanstack/react-query';
import { ChevronLeft, ChevronRight, Download, Repeat } from 'lucide-react';
import { useCallback, useMemo, useState } from 'react';
import { useLocation } from 'wouter';
import { useCan } from '../../auth/session';
import { ErrorMessage } from '../../ui/error-message';
import { PageHeader } from '../../ui/page-header';
import { Tip } from '../../ui/tooltip';
import '../queues/queues.css';
import { FilterChips, LeadFiltersForm, PERIODS, SORTS, useFilters } from './lead-filters';
import { BackfillDialog } from '../backfills/backfill-dialog';
import { MoveResults } from '../queues/move-results';
import { BulkActions, type BulkOutcome } from './leads-bulk';
import { LeadsTable } from './leads-table';
import { csvHref, filtersFrom, leadsQuery } from './queries';

/** `/leads`: every lead with its routing; searched, filtered (every filter of the API, from the URL), ordered; CSV; bulk actions. */
export function LeadsPage() {
  const [params, setParam] = useFilters();
  const [cursors, setCursors] = useState<string[]>([]);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [outcome, setOutcome] = useState<BulkOutcome | null>(null);
  const [backfill, setBackfill] = useState(false);
  const isEditor = useCan('editor');
  const [, navigate] = useLocation();
  const period = PERIODS.find((p) => p.id === params.period) ?? PERIODS[3]!;
  // Every filter the URL carries goes to the API as it is: the period control writes `since` (fixed when
  // chosen, so the query key stays stable), and a link's own `since` / `until` show as chips.
  const filters = useMemo(() => filtersFrom(params), [params]);
  const cursor = cursors.at(-1);
  const page = useQuery({ ...leadsQuery(filters, cursor), refetchInterval: 5000 });
  const items = useMemo(() => page.data?.items ?? [], [page.data]);
  const change = (patch: Record<string, string>) => {
    setCursors([]);
    setSelected(new Set());
    setParam(patch);
  };
  const setPeriod = (id: string) => {
    const ms = PERIODS.find((p) => p.id === id)?.ms ?? null;
    change({ period: ms === null ? '' : id, since: ms === null ? '' : new Date(Date.now() - ms).toISOString() });
  };
  const setSort = (id: string) => {
    const s = SORTS.find((x) => x.id === id) ?? SORTS[0]!;
    change({ sort: s.sort, order: s.order });
  };
  const onSelect = useCallback(
    (ids: string[], on: boolean) =>
      setSelected((s) => {
        const next = new Set(s);
        for (const id of ids) {
          if (on) next.add(id);
          else next.delete(id);
        }
        return next;
      }),
    [],
  );
  const allSelected = items.length > 0 && items.every((l) => selected.has(l.leadId));
  const toolbar = (
    <>
      <label className="checkbox-label">
        <input type="checkbox" checked={allSelected} onChange={(e) => onSelect(items.map((l) => l.leadId), e.target.checked)} /> Select all on this page
      </label>
      <BulkActions selected={items.filter((l) => selected.has(l.leadId))} onDone={(o) => {
          setSelected(new Set());
          setOutcome(o);
        }}
      />
    </>
  );

  return (
    <section aria-labelledby="leads-title">
      <PageHeader title={<span id="leads-title">Leads</span>}>
        {isEditor && (
          <Tip content="Send every lead these filters match (up to 100,000) through a version: a backfill job, previewed first">
            <button type="button" onClick={() => setBackfill(true)}>
              <Repeat aria-hidden size={14} /> Re-route all matching…
            </button>
          </Tip>
        )}
        <Tip content="Every lead these filters match, in this order, up to 100,000 rows">
          <a className="button-link" href={csvHref(filters)} download>
            <Download aria-hidden size={14} /> Export CSV
          </a>
        </Tip>
      </PageHeader>
      <LeadFiltersForm params={params} period={period.id} onFilter={(key, value) => change({ [key]: value })} onPeriod={setPeriod} onSort={setSort} />
      <FilterChips params={params} onRemove={(keys) => change(Object.fromEntries(keys.map((k) => [k, ''])))} />
      {outcome && <MoveResults title={outcome.title} results={outcome.results} names={(id) => outcome.names.get(id) ?? id} onDismiss={() => setOutcome(null)} />}
      <ErrorMessage error={page.error} />
      {page.isPending && <p className="loading">Loading…</p>}
      {page.data && items.length === 0 && <p className="empty">No leads match these filters.</p>}
      {items.length > 0 && <LeadsTable items={items} selected={selected} onSelect={onSelect} toolbar={toolbar} />}
      <div className="pager">
        {cursors.length > 0 && (
          <button type="button" onClick={() => setCursors((c) => c.slice(0, -1))}>
            <ChevronLeft aria-hidden size={16} /> Previous
          </button>
        )}
        {page.data?.nextCursor && (
          <button type="button" onClick={() => setCursors((c) => [...c, page.data.nextCursor!])}>
            Next <ChevronRight aria-hidden size={16} />
          </button>
        )}
      </div>
      {backfill && (
        <BackfillDialog filter={{ ...filters, sort: undefined, order: undefined }} onClose={() => setBackfill(false)} onStarted={() => navigate('/backfills')} />
      )}
    </section>
  );
}
