import { FUZZY_THRESHOLD_DEFAULT, type MatchMethod } from '@lead-router/shared';
import { useConfigProblems } from '../../inspector/config-problems';
import type { FormProps } from '../../inspector/form-props';
import { CheckField, ChoiceField, num, TextField } from '../../inspector/text-field';
import { METHOD_LABELS, methodEarlier, methodRows, TIE_BREAK_CHOICES, tieBreakersOf, tieBreakValue, toggleMethod } from './methods';

const DUPLICATE_DAYS_DEFAULT = 30;

/**
 * Which matching methods to use and in which order (an account found by an earlier one ranks first), fuzzy
 * company names, how ties are broken, and whether repeat leads go to the rep who has the earlier one.
 */
export function MatchAccountForm({ config, onChange }: FormProps<'match_account'>) {
  const problemAt = useConfigProblems();
  const by: MatchMethod[] = Array.isArray(config.by) ? config.by : [];
  const problem = problemAt('by');
  const fuzzyOn = config.fuzzyThreshold !== undefined && config.fuzzyThreshold !== null;
  const dupOn = config.duplicateWithinDays !== undefined && config.duplicateWithinDays !== null;
  return (
    <>
      <fieldset aria-label="Match by" aria-invalid={problem ? true : undefined}>
        <legend>Match by (an account found by an earlier method wins)</legend>
        {methodRows(by).map(({ method, on }) => {
          const place = by.indexOf(method);
          return (
            <div key={method} className="record-row" data-testid={`match-method-${method}`}>
              <CheckField label={`${on ? `${place + 1}. ` : ''}${METHOD_LABELS[method]}`} checked={on} onChange={(v) => onChange({ ...config, by: toggleMethod(by, method, v) })} />
              {on && (
                <button type="button" disabled={place === 0} aria-label={`Try ${method.replace(/_/g, ' ')} earlier`} onClick={() => onChange({ ...config, by: methodEarlier(by, method) })}>
                  Move up
                </button>
              )}
            </div>
          );
        })}
        {problem && <span className="error">{problem}</span>}
      </fieldset>
      <fieldset aria-label="Similar company names" style={{ minWidth: 0 }}>
        <legend>Similar company names</legend>
        <CheckField
          label="Also match similar company names (typos, spacing)"
          checked={fuzzyOn}
          onChange={(v) => onChange({ ...config, fuzzyThreshold: v ? FUZZY_THRESHOLD_DEFAULT : null })}
        />
        {fuzzyOn && (
          <TextField
            label="Similarity needed (0.5 to 1; 0.85 is best)"
            type="number"
            min={0.5}
            max={1}
            step={0.01}
            value={config.fuzzyThreshold ?? FUZZY_THRESHOLD_DEFAULT}
            onChange={(v) => onChange({ ...config, fuzzyThreshold: num(v) })}
            problem={problemAt('fuzzyThreshold')}
          />
        )}
      </fieldset>
      <ChoiceField
        label="On a tie, prefer"
        value={tieBreakValue(config.tieBreakers)}
        choices={TIE_BREAK_CHOICES}
        onChange={(v) => onChange({ ...config, tieBreakers: tieBreakersOf(v) })}
      />
      <fieldset aria-label="Repeat leads" style={{ minWidth: 0 }}>
        <legend>Repeat leads (outcome Duplicate lead)</legend>
        <CheckField
          label="Send repeat leads (same email) to the rep who has the earlier one"
          checked={dupOn}
          onChange={(v) => onChange({ ...config, duplicateWithinDays: v ? DUPLICATE_DAYS_DEFAULT : null })}
        />
        {dupOn && (
          <TextField
            label="Earlier lead within (days)"
            type="number"
            min={1}
            max={365}
            value={config.duplicateWithinDays ?? DUPLICATE_DAYS_DEFAULT}
            onChange={(v) => onChange({ ...config, duplicateWithinDays: num(v) })}
            problem={problemAt('duplicateWithinDays')}
          />
        )}
      </fieldset>
    </>
  );
}
