import { readFileSync } from 'node:fs';
import { edgeId, GRAPH_SCHEMA_VERSION, type Graph, type GraphEdge } from '@lead-router/shared';
import { apiCall, expect, signIn, test, type StackInfo } from './support/fixtures';
import { postLead, publishWorkflow } from './support/workflows';

// Issue 15, item 3: the routing analytics page. Leads routed by the real worker (so they have analytics rows);
// the page shows their figures, a bar drills to exactly the leads behind it, and a table exports as CSV.

test.use({ viewport: { width: 1440, height: 900 } });
test.describe.configure({ mode: 'serial' });

const e = (source: string, sourceHandle: string, target: string): GraphEdge => ({ id: edgeId(source, sourceHandle, target), source, sourceHandle, target });
const eligibility = { skills: [], respectCapacity: false, respectWorkingHours: false, respectOutOfOffice: false };

/** US leads: round-robin over Ben and Cara, 10 minutes to accept; the rest to the "Unassigned leads" queue. */
const graph: Graph = {
  schemaVersion: GRAPH_SCHEMA_VERSION,
  nodes: [
    { id: 'trigger', type: 'trigger', position: { x: 280, y: 0 }, label: 'Inbound lead', config: { source: 'webhook' } },
    { id: 'region', type: 'branch', position: { x: 280, y: 140 }, label: 'Region', config: { cases: [{ id: 'us', label: 'United States', condition: { match: 'all', conditions: [{ field: 'country', operator: 'in', value: ['US'] }] } }] } },
    { id: 'assign-us', type: 'assign', position: { x: 0, y: 280 }, label: 'US reps', config: { strategy: { type: 'round_robin', teamId: 'team-drill' }, eligibility, excludePreviousAssignees: false } },
    { id: 'sla', type: 'wait', position: { x: 0, y: 420 }, label: 'Accept within 10 min', config: { until: 'accepted', timeout: { amount: 10, unit: 'minutes' } } },
    { id: 'to-queue', type: 'assign', position: { x: 560, y: 280 }, label: 'Rest of world', config: { strategy: { type: 'queue', queueId: 'q-unassigned' }, eligibility, excludePreviousAssignees: false } },
    { id: 'done', type: 'end', position: { x: 280, y: 560 }, label: 'Done', config: { outcome: 'done' } },
  ],
  edges: [
    e('trigger', 'next', 'region'),
    e('region', 'us', 'assign-us'),
    e('region', 'else', 'to-queue'),
    e('assign-us', 'assigned', 'sla'),
    e('assign-us', 'no_eligible_rep', 'done'),
    e('sla', 'accepted', 'done'),
    e('sla', 'timed_out', 'done'),
    e('to-queue', 'assigned', 'done'),
    e('to-queue', 'no_eligible_rep', 'done'),
  ],
};

type Filter = Record<string, string>;
interface LeadItem {
  leadId: string;
  status: string;
  name: string | null;
  assignee: { type: string; id: string; name: string | null } | null;
}
interface FairnessRow {
  nodeId: string;
  repId: string;
  repName: string;
  actualLeads: number;
  leads: Filter;
}

const LEADS = [
  { firstName: 'Ada', lastName: 'Analytics', country: 'US' },
  { firstName: 'Bo', lastName: 'Analytics', country: 'US' },
  { firstName: 'Cy', lastName: 'Analytics', country: 'US' },
  { firstName: 'Dee', lastName: 'Abroad', country: 'DE' },
];

let workflowId = '';
const leadsOf = (stack: StackInfo, filter: Filter) => apiCall<{ items: LeadItem[] }>(stack, stack.keys.admin, 'GET', `/api/leads?${new URLSearchParams(filter).toString()}`);

