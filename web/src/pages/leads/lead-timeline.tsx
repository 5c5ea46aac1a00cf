import { formatDuration } from '../../ui/format';
import { Instant } from '../../ui/instant';
import { Tip } from '../../ui/tooltip';
import type { RunState, TraceStep } from './use-lead-events';

/** Where an earlier run ended in the trace, and how. */
export interface EarlierRunMark {
  runNumber: number;
  lastSeq: number;
  endedReason: string;
  endedByName: string;
  endedAt: string;
}

/**
 * The milestones of a run, with the time between them: received -> assigned (the first assignment: speed to
 * lead) -> re-assigned (the latest, when an SLA or a rejection moved the lead) -> accepted -> completed.
 */
export function Milestones({ receivedAt, state }: { receivedAt: string; state: RunState | null }) {
  const first = state?.firstAssignedAt ?? state?.assignedAt;
  const reassigned = state?.assignedAt && first && state.assignedAt !== first ? state.assignedAt : null;
  const points: { id: string; label: string; at: string | null | undefined }[] = [
    { id: 'received', label: 'Received', at: receivedAt },
    { id: 'assigned', label: 'Assigned', at: first },
    ...(reassigned ? [{ id: 'reassigned', label: 'Re-assigned', at: reassigned }] : []),
    { id: 'accepted', label: 'Accepted', at: state?.acceptedAt },
    { id: 'completed', label: 'Completed', at: state?.completedAt },
  ];
  const t0 = new Date(receivedAt).getTime();
  return (
    <ol className="milestones" aria-label="Milestones">
      {points.map((p, i) => {
        const prev = points.slice(0, i).reverse().find((x) => x.at);
        return (
          <li key={p.id} className={p.at ? 'reached' : 'pending'} data-milestone={p.id}>
            <span className="milestone-label">{p.label}</span>
            <span className="milestone-at">{p.at ? <Instant iso={p.at} seconds /> : 'not yet'}</span>
            {p.at && i > 0 && (
              <Tip content="Since the step before, and since received">
                <span className="milestone-delta">
                  +{formatDuration(new Date(p.at).getTime() - new Date(prev?.at ?? receivedAt).getTime())} ({formatDuration(new Date(p.at).getTime() - t0)} total)
                </span>
              </Tip>
            )}
          </li>
        );
      })}
    </ol>
  );
}

/** The trace as a timeline: one entry per step, with its decision, its explanation and how long it took. */
export function TraceTimeline({ steps, live, current, runs = [] }: { steps: TraceStep[]; live: boolean; current?: string | null; runs?: readonly EarlierRunMark[] }) {
  // A lead re-routed or retried has several runs: each later run's first step follows a divider saying so.
  const dividers = new Map(runs.map((r) => [r.lastSeq, r]));
  return (
    <ol className="timeline" aria-label="Trace">
      {steps.flatMap((s, i) => {
        const ended = i > 0 ? [...dividers.entries()].find(([seq]) => seq < s.seq && seq >= (steps[i - 1]?.seq ?? 0))?.[1] : undefined;
        return [
          ...(ended
            ? [
                <li key={`run-${ended.runNumber}`} className="timeline-divider" data-testid="run-divider">
                  Run {ended.runNumber + 1}: {ended.endedReason === 'retried' ? 'retried' : 're-routed'} by {ended.endedByName} <Instant iso={ended.endedAt} />
                </li>,
              ]
            : []),
          <li key={s.seq} className={`timeline-step step-${s.nodeType}`} data-node-id={s.nodeId}>
          <div className="timeline-head">
            <span className="timeline-kind">{s.nodeType.replace(/_/g, ' ')}</span>
            <strong>{s.label}</strong>
            <span className="timeline-decision">{s.decision}</span>
            <span className="timeline-time">
              <Instant iso={s.at} seconds /> · {formatDuration(s.durationMs)}
            </span>
          </div>
          {s.explanation.length > 0 && (
            <ul className="timeline-why">
              {s.explanation.map((line, i) => (
                <li key={i}>{line}</li>
              ))}
            </ul>
          )}
          </li>,
        ];
      })}
      {/* A wait writes its step when it ends: until then, the run's current node says where it stands. */}
      {live && <li className="timeline-live">{current ? <>Now at <strong>{current}</strong>…</> : 'Waiting for the next step…'}</li>}
    </ol>
  );
}
