import { edgeId, GRAPH_SCHEMA_VERSION, type Graph } from '@lead-router/shared';
import type { Locator } from '@playwright/test';
import { apiCall, expect, signIn, test } from './support/fixtures';
import { node } from './support/canvas';

// Issue 13, defect 12: auto layout follows the outcomes' order, so a two-way branch's case goes left and its
// else right, under their handles, and the edges do not cross. Each outcome is named once, on its handle.

test.use({ viewport: { width: 1440, height: 900 } });

const e = (source: string, sourceHandle: string, target: string) => ({ id: edgeId(source, sourceHandle, target), source, sourceHandle, target });
const eligibility = { skills: [], respectCapacity: true, respectWorkingHours: false, respectOutOfOffice: true };
const at = (x: number, y: number) => ({ x, y });

/** Trigger, a branch (Enterprise, else), one assign per way, one end; piled up where auto layout must sort them. */
const twoWay: Graph = {
  schemaVersion: GRAPH_SCHEMA_VERSION,
  nodes: [
    { id: 'trigger', type: 'trigger', position: at(0, 0), config: { source: 'webhook' } },
    {
      id: 'size',
      type: 'branch',
      position: at(40, 40),
      label: 'Company size',
      config: { cases: [{ id: 'big', label: 'Enterprise', condition: { match: 'all', conditions: [{ field: 'employees', operator: 'gt', value: 500 }] } }], elseLabel: 'Everyone else' },
    },
    { id: 'to-ana', type: 'assign', position: at(80, 80), label: 'Ana', config: { strategy: { type: 'specific_rep', repId: 'rep-ana' }, eligibility, excludePreviousAssignees: true } },
    { id: 'to-drill', type: 'assign', position: at(120, 120), label: 'Drill team', config: { strategy: { type: 'round_robin', teamId: 'team-drill' }, eligibility, excludePreviousAssignees: true } },
    { id: 'end', type: 'end', position: at(160, 160), config: { outcome: 'routed' } },
  ],
  edges: [
    e('trigger', 'next', 'size'),
    e('size', 'big', 'to-ana'),
    e('size', 'else', 'to-drill'),
    e('to-ana', 'assigned', 'end'),
    e('to-ana', 'no_eligible_rep', 'end'),
    e('to-drill', 'assigned', 'end'),
    e('to-drill', 'no_eligible_rep', 'end'),
  ],
};

/** The horizontal centre of an element on screen. */
async function centreX(locator: Locator): Promise<number> {
  const b = await locator.boundingBox();
  if (!b) throw new Error('not on screen');
  return b.x + b.width / 2;
}

test('auto layout puts a branch case under its handle on the left and else on the right: no crossing edges', async ({ page, stack, snap }) => {
  const wf = await apiCall<{ id: string }>(stack, stack.keys.editor, 'POST', '/api/workflows', { name: 'Two-way layout e2e', graph: twoWay });
  await signIn(page, stack.admin);
  await page.goto(`/workflows/${wf.id}`);
  await expect(node(page, 'end')).toBeVisible();
  await page.getByRole('button', { name: 'Auto layout' }).click();
  await expect(page.getByTestId('save-status')).toHaveText('All changes saved');

  const branch = node(page, 'size');
  const caseHandle = await centreX(branch.locator('.react-flow__handle[data-handleid="big"]'));
  const elseHandle = await centreX(branch.locator('.react-flow__handle[data-handleid="else"]'));
  expect(caseHandle).toBeLessThan(elseHandle);
  // The case's step is left of the else's: the two edges leave in order and do not cross.
  await expect.poll(async () => (await centreX(node(page, 'to-ana'))) < (await centreX(node(page, 'to-drill')))).toBe(true);
  // Ranks go down: the branch below the trigger, both assigns below the branch, the end below both.
  const y = async (id: string) => ((await node(page, id).boundingBox()) as { y: number }).y;
  expect(await y('size')).toBeGreaterThan(await y('trigger'));
  expect(await y('to-ana')).toBeGreaterThan(await y('size'));
  expect(await y('end')).toBeGreaterThan(Math.max(await y('to-ana'), await y('to-drill')));

  // Each outcome is named once: on its handle, not again on its edge.
  await expect(branch.locator('.route-node-outcome')).toContainText(['Enterprise', 'Everyone else']);
  await expect(page.locator('.react-flow__edge-text')).toHaveCount(0);
  await snap(page, 'two-way-branch-auto-layout');
});
