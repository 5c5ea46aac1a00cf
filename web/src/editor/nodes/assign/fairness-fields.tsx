import { DEFAULT_FAIRNESS, FAIR_STRATEGIES, type AssignConfig, type FairnessMode, type ResetWindow } from '@lead-router/shared';
import { useConfigProblems } from '../../inspector/config-problems';
import { CheckField, ChoiceField, num, TextField } from '../../inspector/text-field';

const MODES: readonly { value: FairnessMode; label: string }[] = [
  { value: 'strict', label: 'Strict: a rep passed over loses the turn' },
  { value: 'balanced', label: 'Balanced: reps who were away or capped catch up' },
];

const WINDOWS: readonly { value: ResetWindow; label: string }[] = [
  { value: 'never', label: 'Never' },
  { value: 'daily', label: 'Every day at midnight' },
  { value: 'weekly', label: 'Every Monday at midnight' },
  { value: 'monthly', label: 'On the 1st of every month' },
];

/** The assign step's fairness (issue #16): mode, catch-up limit, reset window, credit-back. Rotating strategies only. */
export function FairnessFields({ config, onChange }: { config: AssignConfig; onChange: (c: AssignConfig) => void }) {
  const problemAt = useConfigProblems();
  if (!FAIR_STRATEGIES.includes(config.strategy.type)) return null;
  const f = { ...DEFAULT_FAIRNESS, ...(config.fairness ?? {}) };
  const set = (patch: Partial<typeof f>) => onChange({ ...config, fairness: { ...f, ...patch } });
  const balanced = f.mode === 'balanced';
  return (
    <fieldset>
      <legend>Fairness</legend>
      <ChoiceField label="Fairness mode" value={f.mode} choices={MODES} onChange={(mode) => set({ mode })} />
      {balanced && (
        <TextField
          label="Most leads in a row while catching up"
          type="number"
          min={1}
          max={20}
          step={1}
          value={f.maxInARow}
          problem={problemAt('fairness.maxInARow')}
          onChange={(v) => set({ maxInARow: num(v) })}
        />
      )}
      <ChoiceField label="Start everyone level again" value={f.resetWindow} choices={WINDOWS} onChange={(resetWindow) => set({ resetWindow })} />
      {balanced && (
        <CheckField
          label="Credit back leads that are re-assigned, escalated, or closed as disqualified, not a fit or duplicate"
          checked={f.creditBack}
          onChange={(creditBack) => set({ creditBack })}
        />
      )}
      <p className="hint">
        {balanced
          ? "Each rep gets their weight's share of this pool's leads; a rep who falls behind while away or at a cap catches up, a few in a row at most. New reps start level with the others."
          : 'Leads go round in turn; a rep who is away or at a cap simply misses the turn.'}{' '}
        {f.resetWindow !== 'never' && "Windows follow the workspace's time zone (Settings)."}
      </p>
    </fieldset>
  );
}
