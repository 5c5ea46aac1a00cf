import { edgeId, GRAPH_SCHEMA_VERSION, type Graph, type GraphNode } from '@lead-router/shared';
import { hybridRoutingGraph } from '@lead-router/shared/fixtures';
import { describe, expect, it } from 'vitest';
import { crowds, NODE_SIZE_ESTIMATE, type Box } from '../store/placement';
import { autoLayout } from './auto-layout';

const e = (source: string, sourceHandle: string, target: string) => ({ id: edgeId(source, sourceHandle, target), source, sourceHandle, target });
const eligibility = { skills: [], respectCapacity: true, respectWorkingHours: false, respectOutOfOffice: true };
const assign = (id: string): GraphNode => ({ id, type: 'assign', position: { x: 0, y: 0 }, config: { strategy: { type: 'round_robin', teamId: 't' }, eligibility, excludePreviousAssignees: true } });

/** Trigger, a two-way branch (big, else), one assign per way, both into one end. */
function twoWay(order: 'case-first' | 'else-first'): Graph {
  const ways = [assign('to-big'), assign('to-rest')];
  return {
    schemaVersion: GRAPH_SCHEMA_VERSION,
    nodes: [
      { id: 't', type: 'trigger', position: { x: 0, y: 0 }, config: { source: 'webhook' } },
      { id: 'size', type: 'branch', position: { x: 0, y: 0 }, config: { cases: [{ id: 'big', label: 'Big', condition: { match: 'all', conditions: [] } }] } },
      ...(order === 'case-first' ? ways : ways.reverse()),
      { id: 'end', type: 'end', position: { x: 0, y: 0 }, config: { outcome: 'routed' } },
    ],
    edges: [e('t', 'next', 'size'), e('size', 'else', 'to-rest'), e('size', 'big', 'to-big'), e('to-big', 'assigned', 'end'), e('to-big', 'no_eligible_rep', 'end'), e('to-rest', 'assigned', 'end'), e('to-rest', 'no_eligible_rep', 'end')],
  };
}

const box = (p: { x: number; y: number } | undefined): Box => ({ ...(p as { x: number; y: number }), ...NODE_SIZE_ESTIMATE });

describe('autoLayout', () => {
  it.each(['case-first', 'else-first'] as const)('puts a branch case left of its else, whatever order the steps were added in (%s)', async (order) => {
    const at = await autoLayout(twoWay(order));
    expect((at.get('to-big') as { x: number }).x).toBeLessThan((at.get('to-rest') as { x: number }).x);
    // Top-down by rank.
    const y = (id: string) => (at.get(id) as { y: number }).y;
    expect(y('size')).toBeGreaterThan(y('t'));
    expect(y('to-big')).toBeGreaterThan(y('size'));
    expect(y('end')).toBeGreaterThan(Math.max(y('to-big'), y('to-rest')));
  });

  it('lays out the demo graph (loops through waits included) with every step placed, none on another', async () => {
    const at = await autoLayout(hybridRoutingGraph);
    expect(at.size).toBe(hybridRoutingGraph.nodes.length);
    const boxes = hybridRoutingGraph.nodes.map((n) => box(at.get(n.id)));
    for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) expect(crowds(boxes[i] as Box, boxes[j] as Box, 0), `${i} and ${j}`).toBe(false);
    const trigger = at.get('trigger') as { y: number };
    expect(Math.min(...[...at.values()].map((p) => p.y))).toBe(trigger.y);
  });

  it('places a half-filled node and an empty graph without failing', async () => {
    const g = twoWay('case-first');
    const broken = { ...g, nodes: g.nodes.map((n) => (n.id === 'size' ? ({ ...n, config: { cases: null } } as unknown as GraphNode) : n)) };
    expect((await autoLayout(broken)).size).toBe(g.nodes.length);
    expect((await autoLayout({ schemaVersion: GRAPH_SCHEMA_VERSION, nodes: [], edges: [] })).size).toBe(0);
  });
});
