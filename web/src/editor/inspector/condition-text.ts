import { isGroup, OPERATOR_SPECS, type Clause, type ConditionGroup } from '@lead-router/shared';
import { ID_NAMES, type DirectoryNames } from '../directory/names';

/** A clause in words: `employees > 500`, `location in territory United States`. */
export function describeClause(c: Clause, names: DirectoryNames = ID_NAMES): string {
  const spec = OPERATOR_SPECS[c.operator];
  const op = spec?.symbol ?? c.operator;
  if (c.value === undefined || c.value === null) return `${c.field} ${op}`;
  const word = (v: unknown) => (spec?.operand === 'territory' && typeof v === 'string' ? names.name('territories', v) : String(v));
  const v = Array.isArray(c.value) ? `[${c.value.map(word).join(', ')}]` : word(c.value);
  return `${c.field} ${op} ${v}`;
}

/** A group in words, short enough for a node card. */
export function describeGroup(g: ConditionGroup, names: DirectoryNames = ID_NAMES): string {
  if (g.conditions.length === 0) return 'no conditions yet';
  const joiner = g.match === 'all' ? ' and ' : ' or ';
  return g.conditions.map((c) => (isGroup(c) ? `(${describeGroup(c, names)})` : describeClause(c, names))).join(joiner);
}
