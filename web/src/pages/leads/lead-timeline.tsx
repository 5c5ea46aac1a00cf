import { formatDuration } from '../../ui/format';
import { Instant } from '../../ui/instant';
import { Tip } from '../../ui/tooltip';
import { milestonePoints } from './milestones';
import type { RunState, TraceStep } from './use-lead-events';

/** Where an earlier run ended in the trace, and how. */
export interface EarlierRunMark {
  runNumber: number;
  lastSeq: number;
  endedReason: string;
  endedByName: string;
  endedAt: string;
}

/** The milestones of a run in the order they happened (milestones.ts), with the time between them. */
export function Milestones({ receivedAt, state }: { receivedAt: string; state: RunState | null }) {
  return (
    <ol className="milestones" aria-label="Milestones">
      {milestonePoints(receivedAt, state).map((p) => (
        <li key={p.id} className={p.at ? 'reached' : 'pending'} data-milestone={p.id}>
          <span className="milestone-label">{p.label}</span>
          <span className="milestone-at">{p.at ? <Instant iso={p.at} seconds /> : 'not yet'}</span>
          {p.sincePrevMs !== null && p.sinceReceivedMs !== null && (
            <Tip content="Since the step before, and since received">
              <span className="milestone-delta">
                +{formatDuration(p.sincePrevMs)} ({formatDuration(p.sinceReceivedMs)} total)
              </span>
            </Tip>
          )}
        </li>
      ))}
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
