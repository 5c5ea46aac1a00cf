import { z } from 'zod';
import type { Lead } from '../fields/lead';
import { interpretSync, isPaused } from '../interpreter/interpret';
import type { RunResult } from '../interpreter/trace';
import type { Plan } from '../plan';
import { SimulationEffects, type SimulationOptions } from './sim-effects';

/** A lead to simulate, with the id it is known by (its `id` field, or its row number). */
export interface SimulationLead {
  leadId: string;
  lead: Lead;
}

/** Counts over a batch of runs: what the CLI's `simulate --json` and the canvas's test-run summary show. */
export interface SimulationSummary {
  leads: number;
  /** Final assignee id (rep or queue) -> leads; leads that end with nobody are not counted here. */
  byAssignee: Record<string, number>;
  /** End outcome name -> leads. */
  byOutcome: Record<string, number>;
  /** Node id -> leads that passed through it (each lead counted once per node). */
  byNode: Record<string, number>;
  /** `source:outcome` -> times a lead left that node by that outcome (drawn on the canvas's edges). */
  byEdge: Record<string, number>;
  /** Leads that ended with nobody assigned. */
  unassigned: number;
}

/** The schema of a SimulationSummary, for those who send or read one (the server's test-run responses). */
export const SimulationSummarySchema = z.object({
  leads: z.number(),
  byAssignee: z.record(z.string(), z.number()),
  byOutcome: z.record(z.string(), z.number()),
  byNode: z.record(z.string(), z.number()),
  byEdge: z.record(z.string(), z.number()).describe('`node:outcome` -> times taken'),
  unassigned: z.number(),
});
// The interface above and the schema describe one shape: a field added to one and not the other fails here.
const summaryMatches: [z.infer<typeof SimulationSummarySchema>] extends [SimulationSummary]
  ? [SimulationSummary] extends [z.infer<typeof SimulationSummarySchema>]
    ? true
    : false
  : false = true;
void summaryMatches;

/** A batch simulation: every lead's run, in input order, and the summary. */
export interface SimulationReport {
  results: RunResult[];
  summary: SimulationSummary;
}

/**
 * Runs a batch of leads through a plan on simulated effects. Leads run one after another against the same
 * in-memory routing state, so round-robin turns and loads carry across the batch as they would in production.
 */
export function simulate(plan: Plan, leads: readonly SimulationLead[], options: SimulationOptions): SimulationReport {
  const results: RunResult[] = [];
  simulateEach(plan, leads, options, (r) => results.push(r));
  return { results, summary: summarize(results) };
}

/**
 * `simulate` without keeping the runs: each lead's result goes to `visit` as soon as its run ends, in input
 * order, and is not held afterwards, so a caller can count and serialise a big batch lead by lead. `visit`
 * may throw to stop the batch there.
 */
export function simulateEach(plan: Plan, leads: readonly SimulationLead[], options: SimulationOptions, visit: (result: RunResult, index: number) => void): void {
  const effects = new SimulationEffects(options);
  leads.forEach(({ leadId, lead }, i) => {
    effects.beginLead(leadId);
    const r = interpretSync(plan, lead, effects, { leadId });
    // No pause hook is given, so a run always finishes; the check keeps the types honest.
    if (!isPaused(r)) visit(r, i);
  });
}

/** Summarises runs into per-assignee, per-outcome, per-node and per-edge counts. */
export function summarize(results: readonly RunResult[]): SimulationSummary {
  const summary = emptySummary();
  for (const r of results) addToSummary(summary, r);
  return summary;
}

/** A summary of no runs, to count runs into one at a time with `addToSummary`. */
export function emptySummary(): SimulationSummary {
  return { leads: 0, byAssignee: {}, byOutcome: {}, byNode: {}, byEdge: {}, unassigned: 0 };
}

/** Counts one run into `summary` (as `summarize` counts each of its runs, in the same key order). */
export function addToSummary(summary: SimulationSummary, r: RunResult): void {
  const inc = (rec: Record<string, number>, k: string) => {
    rec[k] = (Object.prototype.hasOwnProperty.call(rec, k) ? (rec[k] as number) : 0) + 1;
  };
  summary.leads++;
  if (r.assignee) inc(summary.byAssignee, r.assignee.id);
  else summary.unassigned++;
  inc(summary.byOutcome, r.outcome);
  const seen = new Set<string>();
  for (const s of r.steps) {
    if (!seen.has(s.nodeId)) {
      seen.add(s.nodeId);
      inc(summary.byNode, s.nodeId);
    }
    if (s.outcome !== null) inc(summary.byEdge, `${s.nodeId}:${s.outcome}`);
  }
}
