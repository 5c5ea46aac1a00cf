import { CUSTOM_FIELD_TYPES as TYPES } from '@lead-router/shared';
import { useQuery } from '@tanstack/react-query';
import { Plus } from 'lucide-react';
import { useState } from 'react';
import { api, read } from '../../api/client';
import { useCan } from '../../auth/session';
import { DataTable, type DataColumn } from '../../ui/data-table';
import { ErrorMessage } from '../../ui/error-message';
import { Field } from '../../ui/field';
import { fieldsQuery, parseList, type CatalogField } from './queries';
import { ConfirmButton, SubmitForm, ValueOptions } from './section-parts';
import { useDirectoryMutation } from './use-directory';

const EMPTY: CatalogField[] = [];
const kind = (f: CatalogField) => (f.system ? 'system' : f.standard ? 'standard' : 'custom');
const COLUMNS: DataColumn<CatalogField>[] = [
  {
    id: 'field',
    header: 'Field',
    hideable: false,
    sortBy: (f) => f.label,
    cell: (f) => (
      <>
        {f.label}
        {f.description && <div className="muted">{f.description}</div>}
      </>
    ),
  },
  { id: 'key', header: 'Key', sortBy: (f) => f.key, cell: (f) => <code>{f.key}</code> },
  {
    id: 'type',
    header: 'Type',
    sortBy: (f) => f.type,
    cell: (f) => (
      <>
        {f.type}
        {f.options && <div className="muted">{f.options.join(', ')}</div>}
      </>
    ),
  },
  { id: 'kind', header: 'Kind', sortBy: kind, cell: kind },
];

/** The field catalog: standard fields, then the workspace's custom fields, which admins declare and remove. */
export function FieldsSection() {
  const fields = useQuery(fieldsQuery);
  const canEdit = useCan('admin');
  const [key, setKey] = useState('');
  const [label, setLabel] = useState('');
  const [type, setType] = useState<(typeof TYPES)[number]>('text');
  const [options, setOptions] = useState('');
  const invalidate = [['directory', 'fields']];
  const create = useDirectoryMutation({
    mutationFn: () => read(api.api.fields.$post({ json: { key: key.trim(), label: label.trim(), type, ...(type === 'picklist' ? { options: parseList(options) } : {}) } })),
    toast: (f) => `Added the field ${f.label}`,
    onSuccess: () => {
      setKey('');
      setLabel('');
      setOptions('');
    },
    invalidate,
  });
  const remove = useDirectoryMutation({
    mutationFn: (k: string) => read(api.api.fields[':key'].$delete({ param: { key: k } })),
    toast: () => 'Field removed',
    invalidate,
  });
  return (
    <section aria-label="Fields">
      {canEdit && (
        <SubmitForm label="New custom field" onSubmit={() => create.mutate()}>
          <Field label="Field key" hint="Letters, digits and _">
            <input value={key} onChange={(e) => setKey(e.target.value)} required />
          </Field>
          <Field label="Field label">
            <input value={label} onChange={(e) => setLabel(e.target.value)} required />
          </Field>
          <Field label="Field type">
            <select value={type} onChange={(e) => setType(e.target.value as (typeof TYPES)[number])}>
              <ValueOptions values={TYPES} />
            </select>
          </Field>
          {type === 'picklist' && (
            <Field label="Options" hint="Comma-separated">
              <input value={options} onChange={(e) => setOptions(e.target.value)} required />
            </Field>
          )}
          <button type="submit" className="primary" disabled={create.isPending}>
            <Plus aria-hidden size={16} /> Add field
          </button>
        </SubmitForm>
      )}
      <ErrorMessage error={fields.error ?? create.error ?? remove.error} />
      <DataTable
        label="Fields"
        storageKey="fields"
        columns={COLUMNS}
        rows={fields.data?.fields ?? EMPTY}
        rowKey={(f) => f.key}
        actions={canEdit ? (f) => !f.standard && <ConfirmButton label="Remove" name={f.label} question={`Remove the field “${f.label}”?`} onConfirm={() => remove.mutate(f.key)} /> : undefined}
      />
    </section>
  );
}
