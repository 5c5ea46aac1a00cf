import { useId } from 'react';

/** The problem under a control, tied to it by `aria-describedby`. */
export function FieldProblem({ id, problem }: { id: string; problem: string | undefined }) {
  return problem ? (
    <span id={id} className="error" role="note">
      {problem}
    </span>
  ) : null;
}

/** A labelled input; `problem` (the compiler's message for this value) marks it invalid and shows below it. */
export function TextField({
  label,
  value,
  onChange,
  type = 'text',
  problem,
  ...rest
}: {
  label: string;
  value: string | number;
  onChange: (v: string) => void;
  type?: string;
  min?: number;
  max?: number;
  step?: number;
  placeholder?: string;
  problem?: string | undefined;
}) {
  const id = useId();
  return (
    <div className="form-row">
      <label htmlFor={id}>{label}</label>
      <input id={id} type={type} value={value} onChange={(e) => onChange(e.target.value)} aria-invalid={problem ? true : undefined} aria-describedby={problem ? `${id}-problem` : undefined} {...rest} />
      <FieldProblem id={`${id}-problem`} problem={problem} />
    </div>
  );
}

/** A labelled select of fixed choices. */
export function ChoiceField<T extends string>({ label, value, choices, onChange }: { label: string; value: T; choices: readonly T[] | readonly { value: T; label: string }[]; onChange: (v: T) => void }) {
  const id = useId();
  return (
    <div className="form-row">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value as T)}>
        {choices.map((c) => {
          const o = typeof c === 'string' ? { value: c, label: c.replace(/_/g, ' ') } : c;
          return (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          );
        })}
      </select>
    </div>
  );
}

/** A labelled checkbox. */
export function CheckField({ label, checked, onChange }: { label: string; checked: boolean; onChange: (v: boolean) => void }) {
  const id = useId();
  return (
    <div className="form-row" style={{ display: 'flex', gap: '0.4rem' }}>
      <input id={id} type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} />
      <label htmlFor={id}>{label}</label>
    </div>
  );
}

/** A number from an input: the number when it is one, else the raw text for the compiler to flag. */
export function num(v: string): number {
  return v.trim() === '' ? (v as unknown as number) : Number(v);
}
