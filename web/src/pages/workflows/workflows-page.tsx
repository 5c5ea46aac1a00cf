import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useLocation } from 'wouter';
import { api, read } from '../../api/client';
import { useCan } from '../../auth/session';
import { Archive, ArchiveRestore, Copy, Plus } from 'lucide-react';
import { DataTable, type DataColumn } from '../../ui/data-table';
import { Dialog } from '../../ui/dialog';
import { ErrorMessage } from '../../ui/error-message';
import { Field } from '../../ui/field';
import { Instant } from '../../ui/instant';
import { ActionsMenu } from '../../ui/menu';
import { PageHeader } from '../../ui/page-header';
import { StatusBadge } from '../../ui/status-badge';
import { useToast } from '../../ui/toast';
import { workflowsQuery, type WorkflowSummary } from './queries';

function statusText(w: WorkflowSummary): string {
  if (w.status === 'archived') return 'archived';
  if (w.status === 'active') return `active · v${w.activeVersion}`;
  return 'draft only';
}

const COLUMNS: DataColumn<WorkflowSummary>[] = [
  {
    id: 'name',
    header: 'Name',
    hideable: false,
    sortBy: (w) => w.name,
    cell: (w) => (
      <>
        <Link href={`/workflows/${w.id}`}>{w.name}</Link>
        {w.description && <div className="muted">{w.description}</div>}
      </>
    ),
  },
  { id: 'status', header: 'Status', sortBy: statusText, cell: (w) => <StatusBadge status={w.status} label={statusText(w)} /> },
  { id: 'published', header: 'Last published', sortBy: (w) => (w.lastPublishedAt ? new Date(w.lastPublishedAt).getTime() : null), cell: (w) => <Instant iso={w.lastPublishedAt} /> },
  { id: 'today', header: 'Leads routed today', className: 'num', sortBy: (w) => w.leadsRoutedToday, cell: (w) => w.leadsRoutedToday },
];

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
            <Plus aria-hidden size={16} /> New workflow
          </button>
        )}
      </PageHeader>
      <ErrorMessage error={list.error ?? duplicate.error ?? archive.error ?? restore.error} />
      {list.isPending && <p className="loading">Loading…</p>}
      {list.data && list.data.workflows.length === 0 && <p className="empty">No workflows yet.{canEdit ? ' Create one to start routing leads.' : ''}</p>}
      {list.data && list.data.workflows.length > 0 && (
        <DataTable
          label="Workflows"
          storageKey="workflows"
          columns={COLUMNS}
          rows={list.data.workflows}
          rowKey={(w) => w.id}
          actions={
            canEdit
              ? (w) => (
                  <ActionsMenu
                    label={`Actions for ${w.name}`}
                    actions={[
                      { label: 'Duplicate', icon: <Copy aria-hidden size={16} />, onSelect: () => duplicate.mutate(w.id) },
                      w.status === 'archived'
                        ? { label: 'Restore', icon: <ArchiveRestore aria-hidden size={16} />, onSelect: () => restore.mutate(w.id) }
                        : { label: 'Archive', icon: <Archive aria-hidden size={16} />, danger: true, onSelect: () => window.confirm(`Archive “${w.name}”? It stops taking new leads.`) && archive.mutate(w.id) },
                    ]}
                  />
                )
              : undefined
          }
        />
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
