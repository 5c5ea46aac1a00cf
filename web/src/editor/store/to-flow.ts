import { edgeId, type Graph, type GraphEdge, type GraphNode, type GraphNote } from '@lead-router/shared';
import { Position, type Edge, type Node, type NodeHandle } from '@xyflow/react';
import { safeOutcomes } from './graph-ops';
import { NODE_SIZE_ESTIMATE } from './placement';

/** What a node view gets: our node, never a copy of its fields in another shape. */
export type RouteNodeData = { node: GraphNode };
export type RouteFlowNode = Node<RouteNodeData>;
export type RouteEdgeData = { label: string };
export type RouteFlowEdge = Edge<RouteEdgeData>;

/** A sticky note as React Flow draws it: a node of type `note` whose data holds our note. */
export type NoteFlowNode = Node<{ note: GraphNote }, 'note'>;
/** Everything the editor canvas draws as a React Flow node. */
export type CanvasFlowNode = RouteFlowNode | NoteFlowNode;

// Note ids live beside step ids in React Flow's one list of nodes. A step id never holds a colon
// (shared's NodeIdSchema), so this prefix can never collide with one.
const NOTE_PREFIX = 'note:';
/** The React Flow id of a note. */
export const noteFlowId = (id: string): string => `${NOTE_PREFIX}${id}`;
/** The note id of a React Flow id, or null when it is a step's. */
export const noteIdOf = (flowId: string): string | null => (flowId.startsWith(NOTE_PREFIX) ? flowId.slice(NOTE_PREFIX.length) : null);

/** Caches note flow nodes by our note object and selection, like `FlowNodeCache` for steps. */
export type NoteFlowCache = WeakMap<GraphNote, { selected: boolean; measured: Measured | undefined; flow: NoteFlowNode }>;

/** Our notes -> React Flow nodes, sized as the note says (the resizer changes the note, never the view). */
export function toNoteFlowNodes(notes: readonly GraphNote[], selected: ReadonlySet<string>, cache?: NoteFlowCache, sizes?: ReadonlyMap<string, Measured>): NoteFlowNode[] {
  return notes.map((n) => {
    const isSelected = selected.has(n.id);
    const measured = sizes?.get(noteFlowId(n.id));
    const hit = cache?.get(n);
    if (hit && hit.selected === isSelected && hit.measured === measured) return hit.flow;
    const flow: NoteFlowNode = { id: noteFlowId(n.id), type: 'note', position: { x: n.x, y: n.y }, width: n.width, height: n.height, data: { note: n }, selected: isSelected };
    if (measured) flow.measured = measured;
    cache?.set(n, { selected: isSelected, measured, flow });
    return flow;
  });
}

/** A node's size as React Flow measured it in the DOM. */
export type Measured = { width: number; height: number };

/**
 * Caches React Flow nodes by our node object, selection and measured size, so an unchanged node keeps its
 * identity: React Flow re-measures any node whose object changes, and memoised views skip re-rendering.
 */
export type FlowNodeCache = WeakMap<GraphNode, { selected: boolean; measured: Measured | undefined; flow: RouteFlowNode }>;

/**
 * Our node -> a React Flow node. The node's type is our kind (the key into `nodeTypes`), its data holds our
 * node itself; position is the only field React Flow owns while dragging.
 */

/**
 * Where a node card's handles sit before it is measured: the input at the top centre, one output per outcome
 * at the centre of its equal slot along the bottom (as node-card.tsx lays them out).
 */
export function estimatedHandles(node: GraphNode): NodeHandle[] {
  const { width: w, height: h } = NODE_SIZE_ESTIMATE;
  const outs = safeOutcomes(node);
  const handles: NodeHandle[] = outs.map((o, i) => ({ id: o.id, type: 'source', position: Position.Bottom, x: (w * (2 * i + 1)) / (2 * outs.length) - 4, y: h - 4, width: 8, height: 8 }));
  if (node.type !== 'trigger') handles.push({ id: 'in', type: 'target', position: Position.Top, x: w / 2 - 4, y: -4, width: 8, height: 8 });
  return handles;
}

export function toFlowNode(node: GraphNode, selected: boolean, measured?: Measured): RouteFlowNode {
  // Until React Flow has measured a node, it draws it (to measure it) wherever it is, so a 1,000-node graph
  // would be drawn whole once, then trimmed to the screen. An estimated size and handles let it skip
  // off-screen nodes; once measured, the node's real size and handles take over.
  const flow: RouteFlowNode = {
    id: node.id,
    type: node.type,
    position: node.position,
    data: { node },
    selected,
    initialWidth: NODE_SIZE_ESTIMATE.width,
    initialHeight: NODE_SIZE_ESTIMATE.height,
  };
  // React Flow keeps sizes on the node objects it is given; without them it hides and re-measures the node.
  if (measured) flow.measured = measured;
  else flow.handles = estimatedHandles(node);
  return flow;
}

/** Our nodes -> React Flow nodes, reusing cached objects for nodes that did not change. */
export function toFlowNodes(
  nodes: readonly GraphNode[],
  selected: ReadonlySet<string>,
  cache?: FlowNodeCache,
  sizes?: ReadonlyMap<string, Measured>,
): RouteFlowNode[] {
  return nodes.map((n) => {
    const isSelected = selected.has(n.id);
    const measured = sizes?.get(n.id);
    const hit = cache?.get(n);
    if (hit && hit.selected === isSelected && hit.measured === measured) return hit.flow;
    const flow = toFlowNode(n, isSelected, measured);
    cache?.set(n, { selected: isSelected, measured, flow });
    return flow;
  });
}

/** Our edge -> a React Flow edge. Its id is recomputed from source, outcome and target, so it is stable. */
export function toFlowEdge(edge: GraphEdge, label: string, selected = false): RouteFlowEdge {
  return {
    id: edgeId(edge.source, edge.sourceHandle, edge.target),
    source: edge.source,
    sourceHandle: edge.sourceHandle,
    target: edge.target,
    targetHandle: 'in',
    type: 'outcome',
    label,
    data: { label },
    selected,
  };
}

/** Every edge of the graph as React Flow edges, labelled with the outcome's label from its source node. */
export function toFlowEdges(graph: Graph, outcomeLabel: (node: GraphNode | undefined, handle: string) => string, selected: ReadonlySet<string> = new Set()): RouteFlowEdge[] {
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  return graph.edges.map((e) => toFlowEdge(e, outcomeLabel(byId.get(e.source), e.sourceHandle), selected.has(edgeId(e.source, e.sourceHandle, e.target))));
}
