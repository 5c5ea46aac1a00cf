import { emptyGraph, type Graph, type GraphNode } from '@lead-router/shared';
import { generateGraph, hybridRoutingGraph } from '@lead-router/shared/fixtures';
import { describe, expect, it } from 'vitest';
import { NODE_SIZE_ESTIMATE, nodeBox, type Box } from '../store/placement';
import { OPEN_MAX_ZOOM, openingViewport, READABLE_ZOOM, visibleBox } from './opening-viewport';

const inside = (inner: Box, outer: Box) => inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.width <= outer.x + outer.width && inner.y + inner.height <= outer.y + outer.height;
const trigger = (g: Graph) => g.nodes.find((n) => n.type === 'trigger') as GraphNode;
const pane = { width: 860, height: 560 };

describe('openingViewport', () => {
  it('opens a small graph whole, centred, and never above 1x', () => {
    const g: Graph = { ...emptyGraph(), nodes: [trigger(hybridRoutingGraph), { ...trigger(hybridRoutingGraph), id: 'end', type: 'end', position: { x: 560, y: 160 }, config: { outcome: 'done' } } as GraphNode] };
    const v = openingViewport(g, pane);
    expect(v.zoom).toBe(OPEN_MAX_ZOOM);
    for (const n of g.nodes) expect(inside(nodeBox(n), visibleBox(v, pane))).toBe(true);
  });

  it('opens the demo graph (22 steps) readable, on its first screenful with the trigger in view', () => {
    const v = openingViewport(hybridRoutingGraph, pane);
    expect(v.zoom).toBe(READABLE_ZOOM);
    const seen = visibleBox(v, pane);
    expect(inside(nodeBox(trigger(hybridRoutingGraph)), seen)).toBe(true);
    // The top of the graph is at the top, not scrolled past: nothing above it is blank.
    expect(seen.y).toBeGreaterThan(-NODE_SIZE_ESTIMATE.height);
    expect(seen.y).toBeLessThanOrEqual(0);
  });

  it('fits a middling graph between the readable zoom and 1x', () => {
    const g = { nodes: hybridRoutingGraph.nodes.slice(0, 6) };
    const v = openingViewport(g, { width: 1000, height: 800 });
    expect(v.zoom).toBeGreaterThanOrEqual(READABLE_ZOOM);
    expect(v.zoom).toBeLessThanOrEqual(OPEN_MAX_ZOOM);
    for (const n of g.nodes) expect(inside(nodeBox(n), visibleBox(v, { width: 1000, height: 800 }))).toBe(true);
  });

  it('opens a very large graph at the readable zoom on its trigger', () => {
    const g = generateGraph(1000, { seed: 7 });
    const v = openingViewport(g, pane);
    expect(v.zoom).toBe(READABLE_ZOOM);
    expect(inside(nodeBox(trigger(g)), visibleBox(v, pane))).toBe(true);
  });

  it('opens an empty graph at 1x, and a pane not measured yet without failing', () => {
    expect(openingViewport(emptyGraph(), pane)).toEqual({ x: 0, y: 0, zoom: 1 });
    expect(openingViewport(hybridRoutingGraph, { width: 0, height: 0 }).zoom).toBe(1);
  });
});

describe('openingViewport with sticky notes', () => {
  it('opens with a note beside the graph in view, and opens a canvas of notes only', () => {
    const graph = { nodes: [{ id: 't', type: 'trigger', position: { x: 0, y: 0 }, config: { source: 'webhook' } }] as Graph['nodes'] };
    const note = { id: 'n', x: 0, y: 400, width: 224, height: 128, text: 'Hi' };
    const pane = { width: 800, height: 500 };
    const seen = visibleBox(openingViewport({ ...graph, notes: [note] }, pane), pane);
    expect(inside({ x: note.x, y: note.y, width: note.width, height: note.height }, seen)).toBe(true);
    expect(() => openingViewport({ nodes: [], notes: [note] }, pane)).not.toThrow();
  });
});
