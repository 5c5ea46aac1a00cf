import { joinPath, problem, type Problem } from '../errors';
import { GRAPH_SCHEMA_VERSION, GraphEdgeSchema, GraphNoteSchema, MAX_EDGES, MAX_NODES, MAX_NOTES, type Graph, type GraphEdge, type GraphNote } from '../graph/graph';
import { migrateGraph } from '../graph/migrations';
import { GraphNodeSchema, isNodeType, NODE_KINDS, NODE_TYPES, type GraphNode, type NodeType } from '../graph/node';
import { boundedCopy, MAX_DEPTH, MAX_VALUES, type BoundsFinding } from './bounds';
import { quote } from './names';
import { plainIssues, type Owner } from './zod-messages';

/** The result of parsing a graph document: the graph, or every problem found and the parts that did parse. */
export type ParseResult =
  | { ok: true; graph: Graph; problems: [] }
  | {
      ok: false;
      problems: Problem[];
      /** The nodes and edges that did parse, so later rules can still report on them. */
      graph: Graph;
    };

/** A node that is in the document but did not parse: rules must not report it as missing. */
export interface BrokenNode {
  /** Its declared type when that is a known one. */
  type: NodeType | null;
  /** A name for messages: its title, its kind's label, or its id. */
  label: string;
}

/** Everything the compiler learns from parsing, beyond what `parseGraph` returns. */
export interface ParsedDocument {
  graph: Graph;
  problems: Problem[];
  /** True when the document could not be read as a graph at all; rules would only add noise. */
  fatal: boolean;
  broken: ReadonlyMap<string, BrokenNode>;
  /** Node id -> position in the document, for every node with a usable id (parsed or not). */
  nodeOrder: ReadonlyMap<string, number>;
  /** Edge id -> position in the document, for every edge with a usable id. */
  edgeOrder: ReadonlyMap<string, number>;
}

/** Parses an untrusted graph document. Never throws; a broken node or edge does not hide the others' problems. */
export function parseGraph(input: unknown): ParseResult {
  const doc = parseDocument(input);
  return doc.problems.length === 0
    ? { ok: true, graph: doc.graph, problems: [] }
    : { ok: false, problems: doc.problems, graph: doc.graph };
}

// Ids that would change an object's prototype if they became keys of the plan's plain-JSON records.
const RESERVED_IDS = new Set(['__proto__']);

/** Parses a graph document and keeps what the rules need to avoid follow-on noise. Never throws. */
export function parseDocument(input: unknown): ParsedDocument {
  try {
    return parseUnsafe(input);
  } catch (err) {
    // Getters and proxies can throw from anywhere; none of that may escape the compiler.
    return fatal([problem('invalid_document', `The graph document could not be read: ${errorText(err)}`)]);
  }
}

function fatal(problems: Problem[]): ParsedDocument {
  return {
    graph: { schemaVersion: GRAPH_SCHEMA_VERSION, nodes: [], edges: [] },
    problems,
    fatal: true,
    broken: new Map(),
    nodeOrder: new Map(),
    edgeOrder: new Map(),
  };
}

function parseUnsafe(input: unknown): ParsedDocument {
  if (!isRecord(input)) {
    return fatal([problem('invalid_document', 'The graph must be a JSON object with `nodes` and `edges` lists.')]);
  }
  // Sizes first, from the raw input, so an oversized document costs nothing more to refuse.
  const sizeProblems: Problem[] = [];
  const rawNodes = input.nodes;
  const rawEdges = input.edges;
  if (Array.isArray(rawNodes) && rawNodes.length > MAX_NODES) {
    sizeProblems.push(problem('graph_too_large', tooManyNodes(rawNodes.length), { path: 'nodes' }));
  }
  if (Array.isArray(rawEdges) && rawEdges.length > MAX_EDGES) {
    sizeProblems.push(
      problem('graph_too_large', `The graph has ${rawEdges.length} connections; a routing graph may have at most ${MAX_EDGES}.`, {
        path: 'edges',
      }),
    );
  }
  if (sizeProblems.length > 0) return fatal(sizeProblems);

  const copy = boundedCopy(input);
  if (!copy.ok) {
    return fatal([problem('invalid_document', `The graph document is too large to read (more than ${String(MAX_VALUES).replace(/\B(?=(\d{3})+$)/g, ',')} values).`)]);
  }
  const copied = copy.value as Record<string, unknown>;

  const migrated = migrateGraph(copied);
  if (!migrated.ok) return fatal([problem('unsupported_schema_version', migrated.message, { path: 'schemaVersion' })]);
  const doc = migrated.doc;

  const shapeProblems: Problem[] = [];
  if (!Array.isArray(doc.nodes)) shapeProblems.push(problem('invalid_document', 'The graph needs a `nodes` list.', { path: 'nodes' }));
  if (!Array.isArray(doc.edges)) shapeProblems.push(problem('invalid_document', 'The graph needs an `edges` list (it may be empty).', { path: 'edges' }));
  if (shapeProblems.length > 0) return fatal(shapeProblems);

  const findings = findingsByItem(copy.findings);
  const problems: Problem[] = [];
  const broken = new Map<string, BrokenNode>();
  const nodeOrder = new Map<string, number>();
  const nodes: GraphNode[] = [];
  (doc.nodes as unknown[]).forEach((raw, index) => {
    const result = parseNode(raw, index, findings.nodes.get(index), nodeOrder);
    problems.push(...result.problems);
    if (result.node) nodes.push(result.node);
    else if (result.brokenId !== undefined) broken.set(result.brokenId, result.broken);
  });

  const edgeOrder = new Map<string, number>();
  const edges: GraphEdge[] = [];
  (doc.edges as unknown[]).forEach((raw, index) => {
    const result = parseEdge(raw, index, findings.edges.get(index), edgeOrder);
    problems.push(...result.problems);
    if (result.edge) edges.push(result.edge);
  });

  const notes = parseNotes(doc.notes);
  problems.push(...notes.problems);

  return {
    // A graph saved before notes existed stays without the key, so it reads and diffs as it always did.
    graph: { schemaVersion: GRAPH_SCHEMA_VERSION, nodes, edges, ...(notes.notes ? { notes: notes.notes } : {}) },
    problems,
    fatal: false,
    broken,
    nodeOrder,
    edgeOrder,
  };
}

