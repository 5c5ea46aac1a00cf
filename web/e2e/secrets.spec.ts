import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { edgeId, GRAPH_SCHEMA_VERSION, type Graph, type GraphEdge } from '@lead-router/shared';
import { apiCall, expect, signIn, test } from './support/fixtures';
import { inspector, node, select } from './support/canvas';
import { postLead, publishWorkflow } from './support/workflows';

// Workspace secrets: an admin keeps an enrichment provider's API key under Settings, Secrets; a published
// workflow names it as {{secret.ENRICH_API_KEY}}; a real lead's enrichment reaches the provider (a server of this
// spec, on loopback) with the key, while the lead page and the secrets list show only the name. Routes no lead
// to a rep, so no other spec's counts move.

test.use({ viewport: { width: 1440, height: 900 } });

const KEY_VALUE = 'sk_live_e2e_4f9a8b7c6d5e';
const e = (source: string, sourceHandle: string, target: string): GraphEdge => ({ id: edgeId(source, sourceHandle, target), source, sourceHandle, target });

function enrichedGraph(base: string): Graph {
  return {
    schemaVersion: GRAPH_SCHEMA_VERSION,
    nodes: [
      { id: 'trigger', type: 'trigger', position: { x: 280, y: 0 }, label: 'Inbound lead', config: { source: 'webhook' } },
      {
        id: 'enrich',
        type: 'enrich',
        position: { x: 280, y: 150 },
        label: 'Company data API',
        config: { provider: 'http', fields: ['employees', 'industry'], overwrite: false, http: { urlTemplate: `${base}/companies?domain={{domain}}`, headers: { 'X-Api-Key': '{{secret.ENRICH_API_KEY}}' }, timeoutMs: 3000, mapping: { employees: 'size', industry: 'sector' } } },
      },
      { id: 'done', type: 'end', position: { x: 280, y: 300 }, label: 'Enriched', config: { outcome: 'done' } },
    ],
    edges: [e('trigger', 'next', 'enrich'), e('enrich', 'enriched', 'done'), e('enrich', 'not_found', 'done')],
  };
}

let provider: Server;
let base: string;
const keysSeen: string[] = [];