test.beforeAll(async ({ stack }) => {
  const wf = await publishWorkflow(stack, 'Analytics drill (e2e)', graph);
  workflowId = wf.id;
  for (const l of LEADS) await postLead(stack, workflowId, { email: `${l.firstName.toLowerCase()}@analytics.example`, ...l, company: `${l.firstName} Co` });
  // The worker routes them and records their analytics rows with their steps.
  await expect
    .poll(async () => (await leadsOf(stack, { workflow: workflowId })).items.filter((i) => i.assignee).length, { timeout: 45_000 })
    .toBe(LEADS.length);
  // Accept Ada's lead once her run waits for it (assigned comes a moment before waiting).
  const ada = () => leadsOf(stack, { workflow: workflowId }).then((r) => r.items.find((i) => i.name === 'Ada Analytics')!);
  await expect.poll(async () => (await ada()).status, { timeout: 30_000 }).toBe('waiting');
  await apiCall(stack, stack.keys.editor, 'POST', `/api/leads/${(await ada()).leadId}/accept`, {});
  await expect
    .poll(async () => {
      const f = await apiCall<{ byRep: FairnessRow[] }>(stack, stack.keys.viewer, 'GET', `/api/analytics/fairness?workflowId=${workflowId}`);
      return f.byRep.reduce((n, r) => n + r.actualLeads, 0);
    }, { timeout: 30_000 })
    .toBe(3);
});

test('analytics shows the routed leads’ figures in every section', async ({ page, stack, snap }) => {
  await signIn(page, stack.admin);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Analytics' }).click();
  await expect(page.getByRole('heading', { name: 'Routing analytics' })).toBeVisible();
  await page.getByLabel('Workflow').selectOption({ label: 'Analytics drill (e2e)' });
  await expect(page).toHaveURL(new RegExp(`workflow=${workflowId}`));
  await expect(page.getByText(/Leads of Analytics drill \(e2e\) received from .*\d\d:\d\d to .*\d\d:\d\d/)).toBeVisible();

  // Speed to lead: three milestones, all three leads assigned (and the queued one) within seconds.
  const tabs = page.getByRole('navigation', { name: 'Analytics sections' });
  const firstAssignment = page.getByTestId('speed-first_assignment');
  await expect(firstAssignment).toContainText('4 leads');
  await expect(firstAssignment.getByText(/\d+(\.\d)? s|\d+ ms/).first()).toBeVisible();
  await expect(page.getByTestId('speed-accepted')).toContainText('1 lead');
  await expect(page.locator('.recharts-bar-rectangle').first()).toBeVisible();
  await snap(page, 'analytics-speed');

  // The working-hours clock is in the URL too.
  await page.getByRole('button', { name: 'Working hours' }).click();
  await expect(page).toHaveURL(/clock=working/);
  await expect(page.getByText("Percentiles over the leads received in the range, in the rep's working hours.")).toBeVisible();

  await tabs.getByRole('link', { name: 'SLA' }).click();
  // A wait counts once it ends: Ada's, accepted by whoever got her; the other two still wait.
  const ada = (await leadsOf(stack, { workflow: workflowId })).items.find((i) => i.name === 'Ada Analytics')!;
  const adaRep = ada.assignee!.id === 'rep-ben' ? 'Ben Okafor' : 'Cara Singh';
  const slaTable = page.getByRole('table', { name: 'SLA per rep' });
  await expect(slaTable.getByRole('row')).toHaveCount(2);
  await expect(slaTable.getByRole('row', { name: adaRep })).toContainText('100.0%');
  await expect(page.getByRole('link', { name: `${adaRep}: 1 wait met` })).toBeVisible();
  await snap(page, 'analytics-sla');

  await tabs.getByRole('link', { name: 'Acceptance' }).click();
  const acceptance = page.getByRole('table', { name: 'Acceptance per rep' });
  await expect(acceptance.getByRole('row', { name: adaRep })).toContainText('100.0%');
  await expect(page.getByRole('link', { name: `${adaRep}: 1 lead accepted` })).toBeVisible();
  await snap(page, 'analytics-acceptance');

  await tabs.getByRole('link', { name: 'Paths' }).click();
  const paths = page.getByRole('table', { name: 'Paths' });
  await expect(paths.getByRole('link', { name: 'Region us: 3 steps' })).toBeVisible();
  await expect(paths.getByRole('link', { name: 'Region else: 1 step' })).toBeVisible();
  // The active version on a read-only canvas, each step with its counts.
  const canvas = page.getByLabel('Version 1 with the counts of the range');
  await expect(canvas.getByText('else 1 · us 3')).toBeVisible();
  await expect(canvas.getByText('assigned 3')).toBeVisible();
  await snap(page, 'analytics-paths');

  await tabs.getByRole('link', { name: 'Queues' }).click();
  const queueTable = page.getByRole('table', { name: 'Queues' });
  await expect(queueTable).toContainText('Unassigned leads');
  const inflow = new URL((await queueTable.getByRole('link', { name: '1' }).first().getAttribute('href'))!, 'http://x');
  expect(Object.fromEntries(inflow.searchParams)).toMatchObject({ workflow: workflowId, assignedTo: 'q-unassigned' });
  expect(inflow.searchParams.has('assignee')).toBe(false);
  await snap(page, 'analytics-queues');

  await tabs.getByRole('link', { name: 'Fairness' }).click();
  await expect(page.getByRole('heading', { name: 'Leads per rep against the weights: US reps · SLA drill' })).toBeVisible();
  await snap(page, 'analytics-fairness');

  // The URL reproduces the view: a reload lands on the same section, workflow and clock.
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Leads per rep against the weights: US reps · SLA drill' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Working hours' })).toHaveAttribute('aria-pressed', 'true');
});

