import { edgeId, MAX_NOTES, NODE_KINDS, outcomesOf, type Graph, type GraphEdge, type GraphNode, type GraphNote, type NodeConfig, type NodeType, type OutcomeSpec } from '@lead-router/shared';
import { belowOutcome, besideFirst, boundsOf, freeSpot, NODE_SIZE_ESTIMATE, nodeBox, noteBox, onGrid, takenBoxes, type Box } from './placement';

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
 * clear of the other steps and notes (inside `within`, the part on screen, when there is one), so steps added
 * at one place never pile up on each other. With a `grid`, the step lands on it.
 */
export function addNode(graph: Graph, type: NodeType, position: { x: number; y: number }, within?: Box, grid: number | null = null): { graph: Graph; id: string } {
  const id = nextNodeId(graph, type);
  const at = onGrid(freeSpot(takenBoxes(graph), { ...onGrid(position, grid), ...NODE_SIZE_ESTIMATE }, within), grid);
  const node = { id, type, position: at, config: newNodeConfig(type) } as GraphNode;
  return { graph: { ...graph, nodes: [...graph.nodes, node] }, id };
}

/**
 * Adds a step of `type` after `source`'s outcome `handle` and connects that outcome to it, in one new graph
 * (so it is one undo step): placed under the outcome's handle, one layer down, or beside that on the same
 * layer (`besideFirst`), clear of every step and note. An outcome already connected is re-pointed to the new step (an outcome leads to one
 * place). Unchanged graph when the source is gone.
 */
export function addConnectedNode(graph: Graph, type: NodeType, source: string, handle: string, grid: number | null = null): { graph: Graph; id: string } {
  const from = graph.nodes.find((n) => n.id === source);
  if (!from) return { graph, id: '' };
  const outcomes = safeOutcomes(from);
  const index = Math.max(0, outcomes.findIndex((o) => o.id === handle));
  const want = belowOutcome(from, index, outcomes.length);
  // Outcomes left of the card's middle look left first; the middle one and those right of it, right.
  const side = index < (outcomes.length - 1) / 2 ? -1 : 1;
  const id = nextNodeId(graph, type);
  const at = onGrid(besideFirst(takenBoxes(graph), { ...want, ...onGrid(want, grid) }, side), grid);
  const node = { id, type, position: at, config: newNodeConfig(type) } as GraphNode;
  return { graph: connect({ ...graph, nodes: [...graph.nodes, node] }, source, handle, id), id };
}

/** The usual size of a new sticky note. */
export const NOTE_SIZE = { width: 224, height: 128 };

/** A fresh note id no note of the graph has: `note-3`. */
export function nextNoteId(graph: Pick<Graph, 'notes'>, taken: ReadonlySet<string> = new Set()): string {
  const ids = new Set((graph.notes ?? []).map((n) => n.id));
  for (let i = 1; ; i++) {
    const id = `note-${i}`;
    if (!ids.has(id) && !taken.has(id)) return id;
  }
}

/**
 * Adds an empty sticky note at `position`, or the nearest spot clear of the steps and the other notes (inside
 * `within` when given), on the `grid` when there is one. Unchanged graph when it already has the most notes.
 */
export function addNote(graph: Graph, position: { x: number; y: number }, within?: Box, grid: number | null = null): { graph: Graph; id: string } {
  if ((graph.notes ?? []).length >= MAX_NOTES) return { graph, id: '' };
  const id = nextNoteId(graph);
  const at = onGrid(freeSpot(takenBoxes(graph), { ...onGrid(position, grid), ...NOTE_SIZE }, within), grid);
  const note: GraphNote = { id, x: at.x, y: at.y, ...NOTE_SIZE, text: '' };
  return { graph: { ...graph, notes: [...(graph.notes ?? []), note] }, id };
}

/** Changes one note (its text, place, size or colour); unchanged graph when nothing differs. */
export function updateNote(graph: Graph, id: string, patch: Partial<Omit<GraphNote, 'id'>>): Graph {
  const notes = graph.notes ?? [];
  const old = notes.find((n) => n.id === id);
  if (!old) return graph;
  const next = { ...old, ...patch };
  if ((Object.keys(patch) as Array<keyof typeof patch>).every((k) => old[k] === next[k])) return graph;
  return { ...graph, notes: notes.map((n) => (n.id === id ? next : n)) };
}

