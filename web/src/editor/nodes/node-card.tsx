import { NODE_KINDS, nodeLabel, type GraphEdge, type GraphNode } from '@lead-router/shared';
import { Handle, Position, type NodeProps } from '@xyflow/react';
import type { LucideIcon } from 'lucide-react';
import { memo, type ComponentType } from 'react';
import { useDirectoryNames } from '../directory/directory-names';
import { ID_NAMES, type DirectoryNames } from '../directory/names';
import { AddStepMenu } from '../palette/add-step-menu';
import { safeOutcomes } from '../store/graph-ops';
import { useEditor } from '../store/editor-context';
import type { RouteFlowNode } from '../store/to-flow';

/** What the card shows of its kind (a registry entry): its icon and its one-line summary, which may throw. */
export interface CardKind {
  Icon: LucideIcon;
  summarize: (config: never, names: DirectoryNames) => string;
}

function safeSummary(summarize: CardKind['summarize'], node: GraphNode, names: DirectoryNames): string {
  try {
    return (summarize as (c: unknown, n: DirectoryNames) => string)(node.config, names);
  } catch {
    return 'Incomplete: open it to finish';
  }
}

// The connected outcomes of every node, worked out once per edge list (not once per card): a card asks for
// its own, as one string, so it re-renders only when its own connections change.
const connectedCache = new WeakMap<readonly GraphEdge[], Map<string, string>>();
const SEP = '\u0000';
function connectedOutcomes(edges: readonly GraphEdge[], id: string): string {
  let byNode = connectedCache.get(edges);
  if (!byNode) {
    byNode = new Map();
    for (const e of edges) byNode.set(e.source, `${byNode.get(e.source) ?? ''}${SEP}${e.sourceHandle}${SEP}`);
    connectedCache.set(edges, byNode);
  }
  return byNode.get(id) ?? '';
}

/**
 * The node view every kind shares: header, one-line summary, problems badge, the decision of a test run, one
 * target handle and one source handle per named outcome. It reads only its own slices of the store, so a
 * change elsewhere does not re-render it.
 */
function NodeCard({ id, data, selected, kind }: NodeProps<RouteFlowNode> & { kind: CardKind }) {
  const node = data.node;
  const problems = useEditor((s) => s.problemsByNode[id]);
  const onPath = useEditor((s) => s.overlay?.nodeIds.has(id) ?? false);
  const hasOverlay = useEditor((s) => s.overlay !== null);
  const decision = useEditor((s) => s.overlay?.decisions[id]);
  const names = useDirectoryNames();
  // The "+" after an unconnected outcome, on an editable canvas only (never a viewer's, never a read-only view).
  const connected = useEditor((s) => (s.readOnly ? null : connectedOutcomes(s.graph.edges, id)));
  const outcomes = safeOutcomes(node);
  const summary = safeSummary(kind.summarize, node, names);
  // Names on the card, ids in its tooltip (for whoever needs the id: the API, a CSV).
  const withIds = safeSummary(kind.summarize, node, ID_NAMES);
  const errors = problems?.filter((p) => p.severity === 'error').length ?? 0;
  const warnings = (problems?.length ?? 0) - errors;
  const cls = ['route-node', `kind-${node.type}`, selected ? 'selected' : '', errors ? 'has-errors' : '', onPath ? 'on-path' : hasOverlay ? 'off-path' : ''].join(' ');
  return (
    <div className={cls} data-testid={`node-${id}`} data-node-id={id} data-on-path={onPath ? 'true' : undefined} title={problems?.map((p) => p.message).join('\n')}>
      {node.type !== 'trigger' && <Handle type="target" position={Position.Top} id="in" />}
      <div className="route-node-head">
        <kind.Icon className="route-node-icon" size={14} aria-hidden="true" />
        <strong title={nodeLabel(node)}>{nodeLabel(node)}</strong>
        <span className="route-node-id" title={id}>
          {id}
        </span>
        {errors > 0 && (
          <span className="badge error" aria-label={`${errors} problem${errors === 1 ? '' : 's'}`}>
            {errors}
          </span>
        )}
        {warnings > 0 && <span className="badge warning" aria-label={`${warnings} warning${warnings === 1 ? '' : 's'}`}>{warnings}</span>}
      </div>
      <div className="route-node-summary" title={withIds === summary ? summary : `${summary}\n(${withIds})`}>
        {summary}
      </div>
      {decision && (
        // Two lines at most, so a long "why" does not push the card over its neighbours; the full text is
        // in the tooltip and in the test-run panel.
        <div className="route-node-decision" data-testid={`decision-${id}`} title={decision}>
          {decision}
        </div>
      )}
      <div className="route-node-outcomes">
        {outcomes.map((o, i) => (
          <div key={o.id} className="route-node-outcome" style={outcomeSlot(i, outcomes.length)}>
            <span title={o.label}>{o.label}</span>
            <Handle type="source" position={Position.Bottom} id={o.id} title={o.label} />
            {connected !== null && !connected.includes(`${SEP}${o.id}${SEP}`) && <AddStepMenu source={id} handle={o.id} outcome={o.label} />}
          </div>
        ))}
      </div>
      {outcomes.length === 0 && node.type !== 'end' && <div className="route-node-summary">{NODE_KINDS[node.type].label}: finish its settings</div>}
    </div>
  );
}

/**
 * Where outcome `i` of `n` sits along the card's bottom: the card split into `n` equal slots, the handle at
 * the slot's centre and the name within it, so neighbouring names never share space (`estimatedHandles` in
 * to-flow.ts places handles the same way before a card is measured).
 */
function outcomeSlot(i: number, n: number): { left: string; width: string } {
  return { left: `${((2 * i + 1) / (2 * n)) * 100}%`, width: `${100 / n}%` };
}

/** A memoised node view for one kind, made once at module scope (never inside a render). */
export function nodeView(kind: CardKind): ComponentType<NodeProps<RouteFlowNode>> {
  const View = (props: NodeProps<RouteFlowNode>) => <NodeCard {...props} kind={kind} />;
  return memo(View);
}