test('a queue’s bar drills to exactly the leads it holds, and a rep’s bar carries the figure’s filter', async ({ page, stack, snap }) => {
  await signIn(page, stack.admin);
  await page.goto(`/analytics?workflow=${workflowId}&section=queues`);
  const held = page.getByRole('link', { name: 'Unassigned leads: 1 lead held now' });
  await held.click();
  await expect(page).toHaveURL(/\/leads\?/);
  const url = new URL(page.url());
  const queues = await apiCall<{ byQueue: { queueId: string; leads: Filter }[] }>(stack, stack.keys.viewer, 'GET', `/api/analytics/queues?workflowId=${workflowId}&from=${encodeURIComponent(url.searchParams.get('since')!)}&to=${encodeURIComponent(url.searchParams.get('until')!)}`);
  expect(Object.fromEntries(url.searchParams)).toEqual(queues.byQueue.find((q) => q.queueId === 'q-unassigned')!.leads);
  const table = page.locator('table.table');
  await expect(table.getByRole('row', { name: /Dee Abroad/ })).toBeVisible();
  await expect(table.getByRole('row', { name: /(Ada|Bo|Cy) Analytics/ })).toHaveCount(0);
  await snap(page, 'analytics-drill-queue');

  // A fairness bar: the lead list's URL is the row's filter, and the API lists exactly that rep's leads.
  await page.goto(`/analytics?workflow=${workflowId}&section=fairness`);
  const fairness = await apiCall<{ byRep: FairnessRow[] }>(stack, stack.keys.viewer, 'GET', `/api/analytics/fairness?workflowId=${workflowId}`);
  const top = [...fairness.byRep].sort((a, b) => b.actualLeads - a.actualLeads)[0]!;
  expect(top.actualLeads).toBe(2);
  await page.getByRole('link', { name: `${top.repName}: 2 leads from US reps` }).click();
  await expect(page).toHaveURL(/\/leads\?/);
  const drilled = Object.fromEntries(new URL(page.url()).searchParams);
  expect({ ...drilled, since: '', until: '' }).toEqual({ ...top.leads, since: '', until: '' });
  expect(drilled).toMatchObject({ workflow: workflowId, assignedBy: 'assign-us', assignedTo: top.repId });
  const behind = await leadsOf(stack, drilled);
  expect(behind.items.map((i) => i.assignee?.id)).toEqual([top.repId, top.repId]);
  for (const lead of behind.items) await expect(page.locator('table.table').getByRole('row', { name: new RegExp(lead.name!) })).toBeVisible();
  await snap(page, 'analytics-drill-rep');
});

