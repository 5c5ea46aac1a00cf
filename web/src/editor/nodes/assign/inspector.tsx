import { ASSIGN_STRATEGIES, type AssignStrategy, type AssignStrategyType } from '@lead-router/shared';
import { useConfigProblems } from '../../inspector/config-problems';
import type { FormProps } from '../../inspector/form-props';
import { IdSelect } from '../../inspector/id-select';
import { CheckField, ChoiceField, TextField } from '../../inspector/text-field';
import { useDirectoryOptions } from '../../inspector/use-directory-options';
import { FairnessFields } from './fairness-fields';

function strategyOf(type: AssignStrategyType, prev: AssignStrategy | undefined): AssignStrategy {
  const teamId = prev && 'teamId' in prev ? prev.teamId : '';
  switch (type) {
    case 'round_robin':
    case 'weighted_round_robin':
    case 'load_balanced':
      return { type, teamId };
    case 'territory':
      return { type };
    case 'account_owner':
      return { type };
    case 'specific_rep':
      return { type, repId: '' };
    case 'queue':
      return { type, queueId: '' };
  }
}

/** Strategy, its team/rep/queue from the directory, and who is eligible. Weights live on the reps (directory). */
export function AssignForm({ config, onChange }: FormProps<'assign'>) {
  const dir = useDirectoryOptions();
  const problemAt = useConfigProblems();
  const s = config.strategy ?? { type: 'round_robin', teamId: '' };
  const el = config.eligibility ?? { skills: [], respectCapacity: true, respectWorkingHours: true, respectOutOfOffice: true };
  return (
    <div>
      <ChoiceField label="Strategy" value={s.type} choices={ASSIGN_STRATEGIES} onChange={(t) => onChange({ ...config, strategy: strategyOf(t, s) })} />
      {'teamId' in s && <IdSelect label="Team" value={s.teamId} options={dir.teams} problem={problemAt('strategy.teamId')} onChange={(teamId) => onChange({ ...config, strategy: { ...s, teamId } })} />}
      {s.type === 'specific_rep' && <IdSelect label="Rep" value={s.repId} options={dir.reps} problem={problemAt('strategy.repId')} onChange={(repId) => onChange({ ...config, strategy: { ...s, repId } })} />}
      {s.type === 'queue' && <IdSelect label="Queue" value={s.queueId} options={dir.queues} problem={problemAt('strategy.queueId')} onChange={(queueId) => onChange({ ...config, strategy: { ...s, queueId } })} />}
      {s.type === 'weighted_round_robin' && <p className="hint">Each rep's weight is set on the rep in the directory.</p>}
      <fieldset>
        <legend>Eligibility</legend>
        <TextField
          label="Required skills (comma-separated)"
          value={el.skills.join(', ')}
          onChange={(v) => onChange({ ...config, eligibility: { ...el, skills: v.split(',').map((x) => x.trim()).filter(Boolean) } })}
        />
        <CheckField label="Respect capacity caps" checked={el.respectCapacity} onChange={(respectCapacity) => onChange({ ...config, eligibility: { ...el, respectCapacity } })} />
        <CheckField label="Respect working hours" checked={el.respectWorkingHours} onChange={(respectWorkingHours) => onChange({ ...config, eligibility: { ...el, respectWorkingHours } })} />
        <CheckField label="Respect out of office" checked={el.respectOutOfOffice} onChange={(respectOutOfOffice) => onChange({ ...config, eligibility: { ...el, respectOutOfOffice } })} />
        <CheckField label="Respect online/offline" checked={el.respectAvailability ?? true} onChange={(respectAvailability) => onChange({ ...config, eligibility: { ...el, respectAvailability } })} />
      </fieldset>
      <FairnessFields config={{ ...config, strategy: s }} onChange={onChange} />
      <CheckField label="Skip reps this lead already had" checked={config.excludePreviousAssignees ?? true} onChange={(excludePreviousAssignees) => onChange({ ...config, excludePreviousAssignees })} />
    </div>
  );
}
