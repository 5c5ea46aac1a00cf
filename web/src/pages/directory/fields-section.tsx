import { CUSTOM_FIELD_TYPES as TYPES } from '@lead-router/shared';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, read } from '../../api/client';
import { useCan } from '../../auth/session';
import { ErrorMessage } from '../../ui/error-message';
import { Field } from '../../ui/field';
import { fieldsQuery, parseList } from './queries';
import { ConfirmButton, SubmitForm, TableHead, ValueOptions } from './section-parts';
import { useDirectoryMutation } from './use-directory';

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
            Add field
          </button>
        </SubmitForm>
      )}
      <ErrorMessage error={fields.error ?? create.error ?? remove.error} />
      <table className="table" aria-label="Fields">
        <TableHead columns={['Field', 'Key', 'Type', 'Kind']} actions={canEdit} />
        <tbody>
          {fields.data?.fields.map((f) => (
            <tr key={f.key}>
              <td>
                {f.label}
                {f.description && <div className="muted">{f.description}</div>}
              </td>
              <td>
                <code>{f.key}</code>
              </td>
              <td>
                {f.type}
                {f.options && <div className="muted">{f.options.join(', ')}</div>}
              </td>
              <td>{f.system ? 'system' : f.standard ? 'standard' : 'custom'}</td>
              {canEdit && (
                <td className="actions">
                  {!f.standard && (
                    <ConfirmButton label="Remove" name={f.label} question={`Remove the field “${f.label}”?`} onConfirm={() => remove.mutate(f.key)} />
                  )}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
