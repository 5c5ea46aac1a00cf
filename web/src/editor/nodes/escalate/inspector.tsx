import { useConfigProblems } from '../../inspector/config-problems';
import type { FormProps } from '../../inspector/form-props';
import { IdSelect } from '../../inspector/id-select';
import { ChoiceField } from '../../inspector/text-field';
import { useDirectoryOptions } from '../../inspector/use-directory-options';

/** Where an escalation goes. */
export function EscalateForm({ config, onChange }: FormProps<'escalate'>) {
  const dir = useDirectoryOptions();
  const problemAt = useConfigProblems();
  return (
    <div>
      <ChoiceField
        label="Escalate to"
        value={config.to}
        choices={['next_rep', 'manager', 'queue'] as const}
        onChange={(to) => onChange(to === 'queue' ? { to, queueId: '' } : { to })}
      />
      {config.to === 'queue' && <IdSelect label="Queue" value={config.queueId} options={dir.queues} problem={problemAt('queueId')} onChange={(queueId) => onChange({ to: 'queue', queueId })} />}
    </div>
  );
}
