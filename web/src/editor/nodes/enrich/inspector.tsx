import type { EnrichConfig } from '@lead-router/shared';
import { useRef } from 'react';
import { useConfigProblems } from '../../inspector/config-problems';
import { FieldSelect } from '../../inspector/field-select';
import type { FormProps } from '../../inspector/form-props';
import { removeItem, setItem } from '../../inspector/list-ops';
import { CheckField, ChoiceField } from '../../inspector/text-field';
import { useFieldCatalog } from '../../inspector/use-field-catalog';
import { HttpSettingsForm, type HttpSettings } from './http-settings';

const PROVIDERS = [
  { value: 'firmographics', label: 'Workspace firmographics table' },
  { value: 'http', label: 'HTTP provider' },
] as const;

/** HTTP settings to start from: each field to fill read from the response property of the same name. */
export function defaultHttp(fields: readonly string[]): HttpSettings {
  return { urlTemplate: '', headers: {}, timeoutMs: 5000, mapping: Object.fromEntries(fields.map((f) => [f, f])) };
}

/**
 * The provider (the firmographics table, or an HTTP API with its settings), the fields to fill and whether to
 * overwrite values the lead has. HTTP settings are dropped from the config when the firmographics table is
 * chosen (an unfinished URL would otherwise stay an error) but kept here, so switching back restores them.
 */
export function EnrichForm({ config, onChange }: FormProps<'enrich'>) {
  const problemAt = useConfigProblems();
  const catalog = useFieldCatalog();
  const fields: string[] = Array.isArray(config.fields) ? config.fields : [];
  const lastHttp = useRef<HttpSettings | undefined>(config.http);
  const provider = config.provider === 'http' ? 'http' : 'firmographics';
  const setProvider = (p: EnrichConfig['provider']) => {
    if (p === 'http') onChange({ ...config, provider: 'http', http: config.http ?? lastHttp.current ?? defaultHttp(fields) });
    else {
      if (config.http) lastHttp.current = config.http;
      const { http: _dropped, ...rest } = config;
      onChange({ ...rest, provider: 'firmographics' });
    }
  };
  const nextField = catalog.find((f) => !fields.includes(f.key))?.key ?? '';
  return (
    <div>
      <ChoiceField label="Provider" value={provider} choices={PROVIDERS} onChange={setProvider} />
      <fieldset aria-label="Fields to fill">
        <legend>Fields to fill</legend>
        {fields.map((f, i) => (
          <div key={i} className="record-row">
            <FieldSelect label={`Field to fill ${i + 1}`} value={f} problem={problemAt(`fields.${i}`)} onChange={(key) => onChange({ ...config, fields: setItem(fields, i, key) })} />
            <button type="button" onClick={() => onChange({ ...config, fields: removeItem(fields, i) })}>
              Remove field {i + 1}
            </button>
          </div>
        ))}
        {problemAt('fields') && fields.length === 0 && <span className="error">{problemAt('fields')}</span>}
        <button type="button" disabled={nextField === ''} onClick={() => onChange({ ...config, fields: [...fields, nextField] })}>
          Add field to fill
        </button>
      </fieldset>
      <CheckField label="Overwrite values the lead already has" checked={config.overwrite ?? false} onChange={(overwrite) => onChange({ ...config, overwrite })} />
      {provider === 'http' && <HttpSettingsForm http={config.http ?? defaultHttp(fields)} fields={fields} problemAt={problemAt} onChange={(http) => onChange({ ...config, http })} />}
      {provider === 'http' && !config.http && problemAt('http') && <span className="error">{problemAt('http')}</span>}
    </div>
  );
}
