import { evaluateConditionInto } from '../../conditions/evaluate';
import { pureStep } from '../step';

/** `score`: adds the points of every rule that holds (fit and intent), grades the total, writes both to the lead. */
export const scoreStep = pureStep<'score'>((node, run) => {
  const lead = run.lead;
  let fit = 0;
  let intent = 0;
  const lines: string[] = [];
  for (const rule of node.config.rules) {
    const at = lines.length;
    lines.push('');
    const result = evaluateConditionInto(rule.condition, lead, run.conditions, lines, 1);
    lines[at] = `${rule.label ?? rule.id} (${rule.points >= 0 ? '+' : ''}${rule.points} ${rule.category}): ${result}`;
    if (result) {
      if (rule.category === 'fit') fit += rule.points;
      else intent += rule.points;
    }
  }
  const score = fit + intent;
  let grade: string | null = null;
  let bestMin = -Infinity;
  for (const g of node.config.grades) {
    if (score >= g.min && g.min > bestMin) {
      grade = g.grade;
      bestMin = g.min;
    }
  }
  run.write('score', score);
  run.write('fitScore', fit);
  run.write('intentScore', intent);
  run.write('grade', grade);
  lines.push(`Total ${score} (fit ${fit}, intent ${intent}) -> grade ${grade ?? 'none'}`);
  return {
    outcome: 'next',
    decision: `Score ${score}, grade ${grade ?? 'none'}`,
    explanation: lines,
    output: { score, fitScore: fit, intentScore: intent, grade },
  };
});
