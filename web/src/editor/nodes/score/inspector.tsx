import type { ScoreConfig, ScoreRule } from '@lead-router/shared';
import { useConfigProblems } from '../../inspector/config-problems';
import type { FormProps } from '../../inspector/form-props';
import { moveItem, nextLocalId, removeItem, setItem } from '../../inspector/list-ops';
import { GradesForm } from './grades-form';
import { RuleEditor } from './rule-editor';

/** A new rule: an empty condition (the compiler asks for one) worth 10 fit points. */
export function newScoreRule(rules: readonly ScoreRule[]): ScoreRule {
  return { id: nextLocalId(rules.map((r) => r.id), 'rule'), category: 'fit', condition: { match: 'all', conditions: [] }, points: 10 };
}

/** Scoring rules (condition + points, fit or intent, in order) and the grade thresholds. */
export function ScoreForm({ config, onChange }: FormProps<'score'>) {
  const problemAt = useConfigProblems();
  const rules: ScoreRule[] = Array.isArray(config.rules) ? config.rules : [];
  const grades: ScoreConfig['grades'] = Array.isArray(config.grades) ? config.grades : [];
  const setRules = (next: ScoreRule[]) => onChange({ ...config, rules: next });
  return (
    <div>
      <h3 style={{ fontSize: '0.9rem', margin: '0.4rem 0' }}>Rules</h3>
      {rules.length === 0 && <p className="hint">No rules yet: every lead scores 0. Add a rule to give points when a lead matches its conditions.</p>}
      {rules.map((rule, i) => (
        <RuleEditor
          key={rule.id}
          rule={rule}
          index={i}
          count={rules.length}
          problemAt={(p) => problemAt(`rules.${i}.${p}`)}
          onChange={(r) => setRules(setItem(rules, i, r))}
          onMove={(to) => setRules(moveItem(rules, i, to))}
          onRemove={() => setRules(removeItem(rules, i))}
        />
      ))}
      <button type="button" onClick={() => setRules([...rules, newScoreRule(rules)])}>
        Add rule
      </button>
      <GradesForm grades={grades} problemAt={(p) => problemAt(`grades.${p}`)} onChange={(g) => onChange({ ...config, grades: g })} />
    </div>
  );
}
