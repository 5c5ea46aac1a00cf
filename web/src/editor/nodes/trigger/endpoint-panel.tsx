import { useQuery } from '@tanstack/react-query';
import { Webhook } from 'lucide-react';
import { useState } from 'react';
import { useParams } from 'wouter';
import { useCan } from '../../../auth/session';
import { ErrorMessage } from '../../../ui/error-message';
import { triggerEndpointQuery } from '../../api/queries';
import { CopyButton } from './copy-button';
import { RecentLeads } from './recent-leads';
import { RequestExample } from './request-example';
import { TestLeadButton } from './test-lead';
import './trigger.css';
import { WebhookSecret } from './webhook-secret';

/**
 * "Where leads come in", shown with the trigger's settings: the endpoint's URL, the webhook secret (admins),
 * a ready curl command, "Send a test lead" (editors and up) and the last leads received. It reads the
 * workflow from the builder's route, and stays usable in a read-only builder (viewers copy and follow too).
 */
export function TriggerEndpointPanel() {
  const { id } = useParams<{ id?: string }>();
  if (!id) return null;
  return <EndpointPanel workflowId={id} />;
}

function EndpointPanel({ workflowId }: { workflowId: string }) {
  const isAdmin = useCan('admin');
  const canEdit = useCan('editor');
  const endpoint = useQuery({ ...triggerEndpointQuery(workflowId), refetchInterval: 15_000 });
  const [revealed, setRevealed] = useState(false);
  const [sent, setSent] = useState<string | null>(null);
  const e = endpoint.data;
  return (
    <section className="trigger-endpoint" aria-labelledby="te-title" data-testid="trigger-endpoint">
      <h3 id="te-title">
        <Webhook size={16} aria-hidden="true" /> Where leads come in
      </h3>
      <ErrorMessage error={endpoint.error} />
      {endpoint.isPending && <p className="te-note">Loading the endpoint…</p>}
      {e && (
        <>
          <p className={`te-note ${e.notAccepting ? 'te-warning' : 'te-status'}`} data-testid="trigger-status">
            {e.notAccepting ? `Not taking leads. ${e.notAccepting.message}` : `Taking leads: each is routed by the active version, v${e.activeVersion?.number ?? '?'}.`}
          </p>
          <div className="te-field">
            <span className="te-label" id="te-url-label">
              Endpoint URL
            </span>
            <div className="te-row">
              <code className="te-value" aria-labelledby="te-url-label" data-testid="endpoint-url">
                <span className="te-method">{e.method}</span> {e.url}
              </code>
              <CopyButton label="Copy endpoint URL" text={e.url} />
            </div>
          </div>
          <WebhookSecret workflowId={workflowId} isAdmin={isAdmin} revealed={revealed} onReveal={setRevealed} />
          <RequestExample endpoint={e} isAdmin={isAdmin} secretRevealed={revealed} />
          {canEdit && <TestLeadButton endpoint={e} onSent={setSent} />}
        </>
      )}
      <RecentLeads workflowId={workflowId} highlight={sent} />
    </section>
  );
}
