import { z } from 'zod';
import { ScalarSchema } from '../../conditions/ast';
import { defineNodeKind } from './kind';

export const UpdateConfigSchema = z.object({
  set: z
    .array(z.object({ field: z.string().min(1).max(100), value: z.union([ScalarSchema, z.null()]) }))
    .min(1)
    .max(100),
});
export type UpdateConfig = z.infer<typeof UpdateConfigSchema>;

/** Set lead fields. */
export const updateKind = defineNodeKind({
  type: 'update',
  label: 'Update fields',
  help: 'Set fields on the lead, e.g. lead status or a routing tag.',
  configSchema: UpdateConfigSchema,
  defaultConfig: (): UpdateConfig => ({ set: [{ field: 'leadSource', value: 'routed' }] }),
  outcomes: () => [{ id: 'next', label: 'Next' }],
});
