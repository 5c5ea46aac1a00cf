import { useQuery } from '@tanstack/react-query';
import { Pencil, Plug, Plus, Trash2, Zap } from 'lucide-react';
import { useState } from 'react';
import { useSearch } from 'wouter';
import { api, read } from '../../api/client';
import { useCan, useSession } from '../../auth/session';
import { DataTable, type DataColumn } from '../../ui/data-table';
import { Dialog } from '../../ui/dialog';
import { ErrorMessage } from '../../ui/error-message';
import { Instant } from '../../ui/instant';
import { StatusBadge } from '../../ui/status-badge';
import { useDirectoryMutation } from '../directory/use-directory';
import { workflowsQuery } from '../workflows/queries';
import { ConnectionEditor } from './crm-connection-editor';
import { NewConnectionForm, startOAuth } from './crm-new-connection';
import { connectionsQuery, type Connection, type TestResult } from './queries';
import { SettingsTabs } from './settings-tabs';
import './settings.css';

const EMPTY: Connection[] = [];
const SIGN_IN: Record<Connection['authKind'], string> = { oauth_web_server: 'OAuth', jwt_bearer: 'JWT bearer', hubspot_private_app: 'private app', hubspot_oauth: 'OAuth' };
const CRM: Record<Connection['provider'], string> = { salesforce: 'Salesforce', hubspot: 'HubSpot' };

/**
 * `/settings/crm`: the workspace's CRM connections (admins only: they hold the CRM's credentials). The
 * list with each one's state, "New connection", and for the one chosen: test, connect (OAuth), settings,
 * field mappings with a preview on real records, delete.
 */
export function CrmSettingsPage() {
  const isAdmin = useCan('admin');
  const session = useSession();
  return (
    <section aria-labelledby="settings-title" className="settings-page">
      <SettingsTabs current="/settings/crm" />
      {isAdmin ? (
        <Connections />
      ) : (
        <p role="status" className="muted">
          Only admins manage CRM connections, because they hold the CRM’s credentials. You are signed in as {session?.name ?? 'someone'} ({session?.role ?? 'no role'}); ask an admin of this workspace.
        </p>
      )}
    </section>
  );
}

