import { useQuery } from '@tanstack/react-query';
import { Eye, Plus, Save, Trash2 } from 'lucide-react';
import { useState } from 'react';
import { api, ApiError, read } from '../../api/client';
import { ErrorMessage } from '../../ui/error-message';
import { useDirectoryMutation } from '../directory/use-directory';
import { crmFieldsQuery, type Connection, type CrmFields, type CrmObject, type MappingPreview, type MapRow } from './queries';

/**
 * The field mapping of one object of a connection: rows of CRM field -> lead field (each select shows the
 * label and the API name), saved with the connection (the server checks types and names the row that does
 * not fit), and a Preview of the mapping on the object's latest real records.
 */
export function MappingEditor({ connection, object }: { connection: Connection; object: CrmObject }) {
  const fields = useQuery(crmFieldsQuery(connection.id, object));
  const [rows, setRows] = useState<MapRow[]>(() => connection.fieldMapping[object] ?? []);
  const [preview, setPreview] = useState<MappingPreview | null>(null);
  const save = useDirectoryMutation({
    mutationFn: () => read(api.api.crm.connections[':id'].$patch({ param: { id: connection.id }, json: { fieldMapping: { [object]: rows } } })),
    toast: () => `Saved the ${object} mapping of ${connection.name}`,
    onSuccess: (c) => setRows(c.fieldMapping[object] ?? rows),
    invalidate: [['settings', 'crm']],
  });
  const run = useDirectoryMutation({
    mutationFn: () => read(api.api.crm.connections[':id'].preview.$post({ param: { id: connection.id }, json: { object, mapping: rows } })),
    onSuccess: setPreview,
    invalidate: [],
  });
  const error = save.error ?? run.error;
  const rowProblems = (i: number) => (error instanceof ApiError ? error.problems.filter((p) => p.path?.startsWith(`fieldMapping.${object}.${i}.`)) : []);
  const set = (i: number, patch: Partial<MapRow>) => setRows(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <section className="crm-mapping" aria-label={`${object} field mapping`}>
      <h3>
        {object} field mapping {fields.data?.source === 'standard' && <span className="muted">(standard fields: sign in to see {connection.provider === 'hubspot' ? 'the account’s own properties' : 'the org’s own'})</span>}
      </h3>
      <table>
        <thead>
          <tr>
            <th>CRM field</th>
            <th>Lead field</th>
            <th aria-label="Actions" />
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={i}>
              <td>
                <select aria-label={`CRM field of row ${i + 1}`} value={r.crmField} onChange={(e) => set(i, { crmField: e.target.value })}>
                  <CrmFieldOptions fields={fields.data} current={r.crmField} />
                </select>
                {rowProblems(i).map((p, k) => (
                  <div key={k} className="mismatch" role="alert">
                    {p.message}
                  </div>
                ))}
              </td>
              <td>
                <select aria-label={`Lead field of row ${i + 1}`} value={r.leadField} onChange={(e) => set(i, { leadField: e.target.value })}>
                  <LeadFieldOptions fields={fields.data} current={r.leadField} />
                </select>
              </td>
              <td>
                <button type="button" className="ghost" aria-label={`Remove row ${i + 1}`} onClick={() => setRows(rows.filter((_, j) => j !== i))}>
                  <Trash2 aria-hidden size={14} />
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="page-actions">
        <button type="button" onClick={() => setRows([...rows, { crmField: fields.data?.crmFields[0]?.name ?? 'Id', leadField: fields.data?.leadFields[0]?.key ?? 'email' }])}>
          <Plus aria-hidden size={16} /> Add row
        </button>
        <button type="button" onClick={() => run.mutate()} disabled={run.isPending}>
          <Eye aria-hidden size={16} /> Preview
        </button>
        <button type="button" className="primary" onClick={() => save.mutate()} disabled={save.isPending}>
          <Save aria-hidden size={16} /> Save mapping
        </button>
      </div>
      <ErrorMessage error={error ?? fields.error} />
      {preview && <PreviewTable preview={preview} fields={fields.data} />}
    </section>
  );
}

const labelOf = (fields: CrmFields | undefined, name: string) => fields?.crmFields.find((f) => f.name === name)?.label;

function CrmFieldOptions({ fields, current }: { fields: CrmFields | undefined; current: string }) {
  const list = fields?.crmFields ?? [];
  return (
    <>
      {!list.some((f) => f.name === current) && <option value={current}>{current}</option>}
      {list.map((f) => (
        <option key={f.name} value={f.name}>
          {f.label} ({f.name}, {f.type})
        </option>
      ))}
    </>
  );
}

function LeadFieldOptions({ fields, current }: { fields: CrmFields | undefined; current: string }) {
  const list = fields?.leadFields ?? [];
  return (
    <>
      {!list.some((f) => f.key === current) && <option value={current}>{current}</option>}
      {list.map((f) => (
        <option key={f.key} value={f.key}>
          {f.label} ({f.key}, {f.type})
        </option>
      ))}
    </>
  );
}

const show = (v: unknown) => (v === undefined || v === null || v === '' ? '—' : typeof v === 'object' ? JSON.stringify(v) : String(v));

/** The preview: each record's lead, one column per mapped lead field (headed with the CRM field it comes from). */
function PreviewTable({ preview, fields }: { preview: MappingPreview; fields: CrmFields | undefined }) {
  if (preview.error) return <p className="mismatch">The CRM could not be read: {preview.error.message}</p>;
  if (preview.records.length === 0) return <p className="muted">No {preview.object} records in the CRM yet.</p>;
  const leadLabel = (key: string) => fields?.leadFields.find((f) => f.key === key)?.label ?? key;
  return (
    <div className="crm-preview" role="region" aria-label="Mapping preview">
      <h4>
        Preview: the {preview.records.length} latest {preview.object} records as leads
      </h4>
      <table>
        <thead>
          <tr>
            <th>Record</th>
            {preview.mapping.map((m) => (
              <th key={m.leadField} title={`${labelOf(fields, m.crmField) ?? m.crmField} (${m.crmField})`}>
                {leadLabel(m.leadField)}
                <div className="muted">from {m.crmField}</div>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {preview.records.map((r) => (
            <tr key={r.crmId}>
              <td>
                <code>{r.crmId}</code>
              </td>
              {preview.mapping.map((m) => (
                <td key={m.leadField}>
                  {show(r.lead[m.leadField])}
                  {r.dropped.includes(m.leadField) && <span className="mismatch"> (refused: {show(r.values[m.crmField])})</span>}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
