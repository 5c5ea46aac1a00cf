import type { ScoreRule } from '@lead-router/shared';
import { ConditionBuilder } from '../../inspector/condition-builder';
import { ChoiceField, num, TextField } from '../../inspector/text-field';

const CATEGORIES = [
  { value: 'fit', label: 'Fit (who they are)' },
  { value: 'intent', label: 'Intent (what they did)' },
] as const;

/** One scoring rule: its name, fit or intent, the condition and the points it adds (negative subtracts). */
export function RuleEditor({
  rule,
  index,
  count,
  problemAt,
  onChange,
  onMove,
  onRemove,
}: {
  rule: ScoreRule;
  index: number;
  count: number;
  problemAt: (path: string) => string | undefined;
  onChange: (rule: ScoreRule) => void;
  onMove: (to: number) => void;
  onRemove: () => void;
}) {
  const n = index + 1;
  const name = rule.label ? `${rule.label} (rule ${n})` : `Rule ${n}`;
  return (
    <fieldset aria-label={name} data-testid={`score-rule-${n}`}>
      <legend>{name}</legend>
      <TextField label={`Rule ${n} name`} value={rule.label ?? ''} problem={problemAt('label')} onChange={(label) => onChange({ ...rule, label: label === '' ? undefined : label } as ScoreRule)} />
      <ChoiceField label={`Rule ${n} counts towards`} value={rule.category ?? 'fit'} choices={CATEGORIES} onChange={(category) => onChange({ ...rule, category })} />
      <ConditionBuilder label={`When (rule ${n})`} group={rule.condition ?? { match: 'all', conditions: [] }} onChange={(condition) => onChange({ ...rule, condition })} />
      {problemAt('condition') && <span className="error">{problemAt('condition')}</span>}
      <TextField label={`Rule ${n} points`} type="number" min={-1000} max={1000} step={1} value={typeof rule.points === 'number' ? rule.points : String(rule.points ?? '')} problem={problemAt('points')} onChange={(v) => onChange({ ...rule, points: num(v) })} />
      <button type="button" disabled={index === 0} onClick={() => onMove(index - 1)} aria-label={`Move rule ${n} up`}>
        Move up
      </button>
      <button type="button" disabled={index === count - 1} onClick={() => onMove(index + 1)} aria-label={`Move rule ${n} down`}>
        Move down
      </button>
      <button type="button" onClick={onRemove}>
        Remove rule {n}
      </button>
    </fieldset>
  );
}
