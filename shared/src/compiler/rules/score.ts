import { problem, type Problem } from '../../errors';
import type { RuleContext } from '../context';
import { formatNumber, quote, stepName } from '../names';

/** Grade thresholds are distinct: no two grades with the same minimum score or the same name. */
export function checkScores(ctx: RuleContext): Problem[] {
  const out: Problem[] = [];
  for (const node of ctx.graph.nodes) {
    if (node.type !== 'score') continue;
    const byMin = new Map<number, string>();
    const byName = new Map<string, string>();
    node.config.grades.forEach((g, i) => {
      const sameMin = byMin.get(g.min);
      if (sameMin !== undefined) {
        out.push(
          problem(
            'invalid_grade_thresholds',
            `Grades ${quote(sameMin)} and ${quote(g.grade)} of ${stepName(node)} both start at ${formatNumber(g.min)} points, so ${quote(g.grade)} could never be given. Give each grade its own minimum score.`,
            { nodeId: node.id, path: `config.grades.${i}.min` },
          ),
        );
      } else byMin.set(g.min, g.grade);
      // Grades are names people read: 'A' and ' a' are the same grade to them.
      const name = g.grade.trim().toLowerCase();
      const sameName = byName.get(name);
      if (sameName !== undefined) {
        out.push(
          problem(
            'invalid_grade_thresholds',
            `${stepName(node)} has the grade ${quote(g.grade)} twice. Give each grade its own name.`,
            { nodeId: node.id, path: `config.grades.${i}.grade` },
          ),
        );
      } else byName.set(name, g.grade);
    });
  }
  return out;
}
