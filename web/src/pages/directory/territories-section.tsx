import type { TerritoryRule as Rule } from '@lead-router/shared';
import { useQuery } from '@tanstack/react-query';
import { useMemo, useState, type FormEvent } from 'react';
import { Plus, Trash2 } from 'lucide-react';
import { api, read } from '../../api/client';
import { useCan } from '../../auth/session';
import { DataTable, type DataColumn } from '../../ui/data-table';
import { ErrorMessage } from '../../ui/error-message';
import { Field } from '../../ui/field';
import { NameWithId } from '../../ui/tooltip';
import { parseList, repsQuery, territoriesQuery, type Rep, type Territory, type TerritoryInput } from './queries';
import { EditButton, EditDialog, NewRecordButton } from './section-parts';
import { useEditableRecord } from './use-directory';

const EMPTY: Territory[] = [];

type RuleText = { countries: string; states: string; postalCodes: string };

const ruleText = (r: Rule): RuleText => ({ countries: (r.countries ?? []).join(', '), states: (r.states ?? []).join(', '), postalCodes: (r.postalCodes ?? []).join(', ') });
const ruleOf = (t: RuleText): Rule => {
  const out: Rule = {};
  for (const k of ['countries', 'states', 'postalCodes'] as const) {
    const list = parseList(t[k]);
    if (list.length > 0) out[k] = list;
  }
  return out;
};
const describe = (r: Rule) => [r.countries?.join('/'), r.states?.join('/'), r.postalCodes?.join('/')].filter(Boolean).join(' · ');

function TerritoryForm({ territory, reps, busy, onSubmit }: { territory: Territory | null; reps: Rep[]; busy: boolean; onSubmit: (t: TerritoryInput) => void }) {
  const [id, setId] = useState(territory?.id ?? '');
  const [name, setName] = useState(territory?.name ?? '');
  const [priority, setPriority] = useState(String(territory?.priority ?? 0));
  const [repIds, setRepIds] = useState<string[]>(territory?.repIds ?? []);
  const [rules, setRules] = useState<RuleText[]>((territory?.rules ?? [{}]).map(ruleText));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSubmit({ id: id.trim(), name: name.trim(), priority: Number(priority), repIds, rules: rules.map(ruleOf) });
  };
  return (
    <form className="form" onSubmit={submit}>
      <div className="form-grid">
        <Field label="Id">
          <input value={id} onChange={(e) => setId(e.target.value)} required disabled={!!territory} />
        </Field>
        <Field label="Name">
          <input value={name} onChange={(e) => setName(e.target.value)} required />
        </Field>
        <Field label="Priority" hint="Higher wins when territories overlap">
          <input type="number" value={priority} onChange={(e) => setPriority(e.target.value)} />
        </Field>
      </div>
      <fieldset>
        <legend>Rules (a lead matches a rule when every part given matches)</legend>
        {rules.map((r, i) => (
          <div key={i} className="form-grid">
            <Field label={`Countries (rule ${i + 1})`} hint="ISO codes, comma-separated">
              <input value={r.countries} onChange={(e) => setRules((xs) => xs.map((x, j) => (j === i ? { ...x, countries: e.target.value } : x)))} />
            </Field>
            <Field label={`States (rule ${i + 1})`}>
              <input value={r.states} onChange={(e) => setRules((xs) => xs.map((x, j) => (j === i ? { ...x, states: e.target.value } : x)))} />
            </Field>
            <Field label={`Postal codes (rule ${i + 1})`} hint="Exact, prefix* or range 10000-19999">
              <input value={r.postalCodes} onChange={(e) => setRules((xs) => xs.map((x, j) => (j === i ? { ...x, postalCodes: e.target.value } : x)))} />
            </Field>
            <button type="button" className="danger" onClick={() => setRules((xs) => xs.filter((_, j) => j !== i))}>
              <Trash2 aria-hidden size={14} /> Remove rule {i + 1}
            </button>
          </div>
        ))}
        <button type="button" onClick={() => setRules((xs) => [...xs, { countries: '', states: '', postalCodes: '' }])}>
          <Plus aria-hidden size={14} /> Add rule
        </button>
      </fieldset>
      <fieldset>
        <legend>Reps covering it (round-robin order)</legend>
        {reps.map((r) => (
          <label key={r.id} className="inline">
            <input type="checkbox" checked={repIds.includes(r.id)} onChange={(e) => setRepIds((xs) => (e.target.checked ? [...xs, r.id] : xs.filter((x) => x !== r.id)))} /> {r.name}
          </label>
        ))}
      </fieldset>
      <div className="form-actions">
        <button type="submit" className="primary" disabled={busy}>
          Save territory
        </button>
      </div>
    </form>
  );
}

/** Territories: location rules and the reps who cover them. */
export function TerritoriesSection() {
  const territories = useQuery(territoriesQuery);
  const reps = useQuery(repsQuery);
  const canEdit = useCan('admin');
  const { editing, setEditing, save } = useEditableRecord<Territory, TerritoryInput, Territory>({
    create: (json) => read(api.api.territories.$post({ json })),
    replace: (id, json) => read(api.api.territories[':id'].$put({ param: { id }, json })),
  });
  const columns = useMemo((): DataColumn<Territory>[] => {
    const repNames = (t: Territory) => t.repIds.map((id) => reps.data?.items.find((r) => r.id === id)?.name ?? id).join(', ');
    return [
      { id: 'territory', header: 'Territory', hideable: false, sortBy: (t) => t.name, cell: (t) => <NameWithId name={t.name} id={t.id} /> },
      { id: 'priority', header: 'Priority', className: 'num', sortBy: (t) => t.priority, cell: (t) => t.priority },
      { id: 'rules', header: 'Rules', cell: (t) => t.rules.map(describe).join('; ') },
      { id: 'reps', header: 'Reps', sortBy: repNames, cell: (t) => repNames(t) || '—' },
    ];
  }, [reps.data]);
  return (
    <section aria-label="Territories">
      <ErrorMessage error={territories.error} />
      <DataTable label="Territories" storageKey="territories" columns={columns} rows={territories.data?.items ?? EMPTY} rowKey={(t) => t.id} actions={canEdit ? (t) => <EditButton name={t.name} onEdit={() => setEditing(t)} /> : undefined} toolbar={canEdit && <NewRecordButton label="New territory" onClick={() => setEditing('new')} />} />
      <EditDialog editing={editing} noun="territory" error={save.error} onClose={() => setEditing(null)}>
        {(territory) => <TerritoryForm territory={territory} reps={reps.data?.items ?? []} busy={save.isPending} onSubmit={(t) => save.mutate(t)} />}
      </EditDialog>
    </section>
  );
}
