import { compile, DirectorySchema, simulate, type Lead } from '@lead-router/shared';
import { demoDirectory, EXAMPLE_LEADS, hybridRoutingGraph } from '@lead-router/shared/fixtures';
import { describe, expect, it } from 'vitest';
import { MAX_ROWS, showValue, stepDetails } from './step-details';

const directory = DirectorySchema.parse(demoDirectory);

/** One lead's steps, as the simulate route answers them (the same shared simulation). */
function stepsOf(lead: Lead) {
  const r = compile(hybridRoutingGraph, { directory });
  if (!r.ok) throw new Error('fixture does not compile');
  const report = simulate(r.plan, [{ leadId: String(lead.id), lead }], { directory, startTime: Date.parse('2026-11-24T15:00:00Z') });
  return report.results[0]!.steps;
}

describe('stepDetails', () => {
  const steps = stepsOf(EXAMPLE_LEADS.find((l) => l.id === 'L-1') as Lead);
  const details = stepDetails(steps);
  const at = (nodeId: string) => details[steps.findIndex((s) => s.nodeId === nodeId)]!;

  it('shows what a step produced: changed fields before and after, the outcome, the account, the assignee by name', () => {
    expect(at('score').produced.changes.map((c) => c.field)).toEqual(['score', 'fitScore', 'intentScore', 'grade']);
    expect(at('score').produced.changes[0]?.before).toBe('empty');
    expect(at('match').produced).toMatchObject({ outcome: 'matched', account: 'Acme Corp' });
    expect(at('match').produced.changes).toContainEqual({ field: 'accountOwner', before: 'empty', after: 'rep-ana' });
    expect(at('assign-owner').produced).toMatchObject({ outcome: 'assigned', assignee: 'Ana Diaz', changes: [{ field: 'owner', before: 'empty', after: 'rep-ana' }] });
  });

  it('shows what a step received: the fields it read, and those earlier steps changed, with the step that set them', () => {
    const assign = at('assign-owner').received.rows;
    expect(assign).toContainEqual(expect.objectContaining({ field: 'accountOwner', value: 'rep-ana', setBy: steps.find((s) => s.nodeId === 'match')!.label }));
    expect(assign.find((r) => r.field === 'score')).toMatchObject({ read: false, setBy: steps.find((s) => s.nodeId === 'score')!.label });
    // The first step saw the lead as posted: nothing set before it.
    expect(details[0]!.received.rows.every((r) => r.setBy === undefined)).toBe(true);
  });

  it('is bounded: at most 50 rows a list, long values cut, the rest counted', () => {
    const input: Record<string, string> = {};
    for (let i = 0; i < 70; i++) input[`f${i}`] = 'x'.repeat(900);
    const [d] = stepDetails([{ label: 'Big', nodeType: 'update', input, output: {}, outcome: 'next', changes: { fields: [], omitted: 0 } }]);
    expect(d!.received.rows).toHaveLength(MAX_ROWS);
    expect(d!.received.more).toBe(20);
    expect(d!.received.rows[0]!.value).toMatch(/^x{500}… \(400 more characters\)$/);
    expect(showValue(null)).toBe('empty');
  });
});
