import { z } from 'zod';

/** A value a lead field holds. Dates are ISO 8601 strings. */
export const LeadValueSchema = z.union([z.string(), z.number(), z.boolean(), z.null()]);
export type LeadValue = z.infer<typeof LeadValueSchema>;

/** A lead: flat field -> value, standard and custom fields side by side. */
export const LeadSchema = z.record(z.string(), LeadValueSchema);
export type Lead = Record<string, LeadValue>;

/** True when a lead value counts as missing: absent, null, or an empty / blank string. */
export function isMissing(v: LeadValue | undefined): v is null | undefined | '' {
  return v === undefined || v === null || (typeof v === 'string' && v.trim() === '');
}
