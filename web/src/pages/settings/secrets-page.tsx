import { useQuery } from '@tanstack/react-query';
import { KeyRound, Plus, Trash2 } from 'lucide-react';
import { useState } from 'react';
import { Link } from 'wouter';
import { api, read } from '../../api/client';
import { useCan } from '../../auth/session';
import { DataTable, type DataColumn } from '../../ui/data-table';
import { Dialog } from '../../ui/dialog';
import { ErrorMessage } from '../../ui/error-message';
import { Field } from '../../ui/field';
import { Instant } from '../../ui/instant';
import { useDirectoryMutation } from '../directory/use-directory';
import { secretsQuery, type Secret } from './queries';
import { SettingsTabs } from './settings-tabs';
import './settings.css';

const EMPTY: Secret[] = [];
const NAME_PATTERN = '[A-Z][A-Z0-9_]{0,63}';

/**
 * `/settings/secrets`: the API keys, tokens and webhook URLs that workflows name as `{{secret.NAME}}`. Everyone
 * sees names, hints and the published workflows that use each; admins add, replace and delete. A value is
 * typed once and never shown again.
 */
export function SecretsSettingsPage() {
  const isAdmin = useCan('admin');
  const secrets = useQuery(secretsQuery);
  const [editing, setEditing] = useState<{ name: string; isNew: boolean } | null>(null);
  const [deleting, setDeleting] = useState<Secret | null>(null);
  const remove = useDirectoryMutation({
    mutationFn: (s: Secret) => read(api.api.secrets[':name'].$delete({ param: { name: s.name } })).then(() => s),
    toast: (s) => `Deleted ${s.name}`,
    onSuccess: () => setDeleting(null),
    invalidate: [['settings', 'secrets']],
  });
  const rows = secrets.data?.secrets ?? EMPTY;
  return (
    <section aria-labelledby="settings-title" className="settings-page">
      <SettingsTabs current="/settings/secrets" />
      <p className="muted secrets-intro">
        Keep API keys, tokens and Slack or webhook URLs here, not in workflows: a step names one as <code>{'{{secret.NAME}}'}</code> (an HTTP enrichment header or URL, a Slack or webhook
        notification URL). Values are encrypted at rest, filled in only when the call is made, and never shown again; traces and logs show the name.
      </p>
      <ErrorMessage error={secrets.error ?? (deleting ? null : remove.error)} />
      <DataTable
        label="Secrets"
        storageKey="secrets"
        columns={secretColumns()}
        rows={rows}
        rowKey={(s) => s.name}
        toolbar={
          isAdmin ? (
            <button type="button" className="primary" onClick={() => setEditing({ name: '', isNew: true })}>
              <Plus aria-hidden size={16} /> New secret
            </button>
          ) : undefined
        }
        {...(isAdmin
          ? {
              actions: (s: Secret) => (
                <>
                  <button type="button" aria-label={`Replace the value of ${s.name}`} onClick={() => setEditing({ name: s.name, isNew: false })}>
                    <KeyRound aria-hidden size={14} /> Replace value
                  </button>
                  <button type="button" aria-label={`Delete ${s.name}`} onClick={() => setDeleting(s)}>
                    <Trash2 aria-hidden size={14} /> Delete
                  </button>
                </>
              ),
            }
          : {})}
      />
      {rows.length === 0 && secrets.isSuccess && <p className="muted">No secrets yet.{isAdmin ? ' Add one, then name it in a workflow step.' : ' An admin adds them.'}</p>}
      {!isAdmin && <p className="muted">Only admins add, replace and delete secrets.</p>}
      <Dialog open={editing !== null} title={editing?.isNew ? 'New secret' : `Replace the value of ${editing?.name ?? ''}`} onClose={() => setEditing(null)}>
        {editing && <SecretForm key={editing.name || 'new'} name={editing.name} isNew={editing.isNew} onDone={() => setEditing(null)} />}
      </Dialog>
      <Dialog open={deleting !== null} title={`Delete ${deleting?.name ?? ''}?`} onClose={() => setDeleting(null)}>
        {deleting && deleting.usedBy.length + deleting.usedByQueues.length > 0 ? (
          <p>
            {deleting.usedBy.length > 0 && `Published workflows use it: ${deleting.usedBy.map((w) => w.name).join(', ')}. `}
            {deleting.usedByQueues.length > 0 && `The age alerts of ${deleting.usedByQueues.map((q) => q.name).join(', ')} go to it. `}
            Change those first; deleting it now is refused.
          </p>
        ) : (
          <p>Steps that name it will not be able to make their call. This cannot be undone.</p>
        )}
        <ErrorMessage error={remove.error} />
        <div className="page-actions">
          <button type="button" onClick={() => setDeleting(null)}>
            Cancel
          </button>
          <button type="button" className="danger" onClick={() => deleting && remove.mutate(deleting)} disabled={remove.isPending}>
            <Trash2 aria-hidden size={14} /> Delete secret
          </button>
        </div>
      </Dialog>
    </section>
  );
}

