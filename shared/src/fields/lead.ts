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

/** A lead's field, read as an own property only: `constructor` or `toString` never reach Object.prototype. */
export function leadField(lead: Lead, key: string): LeadValue | undefined {
  return Object.hasOwn(lead, key) ? lead[key] : undefined;
}

/** Field names no lead may have: set on a plain object they would change or shadow its prototype. */
export const FORBIDDEN_LEAD_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** Why a lead may not have this field name, or null when it may. */
export function forbiddenLeadKey(key: string): string | null {
  return FORBIDDEN_LEAD_KEYS.has(key) ? `"${key}" is not allowed as a field name` : null;
}

/**
 * A lead as a client sends it, before the field catalog reads it: a JSON object, taken as it is (a
 * `z.record` would copy it and silently drop an own `__proto__` key), whose field names are refused, each
 * at its path, exactly as ingestion refuses them (`normalizeLead`), so a test run and a real post agree.
 */
export const LeadRecordSchema = z
  .custom<Record<string, unknown>>((v) => typeof v === 'object' && v !== null && !Array.isArray(v), 'must be a JSON object of fields')
  .superRefine((record, ctx) => {
    for (const key of Object.keys(record)) {
      const why = forbiddenLeadKey(key);
      if (why !== null) ctx.addIssue({ code: 'custom', path: [key], message: why });
    }
  });
