import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Pause, Play, Plus, X } from 'lucide-react';
import { useState, type FormEvent } from 'react';
import { api, read } from '../../api/client';
import { useCan } from '../../auth/session';
import { DataTable, type DataColumn } from '../../ui/data-table';
import { Dialog } from '../../ui/dialog';
import { ErrorMessage } from '../../ui/error-message';
import { Field } from '../../ui/field';
import { formatDuration } from '../../ui/format';
import { Instant } from '../../ui/instant';
import { PageHeader } from '../../ui/page-header';
import { StatusBadge } from '../../ui/status-badge';
import { repsQuery } from '../directory/queries';
import { workflowsQuery } from '../workflows/queries';
import { BackfillDialog } from './backfill-dialog';
import { CrmImportAction } from './crm-backfill-dialog';
import { filterText } from './filter-text';
import { backfillsQuery, type Backfill, type LeadFilter } from './queries';
import './backfills.css';

const STATUSES = ['queued', 'running', 'waiting', 'completed', 'failed'] as const;

/** A job's progress: the bar (done and skipped over total), then the figures in words. */
function Progress({ job }: { job: Backfill }) {
  const processed = job.done + job.skipped;
  const pct = job.total === 0 ? 100 : Math.floor((processed / job.total) * 100);
  const reasons = Object.entries(job.skippedReasons)
    .map(([r, n]) => `${n.toLocaleString('en-US')} ${r.replace(/_/g, ' ')}`)
    .join(', ');
  return (
    <div className="backfill-progress">
      <div className="backfill-bar" role="progressbar" aria-label={`Progress of the backfill through version ${job.version}`} aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct}>
        <span style={{ width: `${pct}%` }} />
      </div>
      <div className="muted">
        {pct}% · {job.done.toLocaleString('en-US')} of {job.total.toLocaleString('en-US')} {job.filter.import ? 'routed' : 're-routed'}
        {job.skipped > 0 && ` · ${job.skipped.toLocaleString('en-US')} skipped (${reasons})`}
        {job.rate > 0 && ` · ${job.rate.toLocaleString('en-US')} leads/s`}
        {job.etaSeconds !== null && ` · about ${formatDuration(job.etaSeconds * 1000)} left`}
      </div>
    </div>
  );
}

