import type { RunState } from './use-lead-events';

/** One milestone of a run: reached (`at` set) or not yet. */
export interface MilestonePoint {
  id: 'received' | 'assigned' | 'reassigned' | 'accepted' | 'completed';
  label: string;
  at: string | null;
  /** Milliseconds since the milestone reached just before it, and since received (reached ones only). */
  sincePrevMs: number | null;
  sinceReceivedMs: number | null;
}

/**
 * The milestones of a run: received -> assigned (the first assignment: speed to lead) -> re-assigned (the
 * latest, when an SLA or a rejection moved the lead) -> accepted -> completed. The reached ones are listed in
 * the order they happened, which is not always that one: a lead claimed from a queue after its route ended
 * (the queue was the last step) was accepted after it completed. Each delta is therefore never negative.
 */
export function milestonePoints(receivedAt: string, state: RunState | null): MilestonePoint[] {
  const first = state?.firstAssignedAt ?? state?.assignedAt ?? null;
  const reassigned = state?.assignedAt && first && state.assignedAt !== first ? state.assignedAt : null;
  const all: Omit<MilestonePoint, 'sincePrevMs' | 'sinceReceivedMs'>[] = [
    { id: 'received', label: 'Received', at: receivedAt },
    { id: 'assigned', label: 'Assigned', at: first },
    ...(reassigned ? [{ id: 'reassigned' as const, label: 'Re-assigned', at: reassigned }] : []),
    { id: 'accepted', label: 'Accepted', at: state?.acceptedAt ?? null },
    { id: 'completed', label: 'Completed', at: state?.completedAt ?? null },
  ];
  const t = (iso: string) => new Date(iso).getTime();
  // A stable sort by time of the reached ones (the natural order breaks ties); the pending ones after them.
  const reached = all.filter((p) => p.at).sort((a, b) => t(a.at as string) - t(b.at as string));
  const pending = all.filter((p) => !p.at);
  const t0 = t(receivedAt);
  return [
    ...reached.map((p, i) => {
      const prev = i > 0 ? reached[i - 1] : undefined;
      return {
        ...p,
        sincePrevMs: prev ? t(p.at as string) - t(prev.at as string) : null,
        sinceReceivedMs: i > 0 ? t(p.at as string) - t0 : null,
      };
    }),
    ...pending.map((p) => ({ ...p, sincePrevMs: null, sinceReceivedMs: null })),
  ];
}
