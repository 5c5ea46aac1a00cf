import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, read } from '../../api/client';
import { Dialog } from '../../ui/dialog';
import { ErrorMessage } from '../../ui/error-message';
import { Field } from '../../ui/field';
import { useToast } from '../../ui/toast';
import { repsQuery } from '../directory/queries';
import { workflowsQuery } from '../workflows/queries';
import { filterText } from './filter-text';
import { cleanFilter, versionsQuery, type LeadFilter } from './queries';
import './backfills.css';

type Preview = Awaited<ReturnType<typeof previewOf>>;
const previewOf = (body: { workflowId: string; version?: number; filter: Record<string, string> }) => read(api.api.backfills.preview.$post({ json: body }));

/**
 * Re-routes every lead a lead-list filter matches through a version: pick the version (the active one by
 * default), preview (how many leads, and the backtest's counts by assignee for exactly that set), then start
 * the backfill job. `filter` is the lead list's query object; `workflowId` the workflow when the list is
 * narrowed to one (else `filter.workflow`, else the person picks it here).
 */
export function BackfillDialog({ filter, workflowId, onClose, onStarted }: { filter: LeadFilter; workflowId?: string; onClose: () => void; onStarted?: (id: string) => void }) {
  const fixedWorkflow = workflowId ?? filter.workflow ?? '';
  const [workflow, setWorkflow] = useState(fixedWorkflow);
  const [version, setVersion] = useState('');
  const [note, setNote] = useState('');
  const [preview, setPreview] = useState<Preview | null>(null);
  const workflows = useQuery({ ...workflowsQuery(false), enabled: fixedWorkflow === '' });
  const versions = useQuery(versionsQuery(workflow));
  const reps = useQuery(repsQuery);
  const nameOf = (id: string) => reps.data?.items.find((r) => r.id === id)?.name ?? id;
  const queryClient = useQueryClient();
  const toast = useToast();
  const clean = cleanFilter({ ...filter, workflow: undefined });
  const body = () => ({ workflowId: workflow, ...(version !== '' ? { version: Number(version) } : {}), filter: clean });

  const runPreview = useMutation({ mutationFn: () => previewOf(body()), onSuccess: setPreview });
  const start = useMutation({
    mutationFn: () => read(api.api.backfills.$post({ json: { ...body(), ...(note.trim() ? { note: note.trim() } : {}) } })),
    onSuccess: (job) => {
      toast(`Backfill started: ${job.total.toLocaleString('en-US')} leads through version ${job.version}`);
      void queryClient.invalidateQueries({ queryKey: ['backfills'] });
      onStarted?.(job.id);
      onClose();
    },
  });
  const changed = () => {
    setPreview(null);
    runPreview.reset();
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (preview) start.mutate();
    else runPreview.mutate();
  };

  return (
    <Dialog open title="Re-route matching leads" description={`Leads: ${filterText(clean, nameOf)}. Each gets a new run through the version you pick; its earlier run stays on its page.`} onClose={onClose}>
      <form onSubmit={submit} className="form">
        {fixedWorkflow === '' && (
          <Field label="Workflow">
            <select
              value={workflow}
              required
              onChange={(e) => {
                setWorkflow(e.target.value);
                setVersion('');
                changed();
              }}
            >
              <option value="">Choose a workflow…</option>
              {workflows.data?.workflows.map((w) => (
                <option key={w.id} value={w.id}>
                  {w.name}
                </option>
              ))}
            </select>
          </Field>
        )}
        <Field label="Version" hint="Each lead gets a new run pinned to it.">
          <select
            value={version}
            onChange={(e) => {
              setVersion(e.target.value);
              changed();
            }}
            disabled={workflow === ''}
          >
            <option value="">The active version</option>
            {versions.data?.versions.map((v) => (
              <option key={v.id} value={v.number}>
                Version {v.number}
                {v.note ? ` — ${v.note}` : ''}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Note" hint="Kept with each lead's earlier run and in the audit log.">
          <input value={note} maxLength={1000} onChange={(e) => setNote(e.target.value)} placeholder="Why these leads are re-routed" />
        </Field>
        {preview && <PreviewView preview={preview} />}
        <ErrorMessage error={runPreview.error ?? start.error} />
        <div className="form-actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          {preview ? (
            <button type="submit" className="primary" disabled={start.isPending || preview.total === 0}>
              {start.isPending ? 'Starting…' : `Re-route ${preview.total.toLocaleString('en-US')} lead${preview.total === 1 ? '' : 's'}`}
            </button>
          ) : (
            <button type="submit" className="primary" disabled={runPreview.isPending || workflow === ''}>
              {runPreview.isPending ? 'Previewing…' : 'Preview'}
            </button>
          )}
        </div>
      </form>
    </Dialog>
  );
}

/** The preview: how many leads, and who would get them through the target version (by name). */
function PreviewView({ preview }: { preview: Preview }) {
  if (preview.total === 0) return <p className="empty">No lead matches this filter: there is nothing to re-route.</p>;
  // The active version's column only when it is another version than the target.
  const active = preview.activeVersion !== preview.version.number ? preview.activeVersion : null;
  return (
    <div className="backfill-preview" aria-label="Preview">
      <p>
        <strong>{preview.total.toLocaleString('en-US')}</strong> lead{preview.total === 1 ? '' : 's'} match.
        {active !== null &&
          ` Through version ${preview.version.number}, ${preview.moved.toLocaleString('en-US')} of the ${preview.replayed.toLocaleString('en-US')} replayed end with another assignee than through the active version ${active}.`}
      </p>
      <p className="muted">{preview.method}</p>
      <table className="table">
        <thead>
          <tr>
            <th>Assignee</th>
            <th className="num">Version {preview.version.number}</th>
            {active !== null && <th className="num">Active (v{active})</th>}
            <th className="num">Now</th>
          </tr>
        </thead>
        <tbody>
          {preview.assignees.map((a) => (
            <tr key={`${a.type ?? ''}:${a.id ?? ''}`}>
              <td>{a.id === null ? <span className="muted">Nobody</span> : `${a.name ?? a.id}${a.type === 'queue' ? ' (queue)' : ''}`}</td>
              <td className="num">{a.target.toLocaleString('en-US')}</td>
              {active !== null && <td className="num">{(a.active ?? 0).toLocaleString('en-US')}</td>}
              <td className="num">{a.actual.toLocaleString('en-US')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
