import { EXAMPLE_LEADS } from '@lead-router/shared/fixtures';
import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { goldenQuery } from '../api/queries';
import { TextField } from '../inspector/text-field';
import { CrmImportDialog } from './crm-import-dialog';
import { parsePastedLeads, readLeadsFile } from './read-leads-file';

type Lead = Record<string, unknown>;
const FORM_FIELDS = ['firstName', 'lastName', 'email', 'company', 'title', 'country', 'state', 'industry', 'employees', 'leadSource'] as const;

type LibraryLead = { key: string; name: string; lead: Lead };
type ImportedGroup = { file: string; items: LibraryLead[] };

const leadName = (l: Lead) => `${String(l.id)} ${String(l.firstName ?? '')} ${String(l.lastName ?? '')} (${String(l.company ?? '')})`;

/**
 * The leads of a test run: samples, golden leads and leads imported from CSV files in the library, a typed
 * lead, pasted JSON, or a file. A CSV file (a Salesforce or HubSpot export, or any CSV) goes through the
 * import dialog, which shows how its columns were read before its leads join the library.
 */
export function LeadPicker({ workflowId, leads, onChange }: { workflowId: string; leads: Lead[]; onChange: (leads: Lead[]) => void }) {
  const golden = useQuery(goldenQuery(workflowId));
  const [form, setForm] = useState<Record<string, string>>({});
  const [paste, setPaste] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [csvFile, setCsvFile] = useState<File | null>(null);
  // Leads imported from CSV files, one group per file, newest first.
  const [imported, setImported] = useState<ImportedGroup[]>([]);
  const pasteId = useId();
  const fileId = useId();
  const library: LibraryLead[] = [
    ...EXAMPLE_LEADS.map((l) => ({ key: `sample-${String(l.id)}`, name: leadName(l as Lead), lead: l as Lead })),
    ...(golden.data?.goldenLeads ?? []).map((g) => ({ key: `golden-${g.id}`, name: `★ ${g.name}`, lead: g.lead as Lead })),
  ];
  const addImported = (file: string, list: Lead[]) => {
    const batch = imported.length;
    setImported([{ file, items: list.map((lead, i) => ({ key: `import-${batch}-${i}`, name: leadName(lead), lead })) }, ...imported]);
    onChange([...leads, ...list]);
    setCsvFile(null);
  };
  const has = (lead: Lead) => leads.includes(lead);
  const toggle = (lead: Lead) => onChange(has(lead) ? leads.filter((l) => l !== lead) : [...leads, lead]);
  return (
    <div>
      <LeadLibrary imported={imported} library={library} has={has} toggle={toggle} />
      <details>
        <summary>Type a lead</summary>
        {FORM_FIELDS.map((f) => (
          <TextField key={f} label={f} type={f === 'employees' ? 'number' : 'text'} value={form[f] ?? ''} onChange={(v) => setForm({ ...form, [f]: v })} />
        ))}
        <button
          type="button"
          onClick={() => {
            const lead: Lead = { id: `typed-${leads.length + 1}` };
            for (const [k, v] of Object.entries(form)) if (v !== '') lead[k] = k === 'employees' ? Number(v) : v;
            onChange([...leads, lead]);
            setForm({});
          }}
        >
          Add this lead
        </button>
      </details>
      <details>
        <summary>Paste JSON</summary>
        <div className="form-row">
          <label htmlFor={pasteId}>Leads as JSON (an object or an array)</label>
          <textarea id={pasteId} rows={5} value={paste} onChange={(e) => setPaste(e.target.value)} />
        </div>
        <button
          type="button"
          onClick={() => {
            try {
              onChange([...leads, ...parsePastedLeads(paste)]);
              setError(null);
              setPaste('');
            } catch (err) {
              setError(err instanceof Error ? err.message : String(err));
            }
          }}
        >
          Add pasted leads
        </button>
      </details>
      <div className="form-row">
        <label htmlFor={fileId}>Upload a CSV, JSON or JSONL file</label>
        <input
          id={fileId}
          type="file"
          accept=".csv,.tsv,.json,.jsonl,.ndjson"
          onChange={(e) => {
            const file = e.target.files?.[0];
            // Cleared, so that choosing the same file again opens the import again.
            e.target.value = '';
            if (!file) return;
            if (/\.(csv|tsv)$/i.test(file.name)) {
              setCsvFile(file);
              return;
            }
            setProgress(0);
            readLeadsFile(file, setProgress)
              .then((r) => {
                onChange([...leads, ...r.leads]);
                setError(r.problems.length ? `${r.problems.length} row(s) skipped: ${r.problems.slice(0, 3).join('; ')}` : null);
              })
              .catch((err: unknown) => setError(err instanceof Error ? err.message : String(err)));
          }}
        />
        {progress !== null && <progress max={1} value={progress} aria-label="File read progress" />}
      </div>
      {csvFile && <CrmImportDialog workflowId={workflowId} file={csvFile} onImport={(list) => addImported(csvFile.name, list)} onClose={() => setCsvFile(null)} />}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <p>
        {leads.length} lead{leads.length === 1 ? '' : 's'} chosen{' '}
        {leads.length > 0 && (
          <button type="button" onClick={() => onChange([])}>
            Clear
          </button>
        )}
      </p>
    </div>
  );
}

/** The library's checkboxes: each imported file's leads under its name, then the samples and golden leads. */
function LeadLibrary({ imported, library, has, toggle }: { imported: ImportedGroup[]; library: LibraryLead[]; has: (lead: Lead) => boolean; toggle: (lead: Lead) => void }) {
  const item = (s: LibraryLead) => (
    <label key={s.key} style={{ display: 'flex', gap: '0.3rem' }}>
      <input type="checkbox" checked={has(s.lead)} onChange={() => toggle(s.lead)} /> {s.name}
    </label>
  );
  return (
    <fieldset>
      <legend>Sample leads</legend>
      <div style={{ maxHeight: '9rem', overflow: 'auto' }}>
        {imported.map((group, g) => (
          <div key={`import-${imported.length - g}`} role="group" aria-label={`Imported from ${group.file}`}>
            <div className="tr-lib-group">
              Imported from {group.file} ({group.items.length})
            </div>
            {group.items.map(item)}
          </div>
        ))}
        {imported.length > 0 && <div className="tr-lib-group">Samples and golden leads</div>}
        {library.map(item)}
      </div>
    </fieldset>
  );
}
