import { edgeId, GRAPH_SCHEMA_VERSION, type Graph, type GraphEdge, type GraphNode } from '@lead-router/shared';
import type { Locator, Page } from '@playwright/test';
import { apiCall, expect, signIn, test } from './support/fixtures';
import { postLead, publishWorkflow } from './support/workflows';

// Issue 13, the lead page: the path lights the edge of the outcome a step took, even when two outcomes of
// that step lead to the same next step (defect 5); a run that ended with nobody says how it ended; names,
// not ids; every time with its day.

test.use({ viewport: { width: 1440, height: 900 } });

const e = (source: string, sourceHandle: string, target: string): GraphEdge => ({ id: edgeId(source, sourceHandle, target), source, sourceHandle, target });
const eligibility = { skills: [], respectCapacity: true, respectWorkingHours: false, respectOutOfOffice: true };

/** Trigger -> assign `repId` -> Done, where both of the assignment's outcomes lead to Done, in `order`. */
function bothToDone(repId: string, label: string, order: readonly ['assigned' | 'no_eligible_rep', 'assigned' | 'no_eligible_rep']): Graph {
  return {
    schemaVersion: GRAPH_SCHEMA_VERSION,
    nodes: [
      { id: 'trigger', type: 'trigger', position: { x: 280, y: 0 }, label: 'Inbound lead', config: { source: 'webhook' } },
      { id: 'assign', type: 'assign', position: { x: 280, y: 160 }, label, config: { strategy: { type: 'specific_rep', repId }, eligibility, excludePreviousAssignees: true } },
      { id: 'done', type: 'end', position: { x: 280, y: 340 }, label: 'Done', config: { outcome: 'done' } },
    ] satisfies GraphNode[],
    // The edge listed first is the one a lookup by source and target alone would light.
    edges: [e('trigger', 'next', 'assign'), ...order.map((o) => e('assign', o, 'done'))],
  };
}

const edge = (page: Page, id: string) => page.getByTestId(`rf__edge-${id}`);

test('a lead that found no eligible rep lights its "no eligible rep" edge, and the page says it ended without an assignee', async ({ page, stack, snap }) => {
  // A rep who is inactive: the assignment finds nobody eligible.
  await apiCall(stack, stack.keys.admin, 'POST', '/api/reps', { id: 'rep-otto', name: 'Otto Brandt', email: 'otto@example.com', timeZone: 'Europe/Rome', workingHours: null, active: false });
  const wf = await publishWorkflow(stack, 'Nobody eligible (e2e)', bothToDone('rep-otto', 'Otto only', ['assigned', 'no_eligible_rep']));
  const leadId = await postLead(stack, wf.id, { email: 'noor@nowhere.example', firstName: 'Noor', lastName: 'Haddad', company: 'Nowhere Ltd' });
  await signIn(page, stack.admin);
  await page.goto(`/leads/${leadId}`);

  await expect(page.getByText('completed · done')).toBeVisible({ timeout: 20_000 });
  const trace = page.getByRole('list', { name: 'Trace' });
  await expect(trace.locator('[data-node-id="assign"]')).toContainText('No eligible rep');
  await expect(edge(page, 'assign:no_eligible_rep->done')).toHaveClass(/on-path/);
  await expect(edge(page, 'assign:assigned->done')).toHaveClass(/off-path/);
  await expect(page.getByTestId('assignee')).toHaveText('Ended without an assignee: done. Otto only: No eligible rep');
  await expect(page.getByText('Not assigned yet')).toHaveCount(0);
  // Times carry their day.
  await expect(page.locator('[data-milestone="received"] .milestone-at')).toHaveText(/^today \d\d:\d\d:\d\d$/);
  await expect(trace.locator('[data-node-id="trigger"] time')).toHaveText(/^today \d\d:\d\d:\d\d$/);
  await snap(page, 'lead-no-eligible-rep');

  // The leads list: the run's ending, no assignee, the day it came in.
  await page.goto('/leads');
  const row = page.getByRole('table', { name: 'Leads' }).getByRole('row').filter({ hasText: 'Noor Haddad' });
  await expect(row).toContainText('completed · done');
  await expect(await cellUnder(page, row, 'Received')).toHaveText(/^today \d\d:\d\d$/);
});

test('a lead that was assigned lights its "assigned" edge, and shows its rep by name', async ({ page, stack, snap }) => {
  const wf = await publishWorkflow(stack, 'Straight to Ana (e2e)', bothToDone('rep-ana', 'Ana only', ['no_eligible_rep', 'assigned']));
  const leadId = await postLead(stack, wf.id, { email: 'lin@yeoh.example', firstName: 'Lin', lastName: 'Yeoh', company: 'Yeoh Partners' });
  await signIn(page, stack.admin);
  await page.goto(`/leads/${leadId}`);

  await expect(page.getByText('completed · done')).toBeVisible({ timeout: 20_000 });
  await expect(edge(page, 'assign:assigned->done')).toHaveClass(/on-path/);
  await expect(edge(page, 'assign:no_eligible_rep->done')).toHaveClass(/off-path/);
  await expect(page.getByTestId('assignee')).toContainText('Assigned to Ana Diaz (rep)');
  await expect(page.getByRole('list', { name: 'Trace' }).locator('[data-node-id="assign"]')).toContainText('Assigned to Ana Diaz');
  await snap(page, 'lead-assigned-edge');

  await page.goto('/leads');
  const row = page.getByRole('table', { name: 'Leads' }).getByRole('row').filter({ hasText: 'Lin Yeoh' });
  await expect(await cellUnder(page, row, 'Assignee')).toHaveText('Ana Diaz');
  await expect(await cellUnder(page, row, 'Received')).toHaveText(/^today \d\d:\d\d$/);
  await snap(page, 'leads-list');
});

/** The cell of `row` in the leads table's column headed `header` (the columns a user shows vary). */
async function cellUnder(page: Page, row: Locator, header: string): Promise<Locator> {
  await expect(row).toBeVisible();
  const headers = (await page.getByRole('table', { name: 'Leads' }).getByRole('columnheader').allTextContents()).map((t) => t.trim());
  const i = headers.findIndex((h) => h.startsWith(header));
  expect(i, `a column "${header}" among ${headers.join(', ')}`).toBeGreaterThanOrEqual(0);
  return row.getByRole('cell').nth(i);
}
