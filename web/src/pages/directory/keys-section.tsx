import { useQuery } from '@tanstack/react-query';
import { Copy, KeyRound } from 'lucide-react';
import { useState } from 'react';
import { api, read } from '../../api/client';
import { DataTable, type DataColumn } from '../../ui/data-table';
import { ErrorMessage } from '../../ui/error-message';
import { Field } from '../../ui/field';
import { Instant } from '../../ui/instant';
import { StatusBadge } from '../../ui/status-badge';
import { useToast } from '../../ui/toast';
import { membersOf } from '../../ui/members-of';
import { keysQuery, type ApiKey, type IssuedKey, type KeyRole } from './queries';
import { ConfirmButton, SubmitForm, ValueOptions } from './section-parts';
import { useDirectoryMutation } from './use-directory';

const KEY_ROLES = membersOf<KeyRole>({ ingest: true, viewer: true, editor: true, publisher: true, admin: true });

const EMPTY: ApiKey[] = [];
const at = (iso: string | null | undefined) => (iso ? new Date(iso).getTime() : null);
const COLUMNS: DataColumn<ApiKey>[] = [
  { id: 'name', header: 'Name', hideable: false, sortBy: (k) => k.name, cell: (k) => k.name },
  { id: 'role', header: 'Role', sortBy: (k) => k.role, cell: (k) => k.role },
  { id: 'prefix', header: 'Prefix', cell: (k) => <code>{k.prefix}…</code> },
  { id: 'created', header: 'Created', sortBy: (k) => at(k.createdAt), cell: (k) => <Instant iso={k.createdAt} /> },
  { id: 'used', header: 'Last used', sortBy: (k) => at(k.lastUsedAt), cell: (k) => <Instant iso={k.lastUsedAt} /> },
];

/** API keys (admins only): create one and see its secret once, list them by prefix, revoke. */
export function KeysSection() {
  const keys = useQuery(keysQuery);
  const toast = useToast();
  const [name, setName] = useState('');
  const [role, setRole] = useState<KeyRole>('ingest');
  // The secret lives only in this state: once dismissed (or the page left), nobody can see it again.
  const [issued, setIssued] = useState<Pick<IssuedKey, 'name' | 'key' | 'note'> | null>(null);
  const invalidate = [['directory', 'keys']];
  const create = useDirectoryMutation({
    mutationFn: () => read(api.api.keys.$post({ json: { name: name.trim(), role } })),
    onSuccess: (k) => {
      setIssued({ name: k.name, key: k.key, note: k.note });
      setName('');
    },
    invalidate,
  });
  const revoke = useDirectoryMutation({
    mutationFn: (id: string) => read(api.api.keys[':id'].$delete({ param: { id } })),
    toast: (k) => `Revoked ${k.name}`,
    invalidate,
  });
  return (
    <section aria-label="API keys">
      <SubmitForm
        label="New API key"
        onSubmit={() => {
          setIssued(null);
          create.mutate();
        }}
      >
        <Field label="Key name" hint="Who or what uses it, e.g. Website form">
          <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={200} />
        </Field>
        <Field label="Key role">
          <select value={role} onChange={(e) => setRole(e.target.value as KeyRole)}>
            <ValueOptions values={KEY_ROLES} />
          </select>
        </Field>
        <button type="submit" className="primary" disabled={create.isPending}>
          <KeyRound aria-hidden size={16} /> Create key
        </button>
      </SubmitForm>
      {issued && (
        <div className="secret" role="region" aria-label="New key secret">
          <strong>Copy the key for “{issued.name}” now: it is shown this once and never again.</strong>
          <code data-testid="new-key-secret">{issued.key}</code>
          <span className="muted">{issued.note}</span>
          <div className="form-actions">
            <button type="button" onClick={() => void navigator.clipboard?.writeText(issued.key).then(() => toast('Copied'))}>
              <Copy aria-hidden size={16} /> Copy
            </button>
            <button type="button" onClick={() => setIssued(null)}>
              I have copied it
            </button>
          </div>
        </div>
      )}
      <ErrorMessage error={keys.error ?? create.error ?? revoke.error} />
      <DataTable
        label="API keys"
        storageKey="keys"
        columns={COLUMNS}
        rows={keys.data?.items ?? EMPTY}
        rowKey={(k) => k.id}
        actions={(k) =>
          k.revokedAt ? (
            <StatusBadge status="archived" label="revoked" />
          ) : (
            <ConfirmButton label="Revoke" name={k.name} question={`Revoke “${k.name}”? Callers using it are refused at once.`} onConfirm={() => revoke.mutate(k.id)} />
          )
        }
      />
    </section>
  );
}
