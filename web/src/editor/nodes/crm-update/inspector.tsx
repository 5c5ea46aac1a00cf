import type { CrmFieldWrite } from '@lead-router/shared';
import { useConfigProblems } from '../../inspector/config-problems';
import { FieldSelect } from '../../inspector/field-select';
import type { FormProps } from '../../inspector/form-props';
import { CheckField, ChoiceField, num, TextField } from '../../inspector/text-field';

const SOURCES = [
  { value: 'lead', label: 'Lead field' },
  { value: 'constant', label: 'Fixed value' },
] as const;

/** A fixed value: a number or true/false when it reads as one, else text; empty clears the CRM field. */
const parse = (v: string) => (v === '' ? null : v === 'true' ? true : v === 'false' ? false : Number.isFinite(Number(v)) ? Number(v) : v);

/** Owner, CRM fields and an optional task written back to the lead's CRM record. */
export function CrmUpdateForm({ config, onChange }: FormProps<'crm_update'>) {
  const problemAt = useConfigProblems();
  const rows: CrmFieldWrite[] = Array.isArray(config.fields) ? config.fields : [];
  const setRow = (i: number, row: CrmFieldWrite) => onChange({ ...config, fields: rows.map((x, j) => (j === i ? row : x)) });
  const task = config.task ?? null;
  return (
    <div>
      <TextField
        label="Connection id (empty: the one the lead came from)"
        value={config.connectionId ?? ''}
        onChange={(v) => onChange({ ...config, connectionId: v.trim() === '' ? null : v.trim() })}
        problem={problemAt('connectionId')}
      />
      <CheckField label="Write the rep as owner (their CRM user, linked by email)" checked={config.writeOwner !== false} onChange={(writeOwner) => onChange({ ...config, writeOwner })} />
      {rows.map((r, i) => (
        <fieldset key={i}>
          <legend>CRM field {i + 1}</legend>
          <TextField label={`CRM field ${i + 1} (API name)`} value={r.crmField} onChange={(crmField) => setRow(i, { ...r, crmField })} problem={problemAt(`fields.${i}.crmField`)} />
          <ChoiceField
            label={`Value ${i + 1} from`}
            value={r.source}
            choices={SOURCES}
            onChange={(source) => setRow(i, source === 'lead' ? { source, crmField: r.crmField, leadField: '' } : { source, crmField: r.crmField, value: '' })}
          />
          {r.source === 'lead' ? (
            <FieldSelect label={`Lead field ${i + 1}`} value={r.leadField} onChange={(leadField) => setRow(i, { ...r, leadField })} problem={problemAt(`fields.${i}.leadField`)} />
          ) : (
            <TextField label={`Value ${i + 1}`} value={r.value === null ? '' : String(r.value)} onChange={(v) => setRow(i, { ...r, value: parse(v) })} />
          )}
          <button type="button" onClick={() => onChange({ ...config, fields: rows.filter((_, j) => j !== i) })}>
            Remove field {i + 1}
          </button>
        </fieldset>
      ))}
      <button type="button" onClick={() => onChange({ ...config, fields: [...rows, { source: 'lead', crmField: '', leadField: '' }] })}>
        Add CRM field
      </button>
      <CheckField label="Create a task for the owner" checked={task !== null} onChange={(on) => onChange({ ...config, task: on ? { subject: 'Follow up on new lead', dueInDays: 1 } : null })} />
      {task && (
        <fieldset>
          <legend>Task</legend>
          <TextField label="Subject" value={task.subject} onChange={(subject) => onChange({ ...config, task: { ...task, subject } })} problem={problemAt('task.subject')} />
          <TextField label="Description" value={task.description ?? ''} onChange={(description) => onChange({ ...config, task: { ...task, description } })} />
          <TextField label="Due in (days)" type="number" min={0} max={365} value={task.dueInDays ?? ''} onChange={(v) => onChange({ ...config, task: { ...task, dueInDays: num(v) } })} problem={problemAt('task.dueInDays')} />
        </fieldset>
      )}
      {problemAt('writeOwner') && (
        <p className="error" role="note">
          {problemAt('writeOwner')}
        </p>
      )}
    </div>
  );
}
