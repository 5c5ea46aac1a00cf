import type { EnrichConfig } from '@lead-router/shared';
import { FieldSelect } from '../../inspector/field-select';
import { RecordRows } from '../../inspector/record-rows';
import { num, TextField } from '../../inspector/text-field';

export type HttpSettings = NonNullable<EnrichConfig['http']>;

/** The HTTP provider: URL template with {{field}} placeholders, headers, timeout, response path per lead field. */
export function HttpSettingsForm({ http, fields, problemAt, onChange }: { http: HttpSettings; fields: readonly string[]; problemAt: (path: string) => string | undefined; onChange: (http: HttpSettings) => void }) {
  return (
    <fieldset aria-label="HTTP provider">
      <legend>HTTP provider</legend>
      <TextField
        label="URL template"
        placeholder="https://enrich.example.com/companies?domain={{domain}}"
        value={http.urlTemplate ?? ''}
        problem={problemAt('http.urlTemplate')}
        onChange={(urlTemplate) => onChange({ ...http, urlTemplate })}
      />
      <p className="hint">{'{{field}}'} is replaced by the lead's value, URL-encoded. The call is a GET that expects JSON.</p>
      <TextField
        label="Timeout (ms)"
        type="number"
        min={100}
        max={30000}
        step={100}
        value={typeof http.timeoutMs === 'number' ? http.timeoutMs : String(http.timeoutMs ?? '')}
        problem={problemAt('http.timeoutMs')}
        onChange={(v) => onChange({ ...http, timeoutMs: num(v) })}
      />
      <RecordRows
        legend="Headers"
        rowName="header"
        record={http.headers}
        addLabel="Add header"
        newRow={() => ({ key: '', value: '' })}
        onChange={(headers) => onChange({ ...http, headers })}
        renderRow={(row, i, set) => (
          <>
            <TextField label={`Header ${i + 1} name`} value={row.key} onChange={(key) => set({ ...row, key })} />
            <TextField label={`Header ${i + 1} value`} value={row.value} problem={problemAt(`http.headers.${row.key}`)} onChange={(value) => set({ ...row, value })} />
          </>
        )}
      />
      <p className="hint">Write an API key or token as {'{{secret.NAME}}'} (Settings, Secrets), in a header or the URL: it is filled in only when the call is made.</p>
      <p className="hint">Each mapping reads a dotted path of the JSON answer (data.company.size, items.0.name) into a lead field.</p>
      <RecordRows
        legend="Response mapping"
        rowName="mapping"
        record={http.mapping}
        addLabel="Add mapping"
        newRow={(rows) => {
          const key = fields.find((f) => !rows.some((r) => r.key === f)) ?? '';
          return { key, value: key };
        }}
        onChange={(mapping) => onChange({ ...http, mapping })}
        renderRow={(row, i, set) => (
          <>
            <FieldSelect label={`Mapping ${i + 1} lead field`} value={row.key} problem={problemAt(`http.mapping.${row.key}`)} onChange={(key) => set({ ...row, key })} />
            <TextField label={`Mapping ${i + 1} response path`} placeholder="data.company.employees" value={row.value} onChange={(value) => set({ ...row, value })} />
          </>
        )}
      />
    </fieldset>
  );
}
