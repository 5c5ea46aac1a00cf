import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { api, ApiError, read } from '../../api/client';
import { goldenQuery } from '../api/queries';
import { BacktestSummary } from './backtest-summary';
import { DiffSummary } from './diff-summary';

/** Publishing: what changes, the 7-day backtest, the golden leads, and a required note. */
export function PublishDialog({ workflowId, onClose, flush }: { workflowId: string; onClose: () => void; flush?: () => Promise<void> }) {
  const queryClient = useQueryClient();
  const golden = useQuery({ ...goldenQuery(workflowId), staleTime: 0 });
  const noteId = useId();
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ message: string; problems: string[] } | null>(null);
  const [done, setDone] = useState<number | null>(null);
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
    <div className="dialog-backdrop">
      <div className="dialog" role="dialog" aria-modal="true" aria-labelledby={`${noteId}-title`}>
        <h2 id={`${noteId}-title`}>Publish the draft</h2>
        {done !== null ? (
          <>
            <p role="status" data-testid="published">
              Published version {done}. It is now active.
            </p>
            <button type="button" onClick={onClose}>
              Close
            </button>
          </>
        ) : (
          <>
            <DiffSummary workflowId={workflowId} />
            <BacktestSummary workflowId={workflowId} onShow={onClose} />
            <section aria-label="Golden leads">
              <h3>Golden leads</h3>
              {golden.data && golden.data.goldenLeads.length === 0 && <p>No golden leads yet.</p>}
              {golden.data?.omitted && <p className="error">{golden.data.omitted.reason}</p>}
              <ul>
                {golden.data?.goldenLeads.map((g) => (
                  <li key={g.id} className={g.result?.passed === false ? 'error' : ''}>
                    {g.result ? (g.result.passed ? '✔' : '✖') : '…'} {g.name}
                    {g.result && !g.result.passed && `: ${g.result.message}`}
                  </li>
                ))}
              </ul>
            </section>
            <div className="form-row">
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
            <button type="button" disabled={busy || note.trim() === ''} onClick={() => void publish()}>
              {busy ? 'Publishing…' : 'Publish'}
            </button>
            <button type="button" onClick={onClose}>
              Cancel
            </button>
          </>
        )}
      </div>
    </div>
  );
}
