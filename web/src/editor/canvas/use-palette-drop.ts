import { isNodeType } from '@lead-router/shared';
import { useReactFlow } from '@xyflow/react';
import { useCallback, type DragEvent } from 'react';
import { useEditorApi } from '../store/editor-context';

/** The MIME type the palette puts on a drag, carrying the node kind. */
export const PALETTE_MIME = 'application/x-route-node';

/**
 * The canvas side of dragging a kind from the palette: accept the drag, and add a node of that kind where it
 * is dropped. Other drags (files, text) are left alone.
 * @example const { onDragOver, onDrop } = usePaletteDrop(); <ReactFlow onDragOver={onDragOver} onDrop={onDrop} />
 */
export function usePaletteDrop(): { onDragOver: (e: DragEvent) => void; onDrop: (e: DragEvent) => void } {
  const api = useEditorApi();
  const { screenToFlowPosition } = useReactFlow();
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
      api.getState().addNode(type, screenToFlowPosition({ x: e.clientX, y: e.clientY }));
    },
    [api, screenToFlowPosition],
  );
  return { onDragOver, onDrop };
}
