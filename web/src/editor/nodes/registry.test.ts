import { NODE_KINDS, NODE_TYPES } from '@lead-router/shared';
import { describe, expect, it } from 'vitest';
import { directoryNames, ID_NAMES, type DirectoryNames } from '../directory/names';
import { newNodeConfig } from '../store/graph-ops';
import { NODE_REGISTRY, nodeTypes } from './registry';

describe('NODE_REGISTRY', () => {
  it('has one entry and one React Flow node type per kind, labelled as shared/ labels it', () => {
    expect(Object.keys(NODE_REGISTRY).sort()).toEqual([...NODE_TYPES].sort());
    expect(Object.keys(nodeTypes).sort()).toEqual([...NODE_TYPES].sort());
    for (const type of NODE_TYPES) expect(NODE_REGISTRY[type].label).toBe(NODE_KINDS[type].label);
  });

  it("summarizes every kind's default config in one line", () => {
    for (const type of NODE_TYPES) {
      const summary = (NODE_REGISTRY[type].summarize as (c: unknown, n: DirectoryNames) => string)(NODE_KINDS[type].defaultConfig(), ID_NAMES);
      expect(summary, type).toMatch(/^[^\n]+$/);
    }
  });

  it('names the directory records a summary refers to, and asks for a missing choice', () => {
    const names = directoryNames({ reps: [{ id: 'rep-ana', name: 'Ana Diaz' }], teams: [{ id: 'team-in', name: 'Inbound' }], queues: [{ id: 'q-1', name: 'Unassigned leads' }], territories: [] });
    const assign = NODE_REGISTRY.assign.summarize;
    const base = newNodeConfig('assign');
    expect(assign(base, names)).toBe('Round robin · Choose a team');
    expect(assign({ ...base, strategy: { type: 'round_robin', teamId: 'team-in' } }, names)).toBe('Round robin · Inbound');
    expect(assign({ ...base, strategy: { type: 'specific_rep', repId: 'rep-ana' } }, names)).toBe('Rep Ana Diaz');
    expect(assign({ ...base, strategy: { type: 'specific_rep', repId: 'rep-ana' } }, ID_NAMES)).toBe('Rep rep-ana');
    expect(assign({ ...base, strategy: { type: 'queue', queueId: 'q-1' } }, names)).toBe('Queue Unassigned leads');
    expect(NODE_REGISTRY.escalate.summarize({ to: 'queue', queueId: 'q-1' }, names)).toBe('To queue Unassigned leads');
    expect(NODE_REGISTRY.notify.summarize({ ...newNodeConfig('notify'), recipient: { type: 'rep', repId: 'rep-ana' }, message: 'Hi' }, names)).toBe('in app to Ana Diaz: Hi');
  });
});
