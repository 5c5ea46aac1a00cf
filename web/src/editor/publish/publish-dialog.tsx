import { useQuery, useQueryClient } from '@tanstack/react-query';
import { CheckCircle2, Loader2, XCircle } from 'lucide-react';
import { useEffect, useId, useRef, useState } from 'react';
import { api, ApiError, read } from '../../api/client';
import { Dialog } from '../../ui/dialog';
import { goldenQuery } from '../api/queries';
import { BacktestSummary } from './backtest-summary';
import { DiffSummary } from './diff-summary';
import './publish.css';

/**
 * Publishing, on the shared Dialog (Escape closes it, Tab stays inside, focus goes back to Publish…): what
 * changes, the backtest over a window the person picks, the golden leads, and a required note. Pending
 * edits are saved first, so everything shown is about the draft as it stands.
 */
export function PublishDialog({ workflowId, onClose, flush }: { workflowId: string; onClose: () => void; flush?: () => Promise<void> }) {
  const queryClient = useQueryClient();
  const noteId = useId();
  const [saved, setSaved] = useState(flush === undefined);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ message: string; problems: string[] } | null>(null);
  const [done, setDone] = useState<number | null>(null);
  // Once, on opening (the builder hands a new `flush` on every render).
  const flushOnOpen = useRef(flush);
  useEffect(() => {
    const save = flushOnOpen.current;
    if (!save) return;
    let live = true;
    // Whatever the save's fate, the dialog goes on: the autosave shows its own errors and conflicts.
    void save()
      .catch(() => {})
      .finally(() => {
        if (live) setSaved(true);
      });
    return () => {
      live = false;
    };
  }, []);
  const publish = async () => {
    setBusy(true);
    setError(null);
    try {
      await flush?.();
      const v = await read(api.api.workflows[':id'].publish.$post({ param: { id: workflowId }, json: { note } }));
      setDone(v.number);
      void queryClient.invalidateQueries({ queryKey: ['workflow', workflowId] });
    } catch (err) {
      setError(err instanceof ApiError ? { message: err.message, problems: err.problems.map((p) => (p.nodeId ? `${p.nodeId}: ${p.message}` : p.message)) } : { message: String(err), problems: [] });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog open title="Publish the draft" onClose={onClose}>
      <div className="publish-dialog">
        {done !== null ? (
          <p role="status" data-testid="published" className="publish-done">
            <CheckCircle2 aria-hidden size={18} /> Published version {done}. It is now active.
          </p>
        ) : !saved ? (
          <p role="status" className="backtest-muted">
            <Loader2 aria-hidden size={16} className="backtest-spin" /> Saving the draft…
          </p>
        ) : (
          <>
            <DiffSummary workflowId={workflowId} />
            <BacktestSummary workflowId={workflowId} onShow={onClose} />
            <GoldenLeads workflowId={workflowId} />
            <div className="publish-note">
              <label htmlFor={noteId}>Note (required): what changed and why</label>
              <textarea id={noteId} rows={3} value={note} onChange={(e) => setNote(e.target.value)} />
            </div>
            {error && (
              <div className="error" role="alert">
                <p>{error.message}</p>
                <ul>
                  {error.problems.map((p, i) => (
                    <li key={i}>{p}</li>
                  ))}
                </ul>
              </div>
            )}
            <div className="publish-actions">
              <button type="button" onClick={onClose}>
                Cancel
              </button>
              <button type="button" className="primary" disabled={busy || note.trim() === ''} onClick={() => void publish()}>
                {busy ? 'Publishing…' : 'Publish'}
              </button>
            </div>
          </>
        )}
      </div>
    </Dialog>
  );
}

function GoldenLeads({ workflowId }: { workflowId: string }) {
  const golden = useQuery({ ...goldenQuery(workflowId), staleTime: 0 });
  return (
    <section className="publish-section" aria-label="Golden leads">
      <h3>Golden leads</h3>
      {golden.data && golden.data.goldenLeads.length === 0 && <p className="backtest-muted">No golden leads yet.</p>}
      {golden.data?.omitted && <p className="error">{golden.data.omitted.reason}</p>}
      {golden.data && golden.data.goldenLeads.length > 0 && (
        <ul className="publish-golden">
          {golden.data.goldenLeads.map((g) => (
            <li key={g.id} className={g.result?.passed === false ? 'is-failed' : g.result?.passed ? 'is-passed' : ''}>
              {g.result ? g.result.passed ? <CheckCircle2 aria-label="passed" size={14} /> : <XCircle aria-label="failed" size={14} /> : '…'} {g.name}
              {g.result && !g.result.passed && `: ${g.result.message}`}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
