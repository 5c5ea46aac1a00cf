import type { Graph, GraphNode } from '@lead-router/shared';
import type { ELK as Elk, ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk.bundled.js';
import { safeOutcomes } from '../store/graph-ops';
import { NODE_SIZE_ESTIMATE } from '../store/placement';
import { estimatedHandles } from '../store/to-flow';

// Auto layout by ELK's layered algorithm, top-down, with each card's ports where its handles are: the input
// at the top centre and one output per outcome along the bottom, in the outcomes' order (FIXED_POS). So the
// first case of a branch goes left and its else right, under their handles, and edges leave without crossing.
// dagre, used before, knows no ports: it placed the targets of one node's outcomes in any order.

// elkjs is ~1.4 MB, more than the rest of the app: it is loaded on the first Auto layout, not with the page.
let elk: Promise<Elk> | null = null;
function loadElk(): Promise<Elk> {
  elk ??= import('elkjs/lib/elk.bundled.js').then(({ default: ELK }) => new ELK()).catch((err: unknown) => {
    elk = null; // a failed load (offline) is tried again on the next click
    throw err;
  });
  return elk;
}

const LAYOUT_OPTIONS = {
  'elk.algorithm': 'layered',
  'elk.direction': 'DOWN',
  'elk.spacing.nodeNode': '40',
  'elk.layered.spacing.nodeNodeBetweenLayers': '70',
  // Ties are broken by the order nodes and edges are given in: the order the outcomes are read in.
  'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
  // Loops back (a wait's re-assignment) are drawn upwards; the trigger stays on top.
  'elk.layered.cycleBreaking.strategy': 'DEPTH_FIRST',
};

const portId = (node: string, handle: string) => `${node}\u0000${handle}`;

/** The nodes in reading order: from the trigger along each node's outcomes in order, then any not reached. */
function readingOrder(graph: Graph): GraphNode[] {
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const out = new Map<string, string[]>();
  for (const n of graph.nodes) {
    const order = safeOutcomes(n).map((o) => o.id);
    const targets = graph.edges.filter((e) => e.source === n.id).sort((a, b) => order.indexOf(a.sourceHandle) - order.indexOf(b.sourceHandle));
    out.set(n.id, targets.map((e) => e.target));
  }
  const seen = new Set<string>();
  const queue = graph.nodes.filter((n) => n.type === 'trigger').map((n) => n.id);
  const ordered: GraphNode[] = [];
  while (queue.length > 0) {
    const id = queue.shift() as string;
    const node = byId.get(id);
    if (seen.has(id) || !node) continue;
    seen.add(id);
    ordered.push(node);
    queue.push(...(out.get(id) ?? []));
  }
  return [...ordered, ...graph.nodes.filter((n) => !seen.has(n.id))];
}

/** A card for ELK: its usual size and its handles as fixed ports. */
function elkNode(node: GraphNode): ElkNode {
  return {
    id: node.id,
    ...NODE_SIZE_ESTIMATE,
    layoutOptions: { 'elk.portConstraints': 'FIXED_POS' },
    ports: estimatedHandles(node).map((h) => ({
      id: portId(node.id, h.id ?? 'in'),
      x: h.x + (h.width ?? 0) / 2,
      y: h.type === 'target' ? 0 : NODE_SIZE_ESTIMATE.height,
      width: 1,
      height: 1,
      layoutOptions: { 'elk.port.side': h.type === 'target' ? 'NORTH' : 'SOUTH' },
    })),
  };
}

/** Top-down positions for every node (top-left corners, as React Flow places them). */
export async function autoLayout(graph: Graph): Promise<Map<string, { x: number; y: number }>> {
  const nodes = readingOrder(graph);
  const rank = new Map(nodes.map((n, i) => [n.id, i]));
  const ports = new Set(nodes.flatMap((n) => [...safeOutcomes(n).map((o) => portId(n.id, o.id)), ...(n.type === 'trigger' ? [] : [portId(n.id, 'in')])]));
  const edges: ElkExtendedEdge[] = graph.edges
    .filter((e) => rank.has(e.source) && rank.has(e.target) && e.source !== e.target)
    .sort((a, b) => (rank.get(a.source) as number) - (rank.get(b.source) as number))
    .map((e) => {
      // An edge from an outcome the node cannot list (a half-filled config) leaves from the node itself.
      const from = ports.has(portId(e.source, e.sourceHandle)) ? portId(e.source, e.sourceHandle) : e.source;
      const to = ports.has(portId(e.target, 'in')) ? portId(e.target, 'in') : e.target;
      return { id: e.id, sources: [from], targets: [to] };
    });
  const laid = await (await loadElk()).layout({ id: 'root', layoutOptions: LAYOUT_OPTIONS, children: nodes.map(elkNode), edges });
  const at = new Map<string, { x: number; y: number }>();
  for (const c of laid.children ?? []) at.set(c.id, { x: Math.round(c.x ?? 0), y: Math.round(c.y ?? 0) });
  return at;
}
