import { edgeId, GRAPH_SCHEMA_VERSION, type Graph } from '@lead-router/shared';
import { connectPostgres } from '@lead-router/db/client';
import { sql } from 'drizzle-orm';
import { apiCall, expect, signIn, test } from './support/fixtures';
import { postLead, publishWorkflow } from './support/workflows';

// Issue 14, item 7: a run whose write PostgreSQL refused for good ends failed with its reason; the lead page
// says why and an editor retries it. The failure is put on a finished run through the database (no request
// can make the worker's write fail); the retry is the real one: API, outbox, dispatcher, Temporal, worker.

test.use({ viewport: { width: 1440, height: 900 } });

const straightGraph: Graph = {
  schemaVersion: GRAPH_SCHEMA_VERSION,
  nodes: [
    { id: 'trigger', type: 'trigger', position: { x: 0, y: 0 }, label: 'Inbound lead', config: { source: 'webhook' } },
    { id: 'done', type: 'end', position: { x: 0, y: 140 }, label: 'Done', config: { outcome: 'done' } },
  ],
  edges: [{ id: edgeId('trigger', 'next', 'done'), source: 'trigger', sourceHandle: 'next', target: 'done' }],
};

test('a failed run says why on the lead page, and an editor retries it to completion', async ({ page, stack, snap }) => {
  const wf = await publishWorkflow(stack, 'Straight through (e2e)', straightGraph);
  const leadId = await postLead(stack, wf.id, { email: 'mary@somerville.example', firstName: 'Mary', lastName: 'Somerville', company: 'Connexion Sciences' });
  await expect.poll(async () => (await apiCall<{ status: string }>(stack, stack.keys.viewer, 'GET', `/api/leads/${leadId}`)).status, { timeout: 30_000 }).toBe('completed');

  const reason = 'recordSteps failed for lead (e2e): PostgreSQL error 22P02 (invalid_text_representation)';
  const database = connectPostgres(stack.databaseUrl, { max: 1 });
  try {
    await database.db.execute(sql`update routing_runs set status = 'failed', outcome = 'failed', error = ${reason} where lead_id = ${leadId}::uuid`);
  } finally {
    await database.close();
  }

  await signIn(page, stack.admin);
  await page.goto(`/leads/${leadId}`);
  const failed = page.getByTestId('run-failed');
  await expect(failed).toContainText('The run failed.');
  await expect(failed).toContainText('22P02');
  await snap(page, 'lead-run-failed');

  await failed.getByRole('button', { name: 'Retry the lead' }).click();
  // The page reloads and follows the new run: it ends completed, the failure gone.
  await expect(page.getByTestId('run-failed')).toHaveCount(0, { timeout: 30_000 });
  await expect.poll(async () => (await apiCall<{ status: string; error: string | null }>(stack, stack.keys.viewer, 'GET', `/api/leads/${leadId}`)).status, { timeout: 30_000 }).toBe('completed');
  await expect(page.getByText('completed · done').first()).toBeVisible({ timeout: 30_000 });
  await snap(page, 'lead-retried');
});
