import { z } from 'zod';
import type { FieldType } from '../fields/catalog';

/** Every operator a condition clause can use. */
export const OPERATORS = [
  'equals',
  'not_equals',
  'in',
  'not_in',
  'contains',
  'not_contains',
  'starts_with',
  'ends_with',
  'gt',
  'gte',
  'lt',
  'lte',
  'between',
  'is_set',
  'is_empty',
  'before',
  'after',
  'matches',
  'in_territory',
  'not_in_territory',
] as const;
export type Operator = (typeof OPERATORS)[number];

/** What an operator needs as its value. */
export type OperandKind = 'none' | 'scalar' | 'list' | 'range' | 'pattern' | 'territory';

/** The operator table: label, operand kind and the field types it applies to. The compiler and the web both read it. */
export const OPERATOR_SPECS: Readonly<
  Record<Operator, { label: string; symbol: string; operand: OperandKind; types: readonly FieldType[] }>
> = {
  equals: { label: 'equals', symbol: '=', operand: 'scalar', types: ['text', 'number', 'boolean', 'date', 'picklist'] },
  not_equals: { label: 'does not equal', symbol: '!=', operand: 'scalar', types: ['text', 'number', 'boolean', 'date', 'picklist'] },
  in: { label: 'is one of', symbol: 'in', operand: 'list', types: ['text', 'number', 'picklist'] },
  not_in: { label: 'is not one of', symbol: 'not in', operand: 'list', types: ['text', 'number', 'picklist'] },
  contains: { label: 'contains', symbol: 'contains', operand: 'scalar', types: ['text', 'picklist'] },
  not_contains: { label: 'does not contain', symbol: 'does not contain', operand: 'scalar', types: ['text', 'picklist'] },
  starts_with: { label: 'starts with', symbol: 'starts with', operand: 'scalar', types: ['text', 'picklist'] },
  ends_with: { label: 'ends with', symbol: 'ends with', operand: 'scalar', types: ['text', 'picklist'] },
  gt: { label: 'is greater than', symbol: '>', operand: 'scalar', types: ['number'] },
  gte: { label: 'is at least', symbol: '>=', operand: 'scalar', types: ['number'] },
  lt: { label: 'is less than', symbol: '<', operand: 'scalar', types: ['number'] },
  lte: { label: 'is at most', symbol: '<=', operand: 'scalar', types: ['number'] },
  between: { label: 'is between', symbol: 'between', operand: 'range', types: ['number', 'date'] },
  is_set: { label: 'is set', symbol: 'is set', operand: 'none', types: ['text', 'number', 'boolean', 'date', 'picklist', 'location'] },
  is_empty: { label: 'is empty', symbol: 'is empty', operand: 'none', types: ['text', 'number', 'boolean', 'date', 'picklist', 'location'] },
  before: { label: 'is before', symbol: 'before', operand: 'scalar', types: ['date'] },
  after: { label: 'is after', symbol: 'after', operand: 'scalar', types: ['date'] },
  matches: { label: 'matches pattern', symbol: 'matches', operand: 'pattern', types: ['text', 'picklist'] },
  in_territory: { label: 'is in territory', symbol: 'in territory', operand: 'territory', types: ['location'] },
  not_in_territory: { label: 'is not in territory', symbol: 'not in territory', operand: 'territory', types: ['location'] },
};

/** The operators valid for a field type, in display order. */
export function operatorsFor(type: FieldType): Operator[] {
  return OPERATORS.filter((op) => OPERATOR_SPECS[op].types.includes(type));
}

/** A scalar a condition compares against. Dates are ISO 8601 strings. */
export const ScalarSchema = z.union([z.string().max(1000), z.number(), z.boolean()]);
export type Scalar = z.infer<typeof ScalarSchema>;

/** A clause's value: a scalar, a list (in / not in), a [low, high] pair (between), or absent (is set / is empty). */
export const ConditionValueSchema = z.union([ScalarSchema, z.array(ScalarSchema).max(1000), z.null()]);
export type ConditionValue = z.infer<typeof ConditionValueSchema>;

/** One comparison: `{ field, operator, value }`. Data, never code. */
export const ClauseSchema = z.object({
  field: z.string().min(1).max(100),
  operator: z.enum(OPERATORS),
  value: ConditionValueSchema.optional(),
  /** Compare text case-sensitively; the default is false (case-insensitive), as RevOps people expect. */
  caseSensitive: z.boolean().optional(),
});
export type Clause = z.infer<typeof ClauseSchema>;

/** An all/any group of clauses and nested groups. */
export interface ConditionGroup {
  match: 'all' | 'any';
  conditions: Array<Clause | ConditionGroup>;
}

/** The largest number of items one group may hold. */
export const MAX_GROUP_ITEMS = 100;
/** How deep groups may nest. */
export const MAX_CONDITION_DEPTH = 8;

export const ConditionGroupSchema: z.ZodType<ConditionGroup> = z.lazy(() =>
  z.object({
    match: z.enum(['all', 'any']),
    conditions: z.array(z.union([ClauseSchema, ConditionGroupSchema])).max(MAX_GROUP_ITEMS),
  }),
);

/** True when an item of a group is a nested group rather than a clause. */
export function isGroup(item: Clause | ConditionGroup): item is ConditionGroup {
  return typeof item === 'object' && item !== null && (item as ConditionGroup).match !== undefined && Array.isArray((item as ConditionGroup).conditions);
}
