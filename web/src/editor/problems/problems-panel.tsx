import { useReactFlow } from '@xyflow/react';
import { useEditor, useEditorApi } from '../store/editor-context';
import type { Problem } from '../store/editor-store';

/** Every problem of the draft; clicking one selects (and shows) the node it names. */
export function ProblemsPanel() {
  const api = useEditorApi();
  const flow = useReactFlow();
  const problems = useEditor((s) => s.problems);
  const server = useEditor((s) => s.serverProblems);
  const all: Problem[] = [...problems, ...server];
  const errors = all.filter((p) => p.severity === 'error').length;
  const show = (p: Problem) => {
    if (!p.nodeId) return;
    api.getState().select([p.nodeId]);
    const node = api.getState().graph.nodes.find((n) => n.id === p.nodeId);
    if (node) void flow.setCenter(node.position.x + 110, node.position.y + 50, { zoom: Math.max(flow.getZoom(), 0.8), duration: 200 });
  };
  return (
    <section aria-label="Problems" data-testid="problems-panel">
      <h2 style={{ fontSize: '0.95rem', margin: '0 0 0.3rem' }}>
        Problems ({errors} error{errors === 1 ? '' : 's'}, {all.length - errors} warning{all.length - errors === 1 ? '' : 's'})
      </h2>
      {all.length === 0 ? (
        <p>No problems: this draft can be published.</p>
      ) : (
        <ul className="problems-list">
          {all.map((p, i) => (
            <li key={`${p.code}-${p.nodeId ?? ''}-${p.path ?? ''}-${i}`} className={p.severity} data-code={p.code}>
              <button type="button" onClick={() => show(p)} disabled={!p.nodeId}>
                {p.severity === 'error' ? '✖' : '⚠'} {p.nodeId ? <strong>{p.nodeId}: </strong> : null}
                {p.message}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
