import { z } from 'zod';
import { ConditionGroupSchema } from '../../conditions/ast';
import { defineNodeKind } from './kind';

export const TRIGGER_SOURCES = ['webhook', 'form', 'crm', 'manual'] as const;

export const TriggerConfigSchema = z.object({
  source: z.enum(TRIGGER_SOURCES),
  /** Only leads matching the filter go on; the others take the `filtered` outcome. */
  filter: ConditionGroupSchema.nullable().optional(),
});
export type TriggerConfig = z.infer<typeof TriggerConfigSchema>;

/** Where leads enter the graph. */
export const triggerKind = defineNodeKind({
  type: 'trigger',
  label: 'Trigger',
  help: 'Where leads enter: a webhook, a form, your CRM or a manual upload. Can filter which leads go on.',
  configSchema: TriggerConfigSchema,
  defaultConfig: (): TriggerConfig => ({ source: 'webhook' }),
  outcomes: (c: TriggerConfig) =>
    c.filter ? [{ id: 'next', label: 'Matches' }, { id: 'filtered', label: 'Filtered out' }] : [{ id: 'next', label: 'Next' }],
});