/** Name (new secrets only) and value; the value field is a password field and is cleared once saved. */
function SecretForm({ name: initial, isNew, onDone }: { name: string; isNew: boolean; onDone: () => void }) {
  const [name, setName] = useState(initial);
  const [value, setValue] = useState('');
  const save = useDirectoryMutation({
    mutationFn: () => read(api.api.secrets[':name'].$put({ param: { name }, json: { value } })),
    toast: (s) => `Saved ${s.name}`,
    onSuccess: onDone,
    invalidate: [['settings', 'secrets']],
  });
  return (
    <form
      aria-label={isNew ? 'New secret' : `Replace ${initial}`}
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <div className="crm-grid">
        {isNew && (
          <Field label="Name" hint="Upper-case letters, digits and underscores, e.g. ENRICH_API_KEY">
            <input value={name} onChange={(e) => setName(e.target.value.toUpperCase())} required maxLength={64} pattern={NAME_PATTERN} placeholder="ENRICH_API_KEY" />
          </Field>
        )}
        <Field label="Value" hint="Stored encrypted, never shown again">
          <input type="password" autoComplete="new-password" value={value} onChange={(e) => setValue(e.target.value)} required maxLength={8000} />
        </Field>
      </div>
      {name && <p className="muted">Name it in a step as <code>{`{{secret.${name}}}`}</code>.</p>}
      <ErrorMessage error={save.error} />
      <div className="page-actions">
        <button type="button" onClick={onDone}>
          Cancel
        </button>
        <button type="submit" className="primary" disabled={save.isPending}>
          Save secret
        </button>
      </div>
    </form>
  );
}

/** Name with how to write it, the hint, the workflows that use it by name, the last change with day and time. */
function secretColumns(): DataColumn<Secret>[] {
  return [
    {
      id: 'name',
      header: 'Secret',
      hideable: false,
      sortBy: (s) => s.name,
      cell: (s) => (
        <>
          <code>{s.name}</code>
          <div className="muted">{`{{secret.${s.name}}}`}</div>
        </>
      ),
    },
    { id: 'hint', header: 'Value', cell: (s) => (s.hint ? `••••${s.hint}` : '••••') },
    {
      id: 'used',
      header: 'Used by',
      sortBy: (s) => s.usedBy.length + s.usedByQueues.length,
      cell: (s) =>
        s.usedBy.length + s.usedByQueues.length === 0 ? (
          <span className="muted">no published workflow or queue</span>
        ) : (
          <>
            {s.usedBy.map((w, i) => (
              <span key={w.workflowId}>
                {i > 0 && ', '}
                <Link href={`/workflows/${w.workflowId}`}>{w.name}</Link>
              </span>
            ))}
            {s.usedByQueues.length > 0 && <div className="muted">age alerts of {s.usedByQueues.map((q) => q.name).join(', ')}</div>}
          </>
        ),
    },
    {
      id: 'updated',
      header: 'Last changed',
      sortBy: (s) => s.updatedAt,
      cell: (s) => (
        <>
          <Instant iso={s.updatedAt} />
          {s.updatedBy && <div className="muted">by {s.updatedBy}</div>}
        </>
      ),
    },
  ];
}
