import { isGroup, type Clause, type ConditionGroup } from '../conditions/ast';
import type { GraphNode } from '../graph/node';

/** The condition groups a node holds (trigger filter, branch cases, score rules), in config order. */
export function conditionsOf(node: GraphNode): ConditionGroup[] {
  switch (node.type) {
    case 'trigger':
      return node.config.filter ? [node.config.filter] : [];
    case 'branch':
      return node.config.cases.map((c) => c.condition);
    case 'score':
      return node.config.rules.map((r) => r.condition);
    default:
      return [];
  }
}

/** Every clause of a group, depth first in order, without recursion. */
export function clausesOf(group: ConditionGroup): Clause[] {
  const out: Clause[] = [];
  const stack: Array<Clause | ConditionGroup> = [group];
  while (stack.length > 0) {
    const item = stack.pop() as Clause | ConditionGroup;
    if (isGroup(item)) {
      for (let i = item.conditions.length - 1; i >= 0; i--) stack.push(item.conditions[i] as Clause | ConditionGroup);
    } else out.push(item);
  }
  return out;
}

/** The territory ids `in territory` / `not in territory` clauses of a group name, in first-use order. */
export function territoryIdsOf(group: ConditionGroup): string[] {
  const out: string[] = [];
  for (const clause of clausesOf(group)) {
    if (clause.operator !== 'in_territory' && clause.operator !== 'not_in_territory') continue;
    const values = Array.isArray(clause.value) ? clause.value : [clause.value];
    for (const v of values) if (typeof v === 'string' && !out.includes(v)) out.push(v);
  }
  return out;
}
