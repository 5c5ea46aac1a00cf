import { describe, expect, it } from 'vitest';
import { compile } from '../compiler/index';
import { DirectorySchema } from '../directory/schema';
import { businessSlaDirectory, businessSlaGraph } from '../fixtures/business-sla';
import { interpretSync, isPaused } from '../interpreter/interpret';
import type { TraceStep } from '../interpreter/trace';
import { SimulationEffects, type WaitChoice } from './sim-effects';

// Issue #16, item 4 in a test run: a wait of 3 working hours on two-hours-on, two-off shifts, reminders at
// 50% and 80%, as the workflow counts it (business-sla.test.ts in the worker holds the two together).

const directory = DirectorySchema.parse(businessSlaDirectory);
const compiled = compile(businessSlaGraph, { directory });
if (!compiled.ok) throw new Error(compiled.problems.map((p) => p.message).join('; '));
const plan = compiled.plan;

function run(startIso: string, wait: WaitChoice): TraceStep[] {
  const effects = new SimulationEffects({ directory, startTime: Date.parse(startIso), waits: { default: wait } });
  effects.beginLead('L-1');
  const steps: TraceStep[] = [];
  const r = interpretSync(plan, { email: 'x@acme.com', company: 'Acme' }, effects, { leadId: 'L-1', onStep: (s) => void steps.push(s) });
  if (isPaused(r)) throw new Error('paused');
  expect(r.steps).toEqual(steps);
  return steps;
}

const iso = (ms: number) => new Date(ms).toISOString();

describe('a business-hours SLA in simulation', () => {
  it('times out at the working-time deadline; reminders at 50% and 80% are notify steps', () => {
    // Wednesday 2026-12-09 09:00 Berlin (08:00 UTC): 1 h to 10:00, break, 12:00-14:00 holds the other 2 h.
    // 50% (1.5 h): 12:30; 80% (2.4 h): 13:24; deadline 14:00 Berlin.
    const steps = run('2026-12-09T08:00:00Z', { outcome: 'timed_out' });
    expect(steps.map((s) => [s.seq, s.nodeId, s.nodeType, s.outcome])).toEqual([
      [1, 'trigger', 'trigger', 'next'],
      [2, 'assign', 'assign', 'assigned'],
      [3, 'sla', 'wait', 'timed_out'],
      [4, 'sla', 'notify', 'reminded'],
      [5, 'sla', 'notify', 'reminded'],
      [6, 'end-late', 'end', null],
    ]);
    const wait = steps[2] as TraceStep;
    expect(wait.output).toMatchObject({ clock: 'business', deadline: Date.parse('2026-12-09T13:00:00Z') });
    expect(wait.durationMs).toBe(5 * 3_600_000);
    expect(wait.explanation[0]).toBe("Waited for Sasha Shift to accept the lead, SLA 3 hours of Sasha Shift's working time (Europe/Berlin): due 2026-12-09 14:00 Europe/Berlin");
    expect(steps.slice(3, 5).map((s) => [iso(s.at), s.label, s.decision])).toEqual([
      ['2026-12-09T11:30:00.000Z', 'Accept within 3 working hours: reminder at 50%', 'Reminder sent in-app (50% of the SLA)'],
      ['2026-12-09T12:24:00.000Z', 'Accept within 3 working hours: reminder at 80%', 'Reminder sent in-app (80% of the SLA)'],
    ]);
    expect(steps[3]?.explanation).toEqual(['Test run: would send in-app to Sasha Shift; nothing was sent']);
    expect(iso((steps[5] as TraceStep).at)).toBe('2026-12-09T13:00:00.000Z');
  });

  it('an answer before a reminder stops the reminders still to come', () => {
    // Accepted 4 h of real time after 09:00 (13:00 Berlin): after the 50% reminder (12:30), before 80% (13:24).
    const steps = run('2026-12-09T08:00:00Z', { outcome: 'accepted', afterMinutes: 240 });
    expect(steps.map((s) => [s.nodeId, s.nodeType, s.outcome])).toEqual([
      ['trigger', 'trigger', 'next'],
      ['assign', 'assign', 'assigned'],
      ['sla', 'wait', 'accepted'],
      ['sla', 'notify', 'reminded'],
      ['end-routed', 'end', null],
    ]);
    expect(steps[3]?.output).toMatchObject({ reminder: 50 });
  });
});
