import { edgeId, type Graph, type GraphEdge } from '@lead-router/shared';
import type { Connection, Edge, Node } from '@xyflow/react';
import type { RouteNodeData } from './to-flow';

/**
 * React Flow nodes and edges -> our graph. Only positions come from React Flow: configs, titles and types are
 * ours and are taken from the node each view carries, so nothing React Flow adds (width, measured, dragging)
 * ever reaches a saved document.
 */
export function fromFlow(base: Graph, nodes: readonly Node<RouteNodeData>[], edges: readonly Edge[]): Graph {
  return {
    schemaVersion: base.schemaVersion,
    nodes: nodes.map((n) => ({ ...n.data.node, position: { x: n.position.x, y: n.position.y } })),
    edges: edges.flatMap((e) => {
      const edge = fromFlowConnection(e);
      return edge ? [edge] : [];
    }),
  };
}

/** A React Flow connection (or edge) -> our edge with its stable id; null when it has no named outcome. */
export function fromFlowConnection(c: Pick<Connection, 'source' | 'target'> & { sourceHandle?: string | null }): GraphEdge | null {
  if (!c.source || !c.target || !c.sourceHandle) return null;
  return { id: edgeId(c.source, c.sourceHandle, c.target), source: c.source, sourceHandle: c.sourceHandle, target: c.target };
}
