import { useQuery } from '@tanstack/react-query';
import type { InferResponseType } from 'hono/client';
import { ChevronLeft, ChevronRight, Plus, Upload } from 'lucide-react';
import { useMemo, useState } from 'react';
import { api, ApiError, read } from '../../api/client';
import { useCan } from '../../auth/session';
import { DataTable, type DataColumn } from '../../ui/data-table';
import { ErrorMessage } from '../../ui/error-message';
import { Field } from '../../ui/field';
import { formatInstant } from '../../ui/format';
import { NameWithId } from '../../ui/tooltip';
import { accountsQuery, parseList, repsQuery, type Account } from './queries';
import { RepOptions, SubmitForm } from './section-parts';
import { useDirectoryMutation } from './use-directory';

type ImportRoute = typeof api.api.accounts.import.$post;
/** What an import did (the route's answer, not a copy). */
type ImportResult = InferResponseType<ImportRoute, 200>;
/** The error body the import route answers with (its `details` are declared unknown by the server). */
type ImportError = InferResponseType<ImportRoute, 422>;

/** Posts a CSV file to the import route (the typed client speaks JSON only). */
async function importCsv(text: string): Promise<ImportResult> {
  const res = await fetch('/api/accounts/import', { method: 'POST', headers: { 'content-type': 'text/csv' }, body: text, credentials: 'same-origin' });
  const body = (await res.json().catch(() => null)) as Partial<ImportError> | ImportResult | null;
  if (!res.ok) {
    const err = (body as Partial<ImportError> | null)?.error;
    throw new ApiError(res.status, err?.code ?? `http_${res.status}`, err?.message ?? `The server answered ${res.status}.`, Array.isArray(err?.details) ? (err.details as never[]) : []);
  }
  return body as ImportResult;
}

const EMPTY: Account[] = [];

/** Accounts and their owners, a page at a time; admins add one or import a CSV file. */
export function AccountsSection() {
  const [cursors, setCursors] = useState<string[]>([]);
  const accounts = useQuery(accountsQuery(cursors.at(-1)));
  const reps = useQuery(repsQuery);
  const canEdit = useCan('admin');
  const [file, setFile] = useState<File | null>(null);
  const [id, setId] = useState('');
  const [name, setName] = useState('');
  const [domains, setDomains] = useState('');
  const [ownerId, setOwnerId] = useState('');
  const [lastActive, setLastActive] = useState('');
  const invalidate = [['directory', 'accounts']];
  const importFile = useDirectoryMutation({
    mutationFn: async () => importCsv(await file!.text()),
    toast: (r) => `Imported: ${r.created} created, ${r.updated} updated`,
    invalidate,
  });
  const create = useDirectoryMutation({
    mutationFn: () =>
      read(
        api.api.accounts.$post({
          json: {
            id: id.trim(),
            name: name.trim(),
            domains: parseList(domains),
            ownerId: ownerId || null,
            // datetime-local is the browser's local time; the API takes an instant.
            ...(lastActive ? { lastActivityAt: new Date(lastActive).toISOString() } : {}),
          },
        }),
      ),
    toast: (a) => `Added ${a.name}`,
    onSuccess: () => {
      setId('');
      setName('');
      setDomains('');
      setOwnerId('');
      setLastActive('');
    },
    invalidate,
  });
  const columns = useAccountColumns(reps.data?.items);
  return (
    <section aria-label="Accounts">
      {canEdit && (
        // Two cards side by side (stacked when narrow), each laying out its own fields: nothing of one form
        // can be drawn over the other, whatever the width of a file input's label.
        <div className="form-cards">
          <SubmitForm
            label="Import accounts"
            className="form form-card"
            onSubmit={() => {
              if (file) importFile.mutate();
            }}
          >
            <h2>Import from a CSV file</h2>
            <Field label="CSV file" hint="Columns: id,name,domains,owner (domains separated by ;). One bad row and nothing is written.">
              <input type="file" accept=".csv,text/csv" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
            </Field>
            <ErrorMessage error={importFile.error} />
            <div className="form-actions">
              <button type="submit" disabled={!file || importFile.isPending}>
                <Upload aria-hidden size={16} /> Import
              </button>
            </div>
          </SubmitForm>
          <SubmitForm label="New account" className="form form-card" onSubmit={() => create.mutate()}>
            <h2>Add one account</h2>
            <div className="form-grid">
              <Field label="Account id">
                <input value={id} onChange={(e) => setId(e.target.value)} required />
              </Field>
              <Field label="Account name">
                <input value={name} onChange={(e) => setName(e.target.value)} required />
              </Field>
              <Field label="Domains" hint="Comma-separated; a lead matches any of them, subdomains included">
                <input value={domains} onChange={(e) => setDomains(e.target.value)} />
              </Field>
              <Field label="Owner">
                <select value={ownerId} onChange={(e) => setOwnerId(e.target.value)}>
                  <option value="">No owner</option>
                  <RepOptions reps={reps.data?.items} />
                </select>
              </Field>
              <Field label="Last active" hint="Optional: breaks ties between matching accounts">
                <input type="datetime-local" value={lastActive} onChange={(e) => setLastActive(e.target.value)} />
              </Field>
            </div>
            <ErrorMessage error={create.error} />
            <div className="form-actions">
              <button type="submit" className="primary" disabled={create.isPending}>
                <Plus aria-hidden size={16} /> Add account
              </button>
            </div>
          </SubmitForm>
        </div>
      )}
      <ErrorMessage error={accounts.error} />
      <DataTable label="Accounts" storageKey="accounts" columns={columns} rows={accounts.data?.items ?? EMPTY} rowKey={(a) => a.id} />
      {accounts.data?.items.length === 0 && <p className="empty">No accounts.</p>}
      <div className="pager">
        {cursors.length > 0 && (
          <button type="button" onClick={() => setCursors((c) => c.slice(0, -1))}>
            <ChevronLeft aria-hidden size={16} /> Previous page
          </button>
        )}
        {accounts.data?.nextCursor && (
          <button type="button" onClick={() => setCursors((c) => [...c, accounts.data.nextCursor!])}>
            Next page <ChevronRight aria-hidden size={16} />
          </button>
        )}
      </div>
    </section>
  );
}

/** The accounts table's columns: owners by name, the last activity with its time. */
function useAccountColumns(reps: readonly { id: string; name: string }[] | undefined): DataColumn<Account>[] {
  return useMemo((): DataColumn<Account>[] => {
    const owner = (a: Account) => (a.ownerId ? (reps?.find((r) => r.id === a.ownerId)?.name ?? a.ownerId) : null);
    return [
      { id: 'account', header: 'Account', hideable: false, sortBy: (a) => a.name, cell: (a) => <NameWithId name={a.name} id={a.id} /> },
      { id: 'domains', header: 'Domains', sortBy: (a) => a.domains.join(', '), cell: (a) => a.domains.join(', ') || '—' },
      { id: 'owner', header: 'Owner', sortBy: owner, cell: (a) => owner(a) ?? '—' },
      { id: 'lastActive', header: 'Last active', sortBy: (a) => a.lastActivityAt ?? '', cell: (a) => (a.lastActivityAt ? formatInstant(a.lastActivityAt) : '—') },
    ];
  }, [reps]);
}
