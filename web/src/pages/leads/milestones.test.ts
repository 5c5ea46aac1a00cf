import { describe, expect, it } from 'vitest';
import { milestonePoints } from './milestones';
import type { RunState } from './use-lead-events';

const state = (s: Partial<RunState>): RunState => ({
  leadId: 'l1',
  status: 'completed',
  assignee: null,
  outcome: null,
  deadlineAt: null,
  firstAssignedAt: null,
  assignedAt: null,
  acceptedAt: null,
  completedAt: null,
  ...s,
});

describe('milestonePoints', () => {
  it('lists the usual route in order, each delta from the milestone before', () => {
    const points = milestonePoints('2026-12-01T09:00:00.000Z', state({ firstAssignedAt: '2026-12-01T09:00:02.000Z', assignedAt: '2026-12-01T09:15:02.000Z', acceptedAt: '2026-12-01T09:20:00.000Z', completedAt: '2026-12-01T09:20:01.000Z' }));
    expect(points.map((p) => [p.id, p.sincePrevMs, p.sinceReceivedMs])).toEqual([
      ['received', null, null],
      ['assigned', 2_000, 2_000],
      ['reassigned', 900_000, 902_000],
      ['accepted', 298_000, 1_200_000],
      ['completed', 1_000, 1_201_000],
    ]);
  });

  it('a lead claimed from a queue after its route ended: accepted after completed, never a negative delta', () => {
    const points = milestonePoints('2026-12-01T09:00:00.000Z', state({ firstAssignedAt: '2026-12-01T09:00:01.000Z', assignedAt: '2026-12-01T09:10:00.000Z', completedAt: '2026-12-01T09:00:01.500Z', acceptedAt: '2026-12-01T09:10:00.000Z' }));
    expect(points.map((p) => p.id)).toEqual(['received', 'assigned', 'completed', 'reassigned', 'accepted']);
    for (const p of points) if (p.sincePrevMs !== null) expect(p.sincePrevMs).toBeGreaterThanOrEqual(0);
  });

  it('pending milestones follow the reached ones, without deltas', () => {
    const points = milestonePoints('2026-12-01T09:00:00.000Z', state({ status: 'waiting', firstAssignedAt: '2026-12-01T09:00:01.000Z', assignedAt: '2026-12-01T09:00:01.000Z' }));
    expect(points.map((p) => [p.id, p.at !== null, p.sincePrevMs])).toEqual([
      ['received', true, null],
      ['assigned', true, 1_000],
      ['accepted', false, null],
      ['completed', false, null],
    ]);
  });
});
