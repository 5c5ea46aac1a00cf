import type { Candidate, TraceStep } from '@lead-router/shared';
import type { traceSteps } from './schema';

const int32 = (n: number): number => (Number.isFinite(n) ? Math.max(0, Math.min(2_147_483_647, Math.round(n))) : 0);

/** The trace_steps row of one interpreter step: the one mapping the worker and the demo history both write. */
export function traceStepRow(leadId: string, step: TraceStep): typeof traceSteps.$inferInsert {
  const output = step.output ?? {};
  return {
    leadId,
    seq: step.seq,
    nodeId: step.nodeId,
    nodeType: step.nodeType,
    label: step.label,
    at: new Date(step.at),
    durationMs: int32(step.durationMs ?? 0),
    input: step.input ?? {},
    decision: step.decision,
    explanation: step.explanation ?? [],
    output,
    outcome: step.outcome,
    next: step.next,
    candidates: Array.isArray(output.candidates) ? (output.candidates as Candidate[]) : null,
  };
}

/** The same row as `traceStepRow`, as jsonb_to_recordset reads it (snake_case keys, instants as ISO text). */
export function traceStepRecord(step: TraceStep): Record<string, unknown> {
  const output = step.output ?? {};
  return {
    seq: step.seq,
    node_id: step.nodeId,
    node_type: step.nodeType,
    label: step.label,
    at: new Date(step.at).toISOString(),
    duration_ms: int32(step.durationMs ?? 0),
    input: step.input ?? {},
    decision: step.decision,
    explanation: step.explanation ?? [],
    output,
    outcome: step.outcome ?? null,
    next: step.next ?? null,
    candidates: Array.isArray(output.candidates) ? output.candidates : null,
  };
}
