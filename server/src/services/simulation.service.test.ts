import { compile, DirectorySchema, type Plan } from '@lead-router/shared';
import { describe, expect, it } from 'vitest';
import { roundRobinDirectory, roundRobinGraph } from '../routes/test-runs/test-runs.fixtures';
import { API_ERRORS } from '../errors/error-codes';
import { errorBody } from '../http/errors';
import { invalidGraphError, leadIdOf, runSimulation } from './simulation.service';
import { duplicateWindowOf } from './simulation/jobs';
import { runSimulationJson } from './simulation/run';

const directory = DirectorySchema.parse(roundRobinDirectory(3));
const compiled = compile(roundRobinGraph(), { directory });
if (!compiled.ok) throw new Error('test graph does not compile');
const plan: Plan = compiled.plan;
const AT = Date.parse('2026-01-06T15:00:00Z');

describe('runSimulation', () => {
  it('answers in input order, invalid leads in place, and counts every lead in the summary', () => {
    const r = runSimulation(plan, [{ id: 'a' }, { id: 'b', employees: 'many' }, { id: 7 }, 'not a lead'], { directory, startTime: AT, detail: 'path' });
    expect(r.results.map((x) => [x.leadId, x.outcome, x.assignee])).toEqual([
      ['a', 'assigned', 'rep-1'],
      ['b', 'invalid', null],
      ['7', 'assigned', 'rep-2'],
      ['4', 'invalid', null],
    ]);
    expect(r.results[3]?.problems).toEqual([{ field: '', message: 'a lead must be a JSON object; got "not a lead"' }]);
    expect(r.summary).toMatchObject({ leads: 4, unassigned: 2, byOutcome: { assigned: 2, invalid: 2 }, byAssignee: { 'rep-1': 1, 'rep-2': 1 } });
  });

  it('starts from the given routing state without changing it', () => {
    const state = { lastChosen: { 'team:team-rr': 'rep-1' } };
    const r = runSimulation(plan, [{}, {}], { directory, state, startTime: AT, detail: 'full' });
    expect(r.results.map((x) => x.assignee)).toEqual(['rep-2', 'rep-3']);
    expect(r.results[0]?.steps?.[0]).toMatchObject({ nodeId: 'trigger', at: AT });
    expect(state).toEqual({ lastChosen: { 'team:team-rr': 'rep-1' } });
  });
});

describe('helpers', () => {
  it('leadIdOf: the id field (text or number), else the position', () => {
    expect(leadIdOf({ id: ' x-1 ' }, 3)).toBe('x-1');
    expect(leadIdOf({ id: 12 }, 3)).toBe('12');
    expect(leadIdOf({ id: '' }, 3)).toBe('3');
    expect(leadIdOf(null, 4)).toBe('4');
  });

  it('invalidGraphError: a 422 listing every problem with its node and path', () => {
    const e = invalidGraphError([
      { code: 'unknown_team', message: 'Team x is not in the directory.', nodeId: 'assign', path: 'config.strategy.teamId', severity: 'error' },
      { code: 'no_trigger', message: 'No trigger.', severity: 'error' },
    ]);
    expect(API_ERRORS[e.code].status).toBe(422);
    expect(errorBody(e)).toEqual({
      error: {
        code: 'invalid_graph',
        message: 'The draft does not compile (2 problems): Team x is not in the directory. No trigger.',
        details: [
          { path: 'config.strategy.teamId', message: 'Team x is not in the directory.', code: 'unknown_team', nodeId: 'assign' },
          { path: '', message: 'No trigger.', code: 'no_trigger' },
        ],
      },
    });
  });
});

describe('runSimulationJson', () => {
  const raw = [{ id: 'a' }, { id: 'b', employees: 'many' }, 'not a lead', { id: 7 }, {}, { employees: 'x' }];
  for (const detail of ['full', 'path'] as const) {
    it(`writes the very text JSON.stringify gives of runSimulation's answer (detail ${detail}), invalid leads in place`, () => {
      const state = { lastChosen: { 'team:team-rr': 'rep-1' } };
      const sizes: number[] = [];
      const text = runSimulationJson(plan, raw, { directory, state, startTime: AT, detail }, (bytes) => sizes.push(bytes));
      expect(text).toBe(JSON.stringify(runSimulation(plan, raw, { directory, state, startTime: AT, detail })));
      // It reports its size after each lead and at the end, growing to the exact byte length.
      expect(sizes).toHaveLength(raw.length + 1);
      expect(sizes.at(-1)).toBe(Buffer.byteLength(text));
      expect([...sizes].sort((x, y) => x - y)).toEqual(sizes);
    });
  }

  it('stops where the size callback throws', () => {
    let runs = 0;
    expect(() =>
      runSimulationJson(plan, [{}, {}, {}, {}], { directory, startTime: AT, detail: 'full' }, (_bytes, done) => {
        runs = done;
        if (done === 2) throw new Error('too large');
      }),
    ).toThrow('too large');
    expect(runs).toBe(2);
  });
});

describe('duplicateWindowOf', () => {
  it('is the longest duplicate window of the match_account steps, in a draft graph or a plan; 0 without one', () => {
    const graph = (configs: unknown[]) => ({ graph: { schemaVersion: 1 as const, nodes: configs.map((config, i) => ({ id: `m${i}`, type: 'match_account' as const, position: { x: 0, y: 0 }, config })), edges: [] } });
    expect(duplicateWindowOf(graph([{ by: ['email_domain'] }]) as never)).toBe(0);
    expect(duplicateWindowOf(graph([{ by: ['email_domain'], duplicateWithinDays: 7 }, { by: ['company_name'], duplicateWithinDays: 30 }, { duplicateWithinDays: 'x' }]) as never)).toBe(30);
    expect(duplicateWindowOf({ plan })).toBe(0);
    const withMatch = { ...plan, nodes: { ...plan.nodes, m: { id: 'm', type: 'match_account', label: 'm', config: { by: ['email_domain'], duplicateWithinDays: 5000 }, next: {}, reads: [] } } };
    expect(duplicateWindowOf({ plan: withMatch as Plan })).toBe(365);
  });
});
