import { describe, expect, it } from 'vitest';
import { compile, validateGraph } from '../index';
import { edge, end, graph, node, testDirectory, trigger } from '../test-graphs';

const assign = (strategy: Record<string, unknown>) =>
  graph(
    [trigger(), node('a', 'assign', { strategy }, 'Assign'), end()],
    [edge('trigger', 'next', 'a'), edge('a', 'assigned', 'end'), edge('a', 'no_eligible_rep', 'end')],
  );
const withDir = (g: unknown) => validateGraph(g, { directory: testDirectory() }).map((p) => [p.code, p.nodeId, p.path, p.severity]);

describe('directory rule', () => {
  it('is skipped without a directory', () => {
    expect(validateGraph(assign({ type: 'specific_rep', repId: 'nobody' }))).toEqual([]);
    expect(validateGraph(assign({ type: 'specific_rep', repId: 'nobody' }), { directory: null })).toEqual([]);
  });

  it('reports unknown_rep for a specific rep', () => {
    expect(withDir(assign({ type: 'specific_rep', repId: 'nobody' }))).toEqual([['unknown_rep', 'a', 'config.strategy.repId', 'error']]);
    expect(withDir(assign({ type: 'specific_rep', repId: 'ana' }))).toEqual([]);
  });

  it.each(['round_robin', 'weighted_round_robin', 'load_balanced'])('reports unknown_team for %s', (type) => {
    expect(withDir(assign({ type, teamId: 'team-x' }))).toEqual([['unknown_team', 'a', 'config.strategy.teamId', 'error']]);
  });

  it('reports empty_team for a team without members, or with none in the directory', () => {
    expect(withDir(assign({ type: 'round_robin', teamId: 'team-empty' }))).toEqual([['empty_team', 'a', 'config.strategy.teamId', 'error']]);
    expect(withDir(assign({ type: 'round_robin', teamId: 'team-ghosts' }))).toEqual([['empty_team', 'a', 'config.strategy.teamId', 'error']]);
  });

  it('warns about team members missing from the directory, and still compiles', () => {
    const g = assign({ type: 'round_robin', teamId: 'team-mixed' });
    expect(withDir(g)).toEqual([['unknown_rep', 'a', 'config.strategy.teamId', 'warning']]);
    const r = compile(g, { directory: testDirectory() });
    expect(r.ok).toBe(true);
    expect(r.warnings).toEqual([expect.objectContaining({ code: 'unknown_rep', severity: 'warning' })]);
    expect(r.warnings[0]?.message).toContain("The team 'Mixed' used by 'Assign' lists 'gone', not in the directory");
  });

  it('reports unknown_territory for territory strategies', () => {
    expect(withDir(assign({ type: 'territory', territoryIds: ['terr-west', 'terr-mars'] }))).toEqual([
      ['unknown_territory', 'a', 'config.strategy.territoryIds.1', 'error'],
    ]);
  });

  it('reports unknown_queue for assign and escalate', () => {
    expect(withDir(assign({ type: 'queue', queueId: 'q-x' }))).toEqual([['unknown_queue', 'a', 'config.strategy.queueId', 'error']]);
    const g = graph(
      [trigger(), node('x', 'escalate', { to: 'queue', queueId: 'q-x' }), end()],
      [edge('trigger', 'next', 'x'), edge('x', 'escalated', 'end'), edge('x', 'no_target', 'end')],
    );
    expect(withDir(g)).toEqual([['unknown_queue', 'x', 'config.queueId', 'error']]);
  });

  it('reports unknown_rep for a notify recipient', () => {
    const g = graph(
      [trigger(), node('n', 'notify', { channel: 'email', message: 'hi', recipient: { type: 'rep', repId: 'zed' } }), end()],
      [edge('trigger', 'next', 'n'), edge('n', 'next', 'end')],
    );
    expect(withDir(g)).toEqual([['unknown_rep', 'n', 'config.recipient.repId', 'error']]);
  });
});
