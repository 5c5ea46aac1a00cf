import type { Directory, Territory } from '../directory/schema';
import type { FieldCatalog, FieldType } from '../fields/catalog';
import type { Graph } from '../graph/graph';
import { nodeLabel, outcomesOf, type GraphNode } from '../graph/node';
import { COMPILER_VERSION, type Plan, type PlanNode } from '../plan';
import { conditionsOf, territoryIdsOf } from './conditions-of';
import { nodeReads } from './reads';

/**
 * Builds the plan of a graph that has no problems: one trigger, every required outcome connected, every
 * edge valid. Plain JSON, and the same graph always gives the same plan (document order throughout).
 */
export function buildPlan(graph: Graph, catalog: FieldCatalog, directory: Directory | null): Plan {
  const trigger = graph.nodes.find((n) => n.type === 'trigger');
  if (!trigger) throw new Error('buildPlan needs a graph with a trigger');
  const targets = new Map<string, string>();
  for (const e of graph.edges) {
    const key = `${e.source}\u0000${e.sourceHandle}`;
    if (!targets.has(key)) targets.set(key, e.target);
  }

  const nodes: Record<string, PlanNode> = {};
  for (const node of graph.nodes) {
    nodes[node.id] = {
      id: node.id,
      type: node.type,
      label: nodeLabel(node),
      config: node.config,
      next: nextOf(node, targets),
      reads: nodeReads(node),
    } as PlanNode;
  }

  const fieldTypes: Record<string, FieldType> = {};
  for (const def of catalog.fields.values()) fieldTypes[def.key] = def.type;

  const territories: Record<string, Territory> = {};
  if (directory) {
    const byId = new Map<string, Territory>();
    const added = new Set<string>();
    for (const t of directory.territories) if (!byId.has(t.id)) byId.set(t.id, t);
    for (const node of graph.nodes) {
      for (const group of conditionsOf(node)) {
        for (const id of territoryIdsOf(group)) {
          const t = byId.get(id);
          if (t && !added.has(id)) {
            added.add(id);
            territories[id] = t;
          }
        }
      }
    }
  }

  const plan: Plan = {
    format: 'lead-router.plan',
    compilerVersion: COMPILER_VERSION,
    graphSchemaVersion: graph.schemaVersion,
    entry: trigger.id,
    nodes,
    fieldTypes,
    territories,
  };
  // One round trip makes the plan plain JSON by construction: no undefined-valued keys, no -0, no shared
  // references with the caller's graph or directory, nothing a store could change under the interpreter.
  return JSON.parse(JSON.stringify(plan)) as Plan;
}

/** outcome id -> next node id; an optional outcome left open follows its fallback (transitively). */
function nextOf(node: GraphNode, targets: ReadonlyMap<string, string>): Record<string, string> {
  const outcomes = outcomesOf(node);
  const byId = new Map(outcomes.map((o) => [o.id, o]));
  const next: Record<string, string> = {};
  for (const outcome of outcomes) {
    let at: string | undefined = outcome.id;
    const seen = new Set<string>();
    while (at !== undefined && !seen.has(at)) {
      seen.add(at);
      const target = targets.get(`${node.id}\u0000${at}`);
      if (target !== undefined) {
        next[outcome.id] = target;
        break;
      }
      at = byId.get(at)?.fallback;
    }
  }
  return next;
}
