import type { Graph, GraphNode, GraphNote } from '@lead-router/shared';

// Where new steps go: clear of the steps already on the canvas. Pure, on OUR graph's positions and the
// cards' usual size (React Flow's measured sizes are a view concern and not needed to keep cards apart).

/** A node card's usual size, before React Flow has measured it (see editor.css `.route-node`). */
export const NODE_SIZE_ESTIMATE = { width: 240, height: 96 };

/** The space kept free around a card, so cards never touch. */
export const CARD_GAP = 24;

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The box a node's card takes on the canvas. */
export function nodeBox(node: Pick<GraphNode, 'position'>): Box {
  return { x: node.position.x, y: node.position.y, ...NODE_SIZE_ESTIMATE };
}

/** The box a sticky note takes on the canvas. */
export function noteBox(note: GraphNote): Box {
  return { x: note.x, y: note.y, width: note.width, height: note.height };
}

/** Every box on the canvas that a new step or note must keep clear of: the steps' cards and the notes. */
export function takenBoxes(graph: Pick<Graph, 'nodes' | 'notes'>): Box[] {
  return [...graph.nodes.map(nodeBox), ...(graph.notes ?? []).map(noteBox)];
}

/** The grid new things land on when snapping is on (`null`: off); the canvas snaps drags to the same grid. */
export function onGrid(p: { x: number; y: number }, grid: number | null): { x: number; y: number } {
  // `|| 0`: -0 (a spot just left of the origin) is written as 0.
  return grid ? { x: Math.round(p.x / grid) * grid || 0, y: Math.round(p.y / grid) * grid || 0 } : p;
}

/** The room between a step and the step its outcome leads to, as Auto layout leaves it. */
export const LAYER_GAP = 72;

/**
 * Where a step added after `source`'s outcome `index` (of `count`) wants to go: under that outcome's handle,
 * one layer down, so its edge runs straight down (`freeSpot` then moves it clear of the others).
 */
export function belowOutcome(source: Pick<GraphNode, 'position'>, index: number, count: number): Box {
  const { width, height } = NODE_SIZE_ESTIMATE;
  const handleX = source.position.x + (width * (2 * index + 1)) / (2 * Math.max(count, 1));
  return { x: Math.round(handleX - width / 2), y: source.position.y + height + LAYER_GAP, width, height };
}

/**
 * A free spot for a step that follows an outcome: `want` (under the handle) when free, else the nearest free
 * spot on the same layer, towards the outcome's side first (`side` -1: left, 1: right), so the step stays
 * beside its siblings instead of under them (where its edge would run behind them); `freeSpot` when that
 * layer is full for a few cards either way.
 */
export function besideFirst(taken: readonly Box[], want: Box, side: -1 | 1): { x: number; y: number } {
  const step = (NODE_SIZE_ESTIMATE.width + CARD_GAP) / 2;
  for (let k = 0; k <= 8; k++) {
    for (const s of k === 0 ? [0] : [side * k, -side * k]) {
      const x = want.x + s * step;
      if (!taken.some((t) => crowds({ ...want, x }, t))) return { x, y: want.y };
    }
  }
  return freeSpot(taken, want);
}

/** The smallest box around `boxes`; undefined for none. */
export function boundsOf(boxes: readonly Box[]): Box | undefined {
  if (boxes.length === 0) return undefined;
  const x = Math.min(...boxes.map((b) => b.x));
  const y = Math.min(...boxes.map((b) => b.y));
  const right = Math.max(...boxes.map((b) => b.x + b.width));
  const bottom = Math.max(...boxes.map((b) => b.y + b.height));
  return { x, y, width: right - x, height: bottom - y };
}

/** Whether two boxes come closer than `gap` to each other. */
export function crowds(a: Box, b: Box, gap = CARD_GAP): boolean {
  return a.x < b.x + b.width + gap && b.x < a.x + a.width + gap && a.y < b.y + b.height + gap && b.y < a.y + a.height + gap;
}

/** How far the search for a free spot goes, in half-card steps from the wanted spot. */
const MAX_RING = 60;

/** Whether `inner` lies wholly inside `outer`. */
export function inside(inner: Box, outer: Box): boolean {
  return inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.width <= outer.x + outer.width && inner.y + inner.height <= outer.y + outer.height;
}

/**
 * The top-left corner nearest to `want`'s where a box of its size crowds none of `taken`: `want` itself when
 * it is free, else the nearest free spot on a grid of half-card steps around it, below or right of it first
 * (the direction a routing graph grows in). With `within` (the part of the canvas on screen), a free spot
 * inside it is preferred, so a step added "in view" is seen. Far out of room, `want` is returned as it is.
 * @example freeSpot(graph.nodes.map(nodeBox), { x: 100, y: 80, ...NODE_SIZE_ESTIMATE })
 */
export function freeSpot(taken: readonly Box[], want: Box, within?: Box): { x: number; y: number } {
  if (within) {
    const seen = search(taken, want, (x, y) => inside({ ...want, x, y }, within));
    if (seen) return seen;
  }
  return search(taken, want, () => true) ?? { x: want.x, y: want.y };
}

function search(taken: readonly Box[], want: Box, allowed: (x: number, y: number) => boolean): { x: number; y: number } | null {
  const isFree = (x: number, y: number) => allowed(x, y) && !taken.some((t) => crowds({ ...want, x, y }, t));
  if (isFree(want.x, want.y)) return { x: want.x, y: want.y };
  // Half a card: fine enough to find the gaps beside steps already placed, coarse enough to stay quick.
  const stepX = (NODE_SIZE_ESTIMATE.width + CARD_GAP) / 2;
  const stepY = (NODE_SIZE_ESTIMATE.height + CARD_GAP) / 2;
  for (let ring = 1; ring <= MAX_RING; ring++) {
    const spots: Array<{ dx: number; dy: number }> = [];
    for (let dx = -ring; dx <= ring; dx++) for (let dy = -ring; dy <= ring; dy++) if (Math.max(Math.abs(dx), Math.abs(dy)) === ring) spots.push({ dx, dy });
    // Nearest first (in pixels); at equal distance below before above, right before left.
    spots.sort((a, b) => Math.hypot(a.dx * stepX, a.dy * stepY) - Math.hypot(b.dx * stepX, b.dy * stepY) || b.dy - a.dy || b.dx - a.dx);
    for (const { dx, dy } of spots) {
      const x = want.x + dx * stepX;
      const y = want.y + dy * stepY;
      if (isFree(x, y)) return { x, y };
    }
  }
  return null;
}
