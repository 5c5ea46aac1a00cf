import type { FieldDef } from '@lead-router/shared';
import { useId } from 'react';
import { FieldProblem } from './text-field';
import { useFieldCatalog } from './use-field-catalog';

/**
 * A labelled select of lead fields from the catalog (custom fields marked). A value not in the catalog stays
 * selectable, so opening a node never silently changes it; the compiler names it as unknown.
 */
export function FieldSelect({ label, value, onChange, problem }: { label: string; value: string; onChange: (key: string) => void; problem?: string | undefined }) {
  const id = useId();
  const fields = useFieldCatalog();
  const known = fields.some((f) => f.key === value);
  return (
    <div className="form-row">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)} aria-invalid={problem ? true : undefined} aria-describedby={problem ? `${id}-problem` : undefined}>
        {value === '' && <option value="">Choose…</option>}
        {!known && value !== '' && <option value={value}>{value} (not a lead field)</option>}
        <FieldOptions fields={fields} />
      </select>
      <FieldProblem id={`${id}-problem`} problem={problem} />
    </div>
  );
}

/** The catalog's fields as options of a select, custom fields marked. */
export function FieldOptions({ fields }: { fields: readonly FieldDef[] }) {
  return fields.map((f) => (
    <option key={f.key} value={f.key}>
      {f.label}
      {f.standard ? '' : ' (custom)'}
    </option>
  ));
}
