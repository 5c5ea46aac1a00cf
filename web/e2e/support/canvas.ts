import type { Locator, Page } from '@playwright/test';
import { expect } from './fixtures';

// What the canvas specs read of the builder as a person sees it: steps, the inspector, the zoom, and boxes
// on screen (to tell whether two things overlap).

/** The card of step `id` on the canvas. */
export const node = (page: Page, id: string): Locator => page.getByTestId(`node-${id}`);

/** The settings panel of the selected step. */
export const inspector = (page: Page): Locator => page.getByTestId('inspector');

/** Drops a palette item on the canvas at a point of the pane. */
export async function drop(page: Page, kind: string, x: number, y: number): Promise<void> {
  await page.getByTestId(`palette-${kind}`).dragTo(page.locator('.react-flow__pane'), { targetPosition: { x, y } });
}

/** Selects a step on the canvas and opens its settings. */
export async function select(page: Page, id: string): Promise<void> {
  await page.getByRole('tab', { name: 'Step' }).click();
  await node(page, id).locator('.route-node-summary').first().click();
  await expect(inspector(page)).toHaveAttribute('aria-label', `Settings of ${id}`);
}

/** The canvas's zoom, read from React Flow's viewport transform (`translate(x, y) scale(z)`). */
export async function zoomOf(page: Page, scope: Locator = page.locator('body')): Promise<number> {
  const transform = await scope.locator('.react-flow__viewport').first().evaluate((el) => (el as unknown as { style: { transform: string } }).style.transform);
  const m = /scale\(([\d.]+)\)/.exec(transform);
  if (!m) throw new Error(`No zoom in the viewport transform "${transform}"`);
  return Number(m[1]);
}

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The boxes on screen of every element `locator` matches. */
export async function boxes(locator: Locator): Promise<Box[]> {
  const out: Box[] = [];
  for (const el of await locator.all()) {
    const b = await el.boundingBox();
    if (b) out.push(b);
  }
  return out;
}

/** Whether two boxes share any area (touching edges do not count). */
export function overlaps(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

/** Every pair of boxes that overlap, by index. */
export function overlappingPairs(list: readonly Box[]): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let i = 0; i < list.length; i++) for (let j = i + 1; j < list.length; j++) if (overlaps(list[i] as Box, list[j] as Box)) out.push([i, j]);
  return out;
}
