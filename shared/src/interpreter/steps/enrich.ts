import { isMissing, leadField, type LeadValue } from '../../fields/lead';
import { formatValue } from '../../util/format';
import { effectStep } from '../step';

// Effect requests get the interpreter's own lead object: effects must treat it as read-only (activities
// serialise it at once; simulation only reads it). The same holds for every effectful step.

/** `enrich`: asks for firmographics and fills the configured fields the lead lacks (or all, with overwrite). */
export const enrichStep = effectStep<'enrich', 'enrich'>({
  effect: 'enrich',
  request: (node, run) => ({ req: { leadId: run.leadId, nodeId: node.id, seq: run.seq, config: node.config, lead: run.lead }, data: undefined }),
  complete(node, r, _data, run) {
    const lead = run.lead;
    const set: Record<string, LeadValue> = {};
    const names: string[] = [];
    for (const f of node.config.fields) {
      const v = leadField(r.fields, f);
      if (v === undefined || isMissing(v)) continue;
      if (node.config.overwrite || isMissing(leadField(lead, f))) {
        set[f] = v;
        run.write(f, v);
        names.push(f);
      }
    }
    const explanation = [r.detail];
    for (const k of names) explanation.push(`${k} = ${formatValue(set[k])}`);
    return {
      outcome: r.found ? 'enriched' : 'not_found',
      decision: r.found ? (names.length ? `Filled ${names.join(', ')}` : 'Found, nothing new to fill') : 'No data found',
      explanation,
      output: { set },
    };
  },
});
