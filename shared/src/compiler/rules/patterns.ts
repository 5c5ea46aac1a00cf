import { compilePattern, MAX_PATTERN_INPUT } from '../../conditions/pattern';
import { problem, type Problem } from '../../errors';
import { clausesOf, conditionsOf } from '../conditions-of';
import type { RuleContext } from '../context';

/** The most `matches` clauses one graph may hold (trigger filter, branch cases and score rules together). */
export const MAX_PATTERN_CLAUSES = 100;

/**
 * The most automaton steps all of a graph's patterns may add up to (measured: one pass of 3,000 steps over
 * 1,000 characters of fresh text costs about 40-100 ms on a 2-core EPYC; a real routing graph's patterns add
 * up to a few hundred). With MAX_PATTERN_INPUT characters read
 * per test, a lead that runs every pattern once costs at most this times MAX_PATTERN_INPUT units, which is
 * the interpreter's per-lead pattern budget (LEAD_PATTERN_BUDGET): a published graph cannot exceed it on
 * one pass through its conditions, whatever the lead carries.
 */
export const MAX_PATTERN_STEPS_PER_GRAPH = 3_000;

/** Worst-case work of one pass through all of a graph's patterns, in the interpreter's budget units. */
export const MAX_GRAPH_PATTERN_WORK = MAX_PATTERN_STEPS_PER_GRAPH * MAX_PATTERN_INPUT;

/**
 * Bounds the cost of a graph's patterns as a whole: one pattern is bounded by its own size (checkConditions
 * reports those), but a graph of hundreds of allowed patterns could still cost seconds per lead.
 */
export function checkPatternBudget(ctx: RuleContext): Problem[] {
  let clauses = 0;
  let steps = 0;
  for (const node of ctx.graph.nodes) {
    for (const group of conditionsOf(node)) {
      for (const clause of clausesOf(group)) {
        if (clause.operator !== 'matches' || typeof clause.value !== 'string') continue;
        clauses++;
        const compiled = compilePattern(clause.value, clause.caseSensitive === true);
        if (compiled.ok) steps += compiled.cost;
      }
    }
  }
  const out: Problem[] = [];
  if (clauses > MAX_PATTERN_CLAUSES) {
    out.push(
      problem(
        'patterns_too_costly',
        `The graph has ${clauses} "matches pattern" conditions; a routing graph may have at most ${MAX_PATTERN_CLAUSES}. Combine patterns with | or use "is one of" / "contains" where a pattern is not needed.`,
        { path: 'nodes' },
      ),
    );
  } else if (steps > MAX_PATTERN_STEPS_PER_GRAPH) {
    out.push(
      problem(
        'patterns_too_costly',
        `The graph's patterns together compile to ${steps} automaton steps; at most ${MAX_PATTERN_STEPS_PER_GRAPH} are allowed, so that no lead's conditions can take long to check. Simplify the largest patterns or use "is one of" / "contains".`,
        { path: 'nodes' },
      ),
    );
  }
  return out;
}
