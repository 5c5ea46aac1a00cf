import { edgeId, GRAPH_SCHEMA_VERSION, type Graph, type GraphNote } from '@lead-router/shared';
import type { Page } from '@playwright/test';
import { apiCall, expect, signIn, test, type StackInfo } from './support/fixtures';
import { boxes, inspector, node, overlappingPairs } from './support/canvas';

// Issue 13, "building fast": a "+" on every unconnected outcome adds the step already connected, the palette
// searches, steps snap to a grid, sticky notes are saved with the draft, and the side panel is resizable.

test.use({ viewport: { width: 1440, height: 900 } });

type Draft = { graph: Graph; revision: number };

/** A trigger leading into a wait whose three outcomes lead nowhere yet. */
const triggerAndWait: Graph = {
  schemaVersion: GRAPH_SCHEMA_VERSION,
  nodes: [
    { id: 'trigger', type: 'trigger', position: { x: 0, y: 0 }, label: 'Inbound lead', config: { source: 'webhook' } },
    { id: 'sla', type: 'wait', position: { x: 0, y: 200 }, label: 'SLA', config: { until: 'accepted', timeout: { amount: 10, unit: 'minutes' } } },
  ],
  edges: [{ id: edgeId('trigger', 'next', 'sla'), source: 'trigger', sourceHandle: 'next', target: 'sla' }],
};

async function open(page: Page, stack: StackInfo, name: string, graph?: Graph): Promise<string> {
  const wf = await apiCall<{ id: string }>(stack, stack.keys.editor, 'POST', '/api/workflows', { name, ...(graph ? { graph } : {}) });
  await signIn(page, stack.admin);
  await page.goto(`/workflows/${wf.id}`);
  await expect(node(page, 'trigger')).toBeVisible();
  return wf.id;
}

const draft = (stack: StackInfo, id: string) => apiCall<Draft>(stack, stack.keys.viewer, 'GET', `/api/workflows/${id}/draft`);
const saved = (page: Page) => expect(page.getByTestId('save-status')).toHaveText('All changes saved');

