import { useReactFlow, useStoreApi } from '@xyflow/react';
import { useCallback } from 'react';
import { inside, NODE_SIZE_ESTIMATE } from '../store/placement';
import { visibleBox } from './opening-viewport';

/**
 * Pans the canvas (at the same zoom) so step `id` is on screen, when it is not already wholly in view: a step
 * added after an outcome low on the screen is seen, not left below the edge.
 * @example const reveal = useRevealNode(); const id = addConnectedNode(...); reveal(id);
 */
export function useRevealNode(): (id: string) => void {
  const flow = useReactFlow();
  const rf = useStoreApi();
  return useCallback(
    (id) => {
      const node = flow.getNode(id);
      const { width, height } = rf.getState();
      if (!node || width <= 0 || height <= 0) return;
      const viewport = flow.getViewport();
      const box = { x: node.position.x, y: node.position.y, width: node.measured?.width ?? NODE_SIZE_ESTIMATE.width, height: node.measured?.height ?? NODE_SIZE_ESTIMATE.height };
      // A margin of 40 screen pixels, so the step does not sit on the pane's very edge.
      const margin = 40 / viewport.zoom;
      const seen = visibleBox(viewport, { width, height });
      if (inside({ x: box.x - margin, y: box.y - margin, width: box.width + 2 * margin, height: box.height + 2 * margin }, seen)) return;
      void flow.setCenter(box.x + box.width / 2, box.y + box.height / 2, { zoom: viewport.zoom, duration: 200 });
    },
    [flow, rf],
  );
}
