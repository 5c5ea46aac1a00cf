import { formatValue } from '../../util/format';
import { splitBucket } from '../../util/hash';
import { pureStep } from '../step';

/** `split`: a stable bucket of the lead id (0-9999) picks the variant, so a lead always takes the same one. */
export const splitStep = pureStep<'split'>((node, run) => {
  const leadId = run.leadId;
  const bucket = splitBucket(leadId, node.id);
  let lo = 0;
  const variants = node.config.variants;
  for (let i = 0; i < variants.length; i++) {
    const v = variants[i]!;
    const hi = i === variants.length - 1 ? 10000 : lo + Math.round(v.percent * 100);
    if (bucket < hi) {
      return {
        outcome: v.id,
        decision: v.label,
        explanation: [`Lead ${formatValue(leadId)} falls in bucket ${bucket} of 10000; ${v.label} takes ${lo}-${hi - 1} (${v.percent}%)`],
        output: { variant: v.id, bucket },
      };
    }
    lo = hi;
  }
  // Unreachable for a compiled plan (percentages add up to 100), kept total for hand-made plans.
  const last = variants[variants.length - 1]!;
  return { outcome: last.id, decision: last.label, explanation: [`bucket ${bucket}`], output: { variant: last.id, bucket } };
});
