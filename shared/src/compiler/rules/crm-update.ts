import { problem, type Problem } from '../../errors';
import type { RuleContext } from '../context';
import { didYouMean, quote, stepName } from '../names';

/** `crm_update` steps write something, each CRM field once, from lead fields that exist. */
export function checkCrmUpdates(ctx: RuleContext): Problem[] {
  const out: Problem[] = [];
  for (const node of ctx.graph.nodes) {
    if (node.type !== 'crm_update') continue;
    const c = node.config;
    if (!c.writeOwner && c.fields.length === 0 && !c.task) {
      out.push(problem('crm_update_empty', `${stepName(node)} writes nothing to the CRM: turn on “Write owner”, add a field or a task.`, { nodeId: node.id, path: 'config.writeOwner' }));
    }
    const seen = new Set<string>();
    c.fields.forEach((f, i) => {
      const key = f.crmField.toLowerCase();
      if (seen.has(key)) out.push(problem('duplicate_crm_field', `${stepName(node)} writes the CRM field ${quote(f.crmField)} twice; keep one row.`, { nodeId: node.id, path: `config.fields.${i}.crmField` }));
      seen.add(key);
      if (f.source === 'lead' && !ctx.catalog.fields.has(f.leadField)) {
        out.push(
          problem('unknown_field', `${stepName(node)} writes ${quote(f.crmField)} from ${quote(f.leadField)}, which is not a lead field.${didYouMean(f.leadField, ctx.suggest)} Pick a field from the catalog.`, {
            nodeId: node.id,
            path: `config.fields.${i}.leadField`,
          }),
        );
      }
    });
  }
  return out;
}
