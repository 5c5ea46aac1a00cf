import type { RunState, TraceStep } from './use-lead-events';

/** Who holds a lead: a rep or a queue, with its name when the server knows it. */
export type Assignee = NonNullable<RunState['assignee']>;

/** Reps and queues by id, to name an assignee the server could not name. */
export interface KnownNames {
  reps?: ReadonlyArray<{ id: string; name: string }>;
  queues?: ReadonlyArray<{ id: string; name: string }>;
}

/** The assignee's name from the trace: an assignment's chosen candidate, or a step that moved the lead to it. */
function nameFromTrace(a: Assignee, steps: readonly TraceStep[]): string | null {
  for (const s of [...steps].reverse()) {
    const c = s.candidates?.find((x) => x.repId === a.id && x.verdict === 'chosen');
    if (c) return c.name;
  }
  return null;
}

/**
 * The name to show for an assignee, never a bare id while a name is known anywhere: the server's (the
 * directory now), the directory the page loaded, or the trace (a rep removed since still has its name
 * there); the id only when nothing names it.
 */
export function assigneeName(a: Assignee, known: KnownNames = {}, steps: readonly TraceStep[] = []): string {
  if (a.name) return a.name;
  const list = a.type === 'rep' ? known.reps : known.queues;
  return list?.find((x) => x.id === a.id)?.name ?? (a.type === 'rep' ? nameFromTrace(a, steps) : null) ?? a.id;
}

/** The step that explains why nobody holds the lead: the last assignment or escalation that found nobody. */
function whyNobody(steps: readonly TraceStep[]): string | null {
  const s = [...steps].reverse().find((x) => (x.nodeType === 'assign' || x.nodeType === 'escalate') && (x.outcome === 'no_eligible_rep' || x.outcome === 'no_target'));
  return s ? `${s.label}: ${s.decision}` : null;
}

/**
 * What the lead page says when nobody holds the lead: a finished run says how it ended (its outcome, and
 * the step that found nobody); a failed one that it failed; a run still going that nobody holds it yet.
 */
export function unassignedText(state: Pick<RunState, 'status' | 'outcome'>, steps: readonly TraceStep[]): { headline: string; reason: string | null } {
  if (state.status === 'completed') return { headline: `Ended without an assignee${state.outcome ? `: ${state.outcome}` : ''}`, reason: whyNobody(steps) };
  if (state.status === 'failed') return { headline: 'Failed before anyone was assigned', reason: whyNobody(steps) };
  return { headline: 'Not assigned yet', reason: null };
}
