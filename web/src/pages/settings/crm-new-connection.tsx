import { Plug } from 'lucide-react';
import { useState } from 'react';
import { api, read } from '../../api/client';
import { ErrorMessage } from '../../ui/error-message';
import { Field } from '../../ui/field';
import { useDirectoryMutation } from '../directory/use-directory';
import type { Connection, NewConnection } from './queries';

const LOGIN_URLS = { production: 'https://login.salesforce.com', sandbox: 'https://test.salesforce.com' } as const;
type Kind = 'sf_web' | 'sf_jwt' | 'hubspot_app' | 'hubspot_oauth';
const HUBSPOT_API = 'https://api.hubapi.com';
/** The kinds created first and then connected in the browser (the CRM's authorize page). */
const BROWSER_SIGN_IN: ReadonlySet<Kind> = new Set(['sf_web', 'hubspot_oauth']);

/** Sends the browser through the CRM's OAuth flow (Salesforce's web-server flow, HubSpot's app install); it comes back to /settings/crm. */
export function startOAuth(id: string): void {
  window.location.assign(`/api/crm/connections/${encodeURIComponent(id)}/oauth/start?returnTo=${encodeURIComponent('/settings/crm')}`);
}

/**
 * The "New connection" form: Salesforce (OAuth web-server: created, then the browser goes to Salesforce to
 * allow access; JWT bearer: username and private key, pasted or uploaded) or HubSpot (a private app's
 * token; or an OAuth app's client id and secret: created, then the browser goes to HubSpot to install the
 * app). Secrets go to the server once and are never shown again.
 */
