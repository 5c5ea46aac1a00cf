import type { Graph } from '@lead-router/shared';
import type { Viewport } from '@xyflow/react';
import { boundsOf, NODE_SIZE_ESTIMATE, takenBoxes, type Box } from '../store/placement';

/** Below this zoom a card's text is too small to read: a graph opens no smaller, and scrolls instead. */
export const READABLE_ZOOM = 0.75;
/** A graph never opens magnified: a two-step workflow opens at 1x, with room to zoom in. */
export const OPEN_MAX_ZOOM = 1;
/** Room left around the graph inside the pane, on screen. */
const PAD = 32;

/**
 * Where a graph opens in a pane of `pane` pixels: all of it when it fits at a readable zoom (at most 1x,
 * centred); else its first screenful at the readable zoom, the top of the graph at the top and the trigger
 * (else the top-most step) in view, never scrolled past the graph's own edges. Pure: nodes are their cards'
 * usual size, so a graph opens right away, before React Flow has measured anything, however large it is.
 */
export function openingViewport(graph: Pick<Graph, 'nodes' | 'notes'>, pane: { width: number; height: number }): Viewport {
  // Sticky notes count: a note beside the graph opens in view with it.
  const bounds = boundsOf(takenBoxes(graph));
  if (!bounds || pane.width <= 0 || pane.height <= 0) return { x: 0, y: 0, zoom: OPEN_MAX_ZOOM };
  const fit = Math.min((pane.width - 2 * PAD) / bounds.width, (pane.height - 2 * PAD) / bounds.height);
  const zoom = Math.min(OPEN_MAX_ZOOM, Math.max(READABLE_ZOOM, fit));
  const first = graph.nodes.find((n) => n.type === 'trigger') ?? graph.nodes.reduce<Graph['nodes'][number] | null>((a, b) => (a === null || b.position.y < a.position.y ? b : a), null);
  return {
    x: axis(bounds.x, bounds.width, first ? first.position.x + NODE_SIZE_ESTIMATE.width / 2 : null, pane.width, zoom),
    y: axis(bounds.y, bounds.height, null, pane.height, zoom),
    zoom,
  };
}

/**
 * The translation along one axis: the graph centred when it fits; else `focus` (a flow coordinate) centred,
 * or the graph's start at the pane's start when there is no focus, without showing blank space past
 * either end of the graph.
 */
function axis(start: number, length: number, focus: number | null, pane: number, zoom: number): number {
  const size = length * zoom;
  if (size <= pane - 2 * PAD) return (pane - size) / 2 - start * zoom;
  const atStart = PAD - start * zoom;
  const atEnd = pane - PAD - (start + length) * zoom;
  const wanted = focus === null ? atStart : pane / 2 - focus * zoom;
  return Math.min(atStart, Math.max(atEnd, wanted));
}

/** The flow-space box a viewport shows of a pane (for tests and for placing things in view). */
export function visibleBox(viewport: Viewport, pane: { width: number; height: number }): Box {
  return { x: -viewport.x / viewport.zoom, y: -viewport.y / viewport.zoom, width: pane.width / viewport.zoom, height: pane.height / viewport.zoom };
}