/** The message for a graph with too many nodes; shared with the size rule. */
export function tooManyNodes(count: number): string {
  return `The graph has ${count} steps; a routing graph may have at most ${MAX_NODES}. Split it into smaller workflows.`;
}

interface ItemFindings {
  nodes: Map<number, BoundsFinding>;
  edges: Map<number, BoundsFinding>;
}

/** The first bounds finding inside each node and edge; findings elsewhere fall on keys the schema ignores. */
function findingsByItem(all: readonly BoundsFinding[]): ItemFindings {
  const out: ItemFindings = { nodes: new Map(), edges: new Map() };
  for (const f of all) {
    const [list, index] = f.path;
    if (typeof index !== 'number' || f.path.length < 3) continue;
    const map = list === 'nodes' ? out.nodes : list === 'edges' ? out.edges : null;
    if (map && !map.has(index)) map.set(index, { reason: f.reason, path: f.path.slice(2) });
  }
  return out;
}

interface NodeParse {
  problems: Problem[];
  node?: GraphNode;
  brokenId?: string;
  broken: BrokenNode;
}

function parseNode(raw: unknown, index: number, finding: BoundsFinding | undefined, order: Map<string, number>): NodeParse {
  const fallbackLabel = `Step ${index + 1}`;
  if (!isRecord(raw)) {
    return {
      problems: [problem('invalid_node', `${fallbackLabel} is not a step: expected an object with id, type, position and config.`, { path: `nodes.${index}` })],
      broken: { type: null, label: fallbackLabel },
    };
  }
  const id = usableId(raw.id);
  const type = isNodeType(raw.type) ? raw.type : null;
  const title = typeof raw.label === 'string' && raw.label.trim() !== '' ? raw.label : null;
  const label = title ?? (type ? NODE_KINDS[type].label : (id ?? fallbackLabel));
  const name = quote(label);
  const where = (path: ReadonlyArray<PropertyKey>) =>
    id !== undefined ? { nodeId: id, path: joinPath(path) } : { path: joinPath(['nodes', index, ...path]) };
  const brokenInfo: BrokenNode = { type, label };
  const fail = (problems: Problem[]): NodeParse => ({ problems, broken: brokenInfo, ...(id !== undefined ? { brokenId: id } : {}) });

  if (id !== undefined && order.has(id)) {
    const first = (order.get(id) as number) + 1;
    // The later node is left out of the graph: every rule keys nodes by id.
    return {
      problems: [
        problem('duplicate_node_id', `Steps ${first} and ${index + 1} both have the id ${quote(id)}. Give ${name} an id of its own.`, {
          nodeId: id,
          path: 'id',
        }),
      ],
      broken: brokenInfo,
    };
  }
  if (id !== undefined) order.set(id, index);

  if (finding) return fail([boundsProblem(finding, name, where(finding.path), 'invalid_node')]);

  if (type === null) {
    const shown = typeof raw.type === 'string' ? `the type ${quote(raw.type)}, which this product does not know` : 'no type';
    return fail([
      problem('unknown_node_type', `${name} has ${shown}. Use one of: ${NODE_TYPES.join(', ')}.`, where(['type'])),
    ]);
  }

  const parsed = GraphNodeSchema.safeParse(raw);
  if (!parsed.success) {
    return fail(plainIssues(parsed.error.issues, 'node', raw).map((i) => problem('invalid_node', `${i.text} (in ${name})`, where(i.path))));
  }
  if (RESERVED_IDS.has(parsed.data.id)) {
    return fail([problem('invalid_node', `The id ${quote(parsed.data.id)} is reserved; give ${name} another id.`, where(['id']))]);
  }
  return { problems: [], node: parsed.data, broken: brokenInfo };
}

