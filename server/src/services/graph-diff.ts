import { nodeLabel, type Graph, type GraphEdge, type GraphNode, type NodeType } from '@lead-router/shared';

/** A node as a diff names it. */
export interface DiffNodeRef {
  id: string;
  type: NodeType;
  label: string;
}

/** One changed value inside a node, at a dotted path (`config.cases.0.condition.conditions.0.value`). */
export interface FieldChange {
  path: string;
  /** `added`: only in the newer graph; `removed`: only in the older one. `before`/`after` are null where absent. */
  kind: 'added' | 'removed' | 'changed';
  before: unknown;
  after: unknown;
  /** The change in words: `config.cases.0.condition.conditions.0.value: 500 -> 1000`. */
  text: string;
}

/** A node present in both graphs whose content differs. */
export interface NodeChange extends DiffNodeRef {
  changes: FieldChange[];
  /** True when the node was only moved on the canvas: nothing a lead would notice. */
  positionOnly: boolean;
}

/** What changed between two graphs. */
export interface GraphDiff {
  nodes: { added: DiffNodeRef[]; removed: DiffNodeRef[]; changed: NodeChange[] };
  edges: { added: GraphEdge[]; removed: GraphEdge[] };
  summary: { nodesAdded: number; nodesRemoved: number; nodesChanged: number; nodesMoved: number; edgesAdded: number; edgesRemoved: number; identical: boolean };
}

/**
 * The difference between two graphs: nodes matched by id, edges by what they connect (source, outcome,
 * target), so an edge that only got a new id is not reported. Pure; lists keep the graphs' own order.
 * Sticky notes (`graph.notes`) are left out on purpose: they route nothing, so a draft that only changed
 * its notes is `identical` to the version it came from, and the publish dialog never calls it changed.
 */
export function diffGraphs(before: Graph, after: Graph): GraphDiff {
  const oldNodes = new Map(before.nodes.map((n) => [n.id, n]));
  const newNodes = new Map(after.nodes.map((n) => [n.id, n]));

  const added = after.nodes.filter((n) => !oldNodes.has(n.id)).map(ref);
  const removed = before.nodes.filter((n) => !newNodes.has(n.id)).map(ref);
  const changed: NodeChange[] = [];
  for (const node of after.nodes) {
    const old = oldNodes.get(node.id);
    if (!old) continue;
    const changes: FieldChange[] = [];
    diffValues(stripUndefined(old), stripUndefined(node), [], changes);
    if (changes.length === 0) continue;
    changed.push({ ...ref(node), changes, positionOnly: changes.every((c) => c.path === 'position' || c.path.startsWith('position.')) });
  }

  const oldEdges = new Map(before.edges.map((e) => [edgeKey(e), e]));
  const newEdges = new Map(after.edges.map((e) => [edgeKey(e), e]));
  const edgesAdded = after.edges.filter((e) => !oldEdges.has(edgeKey(e)));
  const edgesRemoved = before.edges.filter((e) => !newEdges.has(edgeKey(e)));

  const moved = changed.filter((c) => c.positionOnly).length;
  return {
    nodes: { added, removed, changed },
    edges: { added: edgesAdded, removed: edgesRemoved },
    summary: {
      nodesAdded: added.length,
      nodesRemoved: removed.length,
      nodesChanged: changed.length - moved,
      nodesMoved: moved,
      edgesAdded: edgesAdded.length,
      edgesRemoved: edgesRemoved.length,
      identical: added.length + removed.length + changed.length + edgesAdded.length + edgesRemoved.length === 0,
    },
  };
}

function ref(node: GraphNode): DiffNodeRef {
  return { id: node.id, type: node.type, label: nodeLabel(node) };
}

// A NUL cannot appear in node ids, so the key cannot be forged by ids containing the separator.
function edgeKey(e: GraphEdge): string {
  return `${e.source}\u0000${e.sourceHandle}\u0000${e.target}`;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

// Stored graphs went through JSON, fresh ones may hold `undefined` for absent optional keys: compare them alike.
function stripUndefined(v: unknown): Json {
  return JSON.parse(JSON.stringify(v)) as Json;
}

function isObject(v: Json): v is { [key: string]: Json } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isScalarList(v: Json): boolean {
  return Array.isArray(v) && v.every((x) => x === null || typeof x !== 'object');
}

/**
 * Records every leaf that differs. Objects are compared key by key and lists of objects item by item (the
 * paths name indexes, as problems do); lists of plain values (`in` values, skills) are one value each, so
 * adding a country reads as `["DE", "AT"] -> ["DE", "AT", "CH"]`, not as an index shuffle.
 */
function diffValues(a: Json | undefined, b: Json | undefined, path: string[], out: FieldChange[]): void {
  if (a === undefined && b === undefined) return;
  if (a !== undefined && b !== undefined) {
    if (isObject(a) && isObject(b)) {
      const keys = [...Object.keys(a), ...Object.keys(b).filter((k) => !Object.prototype.hasOwnProperty.call(a, k))];
      for (const k of keys) diffValues(own(a, k), own(b, k), [...path, k], out);
      return;
    }
    if (Array.isArray(a) && Array.isArray(b) && !(isScalarList(a) && isScalarList(b))) {
      for (let i = 0; i < Math.max(a.length, b.length); i++) diffValues(a[i], b[i], [...path, String(i)], out);
      return;
    }
    if (equal(a, b)) return;
  }
  const p = path.join('.');
  const kind = a === undefined ? 'added' : b === undefined ? 'removed' : 'changed';
  out.push({ path: p, kind, before: a ?? null, after: b ?? null, text: `${p}: ${show(a)} -> ${show(b)}` });
}

function own(o: { [key: string]: Json }, k: string): Json | undefined {
  return Object.prototype.hasOwnProperty.call(o, k) ? o[k] : undefined;
}

function equal(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

const MAX_SHOWN = 120;

function show(v: Json | undefined): string {
  if (v === undefined) return '(none)';
  const s = typeof v === 'string' ? JSON.stringify(v) : Array.isArray(v) && isScalarList(v) ? `[${v.map((x) => show(x)).join(', ')}]` : JSON.stringify(v);
  return s.length > MAX_SHOWN ? `${s.slice(0, MAX_SHOWN - 1)}…` : s;
}