export function NewConnectionForm({ onCreated }: { onCreated: (c: Connection) => void }) {
  const [kind, setKind] = useState<Kind>('sf_web');
  const [name, setName] = useState('');
  const [login, setLogin] = useState<'production' | 'sandbox' | 'custom'>('production');
  const [customUrl, setCustomUrl] = useState('');
  const [clientId, setClientId] = useState('');
  const [clientSecret, setClientSecret] = useState('');
  const [username, setUsername] = useState('');
  const [privateKey, setPrivateKey] = useState('');
  const [token, setToken] = useState('');
  const [hubspotUrl, setHubspotUrl] = useState<string>(HUBSPOT_API);
  const hubspot = kind === 'hubspot_app' || kind === 'hubspot_oauth';
  const create = useDirectoryMutation({
    mutationFn: () => {
      const loginUrl = login === 'custom' ? customUrl.trim() : LOGIN_URLS[login];
      const body: NewConnection =
        kind === 'sf_web'
          ? { provider: 'salesforce', authKind: 'oauth_web_server', name: name.trim(), loginUrl, clientId: clientId.trim(), clientSecret }
          : kind === 'sf_jwt'
            ? { provider: 'salesforce', authKind: 'jwt_bearer', name: name.trim(), loginUrl, clientId: clientId.trim(), username: username.trim(), privateKey }
            : kind === 'hubspot_app'
              ? { provider: 'hubspot', authKind: 'hubspot_private_app', name: name.trim(), loginUrl: hubspotUrl.trim(), accessToken: token, ...(clientSecret ? { clientSecret } : {}) }
              : { provider: 'hubspot', authKind: 'hubspot_oauth', name: name.trim(), loginUrl: hubspotUrl.trim(), clientId: clientId.trim(), clientSecret };
      return read(api.api.crm.connections.$post({ json: body }));
    },
    toast: (c) => `Added ${c.name}`,
    onSuccess: (c) => (BROWSER_SIGN_IN.has(kind) ? startOAuth(c.id) : onCreated(c)),
    invalidate: [['settings', 'crm']],
  });
  const readKeyFile = async (file: File | undefined) => {
    if (file) setPrivateKey(await file.text());
  };
  return (
    <form
      aria-label="New connection"
      onSubmit={(e) => {
        e.preventDefault();
        create.mutate();
      }}
    >
      <div className="crm-grid">
        <Field label="CRM and sign-in">
          <select value={kind} onChange={(e) => setKind(e.target.value as Kind)}>
            <option value="sf_web">Salesforce: OAuth (sign in in the browser)</option>
            <option value="sf_jwt">Salesforce: JWT bearer (server to server)</option>
            <option value="hubspot_app">HubSpot: private app token</option>
            <option value="hubspot_oauth">HubSpot: OAuth app (install in browser)</option>
          </select>
        </Field>
        <Field label="Connection name">
          <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={100} placeholder="e.g. Acme production" />
        </Field>
        {!hubspot && (
          <>
            <Field label="Login URL">
              <select value={login} onChange={(e) => setLogin(e.target.value as typeof login)}>
                <option value="production">Production (login.salesforce.com)</option>
                <option value="sandbox">Sandbox (test.salesforce.com)</option>
                <option value="custom">My Domain / custom URL</option>
              </select>
            </Field>
            {login === 'custom' && (
              <Field label="Custom login URL">
                <input type="url" value={customUrl} onChange={(e) => setCustomUrl(e.target.value)} required placeholder="https://acme.my.salesforce.com" />
              </Field>
            )}
            <Field label="Consumer key" hint="The connected app's client id">
              <input value={clientId} onChange={(e) => setClientId(e.target.value)} required />
            </Field>
          </>
        )}
        {kind === 'sf_web' && (
          <Field label="Consumer secret" hint="Stored encrypted, never shown again">
            <input type="password" autoComplete="off" value={clientSecret} onChange={(e) => setClientSecret(e.target.value)} required />
          </Field>
        )}
        {kind === 'sf_jwt' && (
          <Field label="Integration username" hint="The Salesforce user the server acts as">
            <input value={username} onChange={(e) => setUsername(e.target.value)} required placeholder="integration@acme.com" />
          </Field>
        )}
        {hubspot && (
          <Field label="HubSpot API URL" hint="HubSpot's API; change it only for a test server">
            <input type="url" value={hubspotUrl} onChange={(e) => setHubspotUrl(e.target.value)} required />
          </Field>
        )}
        {kind === 'hubspot_oauth' && <HubSpotOAuthFields clientId={clientId} setClientId={setClientId} clientSecret={clientSecret} setClientSecret={setClientSecret} />}
        {kind === 'hubspot_app' && (
          <Field label="Private app token" hint="Stored encrypted, never shown again">
            <input type="password" autoComplete="off" value={token} onChange={(e) => setToken(e.target.value)} required placeholder="pat-..." />
          </Field>
        )}
        {kind === 'hubspot_app' && (
          <Field label="App client secret" hint="Verifies webhook signatures (X-HubSpot-Signature-v3); without it only polling reads contacts">
            <input type="password" autoComplete="off" value={clientSecret} onChange={(e) => setClientSecret(e.target.value)} />
          </Field>
        )}
      </div>
      {kind === 'sf_jwt' && (
        <div className="crm-grid">
          <Field label="Private key (PEM)" hint="Of the certificate uploaded to the connected app; stored encrypted">
            <textarea rows={4} value={privateKey} onChange={(e) => setPrivateKey(e.target.value)} required placeholder="-----BEGIN PRIVATE KEY-----" spellCheck={false} />
          </Field>
          <Field label="Or upload the key file">
            <input type="file" accept=".key,.pem,text/plain" onChange={(e) => void readKeyFile(e.target.files?.[0])} />
          </Field>
        </div>
      )}
      <ErrorMessage error={create.error} />
      <div className="page-actions">
        <button type="submit" className="primary" disabled={create.isPending}>
          <Plug aria-hidden size={16} /> {BROWSER_SIGN_IN.has(kind) ? 'Create and connect' : 'Create connection'}
        </button>
      </div>
    </form>
  );
}

/** A HubSpot OAuth app's client id and secret (the secret also verifies its webhooks). */
function HubSpotOAuthFields(p: { clientId: string; setClientId: (v: string) => void; clientSecret: string; setClientSecret: (v: string) => void }) {
  return (
    <>
      <Field label="App client id" hint="The public app's client id (Auth tab)">
        <input value={p.clientId} onChange={(e) => p.setClientId(e.target.value)} required />
      </Field>
      <Field label="App client secret" hint="Stored encrypted; also verifies webhook signatures">
        <input type="password" autoComplete="off" value={p.clientSecret} onChange={(e) => p.setClientSecret(e.target.value)} required />
      </Field>
    </>
  );
}
