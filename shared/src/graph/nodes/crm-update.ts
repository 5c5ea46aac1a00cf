import { z } from 'zod';
import { ScalarSchema } from '../../conditions/ast';
import { defineNodeKind } from './kind';

/** A CRM field's API name (`Status`, `Routing_Reason__c`, HubSpot `lifecyclestage`). */
const CrmFieldName = z
  .string()
  .min(1)
  .max(80)
  .regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'use the field’s API name: letters, digits and _');

/** One field written to the CRM record: from a lead field, or a constant. */
export const CrmFieldWriteSchema = z.discriminatedUnion('source', [
  z.object({ source: z.literal('lead'), crmField: CrmFieldName, leadField: z.string().min(1).max(100) }),
  z.object({ source: z.literal('constant'), crmField: CrmFieldName, value: z.union([ScalarSchema, z.null()]) }),
]);
export type CrmFieldWrite = z.infer<typeof CrmFieldWriteSchema>;

export const CrmUpdateConfigSchema = z.object({
  /** The CRM connection to write to; null: the one the lead came from. */
  connectionId: z.uuid().nullable().default(null),
  /** Write the lead's rep (their linked CRM user) as the record's owner. */
  writeOwner: z.boolean().default(true),
  fields: z.array(CrmFieldWriteSchema).max(50).default([]),
  /** A task created on the record for its owner. */
  task: z
    .object({
      subject: z.string().trim().min(1).max(255),
      description: z.string().max(4000).optional(),
      dueInDays: z.int().min(0).max(365).optional(),
    })
    .nullable()
    .default(null),
});
export type CrmUpdateConfig = z.infer<typeof CrmUpdateConfigSchema>;

/** Write the owner (and fields, a task) back to the CRM record the lead came from. */
export const crmUpdateKind = defineNodeKind({
  type: 'crm_update',
  label: 'Update CRM',
  help: 'Write the assigned rep as the owner in Salesforce or HubSpot, with fields and an optional task.',
  configSchema: CrmUpdateConfigSchema,
  defaultConfig: (): CrmUpdateConfig => ({ connectionId: null, writeOwner: true, fields: [], task: null }),
  // A failed write follows `written` unless the author connects `failed`: the trace still shows the CRM's error.
  outcomes: () => [
    { id: 'written', label: 'Written' },
    { id: 'failed', label: 'Failed', fallback: 'written' },
  ],
});

/** The CRM field values a step writes, from the lead as it stands (a lead field that is empty writes null). */
export function crmFieldValues(fields: readonly CrmFieldWrite[], lead: Readonly<Record<string, unknown>>): Record<string, string | number | boolean | null> {
  const out: Record<string, string | number | boolean | null> = {};
  for (const f of fields) {
    if (f.source === 'constant') out[f.crmField] = f.value;
    else {
      const v = lead[f.leadField];
      out[f.crmField] = typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : Array.isArray(v) ? v.join(';') : null;
    }
  }
  return out;
}
