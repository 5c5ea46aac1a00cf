import type { Directory } from '../directory/schema';
import type { Problem } from '../errors';
import type { FieldCatalog } from '../fields/catalog';
import type { Graph, GraphEdge } from '../graph/graph';
import { nodeLabel, type GraphNode, type NodeType } from '../graph/node';
import { createSuggester, quote, type Suggester } from './names';
import type { BrokenNode, ParsedDocument } from './parse';

/** One node of the document in order, parsed or not. */
export interface NodeEntry {
  id: string;
  /** Its type when known (a broken node may still have declared a known type). */
  type: NodeType | null;
  /** The parsed node; null when it did not parse. */
  node: GraphNode | null;
}

/** What every rule gets: the parsed graph and lookups built once. Rules must treat all of it as read-only. */
export interface RuleContext {
  graph: Graph;
  /** Parsed nodes by id. */
  nodes: ReadonlyMap<string, GraphNode>;
  /** Nodes that are in the document but did not parse; their problems are already reported. */
  broken: ReadonlyMap<string, BrokenNode>;
  /** Every node with a usable id, parsed or not, in document order. */
  entries: readonly NodeEntry[];
  /** Parsed edges by source node id, in document order. */
  outgoing: ReadonlyMap<string, readonly GraphEdge[]>;
  /** Parsed edges by target node id, in document order. */
  incoming: ReadonlyMap<string, readonly GraphEdge[]>;
  catalog: FieldCatalog;
  /** The workspace directory; null skips every check of reps, teams, queues and territories. */
  directory: Directory | null;
  /** Ids of the directory's territories; null without a directory. */
  territoryIds: ReadonlySet<string> | null;
  /** The workspace's secret names; null skips the check that each `{{secret.NAME}}` exists. */
  secretNames: ReadonlySet<string> | null;
  /** Suggests the catalog field a mistyped key probably meant. */
  suggest: Suggester;
}

/** A compiler rule: reads the context, returns its problems, never changes anything. */
export type Rule = (ctx: RuleContext) => Problem[];

/** True when a node with this id is in the document, whether or not it parsed. */
export function nodeExists(ctx: RuleContext, id: string): boolean {
  return ctx.nodes.has(id) || ctx.broken.has(id);
}

/** A node's label by id, whether it parsed, did not parse, or does not exist (then its id). */
export function labelOf(ctx: RuleContext, id: string): string {
  const node = ctx.nodes.get(id);
  if (node) return nodeLabel(node);
  return ctx.broken.get(id)?.label ?? id;
}

/** A node's name for messages by id, in quotes. */
export function nameOf(ctx: RuleContext, id: string): string {
  return quote(labelOf(ctx, id));
}

/** Builds the rule context from a parsed document. */
export function buildRuleContext(doc: ParsedDocument, catalog: FieldCatalog, directory: Directory | null, secretNames: readonly string[] | null = null): RuleContext {
  const nodes = new Map<string, GraphNode>();
  for (const n of doc.graph.nodes) nodes.set(n.id, n);
  const entries: NodeEntry[] = [...doc.nodeOrder.entries()]
    .sort((a, b) => a[1] - b[1])
    .flatMap(([id]): NodeEntry[] => {
      const node = nodes.get(id);
      if (node) return [{ id, type: node.type, node }];
      const broken = doc.broken.get(id);
      return broken ? [{ id, type: broken.type, node: null }] : [];
    });
  const outgoing = new Map<string, GraphEdge[]>();
  const incoming = new Map<string, GraphEdge[]>();
  for (const e of doc.graph.edges) {
    push(outgoing, e.source, e);
    push(incoming, e.target, e);
  }
  return {
    graph: doc.graph,
    nodes,
    broken: doc.broken,
    entries,
    outgoing,
    incoming,
    catalog,
    directory,
    territoryIds: directory ? new Set(directory.territories.map((t) => t.id)) : null,
    secretNames: secretNames ? new Set(secretNames) : null,
    suggest: createSuggester(catalog),
  };
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
