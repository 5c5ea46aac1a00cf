import { useMutation } from '@tanstack/react-query';
import { RotateCcw } from 'lucide-react';
import { api, read } from '../../api/client';
import { useCan } from '../../auth/session';
import { ErrorMessage } from '../../ui/error-message';

/**
 * A run that failed (a write the database refused, an activity out of attempts): why, as the worker
 * recorded it, and for editors a Retry that queues the lead again on its pinned version. The page reloads
 * once the retry is queued, so its live trace follows the new run from the start.
 */
export function FailedRun({ leadId, error }: { leadId: string; error: string | null }) {
  const canRetry = useCan('editor');
  const retry = useMutation({
    mutationFn: () => read(api.api.leads[':id'].retry.$post({ param: { id: leadId } })),
    onSuccess: () => window.location.reload(),
  });
  return (
    <div className="error" role="alert" data-testid="run-failed">
      <p>
        <strong>The run failed.</strong> {error ?? 'No reason was recorded.'}
      </p>
      {canRetry && (
        <button type="button" onClick={() => retry.mutate()} disabled={retry.isPending}>
          <RotateCcw aria-hidden size={14} /> {retry.isPending ? 'Queueing…' : 'Retry the lead'}
        </button>
      )}
      {retry.error && <ErrorMessage error={retry.error} />}
    </div>
  );
}
