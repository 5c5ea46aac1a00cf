import { useEditor, useEditorApi } from '../store/editor-context';
import { autoLayout } from './auto-layout';
import { useFitGraph } from './use-fit-graph';

/** Undo, redo, auto-layout and zoom to fit. */
export function CanvasTools() {
  const api = useEditorApi();
  const fit = useFitGraph();
  const canUndo = useEditor((s) => s.past.length > 0 && !s.readOnly);
  const canRedo = useEditor((s) => s.future.length > 0 && !s.readOnly);
  const readOnly = useEditor((s) => s.readOnly);
  const layout = () => {
    const s = api.getState();
    s.checkpoint();
    s.moveNodes(autoLayout(s.graph));
    // Fit once React Flow has the new positions.
    requestAnimationFrame(() => void fit({ duration: 200 }));
  };
  return (
    <>
      {!readOnly && (
        <>
          <button type="button" onClick={() => api.getState().undo()} disabled={!canUndo} title="Ctrl+Z">
            Undo
          </button>
          <button type="button" onClick={() => api.getState().redo()} disabled={!canRedo} title="Shift+Ctrl+Z or Ctrl+Y">
            Redo
          </button>
          <button type="button" onClick={layout}>
            Auto layout
          </button>
        </>
      )}
      <button type="button" onClick={() => void fit({ duration: 200 })}>
        Zoom to fit
      </button>
    </>
  );
}
