import type { ConditionGroup } from '../../conditions/ast';
import { checkCondition } from '../../conditions/check';
import { problem, type Problem } from '../../errors';
import type { GraphNode } from '../../graph/node';
import type { RuleContext } from '../context';
import { quote, stepName } from '../names';

/**
 * Conditions are checked against the field catalog (and the directory's territories): the trigger's filter,
 * each branch case and each score rule. Case and score-rule ids must be unique within their node.
 */
export function checkConditions(ctx: RuleContext): Problem[] {
  const out: Problem[] = [];
  for (const node of ctx.graph.nodes) {
    const check = (group: ConditionGroup, path: string, emptyMessage: string | null) => {
      // An empty top-level group matches every lead. Where that is a mistake, say so in those words;
      // nested empty groups are left to checkCondition.
      if (emptyMessage !== null && group.conditions.length === 0) {
        out.push(problem('empty_condition_group', emptyMessage, { nodeId: node.id, path: `${path}.conditions` }));
        return;
      }
      out.push(
        ...checkCondition(group, { catalog: ctx.catalog, territoryIds: ctx.territoryIds, nodeId: node.id, path, allowEmpty: emptyMessage === null }),
      );
    };
    switch (node.type) {
      case 'trigger':
        if (node.config.filter) check(node.config.filter, 'config.filter', null);
        break;
      case 'branch':
        node.config.cases.forEach((c, i) =>
          check(
            c.condition,
            `config.cases.${i}.condition`,
            `Case ${quote(c.label)} of ${stepName(node)} has no conditions, so it would match every lead and the cases after it would never run. Add a condition, or delete the case.`,
          ),
        );
        out.push(...caseIds(node));
        break;
      case 'score':
        node.config.rules.forEach((r, i) =>
          check(
            r.condition,
            `config.rules.${i}.condition`,
            `Rule ${ruleName(r.label, i)} of ${stepName(node)} has no conditions, so it would give its ${r.points} points to every lead. Add a condition, or delete the rule.`,
          ),
        );
        out.push(...ruleIds(node));
        break;
      default:
        break;
    }
  }
  return out;
}

function ruleName(label: string | undefined, index: number): string {
  return label && label.trim() !== '' ? quote(label) : String(index + 1);
}

function caseIds(node: Extract<GraphNode, { type: 'branch' }>): Problem[] {
  const out: Problem[] = [];
  const seen = new Map<string, string>();
  node.config.cases.forEach((c, i) => {
    const where = { nodeId: node.id, path: `config.cases.${i}.id` };
    if (c.id === 'else') {
      out.push(problem('duplicate_case_id', `Case ${quote(c.label)} of ${stepName(node)} uses the id 'else', which belongs to the Else outcome. Give the case another id.`, where));
    } else if (c.id === '__proto__') {
      out.push(problem('invalid_node', `Case ${quote(c.label)} of ${stepName(node)} uses the reserved id '__proto__'. Give the case another id.`, where));
    } else if (seen.has(c.id)) {
      out.push(
        problem(
          'duplicate_case_id',
          `Cases ${quote(seen.get(c.id) as string)} and ${quote(c.label)} of ${stepName(node)} share the id ${quote(c.id)}. Give each case its own id, so each can have its own connection.`,
          where,
        ),
      );
    } else seen.set(c.id, c.label);
  });
  return out;
}

function ruleIds(node: Extract<GraphNode, { type: 'score' }>): Problem[] {
  const out: Problem[] = [];
  const seen = new Map<string, number>();
  node.config.rules.forEach((r, i) => {
    const first = seen.get(r.id);
    if (first === undefined) {
      seen.set(r.id, i);
      return;
    }
    out.push(
      problem(
        'duplicate_rule_id',
        `Rules ${first + 1} and ${i + 1} of ${stepName(node)} share the id ${quote(r.id)}. Give each rule its own id, so traces can tell them apart.`,
        { nodeId: node.id, path: `config.rules.${i}.id` },
      ),
    );
  });
  return out;
}
