import { describe, expect, it } from 'vitest';
import { resolveWait, SimulationEffects, waitChoiceAt } from './sim-effects';
import { defaultWorkspaceSettings } from '../directory/schema';

// The pieces of simulated waits the backtest shares with test runs: which choice a lead's n-th wait gets,
// how it ends against the SLA, and a lead started (or resumed) at an instant of its own.

describe('simulated waits', () => {
  it("a list applies wait by wait, its last entry repeating; nothing is accepted at once", () => {
    const list = [{ outcome: 'timed_out' as const }, { outcome: 'accepted' as const, afterMinutes: 2 }];
    expect([1, 2, 3].map((round) => waitChoiceAt(list, round).outcome)).toEqual(['timed_out', 'accepted', 'accepted']);
    expect(waitChoiceAt(undefined, 1)).toEqual({ outcome: 'accepted', afterMinutes: 0 });
    expect(waitChoiceAt([], 4)).toEqual({ outcome: 'accepted', afterMinutes: 0 });
  });

  it('an answer at or past the SLA times out at the SLA; milliseconds win over minutes', () => {
    expect(resolveWait({ outcome: 'accepted', afterMinutes: 5 }, 15 * 60_000)).toEqual({ outcome: 'accepted', elapsedMs: 5 * 60_000 });
    expect(resolveWait({ outcome: 'rejected', afterMs: 61_234, afterMinutes: 9 }, 15 * 60_000)).toEqual({ outcome: 'rejected', elapsedMs: 61_234 });
    expect(resolveWait({ outcome: 'accepted', afterMs: 15 * 60_000 }, 15 * 60_000)).toEqual({ outcome: 'timed_out', elapsedMs: 15 * 60_000 });
    expect(resolveWait({ outcome: 'timed_out' }, 5_000)).toEqual({ outcome: 'timed_out', elapsedMs: 5_000 });
  });

  it('a lead begins at the start time, or at an instant given', () => {
    const effects = new SimulationEffects({ directory: { reps: [], teams: [], territories: [], accounts: [], queues: [], companies: [], customFields: [], settings: defaultWorkspaceSettings() }, startTime: 1_000 });
    effects.beginLead('a');
    expect(effects.now()).toBe(1_000);
    effects.beginLead('b', 5_000);
    expect(effects.now()).toBe(5_000);
  });
});