interface EdgeParse {
  problems: Problem[];
  edge?: GraphEdge;
}

function parseEdge(raw: unknown, index: number, finding: BoundsFinding | undefined, order: Map<string, number>): EdgeParse {
  const name = `Connection ${index + 1}`;
  if (!isRecord(raw)) {
    return {
      problems: [problem('invalid_edge', `${name} is not a connection: expected an object with id, source, sourceHandle and target.`, { path: `edges.${index}` })],
    };
  }
  const id = usableId(raw.id);
  const where = (path: ReadonlyArray<PropertyKey>) =>
    id !== undefined ? { edgeId: id, path: joinPath(path) } : { path: joinPath(['edges', index, ...path]) };
  if (id !== undefined && order.has(id)) {
    const first = (order.get(id) as number) + 1;
    return {
      problems: [problem('invalid_edge', `Connections ${first} and ${index + 1} both have the id ${quote(id)}; each connection needs its own id.`, where(['id']))],
    };
  }
  if (id !== undefined) order.set(id, index);
  if (finding) return { problems: [boundsProblem(finding, name, where(finding.path), 'invalid_edge')] };
  const parsed = GraphEdgeSchema.safeParse(raw);
  if (!parsed.success) {
    return { problems: plainIssues(parsed.error.issues, 'edge', raw).map((i) => problem('invalid_edge', `${i.text} (in ${name})`, where(i.path))) };
  }
  return { problems: [], edge: parsed.data };
}

/**
 * The sticky notes of a document: absent is none; each note that parses is kept, and each that does not is
 * one problem naming its field (`notes.2.text`). Notes route nothing, so a bad note never hides a step's
 * problems, but it is still refused: a note is saved with the draft and must be bounded like everything else.
 */
function parseNotes(raw: unknown): { notes?: GraphNote[]; problems: Problem[] } {
  if (raw === undefined) return { problems: [] };
  if (!Array.isArray(raw)) return { notes: [], problems: [problem('invalid_note', 'Sticky notes must be a list (`notes`).', { path: 'notes' })] };
  if (raw.length > MAX_NOTES) {
    return { notes: [], problems: [problem('invalid_note', `The graph has ${raw.length} sticky notes; a graph may have at most ${MAX_NOTES}.`, { path: 'notes' })] };
  }
  const notes: GraphNote[] = [];
  const problems: Problem[] = [];
  const ids = new Map<string, number>();
  raw.forEach((item: unknown, index) => {
    const name = `Note ${index + 1}`;
    const parsed = GraphNoteSchema.safeParse(item);
    if (!parsed.success) {
      for (const i of plainIssues(parsed.error.issues, 'note', item)) problems.push(problem('invalid_note', `${i.text} (in ${name})`, { path: joinPath(['notes', index, ...i.path]) }));
      return;
    }
    const first = ids.get(parsed.data.id);
    if (first !== undefined) {
      problems.push(problem('invalid_note', `Notes ${first + 1} and ${index + 1} both have the id ${quote(parsed.data.id)}; each note needs its own id.`, { path: joinPath(['notes', index, 'id']) }));
      return;
    }
    ids.set(parsed.data.id, index);
    notes.push(parsed.data);
  });
  return { notes, problems };
}

function boundsProblem(
  finding: BoundsFinding,
  name: string,
  where: { nodeId?: string; edgeId?: string; path?: string },
  code: 'invalid_node' | 'invalid_edge',
): Problem {
  const why =
    finding.reason === 'too_deep'
      ? `nests values more than ${MAX_DEPTH} levels deep, which no routing graph needs`
      : 'holds a value that is not plain JSON data';
  const owner: Owner = code === 'invalid_node' ? 'node' : 'edge';
  return problem(code, `${name} ${why}. Check the ${owner === 'node' ? 'step' : 'connection'} was saved by this product.`, where);
}

// Ids are used for messages and lookups before they are validated, so anything odd is kept out of both.
function usableId(v: unknown): string | undefined {
  return typeof v === 'string' && v.length > 0 && v.length <= 200 ? v : undefined;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function errorText(err: unknown): string {
  try {
    return err instanceof Error ? err.message : String(err);
  } catch {
    return 'unknown error';
  }
}
