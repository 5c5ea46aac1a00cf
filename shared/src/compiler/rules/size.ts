import { problem, type Problem } from '../../errors';
import { MAX_NODES } from '../../graph/graph';
import type { RuleContext } from '../context';
import { tooManyNodes } from '../parse';

/**
 * At most MAX_NODES steps. The parser already refuses bigger documents before reading them; this rule
 * keeps the limit true for graphs that reach the rules another way.
 */
export function checkSize(ctx: RuleContext): Problem[] {
  const count = ctx.entries.length;
  return count > MAX_NODES ? [problem('graph_too_large', tooManyNodes(count), { path: 'nodes' })] : [];
}
