import { describe, expect, it } from 'vitest';
import { compile } from '../compiler/index';
import { DirectorySchema } from '../directory/schema';
import type { Lead } from '../fields/lead';
import { demoDirectory, EXAMPLE_LEADS, hybridRoutingGraph } from '../fixtures/index';
import { simulate } from './simulate';

// Issue 13: trace texts name people, never ids, in test runs as in production ("Rejected by Ana Diaz").

const directory = DirectorySchema.parse(demoDirectory);

describe('names in simulated trace texts', () => {
  it('names the rep a planned answer comes from and the recipient of a notification, and no rep id appears', () => {
    const r = compile(hybridRoutingGraph, { directory });
    if (!r.ok) throw new Error('fixture does not compile');
    const lead = EXAMPLE_LEADS.find((l) => l.id === 'L-1') as Lead;
    const report = simulate(r.plan, [{ leadId: 'L-1', lead }], { directory, startTime: Date.parse('2026-11-24T15:00:00Z'), waits: { default: [{ outcome: 'rejected', afterMinutes: 2 }, { outcome: 'accepted' }] } });
    const steps = report.results[0]!.steps;
    const sla = steps.find((s) => s.nodeId === 'sla');
    expect(sla?.explanation).toContain('Test run: planned rejected by Ana Diaz after 2 minutes');
    expect(steps.find((s) => s.nodeId === 'notify-rep')?.explanation).toEqual(['Test run: would send in-app to Ana Diaz; nothing was sent']);
    for (const s of steps) expect(`${s.decision} ${s.explanation.join(' ')}`).not.toMatch(/\brep-[a-z]+/);
  });
});
