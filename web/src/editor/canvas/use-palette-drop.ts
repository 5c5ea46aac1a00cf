import { isNodeType, type NodeType } from '@lead-router/shared';
import { useReactFlow, useStoreApi } from '@xyflow/react';
import { useCallback, type DragEvent } from 'react';
import { useEditorApi } from '../store/editor-context';
import type { Box } from '../store/placement';
import { visibleBox } from './opening-viewport';

/** The MIME type the palette puts on a drag, carrying the node kind. */
export const PALETTE_MIME = 'application/x-route-node';

/** What the palette puts on a drag for a sticky note (every other value is a node kind). */
export const PALETTE_NOTE = 'note';

type Placer = (screenPoint?: { x: number; y: number }) => { at: { x: number; y: number }; within: Box | undefined };

/** Where something added "in view" goes: a point of the screen (a drop) or the middle of the view, and the part on screen. */
function usePlacer(): Placer {
  const flow = useReactFlow();
  const rf = useStoreApi();
  return useCallback(
    (screenPoint) => {
      const { width, height, domNode } = rf.getState();
      const pane = domNode?.getBoundingClientRect();
      const point = screenPoint ?? (pane ? { x: pane.left + pane.width / 2, y: pane.top + pane.height / 2 } : { x: 0, y: 0 });
      const within = width > 0 && height > 0 ? visibleBox(flow.getViewport(), { width, height }) : undefined;
      return { at: flow.screenToFlowPosition(point), within };
    },
    [flow, rf],
  );
}

/**
 * Adds a step where the author can see it: at a point of the screen (a drop), or in the middle of the view
 * (a palette item pressed), or at the nearest free spot on screen when that is taken.
 * @example const add = useAddInView(); add('notify'); add('notify', { x: e.clientX, y: e.clientY });
 */
export function useAddInView(): (type: NodeType, screenPoint?: { x: number; y: number }) => string {
  const api = useEditorApi();
  const place = usePlacer();
  return useCallback(
    (type, screenPoint) => {
      const { at, within } = place(screenPoint);
      return api.getState().addNode(type, at, within);
    },
    [api, place],
  );
}

/**
 * Adds an empty sticky note where the author can see it (as `useAddInView` does a step), selected, and
 * puts the cursor in its text once it is drawn.
 * @example const addNote = useAddNoteInView(); <button onClick={() => addNote()}>Note</button>
 */
export function useAddNoteInView(): (screenPoint?: { x: number; y: number }) => string {
  const api = useEditorApi();
  const place = usePlacer();
  return useCallback(
    (screenPoint) => {
      const { at, within } = place(screenPoint);
      const id = api.getState().addNote(at, within);
      if (id) requestAnimationFrame(() => document.querySelector<HTMLTextAreaElement>(`[data-note-id="${CSS.escape(id)}"] textarea`)?.focus());
      return id;
    },
    [api, place],
  );
}

/**
 * The canvas side of dragging a kind (or a sticky note) from the palette: accept the drag, and add a node of
 * that kind (or a note) where it is dropped (or the nearest free spot). Other drags (files, text) are left alone.
 * @example const { onDragOver, onDrop } = usePaletteDrop(); <ReactFlow onDragOver={onDragOver} onDrop={onDrop} />
 */
export function usePaletteDrop(): { onDragOver: (e: DragEvent) => void; onDrop: (e: DragEvent) => void } {
  const add = useAddInView();
  const addNote = useAddNoteInView();
  const onDragOver = useCallback((e: DragEvent) => {
    if (!e.dataTransfer.types.includes(PALETTE_MIME)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
  }, []);
  const onDrop = useCallback(
    (e: DragEvent) => {
      const type = e.dataTransfer.getData(PALETTE_MIME);
      if (type === PALETTE_NOTE) {
        e.preventDefault();
        addNote({ x: e.clientX, y: e.clientY });
        return;
      }
      if (!isNodeType(type)) return;
      e.preventDefault();
      add(type, { x: e.clientX, y: e.clientY });
    },
    [add, addNote],
  );
  return { onDragOver, onDrop };
}
