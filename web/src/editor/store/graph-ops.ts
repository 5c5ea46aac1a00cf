import { edgeId, NODE_KINDS, outcomesOf, type Graph, type GraphEdge, type GraphNode, type NodeConfig, type NodeType, type OutcomeSpec } from '@lead-router/shared';
import { boundsOf, freeSpot, NODE_SIZE_ESTIMATE, nodeBox, type Box } from './placement';

// Pure operations on OUR graph document. The store calls these; the canvas never edits the graph itself.
// Every operation returns a new graph and leaves untouched nodes/edges as the same objects, so memoised
// node views only re-render for what changed.

/** The outcomes of a node, or none when its config is half-filled and cannot say (a draft may be). */
export function safeOutcomes(node: GraphNode): OutcomeSpec[] {
  try {
    return outcomesOf(node);
  } catch {
    return [];
  }
}

/** A fresh node id for `type` that no node of the graph has: `branch-3`. */
export function nextNodeId(graph: Graph, type: NodeType, taken: ReadonlySet<string> = new Set()): string {
  const base = type.replace(/_/g, '-');
  const ids = new Set(graph.nodes.map((n) => n.id));
  for (let i = 1; ; i++) {
    const id = `${base}-${i}`;
    if (!ids.has(id) && !taken.has(id)) return id;
  }
}

/**
 * The settings a step added by the author starts with: its kind's default, except that nothing of the
 * workspace's directory is chosen for them. An Assign step starts with no team (shared's default names a
 * placeholder team no directory has), so the form asks "Choose a team" and the compiler lists the problem
 * until one is chosen.
 */
export function newNodeConfig<T extends NodeType>(type: T): NodeConfig<T> {
  const config = NODE_KINDS[type].defaultConfig();
  if (type === 'assign') {
    const assign = config as NodeConfig<'assign'>;
    return { ...assign, strategy: { type: 'round_robin', teamId: '' } } as NodeConfig<T>;
  }
  return config as NodeConfig<T>;
}

/**
 * Adds a node of `type` with its starting settings (`newNodeConfig`) at `position`, or at the nearest spot
 * clear of the other steps (inside `within`, the part on screen, when there is one), so steps added at one
 * place never pile up on each other.
 */
export function addNode(graph: Graph, type: NodeType, position: { x: number; y: number }, within?: Box): { graph: Graph; id: string } {
  const id = nextNodeId(graph, type);
  const at = freeSpot(graph.nodes.map(nodeBox), { ...position, ...NODE_SIZE_ESTIMATE }, within);
  const node = { id, type, position: at, config: newNodeConfig(type) } as GraphNode;
  return { graph: { ...graph, nodes: [...graph.nodes, node] }, id };
}

/** Removes nodes (with every edge touching them) and edges. */
export function removeItems(graph: Graph, nodeIds: Iterable<string>, edgeIds: Iterable<string> = []): Graph {
  const nodes = new Set(nodeIds);
  const edges = new Set(edgeIds);
  if (nodes.size === 0 && edges.size === 0) return graph;
  return {
    ...graph,
    nodes: graph.nodes.filter((n) => !nodes.has(n.id)),
    edges: graph.edges.filter((e) => !edges.has(e.id) && !nodes.has(e.source) && !nodes.has(e.target)),
  };
}

/**
 * Connects `source`'s outcome `sourceHandle` to `target`. An outcome leads to one place only, so an existing
 * edge from the same outcome is replaced; `target` null just disconnects it. Self-loops are refused.
 */
export function connect(graph: Graph, source: string, sourceHandle: string, target: string | null): Graph {
  if (target === source) return graph;
  const edges = graph.edges.filter((e) => !(e.source === source && e.sourceHandle === sourceHandle));
  if (target !== null) edges.push({ id: edgeId(source, sourceHandle, target), source, sourceHandle, target });
  return { ...graph, edges };
}

/** Moves nodes to new positions; untouched nodes keep their identity. */
export function moveNodes(graph: Graph, positions: ReadonlyMap<string, { x: number; y: number }>): Graph {
  if (positions.size === 0) return graph;
  return {
    ...graph,
    nodes: graph.nodes.map((n) => {
      const p = positions.get(n.id);
      return p && (p.x !== n.position.x || p.y !== n.position.y) ? { ...n, position: { x: p.x, y: p.y } } : n;
    }),
  };
}

/** Replaces one node (its config or title); edges from outcomes the node no longer has are dropped. */
export function replaceNode(graph: Graph, next: GraphNode): Graph {
  const handles = new Set(safeOutcomes(next).map((o) => o.id));
  return {
    ...graph,
    nodes: graph.nodes.map((n) => (n.id === next.id ? next : n)),
    // A half-filled config lists no outcomes; keep its edges rather than lose the author's wiring.
    edges: handles.size === 0 ? graph.edges : graph.edges.filter((e) => e.source !== next.id || handles.has(e.sourceHandle)),
  };
}

/** What a copy holds: the nodes and the edges between them. */
export interface Clipboard {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

/** Copies the given nodes and the edges that run between them. */
export function copyItems(graph: Graph, nodeIds: Iterable<string>): Clipboard {
  const ids = new Set(nodeIds);
  return {
    nodes: graph.nodes.filter((n) => ids.has(n.id)),
    edges: graph.edges.filter((e) => ids.has(e.source) && ids.has(e.target)),
  };
}

/** Where a pasted copy goes: shifted by `want`, or further to the nearest place clear of every step. */
function pasteOffset(graph: Graph, clip: Clipboard, want: { x: number; y: number }): { x: number; y: number } {
  const bounds = boundsOf(clip.nodes.map(nodeBox));
  if (!bounds) return want;
  const spot = freeSpot(graph.nodes.map(nodeBox), { ...bounds, x: bounds.x + want.x, y: bounds.y + want.y });
  return { x: spot.x - bounds.x, y: spot.y - bounds.y };
}

/** Pastes a copy with fresh ids, placed clear of the other steps (the original included). Returns the new node ids. */
export function pasteItems(graph: Graph, clip: Clipboard, want = { x: 40, y: 40 }): { graph: Graph; ids: string[] } {
  const offset = pasteOffset(graph, clip, want);
  const renamed = new Map<string, string>();
  const taken = new Set<string>();
  for (const n of clip.nodes) {
    const id = nextNodeId(graph, n.type, taken);
    taken.add(id);
    renamed.set(n.id, id);
  }
  const nodes = clip.nodes.map((n) => ({ ...structuredClone(n), id: renamed.get(n.id) as string, position: { x: n.position.x + offset.x, y: n.position.y + offset.y } }));
  const edges = clip.edges.map((e) => {
    const source = renamed.get(e.source) as string;
    const target = renamed.get(e.target) as string;
    return { id: edgeId(source, e.sourceHandle, target), source, sourceHandle: e.sourceHandle, target };
  });
  return { graph: { ...graph, nodes: [...graph.nodes, ...nodes], edges: [...graph.edges, ...edges] }, ids: [...renamed.values()] };
}
