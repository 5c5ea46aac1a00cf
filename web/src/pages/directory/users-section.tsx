import { useQuery } from '@tanstack/react-query';
import { Plus } from 'lucide-react';
import { useState } from 'react';
import { api, read } from '../../api/client';
import { useSession } from '../../auth/session';
import { DataTable, type DataColumn } from '../../ui/data-table';
import { ErrorMessage } from '../../ui/error-message';
import { Field } from '../../ui/field';
import { StatusBadge } from '../../ui/status-badge';
import { membersOf } from '../../ui/members-of';
import { repsQuery, usersQuery, type User, type UserPatch, type UserRole as Role } from './queries';
import { RepOptions, SubmitForm, ValueOptions } from './section-parts';
import { useDirectoryMutation } from './use-directory';

const EMPTY: User[] = [];
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
  const repName = (u: User) => (u.repId ? (reps.data?.items.find((r) => r.id === u.repId)?.name ?? u.repId) : null);
  const columns: DataColumn<User>[] = [
    {
      id: 'user',
      header: 'User',
      hideable: false,
      sortBy: (u) => u.name,
      cell: (u) => (
        <>
          {u.name}
          <div className="muted">{u.email}</div>
        </>
      ),
    },
    {
      id: 'role',
      header: 'Role',
      sortBy: (u) => ROLES.indexOf(u.role),
      cell: (u) => (
        <select aria-label={`Role of ${u.name}`} value={u.role} disabled={u.id === session?.id || u.disabled} onChange={(e) => update.mutate({ id: u.id, role: e.target.value as Role })}>
          <ValueOptions values={ROLES} />
        </select>
      ),
    },
    {
      id: 'rep',
      header: 'Rep',
      sortBy: repName,
      cell: (u) => (
        <select aria-label={`Rep of ${u.name}`} value={u.repId ?? ''} disabled={u.disabled} onChange={(e) => update.mutate({ id: u.id, repId: e.target.value || null })}>
          <option value="">Not a rep</option>
          <RepOptions reps={reps.data?.items} />
        </select>
      ),
    },
    { id: 'status', header: 'Status', sortBy: (u) => (u.disabled ? 1 : 0), cell: (u) => <StatusBadge status={u.disabled ? 'archived' : 'active'} label={u.disabled ? 'disabled' : 'active'} /> },
  ];
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
          <Plus aria-hidden size={16} /> Add user
        </button>
      </SubmitForm>
      <ErrorMessage error={users.error ?? create.error ?? update.error} />
      <DataTable
        label="Users"
        storageKey="users"
        columns={columns}
        rows={users.data?.items ?? EMPTY}
        rowKey={(u) => u.id}
        actions={(u) =>
          u.id !== session?.id && (
            <button type="button" aria-label={`${u.disabled ? 'Enable' : 'Disable'} ${u.name}`} onClick={() => update.mutate({ id: u.id, disabled: !u.disabled })}>
              {u.disabled ? 'Enable' : 'Disable'}
            </button>
          )
        }
      />
    </section>
  );
}
