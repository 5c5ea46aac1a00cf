import { FIELD_KEY_PATTERN, FIELD_TYPES, STANDARD_FIELDS, operatorsFor, type CustomField, type FieldType, type Operator } from '@lead-router/shared';
import { and, asc, eq } from 'drizzle-orm';
import type { Principal } from '../auth/principal';
import type { Db, Tx } from '@lead-router/db/client';
import { customFields } from '@lead-router/db/schema';
import { DomainError, notFound } from '../errors/domain-error';
import { audit } from './audit.service';
import { assertStorable } from './storable-text';
import { assertWithinLimit, lockKind } from './directory-entity';

/** One field of a workspace's catalog, as the canvas's condition editor lists it. */
export interface CatalogField {
  key: string;
  label: string;
  type: FieldType;
  options?: string[];
  /** Ships with the product (true) or declared by the workspace (false). */
  standard: boolean;
  /** Set by the router itself: conditions may read it, `update` steps may not write it. */
  system: boolean;
  description?: string;
}

/** The whole catalog: standard fields, then the workspace's custom ones, and the operators each type allows. */
export interface FieldCatalogView {
  fields: CatalogField[];
  operators: Record<FieldType, Operator[]>;
}

type CustomFieldRow = typeof customFields.$inferSelect;

function customFromRow(x: CustomFieldRow): CatalogField {
  return {
    key: x.key,
    label: x.label,
    type: x.type,
    ...(x.options ? { options: x.options } : {}),
    standard: false,
    system: false,
    ...(x.description ? { description: x.description } : {}),
  };
}

/** The workspace's field catalog (standard fields first, custom fields in declaration order) and operators per type. */
export async function getFieldCatalog(db: Db | Tx, workspaceId: string): Promise<FieldCatalogView> {
  const rows = await db
    .select()
    .from(customFields)
    .where(eq(customFields.workspaceId, workspaceId))
    .orderBy(asc(customFields.createdAt), asc(customFields.key));
  const standard: CatalogField[] = STANDARD_FIELDS.map((f) => ({
    key: f.key,
    label: f.label,
    type: f.type,
    ...(f.options ? { options: [...f.options] } : {}),
    standard: true,
    system: f.system === true,
    ...(f.description ? { description: f.description } : {}),
  }));
  const operators = Object.fromEntries(FIELD_TYPES.map((t) => [t, operatorsFor(t)])) as Record<FieldType, Operator[]>;
  return { fields: [...standard, ...rows.map(customFromRow)], operators };
}

/**
 * Declares a custom field. A key that is a standard field's (in any letter case, which would only confuse
 * authors) or another custom field's is refused (`standard_field`, `duplicate_key`).
 */
export async function createCustomField(db: Db, p: Principal, input: CustomField): Promise<CatalogField> {
  assertStorable(input);
  const standard = STANDARD_FIELDS.find((f) => f.key.toLowerCase() === input.key.toLowerCase());
  if (standard) {
    throw new DomainError('standard_field', `"${input.key}" is the standard field "${standard.label}" (${standard.key}); a custom field needs another key.`, [
      { path: 'key', message: `"${standard.key}" is a standard field` },
    ]);
  }
  return db.transaction(async (tx) => {
    await lockKind(tx, p.workspaceId, 'custom_field');
    const [row] = await tx
      .insert(customFields)
      .values({ workspaceId: p.workspaceId, key: input.key, label: input.label, type: input.type, options: input.options ?? null, description: input.description ?? null })
      .onConflictDoNothing()
      .returning();
    if (!row) {
      throw new DomainError('duplicate_key', `This workspace already has a custom field "${input.key}".`, [{ path: 'key', message: `"${input.key}" is already declared` }]);
    }
    await assertWithinLimit(tx, p.workspaceId, 'custom_field', await tx.$count(customFields, eq(customFields.workspaceId, p.workspaceId)));
    const field = customFromRow(row);
    await audit(tx, p, p.workspaceId, 'custom_field.create', { type: 'custom_field', id: row.key }, { after: field });
    return field;
  });
}

/** Removes a custom field: `not_found` when the workspace has none with this key, `standard_field` for a standard field. */
export async function deleteCustomField(db: Db, p: Principal, key: string): Promise<void> {
  const standard = STANDARD_FIELDS.find((f) => f.key === key);
  if (standard) throw new DomainError('standard_field', `"${key}" is a standard field; only custom fields can be removed.`);
  if (!FIELD_KEY_PATTERN.test(key)) throw notFound(`Custom field ${key.slice(0, 80)}`);
  await db.transaction(async (tx) => {
    const gone = await tx
      .delete(customFields)
      .where(and(eq(customFields.workspaceId, p.workspaceId), eq(customFields.key, key)))
      .returning({ key: customFields.key });
    if (gone.length === 0) throw notFound(`Custom field ${key}`);
    await audit(tx, p, p.workspaceId, 'custom_field.delete', { type: 'custom_field', id: key });
  });
}
