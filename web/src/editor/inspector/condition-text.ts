import { isGroup, OPERATOR_SPECS, type Clause, type ConditionGroup } from '@lead-router/shared';

/** A clause in words: `employees > 500`. */
export function describeClause(c: Clause): string {
  const op = OPERATOR_SPECS[c.operator]?.symbol ?? c.operator;
  if (c.value === undefined || c.value === null) return `${c.field} ${op}`;
  const v = Array.isArray(c.value) ? `[${c.value.join(', ')}]` : String(c.value);
  return `${c.field} ${op} ${v}`;
}

/** A group in words, short enough for a node card. */
export function describeGroup(g: ConditionGroup): string {
  if (g.conditions.length === 0) return 'no conditions yet';
  const joiner = g.match === 'all' ? ' and ' : ' or ';
  return g.conditions.map((c) => (isGroup(c) ? `(${describeGroup(c)})` : describeClause(c))).join(joiner);
}
