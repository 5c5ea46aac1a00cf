import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, read } from '../../api/client';
import { useCan, useSession } from '../../auth/session';
import { Dialog } from '../../ui/dialog';
import { ErrorMessage } from '../../ui/error-message';
import { useToast } from '../../ui/toast';
import { Tip } from '../../ui/tooltip';
import { capOf } from './queries';

/**
 * A queued lead's Claim button: enabled for a signed-in user linked to a rep (they claim for themselves),
 * disabled with the reason otherwise. A lost race (409) says who took it; a cap (422) names the cap, and a
 * manager may then claim anyway with "Override cap…", giving a reason (recorded).
 */
export function ClaimButton({ queueId, leadId, leadName }: { queueId: string; leadId: string; leadName: string }) {
  const session = useSession();
  const isManager = useCan('publisher');
  const queryClient = useQueryClient();
  const toast = useToast();
  const [overriding, setOverriding] = useState(false);
  const claim = useMutation({
    mutationFn: (override: string | null) =>
      read(api.api.queues[':id'].leads[':leadId'].claim.$post({ param: { id: queueId, leadId }, json: override ? { override: { reason: override } } : {} })),
    onSuccess: async (r) => {
      setOverriding(false);
      toast(`${leadName} is ${r.rep.name}'s now`);
      await queryClient.invalidateQueries({ queryKey: ['queue-leads', queueId] });
      await queryClient.invalidateQueries({ queryKey: ['queue-overview'] });
    },
  });
  if (!session?.repId) {
    return (
      <Tip content="Only a user linked to a rep can claim a lead (set in Directory → Users)">
        <span tabIndex={0}>
          <button type="button" disabled aria-label={`Claim ${leadName} (only a user linked to a rep can claim)`}>
            Claim
          </button>
        </span>
      </Tip>
    );
  }
  const cap = capOf(claim.error);
  return (
    <div className="claim-cell">
      <button type="button" onClick={() => claim.mutate(null)} disabled={claim.isPending} aria-label={`Claim ${leadName}`}>
        {claim.isPending ? 'Claiming…' : 'Claim'}
      </button>
      {claim.error && (
        <span role="alert" className="claim-error">
          {cap ? `Cap reached (${cap}): ` : ''}
          {claim.error.message}
        </span>
      )}
      {cap && isManager && (
        <button type="button" className="ghost" onClick={() => setOverriding(true)}>
          Override cap…
        </button>
      )}
      {overriding && <OverrideDialog cap={cap ?? 'a cap'} pending={claim.isPending} error={claim.error} onOverride={(reason) => claim.mutate(reason)} onClose={() => setOverriding(false)} />}
    </div>
  );
}

function OverrideDialog({ cap, pending, error, onOverride, onClose }: { cap: string; pending: boolean; error: unknown; onOverride: (reason: string) => void; onClose: () => void }) {
  const [reason, setReason] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (reason.trim()) onOverride(reason.trim());
  };
  return (
    <Dialog open title="Claim over the cap" description={`The claim breaks the ${cap}. Say why: the reason is recorded on the lead's timeline and in the audit log.`} onClose={onClose}>
      <form onSubmit={submit} className="lead-action-form">
        <label>
          Why
          <textarea value={reason} maxLength={500} rows={2} required onChange={(e) => setReason(e.target.value)} />
        </label>
        {error && capOf(error) === null ? <ErrorMessage error={error} /> : null}
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={pending || !reason.trim()}>
            {pending ? 'Claiming…' : 'Claim anyway'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
