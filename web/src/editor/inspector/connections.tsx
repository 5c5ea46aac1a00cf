import { nodeLabel, type GraphNode } from '@lead-router/shared';
import { useId } from 'react';
import { safeOutcomes } from '../store/graph-ops';
import { useEditor, useEditorApi } from '../store/editor-context';

function OutcomeTarget({ node, outcome, label }: { node: GraphNode; outcome: string; label: string }) {
  const id = useId();
  const api = useEditorApi();
  const nodes = useEditor((s) => s.graph.nodes);
  const target = useEditor((s) => s.graph.edges.find((e) => e.source === node.id && e.sourceHandle === outcome)?.target ?? '');
  const readOnly = useEditor((s) => s.readOnly);
  return (
    <div className="form-row">
      <label htmlFor={id}>{label} →</label>
      <select id={id} disabled={readOnly} value={target} onChange={(e) => api.getState().connect(node.id, outcome, e.target.value || null)} data-testid={`connect-${node.id}-${outcome}`}>
        <option value="">(not connected)</option>
        {nodes
          .filter((n) => n.id !== node.id && n.type !== 'trigger')
          .map((n) => (
            <option key={n.id} value={n.id}>
              {nodeLabel(n)} ({n.id})
            </option>
          ))}
      </select>
    </div>
  );
}

/** Where each outcome leads, as selects: connecting by keyboard, without dragging handles. */
export function Connections({ node }: { node: GraphNode }) {
  const outcomes = safeOutcomes(node);
  if (outcomes.length === 0) return null;
  return (
    <fieldset>
      <legend>Connections</legend>
      {outcomes.map((o) => (
        <OutcomeTarget key={o.id} node={node} outcome={o.id} label={o.label} />
      ))}
    </fieldset>
  );
}
