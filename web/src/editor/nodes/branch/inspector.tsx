import type { BranchConfig } from '@lead-router/shared';
import { ConditionBuilder } from '../../inspector/condition-builder';
import type { FormProps } from '../../inspector/form-props';
import { TextField } from '../../inspector/text-field';

function nextCaseId(cases: BranchConfig['cases']): string {
  const ids = new Set(cases.map((c) => c.id));
  for (let i = cases.length + 1; ; i++) if (!ids.has(`case-${i}`)) return `case-${i}`;
}

/** Ordered cases, each a condition group; first match wins, the rest go to else. */
export function BranchForm({ config, onChange }: FormProps<'branch'>) {
  const cases = Array.isArray(config.cases) ? config.cases : [];
  const setCase = (i: number, c: BranchConfig['cases'][number]) => onChange({ ...config, cases: cases.map((x, j) => (j === i ? c : x)) });
  return (
    <div>
      {cases.map((c, i) => (
        <fieldset key={c.id} aria-label={`Case ${i + 1}`}>
          <legend>Case {i + 1}</legend>
          <TextField label={`Case ${i + 1} name`} value={c.label} onChange={(label) => setCase(i, { ...c, label })} />
          <ConditionBuilder label={`Conditions of ${c.label || `case ${i + 1}`}`} group={c.condition ?? { match: 'all', conditions: [] }} onChange={(condition) => setCase(i, { ...c, condition })} />
          <button type="button" disabled={i === 0} onClick={() => onChange({ ...config, cases: [...cases.slice(0, i - 1), c, cases[i - 1] as typeof c, ...cases.slice(i + 1)] })}>
            Move up
          </button>
          <button type="button" onClick={() => onChange({ ...config, cases: cases.filter((_, j) => j !== i) })}>
            Remove case {i + 1}
          </button>
        </fieldset>
      ))}
      <button type="button" onClick={() => onChange({ ...config, cases: [...cases, { id: nextCaseId(cases), label: `Case ${cases.length + 1}`, condition: { match: 'all', conditions: [] } }] })}>
        Add case
      </button>
      <TextField label="Else name" value={config.elseLabel ?? 'Else'} onChange={(elseLabel) => onChange({ ...config, elseLabel })} />
    </div>
  );
}
