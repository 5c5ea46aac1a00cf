import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, read } from '../../api/client';
import { useCan } from '../../auth/session';
import { ErrorMessage } from '../../ui/error-message';
import { Field } from '../../ui/field';
import { useToast } from '../../ui/toast';
import { queuesQuery } from './queries';

/** Queues: where leads wait when no rep takes them. Admins add, rename and delete them. */
export function QueuesSection() {
  const queues = useQuery(queuesQuery);
  const canEdit = useCan('admin');
  const queryClient = useQueryClient();
  const toast = useToast();
  const [id, setId] = useState('');
  const [name, setName] = useState('');
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['directory'] });
  const create = useMutation({
    mutationFn: () => read(api.api.queues.$post({ json: { id: id.trim(), name: name.trim() } })),
    onSuccess: (q) => {
      toast(`Added ${q.name}`);
      setId('');
      setName('');
      void refresh();
    },
  });
  const rename = useMutation({
    mutationFn: (q: { id: string; name: string }) => read(api.api.queues[':id'].$patch({ param: { id: q.id }, json: { name: q.name } })),
    onSuccess: (q) => {
      toast(`Renamed to ${q.name}`);
      void refresh();
    },
  });
  const remove = useMutation({
    mutationFn: (qid: string) => read(api.api.queues[':id'].$delete({ param: { id: qid } })),
    onSuccess: () => {
      toast('Queue deleted');
      void refresh();
    },
  });
  return (
    <section aria-label="Queues">
      {canEdit && (
        <form
          className="filters"
          aria-label="New queue"
          onSubmit={(e: FormEvent) => {
            e.preventDefault();
            create.mutate();
          }}
        >
          <Field label="Queue id">
            <input value={id} onChange={(e) => setId(e.target.value)} required />
          </Field>
          <Field label="Queue name">
            <input value={name} onChange={(e) => setName(e.target.value)} required />
          </Field>
          <button type="submit" className="primary" disabled={create.isPending}>
            Add queue
          </button>
        </form>
      )}
      <ErrorMessage error={queues.error ?? create.error ?? rename.error ?? remove.error} />
      <table className="table" aria-label="Queues">
        <thead>
          <tr>
            <th scope="col">Queue</th>
            <th scope="col">Id</th>
            {canEdit && <th scope="col">Actions</th>}
          </tr>
        </thead>
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
                  <button type="button" className="danger" aria-label={`Delete ${q.name}`} onClick={() => window.confirm(`Delete the queue “${q.name}”?`) && remove.mutate(q.id)}>
                    Delete
                  </button>
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
