import { useId } from 'react';
import type { Option } from './use-directory-options';

/**
 * A labelled select of directory ids. A value not in the list (a rep since removed, or the directory not loaded)
 * stays selectable, so opening a node never silently changes it.
 */
export function IdSelect({ label, value, options, onChange }: { label: string; value: string | undefined; options: Option[]; onChange: (id: string) => void }) {
  const id = useId();
  const known = options.some((o) => o.id === value);
  return (
    <div className="form-row">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value ?? ''} onChange={(e) => onChange(e.target.value)}>
        <option value="">Choose…</option>
        {value && !known && <option value={value}>{value} (not in the directory)</option>}
        {options.map((o) => (
          <option key={o.id} value={o.id}>
            {o.name} ({o.id})
          </option>
        ))}
      </select>
    </div>
  );
}
