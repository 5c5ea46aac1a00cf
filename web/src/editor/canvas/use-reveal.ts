import { useReactFlow, useStoreApi } from '@xyflow/react';
import { useCallback } from 'react';
import { inside, NODE_SIZE_ESTIMATE } from '../store/placement';
import { visibleBox } from './opening-viewport';

/** How far (flow units) the view must move along one axis to show [start, start + length]: its start first. */
function shift(start: number, length: number, viewStart: number, viewLength: number): number {
  if (start < viewStart || length > viewLength) return start - viewStart;
  if (start + length > viewStart + viewLength) return start + length - (viewStart + viewLength);
  return 0;
}

/**
 * Pans the canvas (at the same zoom, as little as it takes) so step `id` is on screen, when it is not already
 * wholly in view: a step added after an outcome low on the screen is seen, not left below the edge.
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
      // A margin of 64 screen pixels: clear of the pane's edge and of the zoom controls in its corner.
      const margin = 64 / viewport.zoom;
      const seen = visibleBox(viewport, { width, height });
      const want = { x: box.x - margin, y: box.y - margin, width: box.width + 2 * margin, height: box.height + 2 * margin };
      if (inside(want, seen)) return;
      // The least pan that shows it, so what was on screen mostly stays there.
      const dx = shift(want.x, want.width, seen.x, seen.width);
      const dy = shift(want.y, want.height, seen.y, seen.height);
      void flow.setViewport({ x: viewport.x - dx * viewport.zoom, y: viewport.y - dy * viewport.zoom, zoom: viewport.zoom }, { duration: 200 });
    },
    [flow, rf],
  );
}
