import { compile, DirectorySchema, type Plan } from '@lead-router/shared';
import { describe, expect, it } from 'vitest';
import { roundRobinDirectory, roundRobinGraph } from '../routes/test-runs/test-runs.fixtures';
import { compareWithHistory, type HistoricLead } from './backtest.service';

const directory = DirectorySchema.parse(roundRobinDirectory(2));
const compiled = compile(roundRobinGraph(), { directory });
if (!compiled.ok) throw new Error('test graph does not compile');
const plan: Plan = compiled.plan;

const lead = (id: string, data: Record<string, unknown>, actualAssignee: string | null): HistoricLead => ({
  id,
  data,
  receivedAt: new Date('2026-03-02T10:00:00Z'),
  actualAssignee,
  actualPath: actualAssignee ? ['trigger', 'assign', 'end-assigned'] : [],
});

describe('compareWithHistory', () => {
  it('carries the routing state from lead to lead, starting from the given one', () => {
    const r = compareWithHistory(plan, [lead('a', {}, 'rep-2'), lead('b', {}, 'rep-2')], directory, { lastChosen: { 'team:team-rr': 'rep-1' } });
    expect(r.leads.map((l) => [l.predicted.assignee, l.moved])).toEqual([
      ['rep-2', false],
      ['rep-1', true],
    ]);
    expect(r.summary).toEqual({ leads: 2, moved: 1, fallback: 0, shareBefore: { 'rep-2': 2 }, shareAfter: { 'rep-2': 1, 'rep-1': 1 } });
  });

  it('a stored lead that no longer validates is predicted `invalid`, with nobody, and counts as a fallback', () => {
    const r = compareWithHistory(plan, [lead('a', { employees: 'lots' }, 'rep-1')], directory, {});
    expect(r.leads[0]?.predicted).toEqual({ assignee: null, assigneeType: null, path: [], outcome: 'invalid' });
    expect(r.summary).toMatchObject({ leads: 1, moved: 1, fallback: 1, shareAfter: {} });
  });

  it('an empty window is an empty answer', () => {
    expect(compareWithHistory(plan, [], directory, {})).toEqual({ leads: [], summary: { leads: 0, moved: 0, fallback: 0, shareBefore: {}, shareAfter: {} } });
  });
});