test('"+" on an unconnected outcome adds the step connected under it, by mouse and by keyboard, as one undo step', async ({ page, browser, stack, snap }) => {
  const id = await open(page, stack, 'Plus outcome e2e', triggerAndWait);
  // Connected outcomes have no "+"; each of the wait's three does.
  await expect(page.getByTestId('add-after-trigger-next')).toHaveCount(0);
  const plus = page.getByTestId('add-after-sla-timed_out');
  await expect(plus).toHaveAccessibleName('Add a step after "Timed out (10 minutes)"');

  await plus.click();
  const menu = page.locator('.add-step-menu');
  await expect(menu).toBeVisible();
  const search = menu.getByRole('searchbox', { name: 'Search steps' });
  await expect(search).toBeFocused();
  // No trigger after an outcome; search narrows the list.
  await expect(menu.getByTestId('add-kind-trigger')).toHaveCount(0);
  await search.fill('esca');
  await expect(menu.getByRole('button')).toHaveText(['Escalate']);
  await snap(page, 'plus-menu-searched');
  await search.press('Enter');
  await expect(menu).toHaveCount(0);

  await expect(node(page, 'escalate-1')).toBeVisible();
  await expect(inspector(page)).toHaveAttribute('aria-label', 'Settings of escalate-1');
  await expect(page.getByTestId('add-after-sla-timed_out')).toHaveCount(0);
  await expect(page.locator('.react-flow__edge[aria-label^="Timed out"]')).toHaveAttribute('aria-label', /sla to escalate-1$/);

  // By keyboard: focus the "+", Enter opens, Esc closes; Enter again, type, Enter adds.
  const accepted = page.getByTestId('add-after-sla-accepted');
  await accepted.focus();
  await page.keyboard.press('Enter');
  await expect(menu).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(menu).toHaveCount(0);
  // With the wait selected, as it is after a click on its card.
  await node(page, 'sla').locator('.route-node-summary').first().click();
  await expect(inspector(page)).toHaveAttribute('aria-label', 'Settings of sla');
  await accepted.focus();
  await page.keyboard.press('Enter');
  await page.keyboard.type('end');
  // Arrow keys walk the list (End first: its name starts so) and never move the step the menu belongs to.
  await page.keyboard.press('ArrowDown');
  await expect(menu.getByRole('button', { name: 'End' })).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowUp');
  await expect(menu.getByRole('button', { name: 'End' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(node(page, 'end-1')).toBeVisible();
  // Wholly on screen (the canvas pans to it when it lands below the pane's edge).
  const pane = (await page.getByTestId('canvas').boundingBox()) as { x: number; y: number; width: number; height: number };
  await expect
    .poll(async () => {
      const b = (await node(page, 'end-1').boundingBox()) as { x: number; y: number; width: number; height: number };
      return b.x >= pane.x && b.y >= pane.y && b.x + b.width <= pane.x + pane.width && b.y + b.height <= pane.y + pane.height;
    })
    .toBe(true);
  const [controls] = await boxes(page.locator('.react-flow__controls'));
  expect(overlappingPairs([(await boxes(node(page, 'end-1')))[0] as NonNullable<typeof controls>, controls as NonNullable<typeof controls>])).toEqual([]);

  // The cards do not overlap each other, and each new step sits below the wait.
  const cards = page.locator('.react-flow__node:not(.react-flow__node-note)');
  await expect(cards).toHaveCount(4);
  expect(overlappingPairs(await boxes(cards))).toEqual([]);
  const [slaBox] = await boxes(node(page, 'sla'));
  for (const added of ['escalate-1', 'end-1']) expect((await boxes(node(page, added)))[0]?.y).toBeGreaterThan((slaBox?.y ?? 0) + (slaBox?.height ?? 0));
  // Side by side on one layer: the step after "Accepted" (left) is left of the one after "Timed out" (middle).
  const [esc] = await boxes(node(page, 'escalate-1'));
  const [end] = await boxes(node(page, 'end-1'));
  expect(Math.round(end?.y ?? 0)).toBe(Math.round(esc?.y ?? 1));
  expect(end?.x ?? 0).toBeLessThan(esc?.x ?? 0);
  await saved(page);
  await snap(page, 'plus-two-steps-added');
  const graph = (await draft(stack, id)).graph;
  expect(graph.nodes.find((n) => n.id === 'sla')?.position).toEqual({ x: 0, y: 200 });
  expect(graph.edges.map((e) => e.id).sort()).toEqual([edgeId('sla', 'accepted', 'end-1'), edgeId('sla', 'timed_out', 'escalate-1'), edgeId('trigger', 'next', 'sla')].sort());

  // One undo takes the step and its connection away together.
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(node(page, 'end-1')).toHaveCount(0);
  await expect(page.getByTestId('add-after-sla-accepted')).toBeVisible();
  await saved(page);
  expect((await draft(stack, id)).graph.edges.map((e) => e.id)).not.toContain(edgeId('sla', 'accepted', 'end-1'));

  // A viewer's canvas is read-only: no "+" anywhere.
  const viewerContext = await browser.newContext({ baseURL: stack.baseURL, viewport: { width: 1440, height: 900 } });
  const viewer = await viewerContext.newPage();
  await signIn(viewer, stack.viewer);
  await viewer.goto(`/workflows/${id}`);
  await expect(node(viewer, 'sla')).toBeVisible();
  await expect(viewer.locator('.outcome-add')).toHaveCount(0);
  await snap(viewer, 'plus-none-for-viewer');
  await viewerContext.close();
});

test('the palette filters by label and help; Enter adds the first match', async ({ page, stack, snap }) => {
  await open(page, stack, 'Palette search e2e');
  const palette = page.getByRole('navigation', { name: 'Node palette' });
  const search = palette.getByRole('searchbox', { name: 'Search steps' });
  await search.fill('slack');
  await expect(palette.locator('.palette-item')).toHaveCount(1);
  await expect(page.getByTestId('palette-notify')).toBeVisible();
  await snap(page, 'palette-searched');
  await search.press('Enter');
  await expect(node(page, 'notify-1')).toBeVisible();
  await search.fill('zzz');
  await expect(palette).toContainText('No step matches “zzz”.');
  await search.press('Escape');
  await expect(search).toHaveValue('');
  await expect(palette.locator('.palette-item')).toHaveCount(14);
});

test('snap to grid: dropped and dragged steps land on a 16 px grid, and the toggle is remembered', async ({ page, stack, snap }) => {
  const id = await open(page, stack, 'Snap grid e2e');
  const toggle = page.getByRole('button', { name: 'Snap to grid' });
  await expect(toggle).toHaveAttribute('aria-pressed', 'false');
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');

  await page.getByTestId('palette-update').dragTo(page.locator('.react-flow__pane'), { targetPosition: { x: 517, y: 203 } });
  await expect(node(page, 'update-1')).toBeVisible();
  // Drag the end step by an odd amount.
  const end = node(page, 'end').locator('.route-node-head');
  const b = await end.boundingBox();
  if (!b) throw new Error('no end card');
  await page.mouse.move(b.x + 20, b.y + 8);
  await page.mouse.down();
  await page.mouse.move(b.x + 60, b.y + 40, { steps: 5 });
  await page.mouse.move(b.x + 93, b.y + 71, { steps: 5 });
  await page.mouse.up();
  await saved(page);
  const onGrid = (p: { x: number; y: number }) => Number.isInteger(p.x / 16) && Number.isInteger(p.y / 16);
  const nodes = (await draft(stack, id)).graph.nodes;
  for (const n of nodes.filter((x) => x.id !== 'trigger')) expect(onGrid(n.position), `${n.id} at ${JSON.stringify(n.position)}`).toBe(true);
  expect(nodes.find((n) => n.id === 'end')?.position).not.toEqual({ x: 0, y: 200 });
  await snap(page, 'snap-on');

  await page.reload();
  await expect(page.getByRole('button', { name: 'Snap to grid' })).toHaveAttribute('aria-pressed', 'true');
  await page.getByRole('button', { name: 'Snap to grid' }).click();
  await page.reload();
  await expect(page.getByRole('button', { name: 'Snap to grid' })).toHaveAttribute('aria-pressed', 'false');
});

test('a sticky note is added, typed on several lines, saved with the draft, kept on reload, and undone', async ({ page, stack, snap }) => {
  const id = await open(page, stack, 'Sticky note e2e');
  await page.getByRole('button', { name: 'Note', exact: true }).click();
  const note = page.getByTestId('note-note-1');
  await expect(note).toBeVisible();
  const text = note.getByRole('textbox', { name: 'Note text' });
  await expect(text).toBeFocused();
  await page.keyboard.type('EMEA leads go to Ana first.');
  await page.keyboard.press('Enter');
  await page.keyboard.type('Ask Ben before changing the SLA.');
  await saved(page);
  const notes = (await draft(stack, id)).graph.notes as GraphNote[];
  expect(notes).toEqual([expect.objectContaining({ id: 'note-1', text: 'EMEA leads go to Ana first.\nAsk Ben before changing the SLA.' })]);
  // Clear of the steps.
  const [noteBox] = await boxes(note);
  const cards = await boxes(page.locator('.react-flow__node:not(.react-flow__node-note)'));
  expect(overlappingPairs([noteBox as NonNullable<typeof noteBox>, ...cards]).filter(([a]) => a === 0)).toEqual([]);
  await snap(page, 'note-typed');

  // Undo the typing, then the note itself.
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(text).toHaveValue('');
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(note).toHaveCount(0);
  await saved(page);
  expect((await draft(stack, id)).graph.notes ?? []).toEqual([]);
  await page.getByRole('button', { name: 'Redo' }).click();
  await page.getByRole('button', { name: 'Redo' }).click();
  await expect(text).toHaveValue('EMEA leads go to Ana first.\nAsk Ben before changing the SLA.');
  await saved(page);

  // Resized by its corner when selected: the new size is saved with the note.
  await note.locator('.sticky-note-head span').click();
  const corner = page.locator('.react-flow__resize-control.handle.bottom.right');
  const c = await corner.boundingBox();
  if (!c) throw new Error('no resize corner');
  await page.mouse.move(c.x + c.width / 2, c.y + c.height / 2);
  await page.mouse.down();
  await page.mouse.move(c.x + 40, c.y + 20, { steps: 4 });
  await page.mouse.move(c.x + 80, c.y + 40, { steps: 4 });
  await page.mouse.up();
  await saved(page);
  const resized = ((await draft(stack, id)).graph.notes as GraphNote[])[0];
  // About 80 x 40 px larger (the drag starts a few pixels in, past React Flow's drag threshold).
  expect(resized?.width).toBeGreaterThan(224 + 60);
  expect(resized?.height).toBeGreaterThan(128 + 25);

  await page.reload();
  await expect(page.getByTestId('note-note-1').getByRole('textbox', { name: 'Note text' })).toHaveValue('EMEA leads go to Ana first.\nAsk Ben before changing the SLA.');
  expect(Math.round((await page.getByTestId('note-note-1').boundingBox())?.width ?? 0)).toBe(Math.round(resized?.width ?? 0));
  await snap(page, 'note-after-reload');

  // Copied and pasted by keyboard like steps; Delete removes the selected copy.
  await page.getByTestId('note-note-1').locator('.sticky-note-head span').click();
  await page.keyboard.press('Control+c');
  await page.keyboard.press('Control+v');
  await expect(page.getByTestId('note-note-2').getByRole('textbox', { name: 'Note text' })).toHaveValue('EMEA leads go to Ana first.\nAsk Ben before changing the SLA.');
  await page.keyboard.press('Delete');
  await expect(page.getByTestId('note-note-2')).toHaveCount(0);

  // Deleted from its own button; the draft no longer has it.
  await page.getByTestId('note-note-1').getByRole('button', { name: 'Delete this note' }).click();
  await expect(page.getByTestId('note-note-1')).toHaveCount(0);
  await saved(page);
  expect((await draft(stack, id)).graph.notes).toEqual([]);
});

test('the side panel is resized wider by its handle (mouse and keys), and keeps its width after a reload', async ({ page, stack, snap }) => {
  await open(page, stack, 'Side width e2e', triggerAndWait);
  const side = page.getByTestId('builder-side');
  const before = (await side.boundingBox())?.width ?? 0;
  expect(before).toBeGreaterThanOrEqual(390);
  const handle = page.getByRole('separator', { name: 'Resize the side panel' });
  const h = await handle.boundingBox();
  if (!h) throw new Error('no resize handle');
  const cx = h.x + h.width / 2;
  const cy = h.y + h.height / 2;
  await page.mouse.move(cx, cy);
  await page.mouse.down();
  await page.mouse.move(cx - 60, cy, { steps: 4 });
  await page.mouse.move(cx - 120, cy, { steps: 4 });
  await page.mouse.up();
  await expect.poll(async () => Math.round((await side.boundingBox())?.width ?? 0)).toBe(Math.round(before + 120));
  await handle.focus();
  await page.keyboard.press('ArrowLeft');
  await expect.poll(async () => Math.round((await side.boundingBox())?.width ?? 0)).toBe(Math.round(before + 136));
  const wide = Math.round((await side.boundingBox())?.width ?? 0);

  // The inspector's selects have the room to show whole names.
  await node(page, 'sla').locator('.route-node-summary').first().click();
  await snap(page, 'side-panel-wider');

  await page.reload();
  await expect(node(page, 'trigger')).toBeVisible();
  await expect.poll(async () => Math.round((await page.getByTestId('builder-side').boundingBox())?.width ?? 0)).toBe(wide);
  await expect(page.getByRole('separator', { name: 'Resize the side panel' })).toHaveAttribute('aria-valuenow', String(wide));
});
