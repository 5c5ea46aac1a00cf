import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, read } from '../../api/client';
import { useCan } from '../../auth/session';
import { Dialog } from '../../ui/dialog';
import { ErrorMessage } from '../../ui/error-message';
import { Field } from '../../ui/field';
import { useToast } from '../../ui/toast';
import { repsQuery, teamsQuery, type Rep, type Team } from './queries';

type Member = { repId: string; weight: number };

function TeamForm({ team, reps, busy, onSubmit }: { team: Team | null; reps: Rep[]; busy: boolean; onSubmit: (t: { id: string; name: string; managerId: string | null; members: Member[] }) => void }) {
  const [id, setId] = useState(team?.id ?? '');
  const [name, setName] = useState(team?.name ?? '');
  const [managerId, setManagerId] = useState(team?.managerId ?? '');
  const [members, setMembers] = useState<Member[]>(team?.members ?? []);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSubmit({ id: id.trim(), name: name.trim(), managerId: managerId || null, members });
  };
  const free = reps.filter((r) => !members.some((m) => m.repId === r.id));
  return (
    <form className="form" onSubmit={submit}>
      <div className="form-grid">
        <Field label="Id">
          <input value={id} onChange={(e) => setId(e.target.value)} required disabled={!!team} />
        </Field>
        <Field label="Name">
          <input value={name} onChange={(e) => setName(e.target.value)} required />
        </Field>
        <Field label="Manager">
          <select value={managerId} onChange={(e) => setManagerId(e.target.value)}>
            <option value="">None</option>
            {reps.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <fieldset>
        <legend>Members and weights</legend>
        {members.map((m, i) => {
          const rep = reps.find((r) => r.id === m.repId);
          return (
            <div key={m.repId} className="form-grid">
              <span>{rep?.name ?? m.repId}</span>
              <Field label={`Weight of ${rep?.name ?? m.repId}`}>
                <input type="number" min={1} max={1000} value={m.weight} onChange={(e) => setMembers((xs) => xs.map((x, j) => (j === i ? { ...x, weight: Number(e.target.value) } : x)))} />
              </Field>
              <button type="button" className="danger" onClick={() => setMembers((xs) => xs.filter((_, j) => j !== i))}>
                Remove {rep?.name ?? m.repId}
              </button>
            </div>
          );
        })}
        {free.length > 0 && (
          <Field label="Add a member">
            <select value="" onChange={(e) => e.target.value && setMembers((xs) => [...xs, { repId: e.target.value, weight: 1 }])}>
              <option value="">Choose a rep…</option>
              {free.map((r) => (
                <option key={r.id} value={r.id}>
                  {r.name}
                </option>
              ))}
            </select>
          </Field>
        )}
      </fieldset>
      <div className="form-actions">
        <button type="submit" className="primary" disabled={busy}>
          Save team
        </button>
      </div>
    </form>
  );
}

/** Teams (round-robin pools) with their members' weights. */
export function TeamsSection() {
  const teams = useQuery(teamsQuery);
  const reps = useQuery(repsQuery);
  const canEdit = useCan('admin');
  const [editing, setEditing] = useState<Team | 'new' | null>(null);
  const queryClient = useQueryClient();
  const toast = useToast();
  const save = useMutation({
    mutationFn: ({ id, ...body }: { id: string; name: string; managerId: string | null; members: Member[] }) =>
      editing === 'new' ? read(api.api.teams.$post({ json: { id, ...body } })) : read(api.api.teams[':id'].$put({ param: { id }, json: body })),
    onSuccess: (t) => {
      toast(`Saved ${t.name}`);
      setEditing(null);
      void queryClient.invalidateQueries({ queryKey: ['directory'] });
    },
  });
  const repName = (id: string) => reps.data?.items.find((r) => r.id === id)?.name ?? id;
  return (
    <section aria-label="Teams">
      {canEdit && (
        <div className="page-actions">
          <button type="button" className="primary" onClick={() => setEditing('new')}>
            New team
          </button>
        </div>
      )}
      <ErrorMessage error={teams.error} />
      <table className="table" aria-label="Teams">
        <thead>
          <tr>
            <th scope="col">Team</th>
            <th scope="col">Manager</th>
            <th scope="col">Members (weight)</th>
            {canEdit && <th scope="col">Actions</th>}
          </tr>
        </thead>
        <tbody>
          {teams.data?.items.map((t) => (
            <tr key={t.id}>
              <td>
                {t.name} <code>{t.id}</code>
              </td>
              <td>{t.managerId ? repName(t.managerId) : '—'}</td>
              <td>{t.members.map((m) => `${repName(m.repId)} (${m.weight})`).join(', ') || '—'}</td>
              {canEdit && (
                <td className="actions">
                  <button type="button" aria-label={`Edit ${t.name}`} onClick={() => setEditing(t)}>
                    Edit
                  </button>
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
      <Dialog open={editing !== null} title={editing === 'new' ? 'New team' : `Edit ${editing?.name ?? ''}`} onClose={() => setEditing(null)}>
        {editing !== null && <TeamForm team={editing === 'new' ? null : editing} reps={reps.data?.items ?? []} busy={save.isPending} onSubmit={(t) => save.mutate(t)} />}
        <ErrorMessage error={save.error} />
      </Dialog>
    </section>
  );
}
