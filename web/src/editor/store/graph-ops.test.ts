import { compile, emptyGraph, NODE_KINDS, NODE_TYPES } from '@lead-router/shared';
import { describe, expect, it } from 'vitest';
import { addNode, newNodeConfig } from './graph-ops';

describe('newNodeConfig', () => {
  it('starts an Assign step with no team chosen, and every other kind on its default', () => {
    expect(newNodeConfig('assign').strategy).toEqual({ type: 'round_robin', teamId: '' });
    for (const type of NODE_TYPES.filter((t) => t !== 'assign')) expect(newNodeConfig(type), type).toEqual(NODE_KINDS[type].defaultConfig());
  });

  it('leaves a new Assign step with a problem on its team until one is chosen', () => {
    const { graph, id } = addNode(emptyGraph(), 'assign', { x: 0, y: 0 });
    const result = compile(graph);
    const onTeam = result.ok ? [] : result.problems.filter((p) => p.nodeId === id && p.path === 'config.strategy.teamId');
    expect(onTeam).toHaveLength(1);
  });
});