test.beforeAll(async () => {
  provider = createServer((req, res) => {
    keysSeen.push(String(req.headers['x-api-key'] ?? ''));
    if (req.headers['x-api-key'] !== KEY_VALUE) return void res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"bad key"}');
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ size: 2300, sector: 'Logistics' }));
  });
  await new Promise<void>((resolve) => provider.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(provider.address() as AddressInfo).port}`;
});

test.afterAll(async () => {
  provider.closeAllConnections();
  await new Promise((resolve) => provider.close(resolve));
});

test('an admin keeps an API key as a secret; a lead is enriched with it, and nothing shows the value', async ({ page, stack, snap }) => {
  await signIn(page, stack.admin);
  await page.goto('/settings/routing');
  await page.getByRole('navigation', { name: 'Settings sections' }).getByRole('link', { name: 'Secrets' }).click();
  await expect(page).toHaveURL(/\/settings\/secrets$/);

  await page.getByRole('button', { name: 'New secret' }).click();
  const form = page.getByRole('form', { name: 'New secret' });
  await form.getByLabel('Name').fill('enrich_api_key');
  await expect(form.getByLabel('Name')).toHaveValue('ENRICH_API_KEY');
  await expect(form).toContainText('Name it in a step as {{secret.ENRICH_API_KEY}}.');
  await form.getByLabel('Value').fill(KEY_VALUE);
  await form.getByRole('button', { name: 'Save secret' }).click();
  await expect(page.getByText('Saved ENRICH_API_KEY')).toBeVisible();
  const table = page.getByRole('table', { name: 'Secrets' });
  const row = table.getByRole('row').filter({ hasText: 'ENRICH_API_KEY' });
  await expect(row).toContainText('••••6d5e');
  await expect(row).toContainText('no published workflow or queue');

  // A workflow names it; a real lead is enriched through the provider, which got the key.
  const wf = await publishWorkflow(stack, 'Secrets e2e enrichment', enrichedGraph(base));
  const leadId = await postLead(stack, wf.id, { email: 'dana@secrets-e2e.example', firstName: 'Dana', lastName: 'Reyes', company: 'Reyes Freight', domain: 'reyes-freight.example' });
  await expect.poll(async () => (await apiCall<{ status: string }>(stack, stack.keys.viewer, 'GET', `/api/leads/${leadId}`)).status, { timeout: 30_000 }).toBe('completed');
  expect(keysSeen).toEqual([KEY_VALUE]);

  await page.goto(`/leads/${leadId}`);
  await expect(page.getByText(`Found 2 of 2 mapped field(s) at ${base}`)).toBeVisible();
  await expect(page.getByText('Logistics').first()).toBeVisible();
  expect(await page.content()).not.toContain(KEY_VALUE);
  await snap(page, 'secrets-lead-enriched');

  // The list says which published workflow uses it, by name; deleting it is refused while it does.
  await page.goto('/settings/secrets');
  await expect(row.getByRole('link', { name: 'Secrets e2e enrichment' })).toBeVisible();
  await snap(page, 'settings-secrets');
  await row.getByRole('button', { name: 'Delete ENRICH_API_KEY' }).click();
  const dialog = page.getByRole('dialog', { name: 'Delete ENRICH_API_KEY?' });
  await expect(dialog).toContainText('Published workflows use it: Secrets e2e enrichment. Change those first; deleting it now is refused.');
  await dialog.getByRole('button', { name: 'Delete secret' }).click();
  await expect(dialog.getByRole('alert')).toContainText("The secret ENRICH_API_KEY is used by the published workflow 'Secrets e2e enrichment'");
  await snap(page, 'settings-secrets-in-use');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  expect(await page.content()).not.toContain(KEY_VALUE);

  // A viewer sees the names and uses, and cannot change anything.
  await page.context().clearCookies();
  await signIn(page, stack.viewer);
  await page.goto('/settings/secrets');
  await expect(row.getByRole('link', { name: 'Secrets e2e enrichment' })).toBeVisible();
  await expect(page.getByText('Only admins add, replace and delete secrets.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'New secret' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Delete ENRICH_API_KEY' })).toHaveCount(0);
  await snap(page, 'settings-secrets-viewer');
});

test('the inspector warns of a key written in plain text, and the server says when a named secret is not set', async ({ page, stack, snap }) => {
  const graph = enrichedGraph(base);
  const enrich = graph.nodes.find((n) => n.id === 'enrich');
  if (enrich?.type !== 'enrich' || !enrich.config.http) throw new Error('graph changed');
  enrich.config.http.headers = { 'X-Api-Key': KEY_VALUE };
  const wf = await apiCall<{ id: string }>(stack, stack.keys.editor, 'POST', '/api/workflows', { name: 'Secrets e2e draft', graph });
  await signIn(page, stack.admin);
  await page.goto(`/workflows/${wf.id}`);
  await expect(node(page, 'enrich')).toBeVisible();
  await select(page, 'enrich');
  const ins = inspector(page);
  const header = ins.getByLabel('Header 1 value');
  await expect(header).toHaveValue(KEY_VALUE);
  await expect(ins).toContainText("'Company data API' sends the header 'X-Api-Key' with a credential written in plain text.");
  await snap(page, 'secrets-plain-key-warning');

  await header.fill('{{secret.NOT_SET_KEY}}');
  await expect(ins).toContainText("'Company data API' uses {{secret.NOT_SET_KEY}}, which is not set in this workspace.", { timeout: 15_000 });
  await expect(header).toHaveAttribute('aria-invalid', 'true');
  await snap(page, 'secrets-unknown-secret');
});
