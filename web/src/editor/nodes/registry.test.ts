import { NODE_KINDS, NODE_TYPES } from '@lead-router/shared';
import { describe, expect, it } from 'vitest';
import { NODE_REGISTRY, nodeTypes } from './registry';

describe('NODE_REGISTRY', () => {
  it('has one entry and one React Flow node type per kind, labelled as shared/ labels it', () => {
    expect(Object.keys(NODE_REGISTRY).sort()).toEqual([...NODE_TYPES].sort());
    expect(Object.keys(nodeTypes).sort()).toEqual([...NODE_TYPES].sort());
    for (const type of NODE_TYPES) expect(NODE_REGISTRY[type].label).toBe(NODE_KINDS[type].label);
  });

  it("summarizes every kind's default config in one line", () => {
    for (const type of NODE_TYPES) {
      const summary = (NODE_REGISTRY[type].summarize as (c: unknown) => string)(NODE_KINDS[type].defaultConfig());
      expect(summary, type).toMatch(/^[^\n]+$/);
    }
  });
});
