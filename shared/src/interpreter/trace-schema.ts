import { z } from 'zod';
import type { Candidate, CandidateVerdict } from '../assignment/types';
import { LeadSchema, LeadValueSchema } from '../fields/lead';
import { NODE_TYPES, type NodeType } from '../graph/node';
import type { FieldChange, StepChanges, TraceStep } from './trace';

// The one schema of a trace step's payload, for everything that sends or reads one: the server's test-run
// and lead-trace responses (and so the OpenAPI document), the live stream, and the web. The interpreter's
// TS types (trace.ts, assignment/types.ts) are checked against these at the bottom of this file, so the
// two cannot drift apart.

/** Why a candidate rep was or was not chosen. */
export const CandidateVerdictSchema = z.enum([
  'chosen',
  'not_this_turn',
  'inactive',
  'out_of_office',
  'outside_working_hours',
  'on_holiday',
  'over_daily_cap',
  'over_open_cap',
  'missing_skill',
  'previously_assigned',
  'not_in_directory',
  // Availability and period caps (#16):
  'offline',
  'over_weekly_cap',
  'over_monthly_cap',
  'over_team_cap',
]);

/** One candidate an assignment considered, with its verdict and a sentence a rep understands. */
export const CandidateSchema = z.object({
  repId: z.string(),
  name: z.string(),
  verdict: CandidateVerdictSchema,
  reason: z.string(),
});

/** One lead field a step changed, before and after (absent as null; text over 500 characters cut, the rest counted). */
export const FieldChangeSchema = z.object({ field: z.string(), before: LeadValueSchema, after: LeadValueSchema });

/** The lead fields a step changed: at most 50, the others counted in `omitted`. */
export const StepChangesSchema = z.object({ fields: z.array(FieldChangeSchema), omitted: z.number().int() });

/** One step of a run as the interpreter yields it (test runs answer these): `at` is ms since the epoch. */
export const TraceStepSchema = z.object({
  seq: z.number().int(),
  nodeId: z.string(),
  nodeType: z.enum(NODE_TYPES as [NodeType, ...NodeType[]]),
  label: z.string(),
  at: z.number().describe('Virtual instant, ms since the epoch'),
  durationMs: z.number(),
  input: LeadSchema,
  decision: z.string(),
  explanation: z.array(z.string()),
  output: z.record(z.string(), z.unknown()),
  outcome: z.string().nullable(),
  next: z.string().nullable(),
  changes: StepChangesSchema.optional().describe('The lead fields the step set or changed; absent when none (and in traces stored before it was recorded)'),
});

/**
 * One step of a real lead's run as the worker stored it and the API answers it: `at` is an ISO instant, the
 * assignment's candidates are kept (null for steps that assign nobody), and the node type is plain text, so
 * a trace stays readable after a node type is retired.
 */
export const StoredTraceStepSchema = TraceStepSchema.extend({
  nodeType: z.string(),
  at: z.string(),
  candidates: z.array(CandidateSchema).nullable(),
});

/** A stored trace step (see StoredTraceStepSchema). */
export type StoredTraceStep = z.infer<typeof StoredTraceStepSchema>;

// The interpreter's types are these schemas' types: a field added to one and not the other fails to compile.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const traceStepMatches: Same<z.infer<typeof TraceStepSchema>, TraceStep> = true;
const candidateMatches: Same<z.infer<typeof CandidateSchema>, Candidate> = true;
const verdictMatches: Same<z.infer<typeof CandidateVerdictSchema>, CandidateVerdict> = true;
const changeMatches: Same<z.infer<typeof FieldChangeSchema>, FieldChange> = true;
const changesMatch: Same<z.infer<typeof StepChangesSchema>, StepChanges> = true;
void [traceStepMatches, candidateMatches, verdictMatches, changeMatches, changesMatch];
