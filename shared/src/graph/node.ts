import { z } from 'zod';
import { assignKind } from './nodes/assign';
import { branchKind } from './nodes/branch';
import { crmUpdateKind } from './nodes/crm-update';
import { endKind } from './nodes/end';
import { enrichKind } from './nodes/enrich';
import { escalateKind } from './nodes/escalate';
import type { NodeKind, OutcomeSpec } from './nodes/kind';
import { matchAccountKind } from './nodes/match-account';
import { notifyKind } from './nodes/notify';
import { scoreKind } from './nodes/score';
import { splitKind } from './nodes/split';
import { triggerKind } from './nodes/trigger';
import { updateKind } from './nodes/update';
import { waitKind } from './nodes/wait';

/** Every node kind, in palette order. */
export const NODE_KINDS = {
  trigger: triggerKind,
  branch: branchKind,
  split: splitKind,
  enrich: enrichKind,
  match_account: matchAccountKind,
  score: scoreKind,
  assign: assignKind,
  notify: notifyKind,
  wait: waitKind,
  escalate: escalateKind,
  update: updateKind,
  crm_update: crmUpdateKind,
  end: endKind,
} as const;

export type NodeType = keyof typeof NODE_KINDS;
export const NODE_TYPES = Object.keys(NODE_KINDS) as NodeType[];

/** The config type of a node type. */
export type NodeConfig<T extends NodeType> = (typeof NODE_KINDS)[T] extends NodeKind<T, infer C> ? C : never;

/** True when `type` names a node type this product knows. */
export function isNodeType(type: unknown): type is NodeType {
  return typeof type === 'string' && Object.prototype.hasOwnProperty.call(NODE_KINDS, type);
}

/** Node ids: short and URL-safe, so they can appear in edge ids, paths and URLs. */
export const NodeIdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'use letters, digits, _ and - (max 64)');

export const PositionSchema = z.object({ x: z.number().finite(), y: z.number().finite() });

const nodeSchema = <T extends NodeType>(type: T) =>
  z.object({
    id: NodeIdSchema,
    type: z.literal(type),
    position: PositionSchema,
    /** A title the author gave the node; the kind's label otherwise. */
    label: z.string().max(100).optional(),
    config: NODE_KINDS[type].configSchema as z.ZodType<NodeConfig<T>>,
  });

/** One node of the graph, discriminated by `type`, each with its own config schema. */
export const GraphNodeSchema = z.discriminatedUnion('type', [
  nodeSchema('trigger'),
  nodeSchema('branch'),
  nodeSchema('split'),
  nodeSchema('enrich'),
  nodeSchema('match_account'),
  nodeSchema('score'),
  nodeSchema('assign'),
  nodeSchema('notify'),
  nodeSchema('wait'),
  nodeSchema('escalate'),
  nodeSchema('update'),
  nodeSchema('crm_update'),
  nodeSchema('end'),
]);
export type GraphNode = z.infer<typeof GraphNodeSchema>;
/** A node of one given type. */
export type GraphNodeOf<T extends NodeType> = Extract<GraphNode, { type: T }>;

/** The outcomes (output handles) of a node, from its kind and config. */
export function outcomesOf(node: GraphNode): OutcomeSpec[] {
  const kind = NODE_KINDS[node.type] as NodeKind<string, unknown>;
  return kind.outcomes(node.config);
}

/** The label shown for a node: its own title, else its kind's label. */
export function nodeLabel(node: { type: NodeType; label?: string | undefined }): string {
  return node.label && node.label.trim() !== '' ? node.label : NODE_KINDS[node.type].label;
}
