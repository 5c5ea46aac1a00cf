import { z } from 'zod';
import { GraphNodeSchema, NodeIdSchema } from './node';

/** The graph document's current schema version. Older documents are upgraded by `migrations.ts`. */
export const GRAPH_SCHEMA_VERSION = 1;

/** The most nodes a routing graph may have. */
export const MAX_NODES = 1000;
/** The most edges a routing graph may have. */
export const MAX_EDGES = 5000;

/** A connection from one node's named outcome to another node. */
export const GraphEdgeSchema = z.object({
  id: z.string().min(1).max(200),
  source: NodeIdSchema,
  /** The outcome of the source node this edge leaves from (e.g. `else`, `assigned`, a case id). */
  sourceHandle: z.string().min(1).max(64),
  target: NodeIdSchema,
});
export type GraphEdge = z.infer<typeof GraphEdgeSchema>;

/** The routing graph as the author edits it. The single source of truth for web, server and worker. */
export const GraphSchema = z.object({
  schemaVersion: z.literal(GRAPH_SCHEMA_VERSION),
  nodes: z.array(GraphNodeSchema),
  edges: z.array(GraphEdgeSchema),
});
export type Graph = z.infer<typeof GraphSchema>;

/** An empty graph of the current version. */
export function emptyGraph(): Graph {
  return { schemaVersion: GRAPH_SCHEMA_VERSION, nodes: [], edges: [] };
}

/** The id an edge gets from its source, outcome and target; stable, so diffs and canvases agree. */
export function edgeId(source: string, sourceHandle: string, target: string): string {
  return `${source}:${sourceHandle}->${target}`;
}
