import { CRM_IMPORT_MAX_BYTES } from '@lead-router/shared';
import { useEffect, useState } from 'react';
import { api, read, type SuccessBody } from '../../api/client';
import { Dialog } from '../../ui/dialog';

type Lead = Record<string, unknown>;
const importEndpoint = api.api.workflows[':id']['test-leads'].import;
/** What the server read from a CRM export (see docs/crm.md, "Importing CRM exports"). */
export type CrmImportResult = SuccessBody<Awaited<ReturnType<typeof importEndpoint.$post>>>;

/** Posts a CSV file's text to the server, which recognises its columns against the workspace's fields. */
export function importCrmFile(workflowId: string, text: string): Promise<CrmImportResult> {
  return read(importEndpoint.$post({ param: { id: workflowId } }, { init: { body: text, headers: { 'content-type': 'text/csv' } } }));
}

/**
 * The import of a CSV file (a Salesforce or HubSpot export, or any CSV of leads) into the test-run library:
 * first what the file was recognised as and how each column maps to a lead field (and which are ignored,
 * and why), the rows that cannot be read by row and column; then Import adds the readable rows' leads.
 */
export function CrmImportDialog({ workflowId, file, onImport, onClose }: { workflowId: string; file: File; onImport: (leads: Lead[]) => void; onClose: () => void }) {
  const [result, setResult] = useState<CrmImportResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    // Refused here as the server would refuse it, without reading or sending a file that cannot be imported.
    const tooBig = file.size > CRM_IMPORT_MAX_BYTES;
    (tooBig ? Promise.reject(new Error(`The file is larger than ${CRM_IMPORT_MAX_BYTES / 1024 / 1024} MiB; split it into smaller files and import each.`)) : file.text())
      .then((text) => importCrmFile(workflowId, text))
      .then((r) => live && setResult(r))
      .catch((err: unknown) => live && setError(err instanceof Error ? err.message : String(err)));
    return () => {
      live = false;
    };
  }, [workflowId, file]);
  const mapped = result?.columns.filter((c) => c.field !== null) ?? [];
  const ignored = result?.columns.filter((c) => c.field === null) ?? [];
  const count = result?.leads.length ?? 0;
  // The first importable lead's values show how each column's cells were typed (1,200 reads as 1200).
  const first = result?.leads[0];
  const example = (field: string | null) => {
    const v = field !== null && first ? first.lead[field] : undefined;
    return v === undefined || v === null ? '' : typeof v === 'number' ? v.toLocaleString('en-US', { useGrouping: false }) : String(v);
  };
  return (
    <Dialog open title={`Import ${file.name}`} onClose={onClose}>
      <div className="crm-import" data-testid="crm-import">
        {!result && !error && <p role="status">Reading the file…</p>}
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        {result && (
          <>
            <p role="status" className="crm-import-summary" data-testid="crm-import-summary">
              {result.summary}
            </p>
            <p className="muted">
              {result.rows} row{result.rows === 1 ? '' : 's'} read: {count} lead{count === 1 ? '' : 's'} to import
              {result.rows - count > 0 ? `, ${result.rows - count} left out (see below)` : ''}.
            </p>
            <table className="crm-import-map" aria-label="Column mapping">
              <thead>
                <tr>
                  <th scope="col">Column in the file</th>
                  <th scope="col">Lead field</th>
                  <th scope="col">{first ? `Row ${first.row} reads as` : ''}</th>
                </tr>
              </thead>
              <tbody>
                {mapped.map((c) => (
                  <tr key={c.index}>
                    <td>{c.header}</td>
                    <td>{c.fieldLabel}</td>
                    <td>{example(c.field)}</td>
                  </tr>
                ))}
                {ignored.map((c) => (
                  <tr key={c.index} className="crm-import-ignored">
                    <td>{c.header || `Column ${c.index + 1}`}</td>
                    <td colSpan={2}>Ignored: {c.ignored}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {result.notes.length > 0 && (
              <ul className="crm-import-notes">
                {result.notes.map((n) => (
                  <li key={n}>{n}</li>
                ))}
              </ul>
            )}
            {result.problems.length > 0 && (
              <section aria-label="Rows left out">
                <h3 className="crm-import-h">Rows left out</h3>
                <ul className="error crm-import-problems">
                  {result.problems.slice(0, 20).map((p, i) => (
                    <li key={i}>{p.message}</li>
                  ))}
                  {result.problems.length > 20 && <li>… and {result.problems.length - 20} more</li>}
                </ul>
              </section>
            )}
          </>
        )}
        <div className="crm-import-actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="button" className="primary" disabled={count === 0} onClick={() => result && onImport(result.leads.map((l) => ({ ...l.lead, id: l.lead.id ?? `row-${l.row}` })))}>
            Import {count} lead{count === 1 ? '' : 's'}
          </button>
        </div>
      </div>
    </Dialog>
  );
}
