import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Eye, EyeOff, KeyRound } from 'lucide-react';
import { Link } from 'wouter';
import { ErrorMessage } from '../../../ui/error-message';
import { webhookSecretQuery } from '../../api/queries';
import { CopyButton } from './copy-button';

const MASK = 'whsec_••••••••';

/**
 * The webhook secret, for admins: hidden until Reveal (only then fetched), with Copy. Everyone else reads
 * who can see it; the server refuses them the secret anyway (403).
 */
export function WebhookSecret({ workflowId, isAdmin, revealed, onReveal }: { workflowId: string; isAdmin: boolean; revealed: boolean; onReveal: (on: boolean) => void }) {
  const client = useQueryClient();
  const secret = useQuery({ ...webhookSecretQuery(workflowId), enabled: isAdmin && revealed });
  if (!isAdmin) {
    return (
      <div className="te-field">
        <span className="te-label">Webhook secret</span>
        <p className="te-note" data-testid="secret-admins-only">
          <KeyRound size={14} aria-hidden="true" /> Only admins can see the webhook secret. Ask an admin for it, or post with an API key.
        </p>
      </div>
    );
  }
  return (
    <div className="te-field">
      <span className="te-label" id="te-secret-label">
        Webhook secret
      </span>
      <div className="te-row">
        <code className={`te-value${revealed && secret.data ? '' : ' is-masked'}`} aria-labelledby="te-secret-label" data-testid="webhook-secret">
          {revealed && secret.data ? secret.data.webhookSecret : MASK}
        </code>
        <button type="button" className="te-icon-button" onClick={() => onReveal(!revealed)} aria-pressed={revealed}>
          {revealed ? <EyeOff size={14} aria-hidden="true" /> : <Eye size={14} aria-hidden="true" />}
          <span>{revealed ? 'Hide' : 'Reveal'}</span>
        </button>
        <CopyButton label="Copy webhook secret" getText={async () => (await client.fetchQuery(webhookSecretQuery(workflowId))).webhookSecret} />
      </div>
      <ErrorMessage error={secret.error} />
      <p className="te-note">
        Senders sign each request with it. API keys are the other way in: <Link href="/directory/keys">create or revoke API keys</Link>.
      </p>
    </div>
  );
}
