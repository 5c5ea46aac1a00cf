import { edgeId, type Graph, type GraphNode } from '@lead-router/shared';
import { safeOutcomes } from '../store/graph-ops';
import type { RunOverlay } from '../store/editor-store';
import { toFlowEdges, type RouteFlowEdge } from '../store/to-flow';

/** The label of a node's outcome, falling back to the handle id when the node cannot list its outcomes. */
export function outcomeLabel(node: GraphNode | undefined, handle: string): string {
  if (!node) return handle;
  return safeOutcomes(node).find((o) => o.id === handle)?.label ?? handle;
}

/**
 * The canvas's edges: the run's path highlighted and batch counts drawn on them. An outcome is named once,
 * on its handle at the bottom of the card; its edge carries the name for assistive technology only
 * (`ariaLabel`), and draws a label only for a batch run's count. `counts` false (zoomed far out) leaves the
 * counts out too, so edges skip measuring and painting text.
 */
export function canvasEdges(graph: Graph, selected: ReadonlySet<string>, overlay: RunOverlay | null, counts = true): RouteFlowEdge[] {
  const edges = toFlowEdges(graph, outcomeLabel, selected).map((e) => ({ ...e, label: undefined, ariaLabel: `${e.data?.label ?? e.sourceHandle ?? ''}: ${e.source} to ${e.target}` }));
  if (!overlay) return edges;
  return edges.map((e, i) => {
    const g = graph.edges[i];
    const id = g ? edgeId(g.source, g.sourceHandle, g.target) : e.id;
    const count = overlay.edgeCounts?.[id] ?? overlay.edgeCounts?.[`${e.source}:${e.sourceHandle}`];
    const onPath = overlay.edgeIds.has(id);
    return {
      ...e,
      label: count !== undefined && counts ? `${count} lead${count === 1 ? '' : 's'}` : undefined,
      className: onPath ? 'on-path' : 'off-path',
      animated: onPath,
    };
  });
}
