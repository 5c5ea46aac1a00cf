import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, read } from '../../api/client';
import { useCan } from '../../auth/session';
import { Dialog } from '../../ui/dialog';
import { ErrorMessage } from '../../ui/error-message';
import { StatusBadge } from '../../ui/status-badge';
import { useToast } from '../../ui/toast';
import { repsQuery, type Rep } from './queries';
import { RepForm, type RepInput } from './rep-form';

function awayNow(rep: Rep, now: number): boolean {
  return rep.outOfOffice.some((a) => Date.parse(a.from) <= now && now < Date.parse(a.until));
}

/** The reps: who they are, when they work, caps and skills; admins add and edit them. */
export function RepsSection() {
  const reps = useQuery(repsQuery);
  const canEdit = useCan('admin');
  const [editing, setEditing] = useState<Rep | 'new' | null>(null);
  const queryClient = useQueryClient();
  const toast = useToast();
  const save = useMutation({
    mutationFn: ({ id, ...body }: RepInput) =>
      editing === 'new' ? read(api.api.reps.$post({ json: { id, ...body } })) : read(api.api.reps[':id'].$put({ param: { id }, json: body })),
    onSuccess: (rep) => {
      toast(`Saved ${rep.name}`);
      setEditing(null);
      void queryClient.invalidateQueries({ queryKey: ['directory'] });
      void queryClient.invalidateQueries({ queryKey: ['assignees'] });
    },
  });
  const now = Date.now();
  const items = reps.data?.items ?? [];
  return (
    <section aria-label="Reps">
      {canEdit && (
        <div className="page-actions">
          <button type="button" className="primary" onClick={() => setEditing('new')}>
            New rep
          </button>
        </div>
      )}
      <ErrorMessage error={reps.error} />
      <table className="table" aria-label="Reps">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Time zone</th>
            <th scope="col">Working hours</th>
            <th scope="col">Skills</th>
            <th scope="col">Caps (day / open)</th>
            <th scope="col">Status</th>
            {canEdit && <th scope="col">Actions</th>}
          </tr>
        </thead>
        <tbody>
          {items.map((r) => (
            <tr key={r.id}>
              <td>
                {r.name}
                <div className="muted">
                  {r.email} · <code>{r.id}</code>
                </div>
              </td>
              <td>{r.timeZone}</td>
              <td>{r.workingHours ? Object.keys(r.workingHours).join(', ') : 'any hour'}</td>
              <td>{r.skills.join(', ') || '—'}</td>
              <td className="num">
                {r.caps.perDay ?? '∞'} / {r.caps.openLeads ?? '∞'}
              </td>
              <td>
                <StatusBadge status={String(r.active)} label={r.active ? (awayNow(r, now) ? 'out of office' : 'active') : 'inactive'} />
              </td>
              {canEdit && (
                <td className="actions">
                  <button type="button" aria-label={`Edit ${r.name}`} onClick={() => setEditing(r)}>
                    Edit
                  </button>
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
      <Dialog
        open={editing !== null}
        title={editing === 'new' ? 'New rep' : `Edit ${editing?.name ?? ''}`}
        onClose={() => {
          setEditing(null);
          save.reset();
        }}
      >
        {editing !== null && <RepForm key={editing === 'new' ? 'new' : editing.id} rep={editing === 'new' ? null : editing} reps={items} busy={save.isPending} onSubmit={(input) => save.mutate(input)} />}
        <ErrorMessage error={save.error} />
      </Dialog>
    </section>
  );
}
