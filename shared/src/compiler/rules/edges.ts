import { problem, type Problem } from '../../errors';
import { outcomesOf } from '../../graph/node';
import { nameOf, nodeExists, type RuleContext } from '../context';
import { listWords, outcomeName, quote, stepName } from '../names';

/**
 * Every connection joins two existing steps from an outcome the source has, each outcome at most once, and
 * nothing leaves an End. (Self-loops are cycles; the cycles rule reports them.)
 */
export function checkEdges(ctx: RuleContext): Problem[] {
  const out: Problem[] = [];
  // source + outcome -> the first edge that used it.
  const used = new Map<string, string>();
  for (const edge of ctx.graph.edges) {
    const hasSource = nodeExists(ctx, edge.source);
    const hasTarget = nodeExists(ctx, edge.target);
    if (!hasSource) {
      out.push(
        problem(
          'dangling_edge',
          `A connection starts at a step with the id ${quote(edge.source)}, which is not in the graph. Delete the connection.`,
          hasTarget ? { nodeId: edge.target, edgeId: edge.id } : { edgeId: edge.id },
        ),
      );
      continue;
    }
    const source = ctx.nodes.get(edge.source);
    if (!hasTarget) {
      const from = source ? `${stepName(source)} -> ${outcomeName(source, edge.sourceHandle)}` : nameOf(ctx, edge.source);
      out.push(
        problem(
          'dangling_edge',
          `${from} leads to a step with the id ${quote(edge.target)}, which is not in the graph. Connect it to another step.`,
          { nodeId: edge.source, edgeId: edge.id },
        ),
      );
    }
    // A step that did not parse has unknown outcomes; its own problems say what to fix first.
    if (!source) continue;
    if (source.type === 'end') {
      out.push(
        problem(
          'end_has_outgoing',
          `${stepName(source)} is an End: the route stops there, so it cannot lead to ${nameOf(ctx, edge.target)}. Delete the connection.`,
          { nodeId: source.id, edgeId: edge.id },
        ),
      );
      continue;
    }
    const outcomes = outcomesOf(source);
    if (!outcomes.some((o) => o.id === edge.sourceHandle)) {
      const valid = listWords(outcomes.map((o) => quote(o.label)));
      out.push(
        problem(
          'unknown_outcome',
          `${stepName(source)} has no outcome ${quote(edge.sourceHandle)}; its outcomes are ${valid}. Reconnect the connection from one of them.`,
          { nodeId: source.id, edgeId: edge.id },
        ),
      );
      continue;
    }
    const key = `${edge.source}\u0000${edge.sourceHandle}`;
    const firstEdgeTarget = used.get(key);
    if (firstEdgeTarget !== undefined) {
      const targets =
        firstEdgeTarget === edge.target ? `to ${nameOf(ctx, edge.target)} twice` : `to both ${nameOf(ctx, firstEdgeTarget)} and ${nameOf(ctx, edge.target)}`;
      out.push(
        problem(
          'duplicate_edge',
          `${stepName(source)} -> ${outcomeName(source, edge.sourceHandle)} is connected ${targets}. An outcome leads to exactly one step; delete one of the connections.`,
          { nodeId: source.id, edgeId: edge.id },
        ),
      );
    } else used.set(key, edge.target);
  }
  return out;
}
