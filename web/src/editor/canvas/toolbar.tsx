import { Grid3x3, Maximize, Network, Redo2, StickyNote, Undo2 } from 'lucide-react';
import { saveGrid, SNAP_GRID } from '../hooks/view-prefs';
import { useEditor, useEditorApi } from '../store/editor-context';
import { autoLayout } from './auto-layout';
import { useFitGraph, useReadableView } from './use-fit-graph';
import { useAddNoteInView } from './use-palette-drop';

/** Undo, redo, a sticky note, snap to grid, auto-layout and zoom to fit. Undo and redo are icons (named by aria-label and tooltip, as everywhere); the others name themselves in words beside their icon. */
export function CanvasTools() {
  const api = useEditorApi();
  const fit = useFitGraph();
  const showReadable = useReadableView();
  const addNote = useAddNoteInView();
  const canUndo = useEditor((s) => s.past.length > 0 && !s.readOnly);
  const canRedo = useEditor((s) => s.future.length > 0 && !s.readOnly);
  const readOnly = useEditor((s) => s.readOnly);
  const snapping = useEditor((s) => s.grid !== null);
  const layout = async () => {
    const positions = await autoLayout(api.getState().graph);
    const s = api.getState();
    s.checkpoint();
    s.moveNodes(positions);
    // Show the laid-out graph readable (whole when it fits) once React Flow has the new positions.
    requestAnimationFrame(() => void showReadable(api.getState().graph, { duration: 200 }));
  };
  const toggleSnap = () => {
    const next = snapping ? null : SNAP_GRID;
    api.getState().setGrid(next);
    saveGrid(next);
  };
  return (
    <div className="canvas-tools" role="group" aria-label="Canvas tools">
      {!readOnly && (
        <>
          <button type="button" className="tool" onClick={() => api.getState().undo()} disabled={!canUndo} title="Undo (Ctrl+Z)" aria-label="Undo">
            <Undo2 size={16} aria-hidden="true" />
          </button>
          <button type="button" className="tool" onClick={() => api.getState().redo()} disabled={!canRedo} title="Redo (Shift+Ctrl+Z or Ctrl+Y)" aria-label="Redo">
            <Redo2 size={16} aria-hidden="true" />
          </button>
          <button type="button" className="tool" onClick={() => addNote()} title="Add a sticky note in the middle of the view">
            <StickyNote size={14} aria-hidden="true" />
            Note
          </button>
          <button type="button" className="tool" onClick={toggleSnap} aria-pressed={snapping} title={snapping ? `Steps and notes snap to a ${SNAP_GRID} px grid: click to place them freely` : `Snap steps and notes to a ${SNAP_GRID} px grid`}>
            <Grid3x3 size={14} aria-hidden="true" />
            Snap to grid
          </button>
          <button type="button" className="tool" onClick={() => void layout()} title="Lay the steps out top-down, in outcome order">
            <Network size={14} aria-hidden="true" />
            Auto layout
          </button>
        </>
      )}
      <button type="button" className="tool" onClick={() => void fit({ duration: 200 })} title="Zoom to show the whole graph">
        <Maximize size={14} aria-hidden="true" />
        Zoom to fit
      </button>
    </div>
  );
}
