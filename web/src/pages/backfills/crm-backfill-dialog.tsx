import { CRM_IMPORT_MAX_BYTES } from '@lead-router/shared';
import { useQuery } from '@tanstack/react-query';
import { Upload } from 'lucide-react';
import { useState, type FormEvent } from 'react';
import { api, read, type SuccessBody } from '../../api/client';
import { Dialog } from '../../ui/dialog';
import { Field } from '../../ui/field';
import { workflowsQuery } from '../workflows/queries';

const endpoint = api.api.workflows[':id'].backfills.import;
/** What the server answers (docs/backfill.md, "Importing a CRM export"). */
type ImportResult = SuccessBody<Awaited<ReturnType<typeof endpoint.$post>>>;

const post = (workflowId: string, text: string, dryRun: boolean) =>
  read(endpoint.$post({ param: { id: workflowId }, query: dryRun ? { dryRun: 'true' } : {} }, { init: { body: text, headers: { 'content-type': 'text/csv' } } }));

const plural = (n: number, one: string) => `${n.toLocaleString('en-US')} ${one}${n === 1 ? '' : 's'}`;

/**
 * "Import a CRM export…": a Salesforce or HubSpot export (or any CSV of leads) routed as a backfill. First a
 * dry run says what the file was recognised as, how many leads are new and which rows are left out; then
 * Import stores the new leads and starts the backfill that routes them.
 */
export function CrmBackfillDialog({ onClose, onStarted }: { onClose: () => void; onStarted: (message: string) => void }) {
  const workflows = useQuery(workflowsQuery(false));
  const [workflowId, setWorkflowId] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [text, setText] = useState('');
  const [preview, setPreview] = useState<ImportResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const fail = (e: unknown) => setError(e instanceof Error ? e.message : String(e));

  const read_ = async (e: FormEvent) => {
    e.preventDefault();
    if (!file) return;
    setError(null);
    setPreview(null);
    if (file.size > CRM_IMPORT_MAX_BYTES) return fail(new Error(`The file is larger than ${CRM_IMPORT_MAX_BYTES / 1024 / 1024} MiB; split it into smaller files and import each.`));
    setBusy(true);
    try {
      const t = await file.text();
      setText(t);
      setPreview(await post(workflowId, t, true));
    } catch (err) {
      fail(err);
    } finally {
      setBusy(false);
    }
  };
  const start = async () => {
    setBusy(true);
    try {
      const r = await post(workflowId, text, false);
      onStarted(r.message);
    } catch (err) {
      fail(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog open title="Import a CRM export" description="Stores the file's leads in a workflow and routes them through its active version as a backfill, throttled below live leads." onClose={onClose}>
      <form onSubmit={(e) => void read_(e)} className="form">
        <Field label="Workflow">
          <select
            value={workflowId}
            required
            onChange={(e) => {
              setWorkflowId(e.target.value);
              setPreview(null);
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
        <Field label="CSV file (Salesforce, HubSpot or any CSV of leads)">
          <input
            type="file"
            accept=".csv,text/csv"
            onChange={(e) => {
              setFile(e.target.files?.[0] ?? null);
              setPreview(null);
            }}
          />
        </Field>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        {preview && (
          <div className="crm-import backfill-preview" data-testid="crm-backfill-preview">
            <p role="status" className="crm-import-summary">
              {preview.summary}
            </p>
            <p>
              {plural(preview.rows, 'row')} read: {plural(preview.leads, 'lead')}, of which {preview.toRoute.toLocaleString('en-US')} new to route
              {preview.alreadyStored > 0 ? ` and ${preview.alreadyStored.toLocaleString('en-US')} already stored (not imported again)` : ''}
              {preview.problems.length > 0 ? `; ${plural(preview.problems.length, 'problem')} (rows left out, below)` : ''}.
            </p>
            {preview.notes.length > 0 && (
              <ul className="crm-import-notes">
                {preview.notes.map((n) => (
                  <li key={n}>{n}</li>
                ))}
              </ul>
            )}
            {preview.problems.length > 0 && (
              <ul className="error crm-import-problems" aria-label="Rows left out">
                {preview.problems.slice(0, 20).map((p, i) => (
                  <li key={i}>{p.message}</li>
                ))}
                {preview.problems.length > 20 && <li>… and {preview.problems.length - 20} more</li>}
              </ul>
            )}
          </div>
        )}
        <div className="form-actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          {preview ? (
            <button type="button" className="primary" disabled={busy || preview.toRoute === 0} onClick={() => void start()}>
              Import and route {plural(preview.toRoute, 'lead')}
            </button>
          ) : (
            <button type="submit" className="primary" disabled={busy || workflowId === '' || !file}>
              Read the file
            </button>
          )}
        </div>
      </form>
    </Dialog>
  );
}

/** The Backfills page's "Import a CRM export…" button and its dialog; `onStarted` gets the server's sentence. */
export function CrmImportAction({ onStarted }: { onStarted: (message: string) => void }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" onClick={() => setOpen(true)}>
        <Upload aria-hidden size={16} /> Import a CRM export…
      </button>
      {open && (
        <CrmBackfillDialog
          onClose={() => setOpen(false)}
          onStarted={(message) => {
            setOpen(false);
            onStarted(message);
          }}
        />
      )}
    </>
  );
}
