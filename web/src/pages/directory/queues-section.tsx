import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, read } from '../../api/client';
import { useCan } from '../../auth/session';
import { Pencil, Plus, Trash2 } from 'lucide-react';
import { DataTable, type DataColumn } from '../../ui/data-table';
import { ErrorMessage } from '../../ui/error-message';
import { Field } from '../../ui/field';
import { ActionsMenu } from '../../ui/menu';
import { queuesQuery, type Queue } from './queries';
import { SubmitForm } from './section-parts';
import { useDirectoryMutation } from './use-directory';

const EMPTY: Queue[] = [];
const COLUMNS: DataColumn<Queue>[] = [
  { id: 'queue', header: 'Queue', hideable: false, sortBy: (q) => q.name, cell: (q) => q.name },
  { id: 'id', header: 'Id', sortBy: (q) => q.id, cell: (q) => <code>{q.id}</code> },
];

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
            <Plus aria-hidden size={16} /> Add queue
          </button>
        </SubmitForm>
      )}
      <ErrorMessage error={queues.error ?? create.error ?? rename.error ?? remove.error} />
      <DataTable
        label="Queues"
        storageKey="queues"
        columns={COLUMNS}
        rows={queues.data?.items ?? EMPTY}
        rowKey={(q) => q.id}
        actions={
          canEdit
            ? (q) => (
                <ActionsMenu
                  label={`Actions for ${q.name}`}
                  actions={[
                    {
                      label: 'Rename',
                      icon: <Pencil aria-hidden size={16} />,
                      onSelect: () => {
                        const next = window.prompt('New name', q.name);
                        if (next && next.trim()) rename.mutate({ id: q.id, name: next.trim() });
                      },
                    },
                    { label: 'Delete', icon: <Trash2 aria-hidden size={16} />, danger: true, onSelect: () => window.confirm(`Delete the queue “${q.name}”?`) && remove.mutate(q.id) },
                  ]}
                />
              )
            : undefined
        }
      />
    </section>
  );
}
