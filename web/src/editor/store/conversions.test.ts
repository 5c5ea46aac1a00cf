import { emptyGraph, NODE_KINDS, type Graph, type GraphNode } from '@lead-router/shared';
import { hybridRoutingGraph } from '@lead-router/shared/fixtures';
import { describe, expect, it } from 'vitest';
import { outcomeLabel } from '../canvas/flow-edges';
import { fromFlow, fromFlowConnection } from './from-flow';
import { noteFlowId, noteIdOf, toFlowEdges, toFlowNodes, toNoteFlowNodes, type FlowNodeCache } from './to-flow';

const graph: Graph = hybridRoutingGraph;

describe('to-flow / from-flow', () => {
  it('round-trips a real graph: our document comes back unchanged', () => {
    const nodes = toFlowNodes(graph.nodes, new Set());
    const edges = toFlowEdges(graph, outcomeLabel);
    expect(fromFlow(graph, nodes, edges)).toEqual(graph);
  });

  it('takes only positions from React Flow, never its own fields', () => {
    const nodes = toFlowNodes(graph.nodes, new Set()).map((n) => ({ ...n, position: { x: 1, y: 2 }, measured: { width: 9, height: 9 }, dragging: true, width: 5 }));
    const back = fromFlow(graph, nodes, toFlowEdges(graph, outcomeLabel));
    expect(back.nodes[0]).toEqual({ ...graph.nodes[0], position: { x: 1, y: 2 } });
    expect(Object.keys(back.nodes[0] as object).sort()).toEqual(Object.keys(graph.nodes[0] as object).sort());
  });

  it('gives edges stable ids from source, outcome and target, and labels them with the outcome', () => {
    const a = toFlowEdges(graph, outcomeLabel);
    const b = toFlowEdges({ ...graph, edges: [...graph.edges].reverse() }, outcomeLabel);
    expect(new Set(a.map((e) => e.id))).toEqual(new Set(b.map((e) => e.id)));
    for (const e of a) expect(e.id).toBe(`${e.source}:${e.sourceHandle}->${e.target}`);
    const branch = graph.nodes.find((n) => n.type === 'branch') as GraphNode;
    const elseEdge = a.find((e) => e.source === branch.id && e.sourceHandle === 'else');
    expect(elseEdge?.label).toBeTruthy();
  });

  it('reuses a flow node while our node and its selection are unchanged, and only then', () => {
    const cache: FlowNodeCache = new WeakMap();
    const first = toFlowNodes(graph.nodes, new Set(), cache);
    const again = toFlowNodes(graph.nodes, new Set(), cache);
    expect(again.every((n, i) => n === first[i])).toBe(true);
    const id = graph.nodes[1]?.id as string;
    const selected = toFlowNodes(graph.nodes, new Set([id]), cache);
    expect(selected[1]).not.toBe(first[1]);
    expect(selected[1]?.selected).toBe(true);
    expect(selected[0]).toBe(first[0]);
  });

  it('refuses a connection without a named outcome', () => {
    expect(fromFlowConnection({ source: 'a', target: 'b', sourceHandle: null })).toBeNull();
    expect(fromFlowConnection({ source: 'a', target: 'b', sourceHandle: 'else' })).toEqual({ id: 'a:else->b', source: 'a', sourceHandle: 'else', target: 'b' });
  });

  it('labels an edge from a half-filled node with its handle instead of failing', () => {
    const g = emptyGraph();
    const broken = { id: 'b1', type: 'branch', position: { x: 0, y: 0 }, config: { cases: null } } as unknown as GraphNode;
    g.nodes.push(broken, { id: 'e1', type: 'end', position: { x: 0, y: 0 }, config: NODE_KINDS.end.defaultConfig() });
    g.edges.push({ id: 'x', source: 'b1', sourceHandle: 'else', target: 'e1' });
    expect(toFlowEdges(g, outcomeLabel)[0]?.label).toBe('else');
  });
});

describe('notes as flow nodes', () => {
  it('draws each note as a `note` node at its place and size, with an id no step can have', () => {
    const note = { id: 'note-1', x: 10, y: 20, width: 240, height: 120, text: 'Hi' };
    const [flow] = toNoteFlowNodes([note], new Set(['note-1']));
    expect(flow).toMatchObject({ id: 'note:note-1', type: 'note', position: { x: 10, y: 20 }, width: 240, height: 120, selected: true, data: { note } });
    expect(noteIdOf('note:note-1')).toBe('note-1');
    expect(noteIdOf('note-1')).toBeNull();
    expect(noteFlowId('note-1')).toBe('note:note-1');
  });
});
