import { edgeId, type Graph, type GraphNode } from '@lead-router/shared';
import { safeOutcomes } from '../store/graph-ops';
import type { RunOverlay } from '../store/editor-store';
import { toFlowEdges, type RouteFlowEdge } from '../store/to-flow';

/** The label of a node's outcome, falling back to the handle id when the node cannot list its outcomes. */
export function outcomeLabel(node: GraphNode | undefined, handle: string): string {
  if (!node) return handle;
  return safeOutcomes(node).find((o) => o.id === handle)?.label ?? handle;
}

/** The canvas's edges: outcome labels, the run's path highlighted and batch counts added to the labels. */
export function canvasEdges(graph: Graph, selected: ReadonlySet<string>, overlay: RunOverlay | null, labels = true): RouteFlowEdge[] {
  const all = toFlowEdges(graph, outcomeLabel, selected);
  // Without labels (zoomed far out) edges skip the label's text measuring and painting.
  const edges = labels ? all : all.map((e) => ({ ...e, label: undefined }));
  if (!overlay) return edges;
  return edges.map((e, i) => {
    const g = graph.edges[i];
    const id = g ? edgeId(g.source, g.sourceHandle, g.target) : e.id;
    const count = overlay.edgeCounts?.[id] ?? overlay.edgeCounts?.[`${e.source}:${e.sourceHandle}`];
    const onPath = overlay.edgeIds.has(id);
    return {
      ...e,
      label: count !== undefined ? (labels ? `${e.data?.label ?? ''} · ${count}` : String(count)) : e.label,
      className: onPath ? 'on-path' : 'off-path',
      animated: onPath,
    };
  });
}
