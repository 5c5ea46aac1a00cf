import { problem, type Problem } from '../../errors';
import type { RuleContext } from '../context';
import { formatNumber, quote, stepName } from '../names';

// Percentages are decimals typed by people; 33.3 + 33.3 + 33.4 must pass despite floating point.
const TOLERANCE = 1e-9;

/** A split's percentages add up to 100 and its variant ids are unique. */
export function checkSplits(ctx: RuleContext): Problem[] {
  const out: Problem[] = [];
  for (const node of ctx.graph.nodes) {
    if (node.type !== 'split') continue;
    const total = node.config.variants.reduce((sum, v) => sum + v.percent, 0);
    if (Math.abs(total - 100) > TOLERANCE) {
      out.push(
        problem(
          'weights_do_not_add_up',
          `The variants of ${stepName(node)} add up to ${formatNumber(total)}%, not 100%. Change the percentages so they total 100.`,
          { nodeId: node.id, path: 'config.variants' },
        ),
      );
    }
    const seen = new Map<string, string>();
    node.config.variants.forEach((v, i) => {
      const where = { nodeId: node.id, path: `config.variants.${i}.id` };
      if (v.id === '__proto__') {
        out.push(problem('invalid_node', `Variant ${quote(v.label)} of ${stepName(node)} uses the reserved id '__proto__'. Give it another id.`, where));
        return;
      }
      const first = seen.get(v.id);
      if (first === undefined) {
        seen.set(v.id, v.label);
        return;
      }
      out.push(
        problem(
          'duplicate_variant_id',
          `Variants ${quote(first)} and ${quote(v.label)} of ${stepName(node)} share the id ${quote(v.id)}. Give each variant its own id, so each can have its own connection.`,
          where,
        ),
      );
    });
  }
  return out;
}
