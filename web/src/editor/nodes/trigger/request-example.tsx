import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'wouter';
import { webhookSecretQuery, type TriggerEndpoint } from '../../api/queries';
import { CopyButton } from './copy-button';
import { API_KEY_VAR, curlSigned, curlWithKey, SECRET_VAR } from './curl';

type Mode = 'key' | 'signed';

/**
 * A ready-to-paste curl command posting the workspace's sample lead: with an API key, or signed with the
 * webhook secret (the revealed secret in the line for admins, else a variable to set).
 */
export function RequestExample({ endpoint, isAdmin, secretRevealed }: { endpoint: TriggerEndpoint; isAdmin: boolean; secretRevealed: boolean }) {
  const [mode, setMode] = useState<Mode>('key');
  const secret = useQuery({ ...webhookSecretQuery(endpoint.workflowId), enabled: isAdmin && secretRevealed });
  const target = { url: endpoint.url, lead: endpoint.sampleLead, signature: endpoint.signature };
  const printedSecret = isAdmin && secretRevealed ? (secret.data?.webhookSecret ?? null) : null;
  const command = mode === 'key' ? curlWithKey(target) : curlSigned(target, printedSecret);
  const minutes = Math.round(endpoint.signature.toleranceSeconds / 60);
  return (
    <div className="te-field">
      <div className="te-row te-row-between">
        <span className="te-label">Try it with curl</span>
        <div className="te-segmented" role="group" aria-label="How the request authenticates">
          <button type="button" aria-pressed={mode === 'key'} onClick={() => setMode('key')}>
            API key
          </button>
          <button type="button" aria-pressed={mode === 'signed'} onClick={() => setMode('signed')}>
            Signed
          </button>
        </div>
      </div>
      <pre className="te-code" data-testid="curl-command">
        {command}
      </pre>
      <div className="te-row te-row-between">
        <CopyButton label="Copy command" text={command} />
      </div>
      {mode === 'key' ? (
        <p className="te-note">
          Set <code>{API_KEY_VAR}</code> to an API key (the <em>ingest</em> role is enough; a key is shown once, when it is created).{' '}
          {isAdmin ? <Link href="/directory/keys">Create an API key</Link> : 'Admins create API keys.'}
        </p>
      ) : (
        <p className="te-note">
          The signature is the hex HMAC-SHA256 of <code>{'<timestamp>.<raw body>'}</code> with the webhook secret, sent as{' '}
          <code>{endpoint.signature.header}: sha256=…</code> with the timestamp (unix seconds, within {minutes} minutes of the server&apos;s clock) in{' '}
          <code>{endpoint.signature.timestampHeader}</code>. Sign every delivery afresh: a signature is accepted once.{' '}
          {printedSecret === null && (isAdmin ? <>Reveal the secret above to put it in the command, or set <code>{SECRET_VAR}</code>.</> : <>Set <code>{SECRET_VAR}</code> to the secret an admin gives you.</>)}
        </p>
      )}
      <p className="te-note">
        Add an <code>{endpoint.idempotencyHeader}</code> header (or an <code>id</code> field) to make retries safe. At most {Math.round(endpoint.maxBodyBytes / 1024)} KiB per lead.
      </p>
    </div>
  );
}
