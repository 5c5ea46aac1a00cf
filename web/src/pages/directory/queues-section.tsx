import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, read } from '../../api/client';
import { useCan } from '../../auth/session';
import { ErrorMessage } from '../../ui/error-message';
import { Field } from '../../ui/field';
import { queuesQuery } from './queries';
import { ConfirmButton, SubmitForm, TableHead } from './section-parts';
import { useDirectoryMutation } from './use-directory';

/** Queues: where leads wait when no rep takes them. Admins add, rename and delete them. */
export function QueuesSection() {
  const queues = useQuery(queuesQuery);
  const canEdit = useCan('admin');
  const [id, setId] = useState('');
  const [name, setName] = useState('');
  const create = useDirectoryMutation({
    mutationFn: () => read(api.api.queues.$post({ json: { id: id.trim(), name: name.trim() } })),
    toast: (q) => `Added ${q.name}`,
    onSuccess: () => {
      setId('');
      setName('');
    },
  });
  const rename = useDirectoryMutation({
    mutationFn: (q: { id: string; name: string }) => read(api.api.queues[':id'].$patch({ param: { id: q.id }, json: { name: q.name } })),
    toast: (q) => `Renamed to ${q.name}`,
  });
  const remove = useDirectoryMutation({
    mutationFn: (qid: string) => read(api.api.queues[':id'].$delete({ param: { id: qid } })),
    toast: () => 'Queue deleted',
  });
  return (
    <section aria-label="Queues">
      {canEdit && (
        <SubmitForm label="New queue" onSubmit={() => create.mutate()}>
          <Field label="Queue id">
            <input value={id} onChange={(e) => setId(e.target.value)} required />
          </Field>
          <Field label="Queue name">
            <input value={name} onChange={(e) => setName(e.target.value)} required />
          </Field>
          <button type="submit" className="primary" disabled={create.isPending}>
            Add queue
          </button>
        </SubmitForm>
      )}
      <ErrorMessage error={queues.error ?? create.error ?? rename.error ?? remove.error} />
      <table className="table" aria-label="Queues">
        <TableHead columns={['Queue', 'Id']} actions={canEdit} />
        <tbody>
          {queues.data?.items.map((q) => (
            <tr key={q.id}>
              <td>{q.name}</td>
              <td>
                <code>{q.id}</code>
              </td>
              {canEdit && (
                <td className="actions">
                  <button
                    type="button"
                    aria-label={`Rename ${q.name}`}
                    onClick={() => {
                      const next = window.prompt('New name', q.name);
                      if (next && next.trim()) rename.mutate({ id: q.id, name: next.trim() });
                    }}
                  >
                    Rename
                  </button>
                  <ConfirmButton label="Delete" name={q.name} question={`Delete the queue “${q.name}”?`} onConfirm={() => remove.mutate(q.id)} />
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
