import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Send } from 'lucide-react';
import { ErrorMessage } from '../../../ui/error-message';
import { sendTestLead, type TriggerEndpoint } from '../../api/queries';

/**
 * "Send a test lead": the workspace's sample lead through the real trigger, routed by the ACTIVE version
 * like any lead. Disabled, with the reason, when the workflow takes no leads.
 */
export function TestLeadButton({ endpoint, onSent }: { endpoint: TriggerEndpoint; onSent: (leadId: string) => void }) {
  const client = useQueryClient();
  const id = endpoint.workflowId;
  const send = useMutation({
    mutationFn: () => sendTestLead(id),
    onSuccess: (r) => {
      onSent(r.leadId);
      // Not awaited: the "sent" line shows now, before the list brings the lead (which is then scrolled to).
      void client.invalidateQueries({ queryKey: ['workflow', id, 'trigger-leads'] });
    },
  });
  const active = endpoint.activeVersion;
  const who = [endpoint.sampleLead.firstName, endpoint.sampleLead.lastName].filter((x) => typeof x === 'string').join(' ');
  return (
    <div className="te-field">
      <div className="te-row">
        <button type="button" className="te-primary" onClick={() => send.mutate()} disabled={endpoint.notAccepting !== null || send.isPending}>
          <Send size={14} aria-hidden="true" />
          <span>{send.isPending ? 'Sending…' : 'Send a test lead'}</span>
        </button>
      </div>
      {endpoint.notAccepting ? (
        <p className="te-note te-warning" data-testid="test-lead-disabled">
          {endpoint.notAccepting.message}
        </p>
      ) : (
        <p className="te-note">
          Posts {who || 'a sample lead'} ({String(endpoint.sampleLead.email ?? '')}) through this endpoint. It is routed by the active version
          {active ? `, v${active.number},` : ''} like any real lead: a rep may be assigned and notified.
        </p>
      )}
      {send.isSuccess && (
        <p className="te-note te-success" role="status">
          Test lead sent, routed by v{send.data.version.number}. It is listed below; its status follows its routing.
        </p>
      )}
      <ErrorMessage error={send.error} />
    </div>
  );
}
