import type { Graph } from '@lead-router/shared';
import { getViewportForBounds, useReactFlow, useStoreApi } from '@xyflow/react';
import { useCallback } from 'react';
import { openingViewport } from './opening-viewport';

/**
 * Zooms to fit every node. React Flow's own fitView waits until every node has been measured, which on a
 * large graph drawn only where visible never happens; this fits to the nodes' measured or estimated boxes.
 * @example const fit = useFitGraph(); <button onClick={() => void fit()}>Zoom to fit</button>
 */
export function useFitGraph(): (options?: { duration?: number }) => Promise<boolean> {
  const flow = useReactFlow();
  const store = useStoreApi();
  return useCallback(
    (options = {}) => {
      const nodes = flow.getNodes();
      if (nodes.length === 0) return Promise.resolve(false);
      const { width, height, minZoom, maxZoom } = store.getState();
      const viewport = getViewportForBounds(flow.getNodesBounds(nodes), width, height, minZoom, Math.min(maxZoom, 1.2), 0.1);
      return flow.setViewport(viewport, options.duration !== undefined ? { duration: options.duration } : undefined);
    },
    [flow, store],
  );
}

/**
 * Shows the graph as it opens (`openingViewport`): all of it when it fits at a readable zoom, else its first
 * screenful at that zoom; never above 1x. For after an auto layout, where fitting a large graph whole would
 * make it unreadable.
 * @example const show = useReadableView(); show(graph, { duration: 200 });
 */
export function useReadableView(): (graph: Pick<Graph, 'nodes'>, options?: { duration?: number }) => Promise<boolean> {
  const flow = useReactFlow();
  const store = useStoreApi();
  return useCallback(
    (graph, options = {}) => {
      const { width, height } = store.getState();
      return flow.setViewport(openingViewport(graph, { width, height }), options.duration !== undefined ? { duration: options.duration } : undefined);
    },
    [flow, store],
  );
}