function Connections() {
  const connections = useQuery(connectionsQuery);
  const workflows = useQuery(workflowsQuery(false));
  const params = new URLSearchParams(useSearch());
  const [selectedId, setSelectedId] = useState<string | null>(params.get('connection'));
  const [adding, setAdding] = useState(false);
  const [deleting, setDeleting] = useState<Connection | null>(null);
  const [tested, setTested] = useState<{ name: string; provider: Connection['provider']; result: TestResult } | null>(null);
  const test = useDirectoryMutation({
    mutationFn: (c: Connection) => read(api.api.crm.connections[':id'].test.$post({ param: { id: c.id } })).then((result) => ({ name: c.name, provider: c.provider, result })),
    onSuccess: setTested,
    invalidate: [['settings', 'crm']],
  });
  const remove = useDirectoryMutation({
    mutationFn: (c: Connection) => read(api.api.crm.connections[':id'].$delete({ param: { id: c.id } })).then(() => c),
    toast: (c) => `Deleted ${c.name}`,
    onSuccess: (c) => {
      setDeleting(null);
      if (selectedId === c.id) setSelectedId(null);
    },
    invalidate: [['settings', 'crm']],
  });
  const rows = connections.data?.connections ?? EMPTY;
  const selected = rows.find((c) => c.id === selectedId) ?? null;
  const workflowName = (id: string | null) => (id ? (workflows.data?.workflows.find((w) => w.id === id)?.name ?? 'a workflow not listed (archived?)') : null);
  const oauthOutcome = params.get('crm') === 'connected' ? 'connected' : params.get('crm_error');
  const columns = connectionColumns(workflowName);
  return (
    <>
      {oauthOutcome === 'connected' && <p role="status" className="crm-test-result is-ok">Connected to {selected ? `${CRM[selected.provider]}: ${selected.name}` : 'the CRM'}.</p>}
      {oauthOutcome && oauthOutcome !== 'connected' && <p role="alert" className="crm-test-result is-error">Connecting failed: {oauthOutcome}</p>}
      {tested && (
        <p role="status" className={`crm-test-result ${tested.result.ok ? 'is-ok' : 'is-error'}`}>
          {tested.result.ok
            ? `${tested.name}: connection works (${tested.provider === 'hubspot' ? 'account' : 'org'} ${tested.result.orgId ?? '?'}${tested.result.apiUsage ? `, API usage ${tested.result.apiUsage.used.toLocaleString('en-US')} of ${tested.result.apiUsage.limit.toLocaleString('en-US')} today` : ''}).`
            : `${tested.name}: ${tested.result.error?.message ?? 'the test failed'}`}
        </p>
      )}
      <ErrorMessage error={connections.error ?? test.error ?? remove.error} />
      <DataTable
        label="CRM connections"
        storageKey="crm-connections"
        columns={columns}
        rows={rows}
        rowKey={(c) => c.id}
        toolbar={
          <button type="button" className="primary" onClick={() => setAdding(true)}>
            <Plus aria-hidden size={16} /> New connection
          </button>
        }
        actions={(c) => (
          <>
            <button type="button" aria-label={`Edit ${c.name}`} onClick={() => setSelectedId(c.id)}>
              <Pencil aria-hidden size={14} /> Edit
            </button>
            <button type="button" aria-label={`Test ${c.name}`} onClick={() => test.mutate(c)} disabled={test.isPending}>
              <Zap aria-hidden size={14} /> Test
            </button>
            {(c.authKind === 'oauth_web_server' || c.authKind === 'hubspot_oauth') && (
              <button type="button" aria-label={`${c.signedIn ? 'Reconnect' : 'Connect'} ${c.name}`} onClick={() => startOAuth(c.id)}>
                <Plug aria-hidden size={14} /> {c.signedIn ? 'Reconnect' : 'Connect'}
              </button>
            )}
            <button type="button" aria-label={`Delete ${c.name}`} onClick={() => setDeleting(c)}>
              <Trash2 aria-hidden size={14} /> Delete
            </button>
          </>
        )}
      />
      {rows.length === 0 && connections.isSuccess && <p className="muted">No CRM connections yet: add one to read leads from Salesforce or HubSpot.</p>}
      {selected && (
        <>
          <h2>{selected.name}</h2>
          <ConnectionEditor key={selected.id} connection={selected} />
        </>
      )}
      <Dialog open={adding} title="New connection" onClose={() => setAdding(false)}>
        <NewConnectionForm
          onCreated={(c) => {
            setAdding(false);
            setSelectedId(c.id);
          }}
        />
      </Dialog>
      <Dialog open={deleting !== null} title={`Delete ${deleting?.name ?? ''}?`} onClose={() => setDeleting(null)}>
        <p>Its credentials and read marks are removed; the leads it brought stay. This cannot be undone.</p>
        <div className="page-actions">
          <button type="button" onClick={() => setDeleting(null)}>
            Cancel
          </button>
          <button type="button" className="danger" onClick={() => deleting && remove.mutate(deleting)} disabled={remove.isPending}>
            <Trash2 aria-hidden size={14} /> Delete connection
          </button>
        </div>
      </Dialog>
    </>
  );
}

/** The list's columns: state at a glance, the workflow by name, instants with their day and time. */
function connectionColumns(workflowName: (id: string | null) => string | null): DataColumn<Connection>[] {
  return [
    {
      id: 'name',
      header: 'Connection',
      hideable: false,
      sortBy: (c) => c.name,
      cell: (c) => (
        <>
          {c.name}
          <div className="muted">
            {CRM[c.provider]} · {SIGN_IN[c.authKind]}
            {c.provider === 'salesforce' ? ` · ${c.loginUrl.replace(/^https:\/\//, '')}` : ''}
          </div>
        </>
      ),
    },
    { id: 'status', header: 'Status', sortBy: (c) => c.status, cell: (c) => <StatusBadge status={c.status === 'connected' ? 'active' : c.status === 'error' ? 'failed' : 'draft'} label={c.enabled ? c.status : `${c.status}, disabled`} /> },
    { id: 'workflow', header: 'Workflow', sortBy: (c) => workflowName(c.workflowId) ?? '', cell: (c) => workflowName(c.workflowId) ?? <span className="muted">none: not polled</span> },
    { id: 'polled', header: 'Last poll', sortBy: (c) => c.lastPolledAt ?? '', cell: (c) => <Instant iso={c.lastPolledAt} /> },
    { id: 'usage', header: 'API usage', sortBy: (c) => (c.apiUsage ? c.apiUsage.used / Math.max(1, c.apiUsage.limit) : -1), cell: (c) => (c.apiUsage ? `${c.apiUsage.used.toLocaleString('en-US')} / ${c.apiUsage.limit.toLocaleString('en-US')}` : '—') },
    {
      id: 'error',
      header: 'Last error',
      cell: (c) =>
        c.lastError ? (
          <>
            {c.lastError}
            <div className="muted">
              <Instant iso={c.lastErrorAt} />
            </div>
          </>
        ) : (
          '—'
        ),
    },
  ];
}
