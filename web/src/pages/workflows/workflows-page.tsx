import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useLocation } from 'wouter';
import { api, read } from '../../api/client';
import { useCan } from '../../auth/session';
import { Dialog } from '../../ui/dialog';
import { ErrorMessage } from '../../ui/error-message';
import { Field } from '../../ui/field';
import { formatDateTime } from '../../ui/date-time';
import { PageHeader } from '../../ui/page-header';
import { StatusBadge } from '../../ui/status-badge';
import { useToast } from '../../ui/toast';
import { workflowsQuery, type WorkflowSummary } from './queries';

function statusText(w: WorkflowSummary): string {
  if (w.status === 'archived') return 'archived';
  if (w.status === 'active') return `active · v${w.activeVersion}`;
  return 'draft only';
}

/** `/workflows`: every workflow with its status, last publish and today's leads; create, duplicate, archive. */
export function WorkflowsPage() {
  const [showArchived, setShowArchived] = useState(false);
  const [creating, setCreating] = useState(false);
  const list = useQuery(workflowsQuery(showArchived));
  const canEdit = useCan('editor');
  const queryClient = useQueryClient();
  const toast = useToast();
  const [, navigate] = useLocation();
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['workflows'] });

  const duplicate = useMutation({
    mutationFn: (id: string) => read(api.api.workflows[':id'].duplicate.$post({ param: { id } })),
    onSuccess: (copy) => {
      toast(`Created “${copy.name}”`);
      void refresh();
    },
  });
  const archive = useMutation({
    mutationFn: (id: string) => read(api.api.workflows[':id'].$delete({ param: { id } })),
    onSuccess: (w) => {
      toast(`Archived “${w.name}”`);
      void refresh();
    },
  });
  const restore = useMutation({
    mutationFn: (id: string) => read(api.api.workflows[':id'].restore.$post({ param: { id } })),
    onSuccess: (w) => {
      toast(`Restored “${w.name}”`);
      void refresh();
    },
  });

  return (
    <section aria-labelledby="workflows-title">
      <PageHeader title={<span id="workflows-title">Workflows</span>}>
        <label className="inline">
          <input type="checkbox" checked={showArchived} onChange={(e) => setShowArchived(e.target.checked)} /> Show archived
        </label>
        {canEdit && (
          <button type="button" className="primary" onClick={() => setCreating(true)}>
            New workflow
          </button>
        )}
      </PageHeader>
      <ErrorMessage error={list.error ?? duplicate.error ?? archive.error ?? restore.error} />
      {list.isPending && <p className="loading">Loading…</p>}
      {list.data && list.data.workflows.length === 0 && <p className="empty">No workflows yet.{canEdit ? ' Create one to start routing leads.' : ''}</p>}
      {list.data && list.data.workflows.length > 0 && (
        <table className="table" aria-label="Workflows">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Status</th>
              <th scope="col">Last published</th>
              <th scope="col">Leads routed today</th>
              {canEdit && <th scope="col">Actions</th>}
            </tr>
          </thead>
          <tbody>
            {list.data.workflows.map((w) => (
              <tr key={w.id}>
                <td>
                  <Link href={`/workflows/${w.id}`}>{w.name}</Link>
                  {w.description && <div className="muted">{w.description}</div>}
                </td>
                <td>
                  <StatusBadge status={w.status} label={statusText(w)} />
                </td>
                <td>{formatDateTime(w.lastPublishedAt)}</td>
                <td className="num">{w.leadsRoutedToday}</td>
                {canEdit && (
                  <td className="actions">
                    <button type="button" onClick={() => duplicate.mutate(w.id)} aria-label={`Duplicate ${w.name}`}>
                      Duplicate
                    </button>
                    {w.status === 'archived' ? (
                      <button type="button" onClick={() => restore.mutate(w.id)} aria-label={`Restore ${w.name}`}>
                        Restore
                      </button>
                    ) : (
                      <button
                        type="button"
                        onClick={() => window.confirm(`Archive “${w.name}”? It stops taking new leads.`) && archive.mutate(w.id)}
                        aria-label={`Archive ${w.name}`}
                      >
                        Archive
                      </button>
                    )}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <CreateWorkflowDialog
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(id) => {
          void refresh();
          navigate(`/workflows/${id}`);
        }}
      />
    </section>
  );
}

function CreateWorkflowDialog({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: (id: string) => void }) {
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const create = useMutation({
    mutationFn: () => read(api.api.workflows.$post({ json: { name, description } })),
    onSuccess: (w) => {
      setName('');
      setDescription('');
      onClose();
      onCreated(w.id);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <Dialog open={open} title="New workflow" onClose={onClose}>
      <form onSubmit={submit} className="form">
        <Field label="Name">
          <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={200} />
        </Field>
        <Field label="Description">
          <textarea value={description} onChange={(e) => setDescription(e.target.value)} maxLength={2000} rows={3} />
        </Field>
        <ErrorMessage error={create.error} />
        <div className="form-actions">
          <button type="submit" className="primary" disabled={create.isPending}>
            Create
          </button>
        </div>
      </form>
    </Dialog>
  );
}
