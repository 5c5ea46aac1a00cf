import { DEFAULT_REMINDER_MESSAGE, DURATION_UNITS, type WaitConfig } from '@lead-router/shared';
import type { FormProps } from '../../inspector/form-props';
import { ChoiceField, num, TextField } from '../../inspector/text-field';

const CLOCKS = [
  { value: 'calendar', label: 'Calendar time (every minute)' },
  { value: 'business', label: "Assignee's working hours" },
] as const;

/** `50, 80` as percents; what is not a number is kept for the compiler to name. */
function parsePercents(text: string): number[] {
  return text
    .split(/[,\s]+/)
    .filter((p) => p !== '')
    .map((p) => Number(p.replace('%', '')));
}

/** What ends the wait, the SLA and how it counts, and the reminders before it runs out (issue #16). */
export function WaitForm({ config, onChange }: FormProps<'wait'>) {
  const t = config.timeout ?? { amount: 15, unit: 'minutes' };
  const reminders = config.reminders ?? null;
  const setReminders = (r: WaitConfig['reminders']) => {
    const { reminders: _old, ...rest } = config;
    onChange(r ? { ...rest, reminders: r } : rest);
  };
  return (
    <div>
      <ChoiceField label="Wait until the rep has" value={config.until} choices={['accepted', 'contacted'] as const} onChange={(until) => onChange({ ...config, until })} />
      <TextField label="SLA amount" type="number" min={0} value={t.amount} onChange={(v) => onChange({ ...config, timeout: { ...t, amount: num(v) } })} />
      <ChoiceField label="SLA unit" value={t.unit} choices={DURATION_UNITS} onChange={(unit) => onChange({ ...config, timeout: { ...t, unit } })} />
      <ChoiceField label="SLA counts" value={config.clock ?? 'calendar'} choices={CLOCKS} onChange={(clock) => onChange({ ...config, clock })} />
      <TextField
        label="Remind at (% of the SLA)"
        value={reminders ? reminders.atPercent.join(', ') : ''}
        placeholder="e.g. 50, 80"
        onChange={(v) => {
          const atPercent = parsePercents(v);
          setReminders(atPercent.length === 0 ? null : { atPercent, notify: reminders?.notify ?? { channel: 'in_app', recipient: { type: 'assignee' }, message: DEFAULT_REMINDER_MESSAGE } });
        }}
      />
      {reminders ? (
        <TextField label="Reminder message (in-app to the assignee)" value={reminders.notify.message} onChange={(message) => setReminders({ ...reminders, notify: { ...reminders.notify, message } })} />
      ) : null}
    </div>
  );
}
