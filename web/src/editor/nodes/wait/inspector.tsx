import { DURATION_UNITS } from '@lead-router/shared';
import type { FormProps } from '../../inspector/form-props';
import { ChoiceField, num, TextField } from '../../inspector/text-field';

/** What ends the wait, and the SLA. */
export function WaitForm({ config, onChange }: FormProps<'wait'>) {
  const t = config.timeout ?? { amount: 15, unit: 'minutes' };
  return (
    <div>
      <ChoiceField label="Wait until the rep has" value={config.until} choices={['accepted', 'contacted'] as const} onChange={(until) => onChange({ ...config, until })} />
      <TextField label="SLA amount" type="number" min={0} value={t.amount} onChange={(v) => onChange({ ...config, timeout: { ...t, amount: num(v) } })} />
      <ChoiceField label="SLA unit" value={t.unit} choices={DURATION_UNITS} onChange={(unit) => onChange({ ...config, timeout: { ...t, unit } })} />
    </div>
  );
}