/** `/backfills`: every backfill of the workspace with its progress; start one, pause, resume or cancel it. */
export function BackfillsPage() {
  const list = useQuery(backfillsQuery());
  const reps = useQuery(repsQuery);
  const canEdit = useCan('editor');
  const queryClient = useQueryClient();
  const [choosing, setChoosing] = useState(false);
  const [chosen, setChosen] = useState<{ workflowId: string; filter: LeadFilter } | null>(null);
  const [imported, setImported] = useState<string | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['backfills'] });
  const move = useMutation({
    mutationFn: ({ id, to }: { id: string; to: 'cancel' | 'pause' | 'resume' }) => read(api.api.backfills[':id'][to].$post({ param: { id } })),
    onSuccess: () => void refresh(),
  });
  const repName = (id: string) => reps.data?.items.find((r) => r.id === id)?.name ?? id;

  const columns: DataColumn<Backfill>[] = [
    {
      id: 'what',
      header: 'Leads',
      hideable: false,
      cell: (j) => (
        <>
          <div>
            {j.workflowName ?? 'Deleted workflow'} → version {j.version}
          </div>
          <div className="muted">{filterText(j.filter, repName)}</div>
          {j.note && <div className="muted">“{j.note}”</div>}
        </>
      ),
    },
    { id: 'status', header: 'Status', sortBy: (j) => j.status, cell: (j) => <StatusBadge status={j.status} /> },
    { id: 'progress', header: 'Progress', sortBy: (j) => (j.total === 0 ? 1 : (j.done + j.skipped) / j.total), cell: (j) => <Progress job={j} /> },
    {
      id: 'started',
      header: 'Started',
      sortBy: (j) => new Date(j.createdAt).getTime(),
      cell: (j) => (
        <>
          <Instant iso={j.createdAt} /> <div className="muted">by {j.createdByName}</div>
        </>
      ),
    },
    { id: 'finished', header: 'Ended', sortBy: (j) => (j.finishedAt ? new Date(j.finishedAt).getTime() : null), cell: (j) => <Instant iso={j.finishedAt} /> },
  ];

  return (
    <section aria-labelledby="backfills-title">
      <PageHeader title={<span id="backfills-title">Backfills</span>}>
        {canEdit && (
          <CrmImportAction
            onStarted={(message) => {
              setImported(message);
              void refresh();
            }}
          />
        )}
        {canEdit && (
          <button type="button" className="primary" onClick={() => setChoosing(true)}>
            <Plus aria-hidden size={16} /> New backfill
          </button>
        )}
      </PageHeader>
      <p className="muted">Sends a set of leads through a version again: each gets a new run, throttled below live leads, resumed after a restart.</p>
      {imported && (
        <p role="status" className="backfill-imported">
          {imported}
        </p>
      )}
      <ErrorMessage error={list.error ?? move.error} />
      {list.isPending && <p className="loading">Loading…</p>}
      {list.data && list.data.items.length === 0 && <p className="empty">No backfills yet.</p>}
      {list.data && list.data.items.length > 0 && (
        <DataTable
          label="Backfills"
          storageKey="backfills"
          columns={columns}
          rows={list.data.items}
          rowKey={(j) => j.id}
          actions={
            canEdit
              ? (j) => (
                  <>
                    {j.status === 'running' && (
                      <button type="button" onClick={() => move.mutate({ id: j.id, to: 'pause' })}>
                        <Pause aria-hidden size={14} /> Pause
                      </button>
                    )}
                    {j.status === 'paused' && (
                      <button type="button" onClick={() => move.mutate({ id: j.id, to: 'resume' })}>
                        <Play aria-hidden size={14} /> Resume
                      </button>
                    )}
                    {(j.status === 'running' || j.status === 'paused') && (
                      <button type="button" className="danger" onClick={() => window.confirm('Cancel this backfill? Leads already re-routed keep their new run.') && move.mutate({ id: j.id, to: 'cancel' })}>
                        <X aria-hidden size={14} /> Cancel
                      </button>
                    )}
                  </>
                )
              : undefined
          }
        />
      )}
      {choosing && (
        <FilterDialog
          onClose={() => setChoosing(false)}
          onChosen={(c) => {
            setChoosing(false);
            setChosen(c);
          }}
        />
      )}
      {chosen && <BackfillDialog filter={chosen.filter} workflowId={chosen.workflowId} onClose={() => setChosen(null)} />}
    </section>
  );
}

/** A datetime-local value (the browser's zone) as an ISO instant, or undefined when empty. */
const isoOf = (local: string) => (local ? new Date(local).toISOString() : undefined);

/** Which leads: a workflow and a simple filter (status, holder, received between), as the lead list takes it. */
function FilterDialog({ onClose, onChosen }: { onClose: () => void; onChosen: (c: { workflowId: string; filter: LeadFilter }) => void }) {
  const workflows = useQuery(workflowsQuery(false));
  const reps = useQuery(repsQuery);
  const [workflowId, setWorkflowId] = useState('');
  const [status, setStatus] = useState('');
  const [assignee, setAssignee] = useState('');
  const [since, setSince] = useState('');
  const [until, setUntil] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onChosen({ workflowId, filter: { status: status || undefined, assignee: assignee || undefined, since: isoOf(since), until: isoOf(until) } });
  };
  return (
    <Dialog open title="New backfill" description="Which leads to re-route: the lead list's filter." onClose={onClose}>
      <form onSubmit={submit} className="form">
        <Field label="Workflow">
          <select value={workflowId} required onChange={(e) => setWorkflowId(e.target.value)}>
            <option value="">Choose a workflow…</option>
            {workflows.data?.workflows.map((w) => (
              <option key={w.id} value={w.id}>
                {w.name}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Status">
          <select value={status} onChange={(e) => setStatus(e.target.value)}>
            <option value="">Any status</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Held by">
          <select value={assignee} onChange={(e) => setAssignee(e.target.value)}>
            <option value="">Anyone</option>
            {reps.data?.items.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Received from">
          <input type="datetime-local" value={since} onChange={(e) => setSince(e.target.value)} />
        </Field>
        <Field label="Received before">
          <input type="datetime-local" value={until} onChange={(e) => setUntil(e.target.value)} />
        </Field>
        <div className="form-actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={workflowId === ''}>
            Continue
          </button>
        </div>
      </form>
    </Dialog>
  );
}
