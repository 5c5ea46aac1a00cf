import { problem, type Problem } from '../../errors';
import { nameOf, nodeExists, type RuleContext } from '../context';
import { stepName } from '../names';

/** Every step can be reached from the trigger. Only checked when there is exactly one trigger. */
export function checkReachability(ctx: RuleContext): Problem[] {
  const triggers = ctx.entries.filter((e) => e.type === 'trigger');
  const start = triggers[0];
  if (triggers.length !== 1 || !start) return [];
  // Every edge counts, even from an unknown outcome or a step that did not parse: those have their own
  // problems, and following them keeps one mistake from marking the rest of the graph unreachable.
  const seen = new Set<string>([start.id]);
  const queue = [start.id];
  for (let i = 0; i < queue.length; i++) {
    for (const edge of ctx.outgoing.get(queue[i] as string) ?? []) {
      if (!seen.has(edge.target) && nodeExists(ctx, edge.target)) {
        seen.add(edge.target);
        queue.push(edge.target);
      }
    }
  }
  const out: Problem[] = [];
  for (const node of ctx.graph.nodes) {
    if (seen.has(node.id) || node.type === 'trigger') continue;
    out.push(
      problem(
        'unreachable_node',
        `No route from the trigger ${nameOf(ctx, start.id)} reaches ${stepName(node)}. Connect an outcome of an earlier step to it, or delete it.`,
        { nodeId: node.id },
      ),
    );
  }
  return out;
}
