import type { StoredTraceStep } from '@lead-router/shared';
import { useEffect, useState } from 'react';
import type { LeadDetail } from './queries';

/** One step of a lead's trace, as the server streams it (the shared schema of a stored trace step). */
export type TraceStep = StoredTraceStep;

/** The run's state, as the stream's `status` events report it. */
export type RunState = Pick<LeadDetail, 'status' | 'assignee' | 'outcome' | 'deadlineAt' | 'firstAssignedAt' | 'assignedAt' | 'acceptedAt' | 'completedAt'> & { leadId: string };

export interface LeadEvents {
  steps: TraceStep[];
  state: RunState | null;
  /** The run completed or failed: the stream closed for good. */
  ended: boolean;
  /** The stream is (re)connecting after an interruption. */
  reconnecting: boolean;
}

/**
 * Follows a lead's live trace over server-sent events (`/api/leads/:id/events`): every step so far, then
 * each new one as the worker writes it, and the run's state on every change. The browser's EventSource
 * reconnects by itself with Last-Event-ID, so a dropped connection resumes without repeating steps.
 */
export function useLeadEvents(leadId: string): LeadEvents {
  const [events, setEvents] = useState<LeadEvents>({ steps: [], state: null, ended: false, reconnecting: false });
  useEffect(() => {
    setEvents({ steps: [], state: null, ended: false, reconnecting: false });
    const source = new EventSource(`/api/leads/${encodeURIComponent(leadId)}/events`);
    source.addEventListener('step', (e) => {
      const step = JSON.parse((e as MessageEvent<string>).data) as TraceStep;
      setEvents((s) => (s.steps.some((x) => x.seq === step.seq) ? s : { ...s, reconnecting: false, steps: [...s.steps, step].sort((a, b) => a.seq - b.seq) }));
    });
    source.addEventListener('status', (e) => {
      const state = JSON.parse((e as MessageEvent<string>).data) as RunState;
      setEvents((s) => ({ ...s, state, reconnecting: false }));
    });
    source.addEventListener('end', (e) => {
      const state = JSON.parse((e as MessageEvent<string>).data) as RunState;
      setEvents((s) => ({ ...s, state, ended: true }));
      source.close();
    });
    source.onerror = () => setEvents((s) => (s.ended ? s : { ...s, reconnecting: true }));
    return () => source.close();
  }, [leadId]);
  return events;
}
