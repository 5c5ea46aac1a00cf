import type { MatchMethod } from '@lead-router/shared';
import { useConfigProblems } from '../../inspector/config-problems';
import type { FormProps } from '../../inspector/form-props';
import { CheckField } from '../../inspector/text-field';
import { METHOD_LABELS, methodEarlier, methodRows, toggleMethod } from './methods';

/** Which matching methods to try, in order: the first that finds an account wins. */
export function MatchAccountForm({ config, onChange }: FormProps<'match_account'>) {
  const problemAt = useConfigProblems();
  const by: MatchMethod[] = Array.isArray(config.by) ? config.by : [];
  const problem = problemAt('by');
  return (
    <fieldset aria-label="Match by" aria-invalid={problem ? true : undefined}>
      <legend>Match by (tried in this order)</legend>
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
  );
}
