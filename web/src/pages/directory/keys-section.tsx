import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, read } from '../../api/client';
import { ErrorMessage } from '../../ui/error-message';
import { Field } from '../../ui/field';
import { Instant } from '../../ui/instant';
import { StatusBadge } from '../../ui/status-badge';
import { useToast } from '../../ui/toast';
import { membersOf } from '../../ui/members-of';
import { keysQuery, type IssuedKey, type KeyRole } from './queries';
import { ConfirmButton, SubmitForm, TableHead, ValueOptions } from './section-parts';
import { useDirectoryMutation } from './use-directory';

const KEY_ROLES = membersOf<KeyRole>({ ingest: true, viewer: true, editor: true, publisher: true, admin: true });

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
          Create key
        </button>
      </SubmitForm>
      {issued && (
        <div className="secret" role="region" aria-label="New key secret">
          <strong>Copy the key for “{issued.name}” now: it is shown this once and never again.</strong>
          <code data-testid="new-key-secret">{issued.key}</code>
          <span className="muted">{issued.note}</span>
          <div className="form-actions">
            <button type="button" onClick={() => void navigator.clipboard?.writeText(issued.key).then(() => toast('Copied'))}>
              Copy
            </button>
            <button type="button" onClick={() => setIssued(null)}>
              I have copied it
            </button>
          </div>
        </div>
      )}
      <ErrorMessage error={keys.error ?? create.error ?? revoke.error} />
      <table className="table" aria-label="API keys">
        <TableHead columns={['Name', 'Role', 'Prefix', 'Created', 'Last used']} actions />
        <tbody>
          {keys.data?.items.map((k) => (
            <tr key={k.id}>
              <td>{k.name}</td>
              <td>{k.role}</td>
              <td>
                <code>{k.prefix}…</code>
              </td>
              <td>
                <Instant iso={k.createdAt} />
              </td>
              <td>
                <Instant iso={k.lastUsedAt} />
              </td>
              <td className="actions">
                {k.revokedAt ? (
                  <StatusBadge status="archived" label="revoked" />
                ) : (
                  <ConfirmButton label="Revoke" name={k.name} question={`Revoke “${k.name}”? Callers using it are refused at once.`} onConfirm={() => revoke.mutate(k.id)} />
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
