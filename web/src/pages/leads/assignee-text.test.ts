import { describe, expect, it } from 'vitest';
import { assigneeName, unassignedText } from './assignee-text';
import type { TraceStep } from './use-lead-events';

const step = (over: Partial<TraceStep>): TraceStep => ({
  seq: 0,
  nodeId: 'n',
  nodeType: 'trigger',
  label: 'Step',
  at: '2026-03-04T12:00:00.000Z',
  durationMs: 0,
  input: {},
  decision: '',
  explanation: [],
  output: {},
  outcome: null,
  next: null,
  candidates: null,
  ...over,
});

describe('assigneeName', () => {
  it("uses the server's name, then the directory's, then the trace's, and the id only when nothing names it", () => {
    expect(assigneeName({ type: 'rep', id: 'rep-ana', name: 'Ana Diaz' })).toBe('Ana Diaz');
    expect(assigneeName({ type: 'queue', id: 'q-1', name: null }, { queues: [{ id: 'q-1', name: 'Unassigned leads' }] })).toBe('Unassigned leads');
    const steps = [step({ nodeType: 'assign', candidates: [{ repId: 'rep-gone', name: 'Gus Gone', verdict: 'chosen', reason: 'first in rotation' }] })];
    expect(assigneeName({ type: 'rep', id: 'rep-gone', name: null }, { reps: [] }, steps)).toBe('Gus Gone');
    expect(assigneeName({ type: 'rep', id: 'rep-x', name: null }, {}, steps)).toBe('rep-x');
  });
});

describe('unassignedText', () => {
  const noRep = step({ seq: 1, nodeType: 'assign', label: 'Ghost only', decision: 'No eligible rep', outcome: 'no_eligible_rep', next: 'done' });
  it('says how a finished run without an assignee ended, and which step found nobody', () => {
    expect(unassignedText({ status: 'completed', outcome: 'unrouted' }, [step({}), noRep, step({ seq: 2, nodeType: 'end', decision: 'Ended: unrouted' })])).toEqual({
      headline: 'Ended without an assignee: unrouted',
      reason: 'Ghost only: No eligible rep',
    });
    expect(unassignedText({ status: 'completed', outcome: null }, [])).toEqual({ headline: 'Ended without an assignee', reason: null });
  });

  it('tells a failed run from one still on its way', () => {
    expect(unassignedText({ status: 'failed', outcome: null }, [noRep]).headline).toBe('Failed before anyone was assigned');
    expect(unassignedText({ status: 'running', outcome: null }, [noRep])).toEqual({ headline: 'Not assigned yet', reason: null });
  });
});
