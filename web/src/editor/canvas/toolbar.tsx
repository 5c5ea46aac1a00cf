import { useEditor, useEditorApi } from '../store/editor-context';
import { autoLayout } from './auto-layout';
import { useFitGraph, useReadableView } from './use-fit-graph';

/** Undo, redo, auto-layout and zoom to fit. */
export function CanvasTools() {
  const api = useEditorApi();
  const fit = useFitGraph();
  const showReadable = useReadableView();
  const canUndo = useEditor((s) => s.past.length > 0 && !s.readOnly);
  const canRedo = useEditor((s) => s.future.length > 0 && !s.readOnly);
  const readOnly = useEditor((s) => s.readOnly);
  const layout = async () => {
    const positions = await autoLayout(api.getState().graph);
    const s = api.getState();
    s.checkpoint();
    s.moveNodes(positions);
    // Show the laid-out graph readable (whole when it fits) once React Flow has the new positions.
    requestAnimationFrame(() => void showReadable(api.getState().graph, { duration: 200 }));
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
          <button type="button" onClick={() => void layout()}>
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