test('a table exports as CSV with its header', async ({ page, stack }) => {
  await signIn(page, stack.admin);
  await page.goto(`/analytics?workflow=${workflowId}&section=fairness`);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Export fairness per rep as CSV' }).first().click()]);
  expect(download.suggestedFilename()).toBe('fairness-byRep.csv');
  const csv = readFileSync((await download.path())!, 'utf8');
  const [header, ...rows] = csv.trim().split(/\r?\n/);
  expect(header).toBe('nodeId,nodeLabel,poolKey,poolName,repId,repName,weight,expectedShare,expectedLeads,actualLeads,actualShare,deviationPoints,leads');
  expect(rows).toHaveLength(2);
  expect(csv).toContain('Ben Okafor');
  expect(csv).toContain('Cara Singh');
});

test('a workflow without leads says what to do, and a custom range is checked before it is asked for', async ({ page, stack, snap }) => {
  const empty = await publishWorkflow(stack, 'Analytics empty (e2e)', graph);
  await signIn(page, stack.admin);
  await page.goto(`/analytics?workflow=${empty.id}`);
  await expect(page.getByText('No lead reached “Received → first assignment” in this range. Pick a longer range, or post leads to this workflow.')).toBeVisible();
  await expect(page.getByTestId('speed-first_assignment')).toContainText('No lead reached it in this range');
  await page.getByRole('navigation', { name: 'Analytics sections' }).getByRole('link', { name: 'SLA' }).click();
  await expect(page.getByText('No lead waited on a rep in this range. Pick a longer range, or a workflow with a wait step.')).toBeVisible();
  await snap(page, 'analytics-empty');

  // A custom range starts as the range shown, with dates and times, and lands in the URL.
  await page.getByLabel('Range').selectOption('custom');
  await expect(page).toHaveURL(/range=custom&from=.+&to=.+/);
  const from = page.getByRole('textbox', { name: 'From', exact: true });
  await expect(from).toHaveValue(/^\d{4}-\d\d-\d\dT\d\d:\d\d$/);
  await page.getByRole('textbox', { name: 'To', exact: true }).fill('2020-01-01T09:00');
  await expect(page.getByRole('alert')).toHaveText('The range must end after it starts.');
  await page.getByRole('textbox', { name: 'From', exact: true }).fill('2019-12-31T09:00');
  await expect(page.getByText(/received from Dec 31, 2019, 09:00 to Jan 1, 2020, 09:00/)).toBeVisible();
  await expect(page.getByText('No lead waited on a rep in this range. Pick a longer range, or a workflow with a wait step.')).toBeVisible();
  await snap(page, 'analytics-custom-range');
});

test('the lead list shows exactly the leads behind a rep’s bar (assignedBy / assignedTo read from its URL)', async ({ page, stack }) => {
  await signIn(page, stack.admin);
  await page.goto(`/analytics?workflow=${workflowId}&section=fairness`);
  const fairness = await apiCall<{ byRep: FairnessRow[] }>(stack, stack.keys.viewer, 'GET', `/api/analytics/fairness?workflowId=${workflowId}`);
  const top = [...fairness.byRep].sort((a, b) => b.actualLeads - a.actualLeads)[0]!;
  await page.getByRole('link', { name: `${top.repName}: 2 leads from US reps` }).click();
  await expect(page).toHaveURL(/\/leads\?/);
  const table = page.locator('table.table');
  await expect(table.getByRole('row', { name: /(Ada|Bo|Cy) Analytics|Dee Abroad/ })).toHaveCount(2, { timeout: 5000 });
});