/** Moves notes to new positions; untouched notes keep their identity. */
export function moveNotes(graph: Graph, positions: ReadonlyMap<string, { x: number; y: number }>): Graph {
  if (positions.size === 0 || !graph.notes) return graph;
  let changed = false;
  const notes = graph.notes.map((n) => {
    const p = positions.get(n.id);
    if (!p || (p.x === n.x && p.y === n.y)) return n;
    changed = true;
    return { ...n, x: p.x, y: p.y };
  });
  return changed ? { ...graph, notes } : graph;
}

/** Removes nodes (with every edge touching them), edges and sticky notes. */
export function removeItems(graph: Graph, nodeIds: Iterable<string>, edgeIds: Iterable<string> = [], noteIds: Iterable<string> = []): Graph {
  const nodes = new Set(nodeIds);
  const edges = new Set(edgeIds);
  const notes = new Set(noteIds);
  if (nodes.size === 0 && edges.size === 0 && notes.size === 0) return graph;
  const next: Graph = {
    ...graph,
    nodes: nodes.size === 0 ? graph.nodes : graph.nodes.filter((n) => !nodes.has(n.id)),
    edges: nodes.size === 0 && edges.size === 0 ? graph.edges : graph.edges.filter((e) => !edges.has(e.id) && !nodes.has(e.source) && !nodes.has(e.target)),
  };
  if (notes.size > 0 && graph.notes) next.notes = graph.notes.filter((n) => !notes.has(n.id));
  return next;
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

/** What a copy holds: the nodes, the edges between them, and sticky notes. */
export interface Clipboard {
  nodes: GraphNode[];
  edges: GraphEdge[];
  notes: GraphNote[];
}

/** Copies the given nodes, the edges that run between them, and the given notes. */
export function copyItems(graph: Graph, nodeIds: Iterable<string>, noteIds: Iterable<string> = []): Clipboard {
  const ids = new Set(nodeIds);
  const notes = new Set(noteIds);
  return {
    nodes: graph.nodes.filter((n) => ids.has(n.id)),
    edges: graph.edges.filter((e) => ids.has(e.source) && ids.has(e.target)),
    notes: (graph.notes ?? []).filter((n) => notes.has(n.id)),
  };
}

/** Where a pasted copy goes: shifted by `want`, or further to the nearest place clear of every step and note. */
function pasteOffset(graph: Graph, clip: Clipboard, want: { x: number; y: number }): { x: number; y: number } {
  const bounds = boundsOf([...clip.nodes.map(nodeBox), ...clip.notes.map(noteBox)]);
  if (!bounds) return want;
  const spot = freeSpot(takenBoxes(graph), { ...bounds, x: bounds.x + want.x, y: bounds.y + want.y });
  return { x: spot.x - bounds.x, y: spot.y - bounds.y };
}

/**
 * Pastes a copy with fresh ids, placed clear of the other steps and notes (the originals included), moved by
 * whole steps of the `grid` when there is one. Returns
 * the new node ids and note ids. Notes beyond the most a graph may carry are left out.
 */
export function pasteItems(graph: Graph, clip: Clipboard, want = { x: 40, y: 40 }, grid: number | null = null): { graph: Graph; ids: string[]; noteIds: string[] } {
  // With a grid, the copy moves by whole grid steps, so what was on the grid stays on it.
  const offset = onGrid(pasteOffset(graph, clip, want), grid);
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
  const takenNotes = new Set<string>();
  const room = Math.max(0, MAX_NOTES - (graph.notes ?? []).length);
  const notes = clip.notes.slice(0, room).map((n) => {
    const id = nextNoteId(graph, takenNotes);
    takenNotes.add(id);
    return { ...n, id, x: n.x + offset.x, y: n.y + offset.y };
  });
  const next: Graph = { ...graph, nodes: [...graph.nodes, ...nodes], edges: [...graph.edges, ...edges] };
  if (notes.length > 0) next.notes = [...(graph.notes ?? []), ...notes];
  return { graph: next, ids: [...renamed.values()], noteIds: notes.map((n) => n.id) };
}
