import { isGroup, OPERATOR_SPECS, operatorsFor, type Clause, type ConditionGroup, type ConditionValue, type FieldDef, type Operator } from '@lead-router/shared';
import { useId } from 'react';
import { FieldOptions } from './field-select';
import { useDirectoryOptions, type Option } from './use-directory-options';
import { useFieldCatalog } from './use-field-catalog';

/** Turns what the author typed into the value type the field wants; empty stays empty for the compiler to flag. */
function typed(raw: string, type: FieldDef['type']): string | number | boolean {
  if (type === 'number' && raw.trim() !== '' && Number.isFinite(Number(raw))) return Number(raw);
  if (type === 'boolean') return raw === 'true';
  return raw;
}

function ValueInput({ clause, field, onChange, territories }: { clause: Clause; field: FieldDef | undefined; onChange: (v: ConditionValue | undefined) => void; territories: Option[] }) {
  const id = useId();
  const operand = OPERATOR_SPECS[clause.operator]?.operand ?? 'scalar';
  const type = field?.type ?? 'text';
  if (operand === 'none') return <span />;
  if (operand === 'list' || operand === 'range') {
    const list = Array.isArray(clause.value) ? clause.value : [];
    return (
      <label htmlFor={id}>
        {operand === 'range' ? 'Low, high' : 'Values (comma-separated)'}
        <input id={id} value={list.join(', ')} onChange={(e) => onChange(e.target.value.split(',').map((s) => typed(s.trim(), type)).filter((s) => s !== ''))} />
      </label>
    );
  }
  if (operand === 'territory') {
    return (
      <label htmlFor={id}>
        Territory
        <select id={id} value={String(clause.value ?? '')} onChange={(e) => onChange(e.target.value)}>
          <option value="">Choose…</option>
          {territories.map((t) => (
            <option key={t.id} value={t.id}>
              {t.name}
            </option>
          ))}
        </select>
      </label>
    );
  }
  const value = clause.value === undefined || clause.value === null || Array.isArray(clause.value) ? '' : String(clause.value);
  if (type === 'boolean' || (type === 'picklist' && field?.options)) {
    const options = type === 'boolean' ? ['true', 'false'] : (field?.options ?? []);
    return (
      <label htmlFor={id}>
        Value
        <select id={id} value={value} onChange={(e) => onChange(typed(e.target.value, type))}>
          <option value="">Choose…</option>
          {options.map((o) => (
            <option key={o}>{o}</option>
          ))}
        </select>
      </label>
    );
  }
  return (
    <label htmlFor={id}>
      Value
      <input id={id} type={type === 'number' ? 'number' : type === 'date' ? 'date' : 'text'} value={value} onChange={(e) => onChange(typed(e.target.value, type))} />
    </label>
  );
}

function ClauseRow({ clause, fields, onChange, onRemove, territories }: { clause: Clause; fields: readonly FieldDef[]; onChange: (c: Clause) => void; onRemove: () => void; territories: Option[] }) {
  const fieldId = useId();
  const opId = useId();
  const field = fields.find((f) => f.key === clause.field);
  const ops: Operator[] = field ? operatorsFor(field.type) : [clause.operator];
  return (
    <div className="clause" data-testid="clause">
      <label htmlFor={fieldId}>
        Field
        <select
          id={fieldId}
          value={clause.field}
          onChange={(e) => {
            const next = fields.find((f) => f.key === e.target.value);
            const nextOps = next ? operatorsFor(next.type) : [];
            // Keep the operator when the new field's type allows it; else the first one it does.
            const operator = nextOps.includes(clause.operator) ? clause.operator : (nextOps[0] ?? clause.operator);
            onChange({ field: e.target.value, operator, value: undefined });
          }}
        >
          {!field && <option value={clause.field}>{clause.field || 'Choose…'}</option>}
          <FieldOptions fields={fields} />
        </select>
      </label>
      <label htmlFor={opId}>
        Operator
        <select id={opId} value={clause.operator} onChange={(e) => onChange({ ...clause, operator: e.target.value as Operator })}>
          {ops.map((op) => (
            <option key={op} value={op}>
              {OPERATOR_SPECS[op].label}
            </option>
          ))}
        </select>
      </label>
      <ValueInput clause={clause} field={field} territories={territories} onChange={(value) => onChange(value === undefined ? { field: clause.field, operator: clause.operator } : { ...clause, value })} />
      <button type="button" onClick={onRemove} aria-label={`Remove condition on ${field?.label ?? clause.field}`}>
        ✕
      </button>
    </div>
  );
}

/** An all/any group of conditions over the field catalog (custom fields included), nested groups allowed. */
export function ConditionBuilder({ group, onChange, label, depth = 0 }: { group: ConditionGroup; onChange: (g: ConditionGroup) => void; label: string; depth?: number }) {
  const fields = useFieldCatalog();
  const { territories } = useDirectoryOptions();
  const matchId = useId();
  const setItem = (i: number, item: Clause | ConditionGroup) => onChange({ ...group, conditions: group.conditions.map((c, j) => (j === i ? item : c)) });
  const remove = (i: number) => onChange({ ...group, conditions: group.conditions.filter((_, j) => j !== i) });
  const first = fields.find((f) => f.key === 'employees') ?? fields[0];
  return (
    <fieldset aria-label={label}>
      <legend>{label}</legend>
      <label htmlFor={matchId}>
        Match
        <select id={matchId} value={group.match} onChange={(e) => onChange({ ...group, match: e.target.value as 'all' | 'any' })}>
          <option value="all">all of these</option>
          <option value="any">any of these</option>
        </select>
      </label>
      {group.conditions.map((c, i) =>
        isGroup(c) ? (
          <div key={i}>
            <ConditionBuilder group={c} label={`Group ${i + 1}`} depth={depth + 1} onChange={(g) => setItem(i, g)} />
            <button type="button" onClick={() => remove(i)}>
              Remove group {i + 1}
            </button>
          </div>
        ) : (
          <ClauseRow key={i} clause={c} fields={fields} territories={territories} onChange={(x) => setItem(i, x)} onRemove={() => remove(i)} />
        ),
      )}
      <button type="button" onClick={() => onChange({ ...group, conditions: [...group.conditions, { field: first?.key ?? 'employees', operator: first ? (operatorsFor(first.type)[0] ?? 'equals') : 'gt' }] })}>
        Add condition
      </button>
      {depth < 3 && (
        <button type="button" onClick={() => onChange({ ...group, conditions: [...group.conditions, { match: 'any', conditions: [] }] })}>
          Add group
        </button>
      )}
    </fieldset>
  );
}
