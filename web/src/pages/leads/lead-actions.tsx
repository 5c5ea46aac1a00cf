import { LEAD_CLOSE_REASON_LABELS, LEAD_CLOSE_REASONS, type LeadCloseReason } from '@lead-router/shared';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { CheckCircle2, GitBranch, Route } from 'lucide-react';
import { useState, type FormEvent } from 'react';
import { api, read } from '../../api/client';
import { useCan, useSession } from '../../auth/session';
import { Dialog } from '../../ui/dialog';
import { ErrorMessage } from '../../ui/error-message';
import { Instant } from '../../ui/instant';
import { leadQuery, type LeadDetail } from './queries';
import type { RunState } from './use-lead-events';

// What can be done with a lead once its route has ended (or while it waits): its rep closes it when worked
// (it leaves their open leads, so caps free up), and an editor sends it through a version again.

const reasonLabel = (r: string) => (r in LEAD_CLOSE_REASON_LABELS ? LEAD_CLOSE_REASON_LABELS[r as LeadCloseReason] : r);

/** "Closed · Converted · <when> · by <who>", with the note. */
export function ClosedLine({ closed }: { closed: NonNullable<LeadDetail['closed']> }) {
  return (
    <p className="lead-closed" data-testid="lead-closed">
      <CheckCircle2 aria-hidden size={16} /> Closed · <strong>{reasonLabel(closed.reason)}</strong> · <Instant iso={closed.at} /> · by {closed.byName}
      {closed.note && <span className="muted"> · “{closed.note}”</span>}
    </p>
  );
}

/** The Close and Re-route buttons, each opening its dialog; shown to whoever the server lets do it. */
export function LeadActions({ lead, state }: { lead: LeadDetail; state: RunState }) {
  const session = useSession();
  const isEditor = useCan('editor');
  const isHolder = !!session?.repId && state.assignee?.type === 'rep' && state.assignee.id === session.repId;
  const ended = state.status === 'completed' || state.status === 'failed';
  const [open, setOpen] = useState<'close' | 'reroute' | null>(null);
  const canClose = ended && !lead.closed && (isEditor || isHolder);
  const canReroute = isEditor && (ended || state.status === 'waiting');
  if (!canClose && !canReroute) return null;
  return (
    <div className="lead-actions">
      {canClose && (
        <button type="button" onClick={() => setOpen('close')}>
          <CheckCircle2 aria-hidden size={14} /> Close lead…
        </button>
      )}
      {canReroute && (
        <button type="button" onClick={() => setOpen('reroute')}>
          <Route aria-hidden size={14} /> Re-route…
        </button>
      )}
      {open === 'close' && <CloseDialog leadId={lead.leadId} onClose={() => setOpen(null)} />}
      {open === 'reroute' && <RerouteDialog lead={lead} waiting={state.status === 'waiting'} onClose={() => setOpen(null)} />}
    </div>
  );
}

function CloseDialog({ leadId, onClose }: { leadId: string; onClose: () => void }) {
  const queryClient = useQueryClient();
  const [reason, setReason] = useState<LeadCloseReason>('converted');
  const [note, setNote] = useState('');
  const close = useMutation({
    mutationFn: () => read(api.api.leads[':id'].close.$post({ param: { id: leadId }, json: { reason, ...(note.trim() ? { note: note.trim() } : {}) } })),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: leadQuery(leadId).queryKey });
      onClose();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    close.mutate();
  };
  return (
    <Dialog open title="Close this lead" description="A closed lead no longer counts toward its rep's open leads." onClose={onClose}>
      <form onSubmit={submit} className="lead-action-form">
        <label>
          Why
          <select value={reason} onChange={(e) => setReason(e.target.value as LeadCloseReason)}>
            {LEAD_CLOSE_REASONS.map((r) => (
              <option key={r} value={r}>
                {LEAD_CLOSE_REASON_LABELS[r]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Note (optional)
          <textarea value={note} maxLength={1000} rows={3} onChange={(e) => setNote(e.target.value)} />
        </label>
        {close.error && <ErrorMessage error={close.error} />}
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={close.isPending}>
            {close.isPending ? 'Closing…' : 'Close lead'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function RerouteDialog({ lead, waiting, onClose }: { lead: LeadDetail; waiting: boolean; onClose: () => void }) {
  const versions = useQuery({
    queryKey: ['workflow', lead.workflowId, 'versions'],
    queryFn: () => read(api.api.workflows[':id'].versions.$get({ param: { id: lead.workflowId } })),
  });
  const active = versions.data?.versions.find((v) => v.active);
  const [chosen, setChosen] = useState<number | null>(null);
  const [note, setNote] = useState('');
  const version = chosen ?? active?.number ?? null;
  const reroute = useMutation({
    mutationFn: () =>
      read(api.api.leads[':id'].reroute.$post({ param: { id: lead.leadId }, json: { ...(version !== null ? { version } : {}), ...(note.trim() ? { note: note.trim() } : {}) } })),
    // The live trace follows the new run from its start.
    onSuccess: () => window.location.reload(),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    reroute.mutate();
  };
  return (
    <Dialog
      open
      title="Re-route this lead"
      description={`A new run routes the lead from its trigger through the version you choose; this run (${lead.runNumber > 1 ? `run ${lead.runNumber}` : 'the first'}) stays on this page.${waiting ? ' It waits on its rep now: that wait ends.' : ''}`}
      onClose={onClose}
    >
      <form onSubmit={submit} className="lead-action-form">
        <label>
          Version
          <select value={version ?? ''} onChange={(e) => setChosen(Number(e.target.value))} disabled={!versions.data}>
            {versions.data?.versions.map((v) => (
              <option key={v.id} value={v.number}>
                v{v.number}
                {v.active ? ' (active)' : ''} · {v.note}
              </option>
            ))}
          </select>
        </label>
        <label>
          Why (optional)
          <textarea value={note} maxLength={1000} rows={3} onChange={(e) => setNote(e.target.value)} />
        </label>
        {versions.error && <ErrorMessage error={versions.error} />}
        {reroute.error && <ErrorMessage error={reroute.error} />}
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={reroute.isPending || version === null}>
            <GitBranch aria-hidden size={14} /> {reroute.isPending ? 'Queueing…' : `Re-route through v${version ?? '…'}`}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/** The lead's earlier runs, oldest first: what each did and who ended it, when. */
export function EarlierRuns({ runs, current }: { runs: LeadDetail['earlierRuns']; current: number }) {
  if (runs.length === 0) return null;
  return (
    <section className="earlier-runs" aria-label="Earlier runs">
      <h2>Runs</h2>
      <ol>
        {runs.map((r) => (
          <li key={r.runNumber} data-run={r.runNumber}>
            <strong>Run {r.runNumber}</strong> on v{r.version ?? '?'}: {r.assignee ? <>held by {r.assignee.name ?? r.assignee.id}</> : 'held by nobody'}, {r.status}
            {r.outcome ? ` · ${r.outcome}` : ''} · {r.endedReason === 'retried' ? 'retried' : 're-routed'} by {r.endedByName} <Instant iso={r.endedAt} />
            {r.note && <span className="muted"> · “{r.note}”</span>}
          </li>
        ))}
        <li data-run={current}>
          <strong>Run {current}</strong> (this run)
        </li>
      </ol>
    </section>
  );
}
