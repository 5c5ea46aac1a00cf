import { z } from 'zod';
import { Text } from '../text';

/** The types a lead field can have. `location` is virtual: country + state + postal code, for territories. */
export const FIELD_TYPES = ['text', 'number', 'boolean', 'date', 'picklist', 'location'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

/** The types a workspace may give its custom fields. */
export const CUSTOM_FIELD_TYPES = ['text', 'number', 'boolean', 'date', 'picklist'] as const;
export type CustomFieldType = (typeof CUSTOM_FIELD_TYPES)[number];

/** One field of the catalog. */
export interface FieldDef {
  key: string;
  label: string;
  type: FieldType;
  /** Allowed values, for picklists. */
  options?: readonly string[];
  /** Standard fields ship with the product; custom fields are declared per workspace. */
  standard: boolean;
  /** Set by the router (score, grade, owner, account): authors read them, `update` steps may not write them. */
  system?: boolean;
  description?: string;
}

/** The key a custom field may have: a letter, then letters, digits or underscores. */
export const FIELD_KEY_PATTERN = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

/**
 * Names no custom field may take: every member of Object.prototype (`constructor`, `toString`, ...) and
 * `prototype`. A lead is a plain object, so a field by such a name would be confused with what every object
 * has (a `{{constructor}}` token once rendered "function Object() ..."). Refused when a field is declared;
 * fields declared before stay readable (leads are read through own properties only).
 */
export const RESERVED_FIELD_KEYS: ReadonlySet<string> = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype']);

/** Why a new custom field may not have this key (it is reserved), or null when it may. */
export function reservedFieldKey(key: string): string | null {
  return RESERVED_FIELD_KEYS.has(key) ? 'is reserved (every object has it); choose another name' : null;
}

/** A custom field as a workspace declares it. */
export const CustomFieldSchema = z
  .object({
    key: z.string().regex(FIELD_KEY_PATTERN, 'must start with a letter and use only letters, digits and _ (max 64)'),
    label: Text(100).min(1),
    type: z.enum(CUSTOM_FIELD_TYPES),
    options: z.array(Text(200).min(1)).max(500).optional(),
    description: Text(500).optional(),
  })
  .refine((f) => f.type !== 'picklist' || (f.options !== undefined && f.options.length > 0), {
    message: 'a picklist needs at least one option',
    path: ['options'],
  });
export type CustomField = z.infer<typeof CustomFieldSchema>;

const std = (
  key: string,
  label: string,
  type: FieldType,
  extra: Partial<Omit<FieldDef, 'key' | 'label' | 'type' | 'standard'>> = {},
): FieldDef => ({ key, label, type, standard: true, ...extra });

/** The standard fields every CRM lead has, plus the ones routing steps set. */
export const STANDARD_FIELDS: readonly FieldDef[] = [
  std('id', 'External id', 'text', { description: 'The lead id in the source system; used for idempotency and splits.' }),
  std('firstName', 'First name', 'text'),
  std('lastName', 'Last name', 'text'),
  std('email', 'Email', 'text'),
  std('phone', 'Phone', 'text'),
  std('title', 'Job title', 'text'),
  std('company', 'Company', 'text'),
  std('website', 'Website', 'text'),
  std('domain', 'Company domain', 'text', { description: 'Taken from the website, else from a non-free-mail email address.' }),
  std('country', 'Country', 'text', { description: 'ISO 3166 alpha-2 code, e.g. US.' }),
  std('state', 'State / region', 'text'),
  std('city', 'City', 'text'),
  std('postalCode', 'Postal code', 'text'),
  std('industry', 'Industry', 'text'),
  std('employees', 'Employees', 'number'),
  std('annualRevenue', 'Annual revenue', 'number'),
  std('leadSource', 'Lead source', 'text'),
  std('productInterest', 'Product interest', 'text'),
  std('language', 'Language', 'text', { description: 'ISO 639-1 code, e.g. en.' }),
  std('createdAt', 'Created at', 'date'),
  std('location', 'Location', 'location', { description: 'Country, state and postal code together, for territory rules.' }),
  std('score', 'Score', 'number', { system: true }),
  std('fitScore', 'Fit score', 'number', { system: true }),
  std('intentScore', 'Intent score', 'number', { system: true }),
  std('grade', 'Grade', 'text', { system: true }),
  std('owner', 'Owner', 'text', { system: true, description: 'The rep or queue the lead is assigned to.' }),
  std('accountId', 'Matched account', 'text', { system: true }),
  std('accountName', 'Matched account name', 'text', { system: true }),
  std('accountOwner', 'Account owner', 'text', { system: true }),
];

/** The catalog a graph is checked and run against: standard fields plus the workspace's custom ones. */
export interface FieldCatalog {
  fields: ReadonlyMap<string, FieldDef>;
}

let standardCatalog: FieldCatalog | undefined;

/** Builds the catalog from the standard fields and a workspace's custom fields (custom keys may not shadow standard ones). */
export function buildCatalog(custom: readonly CustomField[] = []): FieldCatalog {
  if (custom.length === 0 && standardCatalog) return standardCatalog;
  const fields = new Map<string, FieldDef>();
  for (const f of STANDARD_FIELDS) fields.set(f.key, f);
  for (const c of custom) {
    if (fields.has(c.key)) continue;
    const def: FieldDef = { key: c.key, label: c.label, type: c.type, standard: false };
    if (c.options) def.options = c.options;
    if (c.description) def.description = c.description;
    fields.set(c.key, def);
  }
  const catalog = { fields };
  if (custom.length === 0) standardCatalog = catalog;
  return catalog;
}

/** True when `key` names a standard field. */
export function isStandardField(key: string): boolean {
  return STANDARD_FIELDS.some((f) => f.key === key);
}
