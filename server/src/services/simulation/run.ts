import {
  addToSummary,
  buildCatalog,
  emptySummary,
  normalizeLead,
  simulateEach,
  type Directory,
  type EarlierLead,
  type FieldProblem,
  type Plan,
  type RoutingStateSnapshot,
  type RunResult,
  type SimulationLead,
  type SimulationSummary,
  type TraceStep,
  type WaitPlan,
} from '@lead-router/shared';

// The batch simulation of a test run, pure (no database, no HTTP): it runs inside the simulation threads
// (simulation.worker.ts), and directly in unit tests.

/** How much of each run a simulation answers with: every step, or only the path (for big batches). */
export type SimulationDetail = 'full' | 'path';

/** One lead's result, as the CLI's `simulate --json` prints it. */
export interface SimulatedLead {
  leadId: string;
  outcome: string;
  assignee: string | null;
  assigneeType: 'rep' | 'queue' | null;
  path: string[];
  /** Every step, when detail is `full`. */
  steps?: TraceStep[];
  /** Why the lead could not run (outcome `invalid`). */
  problems?: Array<{ field: string; message: string }>;
}

/** A simulation's answer: each lead's result in input order and counts over all of them. */
export interface SimulationResponse {
  results: SimulatedLead[];
  summary: SimulationSummary;
}

/** Options of one batch simulation. */
export interface RunSimulationOptions {
  directory: Directory;
  /** The routing state to start from (production's, for test runs on the canvas). */
  state?: RoutingStateSnapshot;
  /** The virtual instant each lead starts at, ms since epoch. */
  startTime: number;
  waits?: WaitPlan;
  detail: SimulationDetail;
  /** Production's earlier leads sharing an email with the batch, for match_account's duplicate check. */
  earlierLeads?: EarlierLead[];
}

/** The id a lead is known by in results: its `id` field, else its 1-based position. */
export function leadIdOf(raw: unknown, position: number): string {
  const id = raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>).id : undefined;
  if (typeof id === 'string' && id.trim() !== '') return id.trim();
  if (typeof id === 'number' && Number.isFinite(id)) return String(id);
  return String(position);
}

/**
 * Normalises each raw lead, runs the valid ones through `plan` with the shared `simulate` (one shared
 * in-memory state, so turns and loads carry across the batch) and answers in input order. An invalid lead
 * is reported with its problems (outcome `invalid`) and the rest still run. Pure: nothing is written.
 *
 * The summary counts every lead given: invalid ones under `byOutcome.invalid` and in `unassigned`, so
 * `byOutcome` and `byAssignee` + `unassigned` each add up to `leads`.
 */
export function runSimulation(plan: Plan, rawLeads: readonly unknown[], options: RunSimulationOptions): SimulationResponse {
  const results: SimulatedLead[] = [];
  const summary = simulateLeadByLead(plan, rawLeads, options, (lead) => results.push(lead));
  return { results, summary };
}

/**
 * `runSimulation`, answered as its JSON text (the very text `JSON.stringify` gives of its answer), built
 * lead by lead so no run is held longer than it takes to write it. `onGrow` hears the text's size in bytes
 * after each lead and may throw to stop the batch there (the answer would be too large).
 */
export function runSimulationJson(plan: Plan, rawLeads: readonly unknown[], options: RunSimulationOptions, onGrow: (bytes: number, leadsDone: number) => void): string {
  const parts: string[] = ['{"results":['];
  let bytes = parts[0]!.length;
  let done = 0;
  const summary = simulateLeadByLead(plan, rawLeads, options, (lead) => {
    const text = (done > 0 ? ',' : '') + JSON.stringify(lead);
    parts.push(text);
    bytes += Buffer.byteLength(text);
    done++;
    onGrow(bytes, done);
  });
  const tail = `],"summary":${JSON.stringify(summary)}}`;
  parts.push(tail);
  onGrow(bytes + Buffer.byteLength(tail), done);
  return parts.join('');
}

/** Runs the batch and hands each lead's result to `emit` in input order; answers the summary over all. */
function simulateLeadByLead(plan: Plan, rawLeads: readonly unknown[], options: RunSimulationOptions, emit: (lead: SimulatedLead) => void): SimulationSummary {
  const catalog = buildCatalog(options.directory.customFields);
  const runnable: SimulationLead[] = [];
  const slots: Array<{ run: number } | { leadId: string; problems: FieldProblem[] }> = [];
  rawLeads.forEach((raw, i) => {
    const leadId = leadIdOf(raw, i + 1);
    // Test leads are typed or pasted by people: read "1,200" as a number, as CSV imports do.
    const n = normalizeLead(raw, catalog, { coerceStrings: true });
    if (n.ok) {
      slots.push({ run: runnable.length });
      runnable.push({ leadId, lead: n.lead });
    } else slots.push({ leadId, problems: n.problems });
  });
  const full = options.detail === 'full';
  const summary = emptySummary();
  // Invalid leads are answered in their place: those before each run, then those after the last.
  const slotOfRun: number[] = [];
  slots.forEach((s, i) => {
    if ('run' in s) slotOfRun.push(i);
  });
  let next = 0;
  const emitInvalidUpTo = (end: number) => {
    for (; next < end; next++) {
      const s = slots[next]!;
      if ('problems' in s) emit(invalidLead(s.leadId, s.problems, full));
    }
  };
  const effects = {
    directory: options.directory,
    startTime: options.startTime,
    ...(options.state ? { state: options.state } : {}),
    ...(options.waits ? { waits: options.waits } : {}),
    ...(options.earlierLeads ? { earlierLeads: options.earlierLeads } : {}),
  };
  simulateEach(plan, runnable, effects, (r, i) => {
    emitInvalidUpTo(slotOfRun[i]!);
    next++;
    addToSummary(summary, r);
    emit(toSimulatedLead(r, full));
  });
  emitInvalidUpTo(slots.length);
  const invalid = slots.length - runnable.length;
  if (invalid > 0) {
    summary.leads += invalid;
    summary.unassigned += invalid;
    summary.byOutcome.invalid = (summary.byOutcome.invalid ?? 0) + invalid;
  }
  return summary;
}

function invalidLead(leadId: string, problems: readonly FieldProblem[], full: boolean): SimulatedLead {
  return {
    leadId,
    outcome: 'invalid',
    assignee: null,
    assigneeType: null,
    path: [],
    ...(full ? { steps: [] } : {}),
    problems: problems.map((p) => ({ field: p.field, message: p.message })),
  };
}

function toSimulatedLead(r: RunResult, full: boolean): SimulatedLead {
  return {
    leadId: r.leadId,
    outcome: r.outcome,
    assignee: r.assignee ? r.assignee.id : null,
    assigneeType: r.assignee ? r.assignee.type : null,
    path: r.path,
    ...(full ? { steps: r.steps } : {}),
  };
}
