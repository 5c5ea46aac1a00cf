import { TRIGGER_SOURCES } from '@lead-router/shared';
import { ConditionBuilder } from '../../inspector/condition-builder';
import type { FormProps } from '../../inspector/form-props';
import { CheckField, ChoiceField } from '../../inspector/text-field';
import { CrmConnectionsPicker } from './crm-connections';

/** Where leads come from, and an optional filter (leads not matching take `filtered`). */
export function TriggerForm({ config, onChange }: FormProps<'trigger'>) {
  return (
    <div>
      <ChoiceField label="Source" value={config.source} choices={TRIGGER_SOURCES} onChange={(source) => onChange({ ...config, source })} />
      {config.source === 'crm' && <CrmConnectionsPicker />}
      <CheckField label="Only let some leads through" checked={!!config.filter} onChange={(on) => onChange({ ...config, filter: on ? { match: 'all', conditions: [] } : null })} />
      {config.filter && <ConditionBuilder label="Filter" group={config.filter} onChange={(filter) => onChange({ ...config, filter })} />}
    </div>
  );
}
