import { useId } from 'react';
import { FieldProblem } from './text-field';
import type { Option } from './use-directory-options';

/**
 * A labelled select of directory records by name (ids in each option's tooltip). With nothing chosen it asks
 * for one ("Choose a team"); `problem` (the compiler's message for this value) shows below it. A value not in
 * the list (a rep since removed, or the directory not loaded) stays selectable, so opening a node never
 * silently changes it.
 */
export function IdSelect({ label, value, options, onChange, problem }: { label: string; value: string | undefined; options: Option[]; onChange: (id: string) => void; problem?: string | undefined }) {
  const id = useId();
  const known = options.some((o) => o.id === value);
  return (
    <div className="form-row">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value ?? ''} onChange={(e) => onChange(e.target.value)} aria-invalid={problem ? true : undefined} aria-describedby={problem ? `${id}-problem` : undefined}>
        <option value="">Choose a {label.toLowerCase()}</option>
        {value && !known && <option value={value}>{value} (not in the directory)</option>}
        {options.map((o) => (
          <option key={o.id} value={o.id} title={o.id}>
            {o.name}
          </option>
        ))}
      </select>
      <FieldProblem id={`${id}-problem`} problem={problem} />
    </div>
  );
}
