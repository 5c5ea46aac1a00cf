import type { Assignee } from '../assignment/types';
import type { Lead, LeadValue } from '../fields/lead';
import type { NodeType } from '../graph/node';

/** One step of a run: what a node read, decided and why, what it wrote, and where the lead went next. */
export interface TraceStep {
  seq: number;
  nodeId: string;
  nodeType: NodeType;
  label: string;
  /** The instant the step started (virtual in simulation), ms since the epoch. */
  at: number;
  /** Time the step took (a wait's elapsed time; 0 for instant steps). */
  durationMs: number;
  /** Snapshot of the lead fields the step read. */
  input: Record<string, LeadValue>;
  /** The decision in a few words: `Enterprise`, `assigned to Ana Diaz`, `timed out after 15 minutes`. */
  decision: string;
  /** Why: one line per clause or candidate, nested lines indented by two spaces. */
  explanation: string[];
  /** What the step wrote: fields set, assignee, delivery results. */
  output: Record<string, unknown>;
  /** The outcome taken, or null at an end. */
  outcome: string | null;
  /** The next node, or null when the run ends here. */
  next: string | null;
  /**
   * The lead fields this step set or changed (enrich, score, update, an account matched, the owner an
   * assignment gave), before and after, bounded (see interpreter/changes.ts); absent when it changed none.
   */
  changes?: StepChanges;
}

/** One lead field a step changed: its value before and after (absent as null, long text cut). */
export interface FieldChange {
  field: string;
  before: LeadValue;
  after: LeadValue;
}

/** What a step changed on the lead: at most 50 fields, the count of the others in `omitted`. */
export interface StepChanges {
  fields: FieldChange[];
  omitted: number;
}

/** How a run ended. */
export type RunStatus = 'completed' | 'step_limit' | 'failed';

/** The result of running one lead through a plan. */
export interface RunResult {
  leadId: string;
  status: RunStatus;
  /** The end node's outcome name; `step_limit` or `failed` when the run did not reach an end. */
  outcome: string;
  /** Who holds the lead at the end: a rep, a queue, or nobody. */
  assignee: Assignee | null;
  /** Node ids in the order visited. */
  path: string[];
  steps: TraceStep[];
  /** The lead as it left the graph (with score, grade, owner, account...). */
  lead: Lead;
  startedAt: number;
  endedAt: number;
  error?: string;
}
