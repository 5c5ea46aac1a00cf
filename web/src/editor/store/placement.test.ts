import { describe, expect, it } from 'vitest';
import { belowOutcome, besideFirst, CARD_GAP, crowds, freeSpot, inside, LAYER_GAP, NODE_SIZE_ESTIMATE, nodeBox, onGrid, takenBoxes, type Box } from './placement';

const card = (x: number, y: number): Box => ({ x, y, ...NODE_SIZE_ESTIMATE });

describe('freeSpot', () => {
  it('keeps the wanted spot when nothing is there', () => {
    expect(freeSpot([card(0, 0)], card(600, 0))).toEqual({ x: 600, y: 0 });
  });

  it('moves a card dropped on another to the nearest free spot, below first', () => {
    const spot = freeSpot([card(0, 0)], card(10, 10));
    expect(spot.x).toBe(10);
    expect(spot.y).toBeGreaterThanOrEqual(NODE_SIZE_ESTIMATE.height + CARD_GAP);
    expect(spot.y).toBeLessThan(2 * (NODE_SIZE_ESTIMATE.height + CARD_GAP));
    expect(crowds(card(spot.x, spot.y), card(0, 0))).toBe(false);
  });

  it('prefers a free spot inside the part on screen, and looks beyond it only when there is none', () => {
    const view: Box = { x: 0, y: 0, width: 900, height: 500 };
    const taken = [card(280, 100), card(280, 300)];
    const spot = freeSpot(taken, card(300, 200), view);
    expect(inside(card(spot.x, spot.y), view)).toBe(true);
    expect(taken.some((t) => crowds(card(spot.x, spot.y), t))).toBe(false);
    const full: Box = { x: 0, y: 0, width: 240, height: 96 };
    const outside = freeSpot([card(0, 0)], card(0, 0), full);
    expect(inside(card(outside.x, outside.y), full)).toBe(false);
    expect(crowds(card(outside.x, outside.y), card(0, 0))).toBe(false);
  });

  it('places many cards wanted at one spot clear of each other', () => {
    const taken: Box[] = [card(0, 0)];
    for (let i = 0; i < 12; i++) taken.push(card(...(Object.values(freeSpot(taken, card(0, 0))) as [number, number])));
    for (let i = 0; i < taken.length; i++) for (let j = i + 1; j < taken.length; j++) expect(crowds(taken[i] as Box, taken[j] as Box), `${i} and ${j}`).toBe(false);
  });

  it('fits a group (its bounding box) between existing cards', () => {
    const group: Box = { x: 0, y: 0, width: 500, height: 300 };
    const spot = freeSpot([card(0, 0), card(300, 0)], group);
    expect([card(0, 0), card(300, 0)].some((t) => crowds({ ...group, ...spot }, t))).toBe(false);
  });

  it("takes a node's box from its position and the card's usual size", () => {
    expect(nodeBox({ position: { x: 5, y: 7 } })).toEqual({ x: 5, y: 7, ...NODE_SIZE_ESTIMATE });
  });
});

describe('onGrid and belowOutcome', () => {
  it('rounds to the grid when there is one, and leaves the point alone when not', () => {
    expect(onGrid({ x: 23, y: -7 }, 16)).toEqual({ x: 16, y: 0 });
    expect(onGrid({ x: 23, y: -7 }, null)).toEqual({ x: 23, y: -7 });
  });

  it('puts a step one layer under the outcome handle it follows', () => {
    const src = { position: { x: 100, y: 50 } };
    expect(belowOutcome(src, 0, 1)).toEqual({ x: 100, y: 50 + NODE_SIZE_ESTIMATE.height + LAYER_GAP, ...NODE_SIZE_ESTIMATE });
    expect(belowOutcome(src, 0, 2).x).toBe(100 - NODE_SIZE_ESTIMATE.width / 4);
    expect(belowOutcome(src, 1, 2).x).toBe(100 + NODE_SIZE_ESTIMATE.width / 4);
  });

  it('counts notes as taken room', () => {
    expect(takenBoxes({ nodes: [], notes: [{ id: 'n', x: 1, y: 2, width: 300, height: 100, text: '' }] })).toEqual([{ x: 1, y: 2, width: 300, height: 100 }]);
  });
});

describe('besideFirst', () => {
  it('keeps the spot under the handle when free, else moves along the same layer, towards its side first', () => {
    const below = card(0, 200);
    expect(besideFirst([], below, -1)).toEqual({ x: 0, y: 200 });
    const left = besideFirst([below], card(-80, 200), -1);
    expect(left.y).toBe(200);
    expect(left.x).toBeLessThan(-80);
    expect(crowds(card(left.x, left.y), below)).toBe(false);
    const right = besideFirst([below], card(80, 200), 1);
    expect(right.y).toBe(200);
    expect(right.x).toBeGreaterThan(80);
  });
});
