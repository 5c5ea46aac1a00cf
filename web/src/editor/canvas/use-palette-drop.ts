import { isNodeType, type NodeType } from '@lead-router/shared';
import { useReactFlow, useStoreApi } from '@xyflow/react';
import { useCallback, type DragEvent } from 'react';
import { useEditorApi } from '../store/editor-context';
import { visibleBox } from './opening-viewport';

/** The MIME type the palette puts on a drag, carrying the node kind. */
export const PALETTE_MIME = 'application/x-route-node';

/**
 * Adds a step where the author can see it: at a point of the screen (a drop), or in the middle of the view
 * (a palette item pressed), or at the nearest free spot on screen when that is taken.
 * @example const add = useAddInView(); add('notify'); add('notify', { x: e.clientX, y: e.clientY });
 */
export function useAddInView(): (type: NodeType, screenPoint?: { x: number; y: number }) => string {
  const api = useEditorApi();
  const flow = useReactFlow();
  const rf = useStoreApi();
  return useCallback(
    (type, screenPoint) => {
      const { width, height, domNode } = rf.getState();
      const pane = domNode?.getBoundingClientRect();
      const point = screenPoint ?? (pane ? { x: pane.left + pane.width / 2, y: pane.top + pane.height / 2 } : { x: 0, y: 0 });
      const within = width > 0 && height > 0 ? visibleBox(flow.getViewport(), { width, height }) : undefined;
      return api.getState().addNode(type, flow.screenToFlowPosition(point), within);
    },
    [api, flow, rf],
  );
}

/**
 * The canvas side of dragging a kind from the palette: accept the drag, and add a node of that kind where it
 * is dropped (or the nearest free spot). Other drags (files, text) are left alone.
 * @example const { onDragOver, onDrop } = usePaletteDrop(); <ReactFlow onDragOver={onDragOver} onDrop={onDrop} />
 */
export function usePaletteDrop(): { onDragOver: (e: DragEvent) => void; onDrop: (e: DragEvent) => void } {
  const add = useAddInView();
  const onDragOver = useCallback((e: DragEvent) => {
    if (!e.dataTransfer.types.includes(PALETTE_MIME)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
  }, []);
  const onDrop = useCallback(
    (e: DragEvent) => {
      const type = e.dataTransfer.getData(PALETTE_MIME);
      if (!isNodeType(type)) return;
      e.preventDefault();
      add(type, { x: e.clientX, y: e.clientY });
    },
    [add],
  );
  return { onDragOver, onDrop };
}
