import type { FormProps } from '../../inspector/form-props';
import { TextField } from '../../inspector/text-field';

/** Field assignments; the value is text unless it reads as a number or true/false. */
export function UpdateForm({ config, onChange }: FormProps<'update'>) {
  const rows = Array.isArray(config.set) ? config.set : [];
  const parse = (v: string) => (v === 'true' ? true : v === 'false' ? false : v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : v);
  const set = (i: number, row: (typeof rows)[number]) => onChange({ ...config, set: rows.map((x, j) => (j === i ? row : x)) });
  return (
    <div>
      {rows.map((r, i) => (
        <fieldset key={i}>
          <legend>Set {i + 1}</legend>
          <TextField label={`Field ${i + 1}`} value={r.field} onChange={(field) => set(i, { ...r, field })} />
          <TextField label={`Value ${i + 1}`} value={r.value === null ? '' : String(r.value)} onChange={(v) => set(i, { ...r, value: parse(v) })} />
          <button type="button" onClick={() => onChange({ ...config, set: rows.filter((_, j) => j !== i) })}>
            Remove {i + 1}
          </button>
        </fieldset>
      ))}
      <button type="button" onClick={() => onChange({ ...config, set: [...rows, { field: '', value: '' }] })}>
        Add field
      </button>
    </div>
  );
}
