import type { FieldType } from './fields/catalog';
import type { Territory } from './directory/schema';
import type { NodeConfig, NodeType } from './graph/node';

/** The version of the compiler that produced a plan; recorded in every plan. */
export const COMPILER_VERSION = '1.0.0';

/** One compiled node: its config as validated, where each outcome leads, and which lead fields it reads. */
export type PlanNode = {
  [T in NodeType]: {
    id: string;
    type: T;
    label: string;
    config: NodeConfig<T>;
    /** outcome id -> next node id. Optional outcomes left unconnected already point where their fallback does. */
    next: Record<string, string>;
    /** Lead fields the node reads, for the trace's input snapshot. */
    reads: string[];
  };
}[NodeType];

/** A plan of one node type. */
export type PlanNodeOf<T extends NodeType> = Extract<PlanNode, { type: T }>;

/** A compiled graph: plain JSON, what the interpreter runs and what published versions store. */
export interface Plan {
  format: 'lead-router.plan';
  compilerVersion: string;
  graphSchemaVersion: number;
  /** The trigger's node id. */
  entry: string;
  nodes: Record<string, PlanNode>;
  /** The type of every catalog field (standard and custom) at compile time, for evaluating conditions. */
  fieldTypes: Record<string, FieldType>;
  /** Territories that `in territory` conditions name, as they were at compile time. */
  territories: Record<string, Territory>;
}
