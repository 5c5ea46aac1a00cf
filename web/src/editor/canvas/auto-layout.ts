import dagre from '@dagrejs/dagre';
import type { Graph } from '@lead-router/shared';

/** Node box size used for layout; close to the rendered card so ranks do not overlap. */
const NODE_W = 240;
const NODE_H = 110;

/** Top-down positions for every node, by dagre: the trigger at the top, each outcome's target below it. */
export function autoLayout(graph: Graph): Map<string, { x: number; y: number }> {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: 'TB', nodesep: 40, ranksep: 70 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of graph.nodes) g.setNode(n.id, { width: NODE_W, height: NODE_H });
  for (const e of graph.edges) if (g.hasNode(e.source) && g.hasNode(e.target)) g.setEdge(e.source, e.target);
  dagre.layout(g);
  const out = new Map<string, { x: number; y: number }>();
  for (const n of graph.nodes) {
    const p = g.node(n.id) as { x: number; y: number } | undefined;
    // dagre gives centres; React Flow positions are top-left corners.
    if (p) out.set(n.id, { x: Math.round(p.x - NODE_W / 2), y: Math.round(p.y - NODE_H / 2) });
  }
  return out;
}
