import { NODE_KINDS, type GraphNode } from '@lead-router/shared';
import { useEditor, useEditorApi } from '../store/editor-context';
import { KIND_ICONS } from '../nodes/kind-meta';
import { Connections } from './connections';
import { KindForm } from './kind-forms';
import { TextField } from './text-field';

/** The selected node's settings, its connections and its problems. Read-only stores show it disabled. */
export function Inspector() {
  const api = useEditorApi();
  const selected = useEditor((s) => (s.selectedNodes.length === 1 ? s.selectedNodes[0] : undefined));
  const count = useEditor((s) => s.selectedNodes.length);
  const node = useEditor((s) => (selected ? s.graph.nodes.find((n) => n.id === selected) : undefined));
  const problems = useEditor((s) => (selected ? s.problemsByNode[selected] : undefined));
  const readOnly = useEditor((s) => s.readOnly);
  if (!node) return <p className="hint">{count > 1 ? `${count} steps selected. Delete removes them; Ctrl+C copies them.` : 'Select a step to edit it, or drag one from the palette.'}</p>;
  const update = (patch: Partial<GraphNode>) => api.getState().updateNode({ ...node, ...patch } as GraphNode);
  return (
    <section className="inspector" aria-label={`Settings of ${node.id}`} data-testid="inspector">
      <h2 style={{ fontSize: '1rem', margin: '0 0 0.4rem' }}>
        <span aria-hidden="true">{KIND_ICONS[node.type]}</span> {NODE_KINDS[node.type].label} <small>({node.id})</small>
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
      <fieldset disabled={readOnly} style={{ border: 'none', padding: 0, margin: 0 }}>
        <TextField label="Title" value={node.label ?? ''} onChange={(label) => update({ label: label === '' ? undefined : label } as Partial<GraphNode>)} />
        <KindForm node={node} onChange={(config) => update({ config } as Partial<GraphNode>)} />
        <Connections node={node} />
        <button type="button" onClick={() => api.getState().deleteSelection()}>
          Delete step
        </button>
      </fieldset>
    </section>
  );
}
