import { problem, type Problem } from '../../errors';
import { nameOf, type RuleContext } from '../context';

/** Exactly one trigger, and nothing leading back into it. */
export function checkTriggers(ctx: RuleContext): Problem[] {
  const triggers = ctx.entries.filter((e) => e.type === 'trigger');
  const out: Problem[] = [];
  const first = triggers[0];
  if (!first) {
    out.push(problem('no_trigger', 'The graph has no Trigger. Add one: it is where leads enter, and every route starts from it.'));
    return out;
  }
  const firstName = nameOf(ctx, first.id);
  for (const extra of triggers.slice(1)) {
    out.push(
      problem(
        'multiple_triggers',
        `${nameOf(ctx, extra.id)} is a second trigger; a graph has exactly one (${firstName}). Delete it, or route its leads through ${firstName}.`,
        { nodeId: extra.id },
      ),
    );
  }
  for (const t of triggers) {
    for (const edge of ctx.incoming.get(t.id) ?? []) {
      const from = nameOf(ctx, edge.source);
      out.push(
        problem(
          'trigger_has_incoming',
          `${from} leads back into the trigger ${nameOf(ctx, t.id)}. Leads enter only through the trigger; connect ${from} to another step.`,
          { nodeId: t.id, edgeId: edge.id },
        ),
      );
    }
  }
  return out;
}
