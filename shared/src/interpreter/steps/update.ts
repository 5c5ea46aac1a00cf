import type { LeadValue } from '../../fields/lead';
import { formatValue } from '../../util/format';
import { effectStep } from '../step';

/** `update`: asks for the fields to be stored, then sets them on the lead. */
export const updateStep = effectStep<'update', 'update', Record<string, LeadValue>>({
  effect: 'update',
  request(node, run) {
    const set: Record<string, LeadValue> = {};
    for (const s of node.config.set) set[s.field] = s.value;
    return { req: { leadId: run.leadId, nodeId: node.id, seq: run.seq, lead: run.lead, set }, data: set };
  },
  complete(_node, r, set, run) {
    const keys = Object.keys(set);
    const explanation: string[] = [];
    for (const k of keys) {
      run.write(k, set[k] as LeadValue);
      explanation.push(`${k} = ${formatValue(set[k])}`);
    }
    if (r.detail) explanation.push(r.detail);
    return { outcome: 'next', decision: `Set ${keys.join(', ')}`, explanation, output: { set } };
  },
});
