import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ChevronLeft, ChevronRight, Settings, UserPlus } from 'lucide-react';
import { useMemo, useState } from 'react';
import { Link, useParams } from 'wouter';
import { api, read } from '../../api/client';
import { useCan } from '../../auth/session';
import { DataTable } from '../../ui/data-table';
import { ErrorMessage } from '../../ui/error-message';
import { PageHeader } from '../../ui/page-header';
import { useNow } from '../../ui/use-now';
import { AssignDialog } from './assign-dialog';
import { ClaimButton } from './claim-button';
import { MoveResults, type MoveResultView } from './move-results';
import { queueLeadsQuery, queueOverviewQuery } from './queries';
import { leadName, useQueueColumns } from './queue-columns';
import { QueueSettingsDialog } from './queue-settings';
import './queues.css';


/**
 * `/queues/:id`: the leads a queue holds, longest waiting first: who, source, score, age (ticking), SLA and
 * workflow. A rep claims a lead; a manager selects leads and assigns them to a rep, and sees each lead's
 * result; an admin edits the queue's alert settings.
 */
export function QueuePage() {
  const { id } = useParams<{ id: string }>();
  const queueId = decodeURIComponent(id);
  const isManager = useCan('publisher');
  const isAdmin = useCan('admin');
  const queryClient = useQueryClient();
  const [cursors, setCursors] = useState<string[]>([]);
  const page = useQuery({ ...queueLeadsQuery(queueId, cursors.at(-1)), refetchInterval: 5000 });
  const overview = useQuery(queueOverviewQuery);
  const summary = overview.data?.items.find((q) => q.id === queueId);
  const now = useNow();
  const elapsed = Math.max(0, now - page.dataUpdatedAt);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [assigning, setAssigning] = useState(false);
  const [settings, setSettings] = useState(false);
  const [results, setResults] = useState<{ title: string; results: MoveResultView[]; names: Map<string, string> } | null>(null);

  const items = useMemo(() => page.data?.items ?? [], [page.data]);
  const assign = useMutation({
    mutationFn: (v: { repId: string; override: string | null }) =>
      read(api.api.queues[':id'].assign.$post({ param: { id: queueId }, json: { repId: v.repId, leadIds: [...selected], ...(v.override ? { override: { reason: v.override } } : {}) } })),
    onSuccess: async (r) => {
      setResults({ title: `Assigned to ${r.rep.name}`, results: r.results, names: new Map(items.map((l) => [l.leadId, leadName(l)])) });
      setSelected(new Set());
      setAssigning(false);
      await queryClient.invalidateQueries({ queryKey: ['queue-leads', queueId] });
      await queryClient.invalidateQueries({ queryKey: ['queue-overview'] });
    },
  });
  const toggle = (leadId: string, on: boolean) =>
    setSelected((s) => {
      const next = new Set(s);
      if (on) next.add(leadId);
      else next.delete(leadId);
      return next;
    });

  const columns = useQueueColumns({ isManager, selected, toggle, elapsed, now });

  const allSelected = items.length > 0 && items.every((l) => selected.has(l.leadId));
  const toolbar = isManager ? (
    <div className="selection-bar">
      <label className="checkbox-label">
        <input type="checkbox" checked={allSelected} onChange={(e) => setSelected(e.target.checked ? new Set(items.map((l) => l.leadId)) : new Set())} /> Select all on this page
      </label>
      <span className="muted">{selected.size} selected</span>
      <button type="button" className="primary" disabled={selected.size === 0} onClick={() => setAssigning(true)}>
        <UserPlus aria-hidden size={14} /> Assign to…
      </button>
    </div>
  ) : undefined;

  const name = page.data?.queue.name ?? summary?.name ?? queueId;
  return (
    <section aria-labelledby="queue-title">
      <Link href="/queues" className="back-link">
        <ChevronLeft aria-hidden size={14} /> Queues
      </Link>
      <PageHeader title={<span id="queue-title">{name}</span>}>
        {isAdmin && summary && (
          <button type="button" onClick={() => setSettings(true)}>
            <Settings aria-hidden size={14} /> Alert settings…
          </button>
        )}
      </PageHeader>
      {summary && (
        <p className="queue-meta muted">
          <span>{summary.count} queued</span>
          <span>
            Alert after {summary.ageAlertMinutes} min{summary.ageAlertIsDefault ? ' (default)' : ''}
          </span>
          <span>Notify: {summary.notify ? (summary.notify.channel === 'email' ? `email ${summary.notify.address}` : `${summary.notify.channel}`) : 'in-app only'}</span>
          <span>{summary.memberIds.length} member{summary.memberIds.length === 1 ? '' : 's'}</span>
        </p>
      )}
      {results && <MoveResults title={results.title} results={results.results} names={(leadId) => results.names.get(leadId) ?? leadId} onDismiss={() => setResults(null)} />}
      <ErrorMessage error={page.error} />
      {page.isPending && <p className="loading">Loading…</p>}
      {page.data && items.length === 0 && <p className="empty">This queue holds no leads.</p>}
      {items.length > 0 && (
        <DataTable
          label={`Leads in ${name}`}
          storageKey="queue-leads"
          columns={columns}
          rows={items}
          rowKey={(l) => l.leadId}
          actions={(l) => <ClaimButton queueId={queueId} leadId={l.leadId} leadName={leadName(l)} />}
          {...(toolbar ? { toolbar } : {})}
        />
      )}
      <div className="pager">
        {cursors.length > 0 && (
          <button type="button" onClick={() => setCursors((c) => c.slice(0, -1))}>
            <ChevronLeft aria-hidden size={16} /> Longer waiting
          </button>
        )}
        {page.data?.nextCursor && (
          <button type="button" onClick={() => setCursors((c) => [...c, page.data.nextCursor!])}>
            More recent <ChevronRight aria-hidden size={16} />
          </button>
        )}
      </div>
      {assigning && (
        <AssignDialog count={selected.size} pending={assign.isPending} error={assign.error} onAssign={(repId, override) => assign.mutate({ repId, override })} onClose={() => setAssigning(false)} />
      )}
      {settings && summary && <QueueSettingsDialog queue={summary} onClose={() => setSettings(false)} />}
    </section>
  );
}
