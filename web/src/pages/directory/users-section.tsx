import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, read } from '../../api/client';
import { useSession } from '../../auth/session';
import { ErrorMessage } from '../../ui/error-message';
import { Field } from '../../ui/field';
import { StatusBadge } from '../../ui/status-badge';
import { membersOf } from '../../ui/members-of';
import { repsQuery, usersQuery, type UserPatch, type UserRole as Role } from './queries';
import { RepOptions, SubmitForm, TableHead, ValueOptions } from './section-parts';
import { useDirectoryMutation } from './use-directory';

const ROLES = membersOf<Role>({ viewer: true, editor: true, publisher: true, admin: true });

/** Users and their roles (admins only): invite with a first password, change role or rep, disable. */
export function UsersSection() {
  const users = useQuery(usersQuery);
  const reps = useQuery(repsQuery);
  const session = useSession();
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  const [password, setPassword] = useState('');
  const [repId, setRepId] = useState('');
  const invalidate = [['directory', 'users']];
  const create = useDirectoryMutation({
    mutationFn: () => read(api.api.users.$post({ json: { email: email.trim(), name: name.trim(), role, password, repId: repId || null } })),
    toast: (u) => `Added ${u.name}`,
    onSuccess: () => {
      setEmail('');
      setName('');
      setPassword('');
      setRepId('');
    },
    invalidate,
  });
  const update = useDirectoryMutation({
    mutationFn: (p: { id: string } & UserPatch) => {
      const { id, ...json } = p;
      return read(api.api.users[':id'].$patch({ param: { id }, json }));
    },
    toast: (u) => `Updated ${u.name}`,
    invalidate,
  });
  return (
    <section aria-label="Users">
      <SubmitForm label="New user" onSubmit={() => create.mutate()}>
        <Field label="User email">
          <input type="email" value={email} onChange={(e) => setEmail(e.target.value)} required />
        </Field>
        <Field label="User name">
          <input value={name} onChange={(e) => setName(e.target.value)} required />
        </Field>
        <Field label="User role">
          <select value={role} onChange={(e) => setRole(e.target.value as Role)}>
            <ValueOptions values={ROLES} />
          </select>
        </Field>
        <Field label="First password">
          <input type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
        </Field>
        <Field label="Is rep" hint="For their inbox">
          <select value={repId} onChange={(e) => setRepId(e.target.value)}>
            <option value="">Not a rep</option>
            <RepOptions reps={reps.data?.items} />
          </select>
        </Field>
        <button type="submit" className="primary" disabled={create.isPending}>
          Add user
        </button>
      </SubmitForm>
      <ErrorMessage error={users.error ?? create.error ?? update.error} />
      <table className="table" aria-label="Users">
        <TableHead columns={['User', 'Role', 'Rep', 'Status']} actions />
        <tbody>
          {users.data?.items.map((u) => {
            const self = u.id === session?.id;
            return (
              <tr key={u.id}>
                <td>
                  {u.name}
                  <div className="muted">{u.email}</div>
                </td>
                <td>
                  <select aria-label={`Role of ${u.name}`} value={u.role} disabled={self || u.disabled} onChange={(e) => update.mutate({ id: u.id, role: e.target.value as Role })}>
                    <ValueOptions values={ROLES} />
                  </select>
                </td>
                <td>
                  <select aria-label={`Rep of ${u.name}`} value={u.repId ?? ''} disabled={u.disabled} onChange={(e) => update.mutate({ id: u.id, repId: e.target.value || null })}>
                    <option value="">Not a rep</option>
                    <RepOptions reps={reps.data?.items} />
                  </select>
                </td>
                <td>
                  <StatusBadge status={u.disabled ? 'archived' : 'active'} label={u.disabled ? 'disabled' : 'active'} />
                </td>
                <td className="actions">
                  {!self && (
                    <button type="button" aria-label={`${u.disabled ? 'Enable' : 'Disable'} ${u.name}`} onClick={() => update.mutate({ id: u.id, disabled: !u.disabled })}>
                      {u.disabled ? 'Enable' : 'Disable'}
                    </button>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
