import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { GitBranch, Hand, Route, UserPlus } from 'lucide-react';
import { useState, type FormEvent } from 'react';
import { api, read } from '../../api/client';
import { useCan, useSession } from '../../auth/session';
import { Dialog } from '../../ui/dialog';
import { ErrorMessage } from '../../ui/error-message';
import { AssignDialog } from '../queues/assign-dialog';
import type { MoveResultView } from '../queues/move-results';
import type { LeadSummary } from './queries';

type BulkBody = Parameters<typeof api.api.leads.bulk.$post>[0]['json'];

/** What a bulk action did, lead by lead, for the page to show above the table. */
export interface BulkOutcome {
  title: string;
  results: MoveResultView[];
  names: Map<string, string>;
}

/**
 * The lead list's bulk actions on the selected leads, each shown only to whoever the server lets do it:
 * re-route (editor and up) through a version, assign queued leads to a rep (a manager), claim queued leads
 * (a user linked to a rep). The answer's per-lead results go to `onDone` (the page shows them).
 */
export function BulkActions({ selected, onDone }: { selected: readonly LeadSummary[]; onDone: (outcome: BulkOutcome) => void }) {
  const session = useSession();
  const isEditor = useCan('editor');
  const isManager = useCan('publisher');
  const queryClient = useQueryClient();
  const [open, setOpen] = useState<'reroute' | 'assign' | null>(null);
  const bulk = useMutation({
    mutationFn: (body: BulkBody) => read(api.api.leads.bulk.$post({ json: body })),
    onSuccess: async (r) => {
      const title = r.action === 'reroute' ? 'Re-routed' : r.action === 'claim' ? 'Claimed' : 'Assigned';
      setOpen(null);
      onDone({ title, results: r.results, names: new Map(selected.map((l) => [l.leadId, l.name ?? l.email ?? l.leadId])) });
      await queryClient.invalidateQueries({ queryKey: ['leads'] });
    },
  });
  const leadIds = selected.map((l) => l.leadId);
  const n = selected.length;
  return (
    <>
      <div className="selection-bar" aria-label="Bulk actions">
        <span className="muted">{n} selected</span>
        {isEditor && (
          <button type="button" disabled={n === 0 || bulk.isPending} onClick={() => setOpen('reroute')}>
            <Route aria-hidden size={14} /> Re-route…
          </button>
        )}
        {isManager && (
          <button type="button" disabled={n === 0 || bulk.isPending} onClick={() => setOpen('assign')}>
            <UserPlus aria-hidden size={14} /> Assign to…
          </button>
        )}
        {session?.repId && (
          <button type="button" disabled={n === 0 || bulk.isPending} onClick={() => bulk.mutate({ action: 'claim', leadIds })}>
            <Hand aria-hidden size={14} /> Claim
          </button>
        )}
      </div>
      {!open && <ErrorMessage error={bulk.error} />}
      {open === 'assign' && (
        <AssignDialog
          count={n}
          pending={bulk.isPending}
          error={bulk.error}
          onAssign={(repId, override) => bulk.mutate({ action: 'assign', leadIds, repId, ...(override ? { override: { reason: override } } : {}) })}
          onClose={() => setOpen(null)}
        />
      )}
      {open === 'reroute' && (
        <BulkRerouteDialog selected={selected} pending={bulk.isPending} error={bulk.error} onReroute={(version, note) => bulk.mutate({ action: 'reroute', leadIds, ...(version !== null ? { version } : {}), ...(note ? { note } : {}) })} onClose={() => setOpen(null)} />
      )}
    </>
  );
}

/** Re-route the selected leads: through their workflow's active version, or (one workflow) a chosen one. */
function BulkRerouteDialog({
  selected,
  pending,
  error,
  onReroute,
  onClose,
}: {
  selected: readonly LeadSummary[];
  pending: boolean;
  error: unknown;
  onReroute: (version: number | null, note: string) => void;
  onClose: () => void;
}) {
  const workflowIds = [...new Set(selected.map((l) => l.workflowId))];
  const one = workflowIds.length === 1 ? workflowIds[0]! : null;
  const versions = useQuery({
    queryKey: ['workflow', one, 'versions'],
    queryFn: () => read(api.api.workflows[':id'].versions.$get({ param: { id: one! } })),
    enabled: one !== null,
  });
  const [chosen, setChosen] = useState<number | null>(null);
  const [note, setNote] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onReroute(chosen, note.trim());
  };
  return (
    <Dialog
      open
      title={`Re-route ${selected.length} lead${selected.length === 1 ? '' : 's'}`}
      description="Each lead gets a new run from its trigger; its earlier run stays on its page. A lead being routed right now is refused; a lead waiting on its rep stops waiting."
      onClose={onClose}
    >
      <form onSubmit={submit} className="lead-action-form">
        <label>
          Version
          <select value={chosen ?? ''} onChange={(e) => setChosen(e.target.value === '' ? null : Number(e.target.value))}>
            <option value="">{one ? 'The active version' : "Each lead's workflow's active version"}</option>
            {versions.data?.versions.map((v) => (
              <option key={v.id} value={v.number}>
                v{v.number}
                {v.active ? ' (active)' : ''} · {v.note}
              </option>
            ))}
          </select>
        </label>
        {!one && <p className="muted">The leads come from {workflowIds.length} workflows: a version can be chosen when they share one.</p>}
        <label>
          Why (optional)
          <textarea value={note} maxLength={1000} rows={2} onChange={(e) => setNote(e.target.value)} />
        </label>
        <ErrorMessage error={versions.error ?? error} />
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={pending}>
            <GitBranch aria-hidden size={14} /> {pending ? 'Queueing…' : 'Re-route'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
