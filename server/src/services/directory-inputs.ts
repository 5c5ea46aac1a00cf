import { z } from 'zod';
import {
  AccountSchema,
  CompanySchema,
  CustomFieldSchema,
  IdSchema,
  QueueSchema,
  RepSchema,
  TeamSchema,
  TerritorySchema,
  hostOf,
  reservedFieldKey,
} from '@lead-router/shared';

// What the directory API accepts. Each body is the shared schema (the one source of truth for what a rep,
// team, ... is), made strict so a misspelt key is an error instead of being dropped silently, plus the few
// checks the shared model leaves to whoever stores it (duplicates in a list, domains that are no domain).

type Unwrapped<T> = T extends z.ZodDefault<infer I> ? I : T;
/** Every key optional and without its default: an absent key in a PATCH keeps the stored value. */
type PatchShape<S extends z.ZodRawShape> = { [K in keyof S]: z.ZodOptional<Extract<Unwrapped<S[K]>, z.ZodType>> };

/** The PATCH body of an entity: its fields, each optional, defaults removed (they would overwrite stored values). */
export function patchSchemaOf<S extends z.ZodRawShape>(schema: z.ZodObject<S>): z.ZodObject<PatchShape<S>, z.core.$strict> {
  const shape: Record<string, z.ZodType> = {};
  for (const [key, field] of Object.entries(schema.shape)) {
    const inner = (field instanceof z.ZodDefault ? field.unwrap() : field) as unknown as z.ZodType;
    shape[key] = inner.optional();
  }
  return z.strictObject(shape) as unknown as z.ZodObject<PatchShape<S>, z.core.$strict>;
}

/** Flags the second and later occurrences of the same value in a list, at `path.<index><suffix>`. */
function flagDuplicates(values: readonly string[], path: string, what: string, ctx: z.RefinementCtx, suffix: readonly string[] = []): void {
  const first = new Map<string, number>();
  values.forEach((v, i) => {
    const at = first.get(v);
    if (at === undefined) first.set(v, i);
    else ctx.addIssue({ code: 'custom', path: [path, i, ...suffix], message: `${what} "${v}" is already listed at ${path}.${at}` });
  });
}

/** A rep, as created (and as PUT replaces it; the id may be repeated but not changed). */
export const RepBodySchema = RepSchema.strict();
export const RepReplaceSchema = RepSchema.extend({ id: IdSchema.optional() }).strict();
export const RepPatchSchema = patchSchemaOf(RepSchema);

/** A team; a rep is a member once. */
const TeamChecks = (t: { members: ReadonlyArray<{ repId: string }> }, ctx: z.RefinementCtx) =>
  flagDuplicates(
    t.members.map((m) => m.repId),
    'members',
    'the rep',
    ctx,
    ['repId'],
  );
export const TeamBodySchema = TeamSchema.strict().superRefine(TeamChecks);
export const TeamReplaceSchema = TeamSchema.extend({ id: IdSchema.optional() }).strict().superRefine(TeamChecks);
export const TeamPatchSchema = patchSchemaOf(TeamSchema);

/** A territory; a rep covers it once. */
const TerritoryChecks = (t: { repIds: readonly string[] }, ctx: z.RefinementCtx) => flagDuplicates(t.repIds, 'repIds', 'the rep', ctx);
export const TerritoryBodySchema = TerritorySchema.strict().superRefine(TerritoryChecks);
export const TerritoryReplaceSchema = TerritorySchema.extend({ id: IdSchema.optional() }).strict().superRefine(TerritoryChecks);
export const TerritoryPatchSchema = patchSchemaOf(TerritorySchema);

/** An account; each domain must be a host name (stored bare and lower-case: `https://www.Acme.com` -> `acme.com`). */
const AccountChecks = (a: { domains: readonly string[] }, ctx: z.RefinementCtx) => {
  a.domains.forEach((d, i) => {
    if (hostOf(d) === undefined) ctx.addIssue({ code: 'custom', path: ['domains', i], message: `"${d}" is not a domain name such as acme.com` });
  });
};
export const AccountBodySchema = AccountSchema.strict().superRefine(AccountChecks);
export const AccountReplaceSchema = AccountSchema.extend({ id: IdSchema.optional() }).strict().superRefine(AccountChecks);
export const AccountPatchSchema = patchSchemaOf(AccountSchema);

/** A queue. */
export const QueueBodySchema = QueueSchema.strict();
export const QueueReplaceSchema = QueueSchema.extend({ id: IdSchema.optional() }).strict();
export const QueuePatchSchema = patchSchemaOf(QueueSchema);

/** The domains of an account or company as stored: bare lower-case hosts, each once. Invalid ones were refused before. */
export function normalizeDomains(domains: readonly string[]): string[] {
  return [...new Set(domains.map((d) => hostOf(d) ?? d.trim().toLowerCase()))];
}

// Postgres stores employees as integer and revenue as bigint: a fraction or an out-of-range number would be a
// database error (a bug of ours) instead of the client's mistake it is, so the API says so first.
const Employees = z.int({ error: 'must be a whole number' }).min(0, 'must be 0 or more').max(2_147_483_647, 'is too large');
const Revenue = z.int({ error: 'must be a whole number' }).min(0, 'must be 0 or more');

/**
 * A firmographics row as PUT takes it (the domain is in the path; repeating it in the body is allowed).
 * Absent or null fields are stored as unknown: a PUT replaces the whole row.
 */
export const CompanyBodySchema = z.strictObject({
  domain: z.string().max(253).optional(),
  name: CompanySchema.shape.name.unwrap().nullable().optional(),
  employees: Employees.nullable().optional(),
  annualRevenue: Revenue.nullable().optional(),
  industry: CompanySchema.shape.industry.unwrap().nullable().optional(),
  country: CompanySchema.shape.country.unwrap().nullable().optional(),
  technologies: CompanySchema.shape.technologies.unwrap().nullable().optional(),
});
export type CompanyBody = z.output<typeof CompanyBodySchema>;

/** A custom field as POST /fields takes it. */
export const CustomFieldBodySchema = CustomFieldSchema.strict().superRefine((f, ctx) => {
  const reserved = reservedFieldKey(f.key);
  if (reserved !== null) ctx.addIssue({ code: 'custom', path: ['key'], message: reserved });
});
