import { NODE_KINDS, type GraphNode } from '@lead-router/shared';
import { useState, type ComponentType } from 'react';
import { NODE_REGISTRY } from '../nodes/registry';
import { TriggerEndpointPanel } from '../nodes/trigger/endpoint-panel';
import { useEditor, useEditorApi } from '../store/editor-context';
import { Connections } from './connections';
import { JsonConfigForm } from './json-config-form';
import { TextField } from './text-field';

/** What the panel says with no single step selected: what this person can do from here. */
function emptyHint(count: number, readOnly: boolean): string {
  if (readOnly) return count > 1 ? `${count} steps selected. Select one step to see its settings.` : 'Select a step to see its settings.';
  return count > 1 ? `${count} steps selected. Delete removes them; Ctrl+C copies them.` : 'Select a step to edit it, or drag one from the palette.';
}

/** The selected node's settings, its connections and its problems. Read-only stores show it disabled. */
export function Inspector() {
  const api = useEditorApi();
  const selected = useEditor((s) => (s.selectedNodes.length === 1 ? s.selectedNodes[0] : undefined));
  const count = useEditor((s) => s.selectedNodes.length);
  const node = useEditor((s) => (selected ? s.graph.nodes.find((n) => n.id === selected) : undefined));
  const problems = useEditor((s) => (selected ? s.problemsByNode[selected] : undefined));
  const readOnly = useEditor((s) => s.readOnly);
  if (!node) return <p className="hint">{emptyHint(count, readOnly)}</p>;
  const update = (patch: Partial<GraphNode>) => api.getState().updateNode({ ...node, ...patch } as GraphNode);
  const kind = NODE_REGISTRY[node.type];
  return (
    <section className="inspector" aria-label={`Settings of ${node.id}`} data-testid="inspector">
      <h2 style={{ fontSize: '1rem', margin: '0 0 0.4rem', display: 'flex', alignItems: 'center', gap: '0.35rem' }}>
        <kind.Icon size={16} aria-hidden="true" /> {kind.label} <small className="muted">({node.id})</small>
      </h2>
      <p className="hint">{NODE_KINDS[node.type].help}</p>
      {problems && problems.length > 0 && (
        <ul className="problems-list" aria-label="Problems of this step">
          {problems.map((p, i) => (
            <li key={i} className={p.severity}>
              {p.message}
            </li>
          ))}
        </ul>
      )}
      {/* Outside the fieldset: a read-only builder still copies the endpoint and follows its leads. */}
      {node.type === 'trigger' && <TriggerEndpointPanel />}
      <fieldset disabled={readOnly} style={{ border: 'none', padding: 0, margin: 0 }}>
        <TextField label="Title" value={node.label ?? ''} onChange={(label) => update({ label: label === '' ? undefined : label } as Partial<GraphNode>)} />
        {/* Keyed by node: selecting another step starts on its form. */}
        <KindForm key={node.id} node={node} onChange={(config) => update({ config } as Partial<GraphNode>)} />
        <Connections node={node} />
        <button type="button" onClick={() => api.getState().deleteSelection()}>
          Delete step
        </button>
      </fieldset>
    </section>
  );
}

/** A kind's form with its props erased: the registry pairs each kind with its form, and `node` is of that kind. */
type AnyForm = ComponentType<{ config: unknown; onChange: (config: unknown) => void }>;

/**
 * The settings form of a node's kind (from the registry), with "Edit as JSON" as a fallback (pasting a rule
 * table, say); a kind registered as 'json' gets the JSON box alone. The JSON box is only rendered while open,
 * so its label never shadows the form's own controls.
 */
function KindForm({ node, onChange }: { node: GraphNode; onChange: (config: unknown) => void }) {
  const [asJson, setAsJson] = useState(false);
  const form = NODE_REGISTRY[node.type].form;
  if (form === 'json') return <JsonConfigForm config={node.config} onChange={onChange} />;
  const Form = form as AnyForm;
  return (
    <>
      {asJson ? <JsonConfigForm config={node.config} onChange={onChange} /> : <Form config={node.config} onChange={onChange} />}
      <button type="button" aria-pressed={asJson} onClick={() => setAsJson(!asJson)}>
        {asJson ? 'Back to the form' : 'Edit as JSON'}
      </button>
    </>
  );
}
