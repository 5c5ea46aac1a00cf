import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Dialog } from '../../ui/dialog';
import { ErrorMessage } from '../../ui/error-message';
import { assigneesQuery } from '../leads/queries';

/**
 * "Assign to…": a rep picked by name, and an optional cap override with its reason (a manager's, recorded).
 * `onAssign` runs the move; its error shows here, and the dialog closes on success.
 */
export function AssignDialog({
  count,
  pending,
  error,
  onAssign,
  onClose,
}: {
  count: number;
  pending: boolean;
  error: unknown;
  onAssign: (repId: string, overrideReason: string | null) => void;
  onClose: () => void;
}) {
  const directory = useQuery(assigneesQuery);
  const [repId, setRepId] = useState('');
  const [override, setOverride] = useState(false);
  const [reason, setReason] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (repId) onAssign(repId, override ? reason.trim() : null);
  };
  const reps = [...(directory.data?.reps ?? [])].sort((a, b) => a.name.localeCompare(b.name));
  return (
    <Dialog open title={`Assign ${count} lead${count === 1 ? '' : 's'} to a rep`} description="Each lead moves on its own: one may have been taken meanwhile, or hit the rep's cap." onClose={onClose}>
      <form onSubmit={submit} className="lead-action-form">
        <label>
          Rep
          <select aria-label="Rep" value={repId} onChange={(e) => setRepId(e.target.value)} required>
            <option value="">Choose a rep…</option>
            {reps.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name}
              </option>
            ))}
          </select>
        </label>
        <label className="checkbox-label">
          <input type="checkbox" checked={override} onChange={(e) => setOverride(e.target.checked)} /> Override the rep&apos;s caps
        </label>
        {override && (
          <label>
            Why (recorded with each lead)
            <textarea value={reason} maxLength={500} rows={2} required onChange={(e) => setReason(e.target.value)} />
          </label>
        )}
        <ErrorMessage error={directory.error ?? error} />
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={pending || !repId || (override && !reason.trim())}>
            {pending ? 'Assigning…' : 'Assign'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
