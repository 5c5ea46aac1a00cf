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

/** The most sticky notes a graph may carry. */
export const MAX_NOTES = 200;
/** The longest text a sticky note may hold, in characters. */
export const MAX_NOTE_TEXT = 2000;
/** The colours a sticky note may have (yellow when none is given). */
export const NOTE_COLORS = ['yellow', 'blue', 'green', 'pink'] as const;
export type NoteColor = (typeof NOTE_COLORS)[number];

/**
 * A sticky note on the canvas: the author's words beside the steps, at a position and size. Notes route
 * nothing: the compiler, the interpreter, simulation and the worker never read them.
 */
export const GraphNoteSchema = z.object({
  id: z.string().min(1).max(64),
  x: z.number().finite(),
  y: z.number().finite(),
  width: z.number().min(80).max(2000),
  height: z.number().min(40).max(2000),
  text: z.string().max(MAX_NOTE_TEXT),
  color: z.enum(NOTE_COLORS).optional(),
});
export type GraphNote = z.infer<typeof GraphNoteSchema>;

/** The routing graph as the author edits it. The single source of truth for web, server and worker. */
export const GraphSchema = z.object({
  schemaVersion: z.literal(GRAPH_SCHEMA_VERSION),
  nodes: z.array(GraphNodeSchema),
  edges: z.array(GraphEdgeSchema),
  /** Sticky notes: annotations only, absent from graphs saved before notes existed. */
  notes: z.array(GraphNoteSchema).max(MAX_NOTES).optional(),
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
