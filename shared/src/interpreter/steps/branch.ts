import { evaluateConditionInto } from '../../conditions/evaluate';
import { pureStep } from '../step';

/** `branch`: the first case whose condition holds wins; none: else. Every checked case is explained. */
export const branchStep = pureStep<'branch'>((node, run) => {
  const lines: string[] = [];
  const cases = node.config.cases;
  for (let i = 0; i < cases.length; i++) {
    const c = cases[i]!;
    const at = lines.length;
    lines.push('');
    const result = evaluateConditionInto(c.condition, run.lead, run.conditions, lines, 1);
    lines[at] = `Case "${c.label}": ${result}`;
    if (result) {
      if (i + 1 < cases.length) lines.push(`(${cases.length - i - 1} later case${cases.length - i - 1 === 1 ? '' : 's'} not checked: first match wins)`);
      return { outcome: c.id, decision: c.label, explanation: lines, output: { case: c.id } };
    }
  }
  lines.push('No case matched: else');
  return { outcome: 'else', decision: node.config.elseLabel ?? 'Else', explanation: lines, output: { case: 'else' } };
});
