import { problem, type Problem } from '../../errors';
import { outcomesOf, type GraphNode } from '../../graph/node';
import type { RuleContext } from '../context';
import { quote, stepName } from '../names';

// What to suggest for an unconnected outcome, by outcome id; anything else gets the generic advice.
const ADVICE: Record<string, string> = {
  no_eligible_rep: 'e.g. an Assign to a fallback queue',
  timed_out: 'e.g. an Escalate, or an Assign that re-assigns the lead',
  not_found: 'e.g. the step that should run anyway',
  not_matched: 'e.g. an Assign by round-robin',
  no_target: 'e.g. an Assign to a fallback queue',
  filtered: "e.g. an End named 'filtered'",
};

/** Every required outcome leads somewhere; a branch's `else` gets its own code. Optional outcomes may stay open. */
export function checkOutcomes(ctx: RuleContext): Problem[] {
  const out: Problem[] = [];
  for (const node of ctx.graph.nodes) {
    const connected = new Set((ctx.outgoing.get(node.id) ?? []).map((e) => e.sourceHandle));
    for (const outcome of outcomesOf(node)) {
      if (outcome.fallback !== undefined || connected.has(outcome.id)) continue;
      const label = quote(outcome.label);
      if (node.type === 'branch' && outcome.id === 'else') {
        out.push(
          problem(
            'branch_missing_else',
            `${stepName(node)} has nowhere to send leads that match no case. Connect ${label} to a step, e.g. an Assign to a fallback queue.`,
            { nodeId: node.id },
          ),
        );
        continue;
      }
      out.push(
        problem(
          'unconnected_outcome',
          `${stepName(node)} -> ${label} leads nowhere. Connect ${label} to a step, ${ADVICE[outcome.id] ?? "e.g. an End"}.`,
          { nodeId: node.id, ...pathOf(node, outcome.id) },
        ),
      );
    }
  }
  return out;
}

/** Outcomes that come from a list in the config point at their entry, so the inspector can show it. */
function pathOf(node: GraphNode, outcomeId: string): { path?: string } {
  if (node.type === 'branch') {
    const i = node.config.cases.findIndex((c) => c.id === outcomeId);
    if (i >= 0) return { path: `config.cases.${i}` };
  }
  if (node.type === 'split') {
    const i = node.config.variants.findIndex((v) => v.id === outcomeId);
    if (i >= 0) return { path: `config.variants.${i}` };
  }
  return {};
}
