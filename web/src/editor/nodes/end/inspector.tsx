import type { FormProps } from '../../inspector/form-props';
import { TextField } from '../../inspector/text-field';

/** The outcome name runs that end here report. */
export function EndForm({ config, onChange }: FormProps<'end'>) {
  return <TextField label="Outcome" value={config.outcome ?? ''} onChange={(outcome) => onChange({ ...config, outcome })} />;
}
